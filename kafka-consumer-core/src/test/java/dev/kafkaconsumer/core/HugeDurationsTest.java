package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * Durations as long as a {@link Duration} of milliseconds goes ({@code 9223372036854775807ms}, which Spring
 * binding accepts) mean "for ever" wherever a builder or a call takes them: nothing overflows when they are
 * turned into deadlines, and everything runs as with a long finite one.
 */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class HugeDurationsTest {

    private static final Duration FOREVER = Duration.ofMillis(Long.MAX_VALUE);
    private static final Duration LONGEST = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

    @Test
    void aContainerWithEveryDurationHugeHandlesCommitsRetriesAndStops(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "huge-c", 2, 200);
        Set<String> handled = ConcurrentHashMap.newKeySet();
        AtomicInteger failures = new AtomicInteger();
        ConsumerContainer<String, String> container = Containers.builder(kafka, "huge-c", topic)
                .commitInterval(FOREVER).revocationTimeout(LONGEST).processingTimeout(FOREVER)
                .retryPolicy(RetryPolicy.exponential(2, Duration.ofMillis(1), 2.0, LONGEST))
                .handler(record -> {
                    if (record.value().endsWith("7") && failures.getAndIncrement() == 0) {
                        throw new IllegalStateException("first attempt fails");
                    }
                    handled.add(record.value());
                }).build();
        container.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == 200);
        container.stop(LONGEST);
        assertThat(container.state()).isEqualTo(ContainerState.STOPPED);
        assertThat(Containers.committed(kafka, container.snapshot().groupId()).values()).containsOnly(100L);
    }

    @Test
    void anEngineTakesAndStopsWithHugeTimeouts(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "huge-e", 1, 10);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).build()) {
            engine.assign(List.of(new TopicPartition(topic, 0)));
            engine.start();
            engine.seekToBeginning(new TopicPartition(topic, 0));
            assertThat(engine.getOne(FOREVER)).isPresent();
            assertThat(engine.getMany(LONGEST, 9).values().stream().mapToInt(List::size).sum()).isPositive();
            engine.stop(LONGEST);
        }
    }

    @Test
    void aShareContainerWithHugeDurationsAcceptsAndStops(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "huge-s", 1, 50);
        String group = ShareEngines.shareGroup(kafka, "huge-s");
        Set<String> handled = ConcurrentHashMap.newKeySet();
        ShareConsumerContainer<String, String> container = ShareConsumerContainer
                .builder("huge-s", new StringDeserializer(), new StringDeserializer())
                .properties(kafka.clientProperties()).groupId(group).topics(List.of(topic))
                .maxLockRenewal(FOREVER).processingTimeout(LONGEST)
                .handler((ConsumerRecord<String, String> record) -> handled.add(record.value())).build();
        container.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == 50);
        container.stop(FOREVER);
        assertThat(container.snapshot().acknowledgements().get(AcknowledgeType.ACCEPT)).isEqualTo(50L);
    }
}
