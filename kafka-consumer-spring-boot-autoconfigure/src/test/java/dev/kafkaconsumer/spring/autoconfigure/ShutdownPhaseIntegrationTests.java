package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.kafkaconsumer.spring.Offset;
import dev.kafkaconsumer.spring.RecordHandler;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * A context closed while a handler is stuck, its shutdown phase ({@code spring.lifecycle.timeout-per-shutdown-phase},
 * 5 s) shorter than the container's {@code shutdown-timeout} (30 s): the drain ends in time for the final commit to be
 * made within the phase, so the records handled before the stuck one are committed, not read again. Before the
 * container beans left room for it, the phase ran out while the container still waited for the stuck record, and the
 * final commit came 30 s later: in a JVM ended by SIGTERM, never.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ShutdownPhaseIntegrationTests {

    private static final int STUCK = 10;

    @ParameterizedTest
    @ValueSource(strings = { "classic", "consumer" })
    void aShutdownPhaseShorterThanTheShutdownTimeoutStillEndsWithTheFinalCommit(String protocol, KafkaBroker kafka)
            throws Exception {
        String topic = "phase-" + UUID.randomUUID().toString().substring(0, 8);
        String group = topic;
        kafka.createTopic(topic, 1);
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, 20)
            .mapToObj((i) -> new ProducerRecord<>(topic, 0, (String) null, "v" + i))
            .toList());
        StuckHandler handler = new StuckHandler();
        try {
            new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class,
                        KafkaConsumerAutoConfiguration.class))
                .withBean(StuckHandler.class, () -> handler)
                .withPropertyValues("kafka.consumer.bootstrap-servers=" + kafka.bootstrapServers(),
                        "kafka.consumer.group-id=" + group, "kafka.consumer.auto-offset-reset=earliest",
                        "kafka.consumer.properties.group.protocol=" + protocol, "test.topic=" + topic,
                        // only the final commit commits: whatever is committed, it made
                        "kafka.consumer.commit-interval=1h", "kafka.consumer.shutdown-timeout=30s",
                        "spring.lifecycle.timeout-per-shutdown-phase=5s")
                .run((context) -> {
                    await().atMost(Duration.ofSeconds(60)).until(() -> handler.offsets.contains((long) STUCK));
                    long closing = System.nanoTime();
                    context.close();
                    // the phase allows 5 s; without the room kept for it, the final commit came after the 30 s drain
                    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                        .until(() -> committed(kafka, group, new TopicPartition(topic, 0)) == STUCK);
                    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - closing)).isLessThan(20);
                    assertThat(handler.offsets).as("nothing after the stuck record").hasSize(STUCK + 1);
                });
        }
        finally {
            handler.release.countDown();
        }
    }

    private static long committed(KafkaBroker kafka, String group, TopicPartition partition) throws Exception {
        try (Admin admin = kafka.admin()) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                .get(partition);
            return (offset != null) ? offset.offset() : -1;
        }
    }

    static class StuckHandler {

        final List<Long> offsets = new CopyOnWriteArrayList<>();

        final CountDownLatch release = new CountDownLatch(1);

        @RecordHandler(id = "stuck", topics = "${test.topic}")
        void handle(String value, @Offset long offset) throws InterruptedException {
            this.offsets.add(offset);
            if (offset == STUCK) {
                this.release.await(); // until the test ends: the stop finds it in flight
            }
        }

    }

}
