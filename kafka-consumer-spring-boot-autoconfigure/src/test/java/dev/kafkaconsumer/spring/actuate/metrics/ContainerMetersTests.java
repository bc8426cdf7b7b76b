package dev.kafkaconsumer.spring.actuate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.kafkaconsumer.spring.RecordHandler;
import dev.kafkaconsumer.spring.actuate.autoconfigure.LagTrackerAutoConfiguration;
import dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerAutoConfiguration;
import dev.kafkaconsumer.spring.autoconfigure.ShareContainerCustomizer;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

@ExtendWith(KafkaBrokerExtension.class)
class ContainerMetersTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(KafkaConsumerAutoConfiguration.class, KafkaConsumerMetricsAutoConfiguration.class))
        .withPropertyValues("kafka.consumer.bootstrap-servers=127.0.0.1:1", "kafka.consumer.group-id=g",
                "kafka.consumer.auto-startup=false");

    @Test
    void backsOffWithoutAMeterRegistry() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(ContainerMeters.class));
    }

    @Test
    void backsOffWhenMicrometerIsMissing() {
        this.contextRunner.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
            .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
            .run((context) -> assertThat(context).doesNotHaveBean(ContainerMeters.class));
    }

    @Test
    void countsTheAcknowledgementsOfShareContainersByTypeAndTheirLockExpirationsAndAttachesToThem() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ContainerMeters meters = new ContainerMeters(registry)) {
            TopicPartition jobs = new TopicPartition("jobs", 0);
            meters.acknowledged("workers", jobs, AcknowledgeType.ACCEPT, 5);
            meters.acknowledged("workers", jobs, AcknowledgeType.ACCEPT, 2);
            meters.acknowledged("workers", jobs, AcknowledgeType.RELEASE, 1);
            meters.acknowledged("workers", jobs, AcknowledgeType.REJECT, 1);
            meters.lockExpired("workers", jobs, 17, 2);
            assertThat(registry.get("kafka.consumer.acknowledgements").tags("container", "workers", "type", "accept")
                .counter().count()).isEqualTo(7);
            assertThat(registry.get("kafka.consumer.acknowledgements").tags("container", "workers", "type", "release")
                .counter().count()).isEqualTo(1);
            assertThat(registry.get("kafka.consumer.acknowledgements").tags("container", "workers", "type", "reject")
                .counter().count()).isEqualTo(1);
            assertThat(registry.get("kafka.consumer.lock.expirations").tags("container", "workers", "topic", "jobs")
                .counter().count()).isEqualTo(1);
        }
        this.contextRunner.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
            .run((context) -> assertThat(context.getBeansOfType(ShareContainerCustomizer.class))
                .containsKey("kafkaConsumerShareMetricsCustomizer"));
    }

    @Test
    void countsTheTransactionsOfATransactionalContainerByOutcomeAndTheRecordsTheyCarried() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ContainerMeters meters = new ContainerMeters(registry)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(new TopicPartition("orders", 0),
                    new OffsetAndMetadata(12));
            meters.transactionCommitted("invoicing", offsets, 12);
            meters.transactionCommitted("invoicing", offsets, 3);
            meters.transactionAborted("invoicing", new IllegalStateException("fenced"));
            assertThat(registry.get("kafka.consumer.transactions").tags("container", "invoicing", "outcome", "committed")
                .counter().count()).isEqualTo(2);
            assertThat(registry.get("kafka.consumer.transactions").tags("container", "invoicing", "outcome", "aborted")
                .counter().count()).isEqualTo(1);
            assertThat(registry.get("kafka.consumer.transaction.records").tags("container", "invoicing").counter().count())
                .isEqualTo(15);
            assertThat(registry.find("kafka.consumer.commits").counters()).isEmpty();
        }
    }

    @Test
    void countsCommitsByOutcomeWithBothOutcomesFromTheFirstCommitOn() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ContainerMeters meters = new ContainerMeters(registry)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(new TopicPartition("orders", 0),
                    new OffsetAndMetadata(12));
            meters.committed("orders", offsets, null);
            meters.committed("orders", offsets, null);
            assertThat(registry.get("kafka.consumer.commits").tags("container", "orders", "outcome", "success")
                .counter().count()).isEqualTo(2);
            assertThat(registry.get("kafka.consumer.commits").tags("container", "orders", "outcome", "failure")
                .counter().count()).as("a failure ratio of 0, not an absent series").isZero();
            meters.committed("orders", offsets, new IllegalStateException("coordinator moved"));
            assertThat(registry.get("kafka.consumer.commits").tags("container", "orders", "outcome", "failure")
                .counter().count()).isEqualTo(1);
            assertThat(registry.get("kafka.consumer.commits").tags("container", "orders", "outcome", "success")
                .counter().count()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "classic", "consumer" })
    void registersMetersForEveryContainerAndRemovesThemWhenItStops(String protocol, KafkaBroker kafka) {
        String topic = "metered-" + UUID.randomUUID();
        kafka.createTopic(topic, 2);
        kafka.createTopic(topic + ".DLT", 1);
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, 20)
            .mapToObj((i) -> new ProducerRecord<>(topic, i % 2, "k" + i, (i == 7) ? "bad" : "good")).toList());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Handler handler = new Handler();
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class, KafkaConsumerMetricsAutoConfiguration.class,
                    LagTrackerAutoConfiguration.class))
            .withBean(MeterRegistry.class, () -> registry)
            .withBean(Handler.class, () -> handler)
            .withPropertyValues("kafka.consumer.bootstrap-servers=" + kafka.bootstrapServers(),
                    "kafka.consumer.group-id=metered-" + UUID.randomUUID(), "kafka.consumer.auto-offset-reset=earliest",
                    "kafka.consumer.commit-interval=100ms", "kafka.consumer.retry.max-attempts=2",
                    "kafka.consumer.retry.backoff.initial=10ms", "kafka.consumer.dead-letter.enabled=true",
                    "kafka.consumer.lag.sample-interval=100ms", "kafka.consumer.properties.group.protocol=" + protocol,
                    "test.topic=" + topic)
            .run((context) -> {
                await().atMost(Duration.ofSeconds(60)).until(() -> handler.calls.get() == 21
                        && count(registry.find("kafka.consumer.recovered").tag("recoverer", "dead-letter")) == 1);
                assertThat(count(registry.find("kafka.consumer.records").tag("container", "metered").tag("topic", topic)))
                    .isEqualTo(20);
                assertThat(registry.get("kafka.consumer.handler").tag("outcome", "success").timer().count()).isEqualTo(19);
                assertThat(registry.get("kafka.consumer.handler").tag("outcome", "failure").timer().count()).isEqualTo(2);
                assertThat(count(registry.find("kafka.consumer.retries"))).isEqualTo(1);
                assertThat(count(registry.find("kafka.consumer.rebalances").tag("kind", "assigned"))).isEqualTo(1);
                await().until(() -> count(registry.find("kafka.consumer.commits").tag("outcome", "success")) > 0);
                await().until(() -> registry.find("kafka.consumer.lag").gauges().size() == 2
                        && registry.find("kafka.consumer.lag").gauges().stream().allMatch((gauge) -> gauge.value() == 0));
                await().until(() -> registry.find("kafka.consumer.lag.time").gauges().size() == 2
                        && registry.find("kafka.consumer.lag.time").gauges().stream().allMatch((gauge) -> gauge.value() == 0));
                assertThat(registry.find("kafka.consumer.fetch.manager.records.consumed.total").tag("container", "metered")
                    .functionCounter()).as("kafka-clients metrics, bound by KafkaClientMetrics").isNotNull();

                // partition 0 gets 5 records whose first one the handler holds: 5 written and not committed
                handler.hold.set(true);
                try {
                    kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, 5)
                        .mapToObj((i) -> new ProducerRecord<>(topic, 0, "held" + i, "held")).toList());
                    await().atMost(Duration.ofSeconds(30)).until(() -> handler.holding.getCount() == 0);
                    await().atMost(Duration.ofSeconds(30)).until(() -> lag(registry, "0") == 5);
                    assertThat(registry.get("kafka.consumer.records.in.flight").tag("container", "metered").gauge().value())
                        .isGreaterThanOrEqualTo(1);
                    await().atMost(Duration.ofSeconds(30)).until(() -> registry.get("kafka.consumer.lag.status")
                        .tags("partition", "0", "status", "stall").gauge().value() == 1);
                    assertThat(lag(registry, "1")).isZero();
                    await().atMost(Duration.ofSeconds(30))
                        .until(() -> registry.get("kafka.consumer.lag.time").tag("partition", "0").gauge().value() > 0);
                }
                finally {
                    handler.release.countDown();
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> lag(registry, "0") == 0);
            });
        assertThat(registry.find("kafka.consumer.lag").gauges()).as("gauges go with their partitions").isEmpty();
        assertThat(registry.find("kafka.consumer.records.in.flight").gauges()).isEmpty();
        assertThat(registry.find("kafka.consumer.fetch.manager.records.consumed.total").meters()).isEmpty();
        assertThat(count(registry.find("kafka.consumer.rebalances").tag("kind", "revoked"))).isEqualTo(1);
    }

    @Test
    void theKafkaClientsMetersOfEveryContainerAreRefreshedByOneNamedThread(KafkaBroker kafka) {
        String topic = "shared-" + UUID.randomUUID();
        kafka.createTopic(topic, 2);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // a context that another test class left cached (a @SpringBootTest with metrics) may have its own
        long others = threads("kafka-consumer-client-metrics");
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class, KafkaConsumerMetricsAutoConfiguration.class))
            .withBean(MeterRegistry.class, () -> registry)
            .withBean(TwoContainers.class, TwoContainers::new)
            .withPropertyValues("kafka.consumer.bootstrap-servers=" + kafka.bootstrapServers(),
                    "kafka.consumer.group-id=shared-" + UUID.randomUUID(), "test.topic=" + topic)
            .run((context) -> {
                await().atMost(Duration.ofSeconds(30)).until(() -> !registry.find("kafka.consumer.fetch.manager.records.consumed.total")
                        .tag("container", "first").meters().isEmpty()
                        && !registry.find("kafka.consumer.fetch.manager.records.consumed.total").tag("container", "second")
                            .meters().isEmpty());
                await().atMost(Duration.ofSeconds(10)).until(() -> threads("kafka-consumer-client-metrics") == others + 1);
                assertThat(threads("micrometer-kafka-metrics")).as("Micrometer's own thread per client").isZero();
            });
        await().atMost(Duration.ofSeconds(10)).until(() -> threads("kafka-consumer-client-metrics") == others);
    }

    private static long threads(String name) {
        return Thread.getAllStackTraces().keySet().stream()
            .filter((thread) -> thread.getName().equals(name) && thread.isAlive())
            .count();
    }

    private static double lag(MeterRegistry registry, String partition) {
        return registry.get("kafka.consumer.lag").tag("partition", partition).gauge().value();
    }

    private static double count(Search search) {
        return search.counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    static class TwoContainers {

        @RecordHandler(id = "first", topics = "${test.topic}")
        void first(String value) {
        }

        @RecordHandler(id = "second", topics = "${test.topic}")
        void second(String value) {
        }
    }

    static class Handler {

        final AtomicInteger calls = new AtomicInteger();

        /** Whether the next "held" record waits for {@link #release}. */
        final AtomicBoolean hold = new AtomicBoolean();

        final CountDownLatch holding = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        @RecordHandler(id = "metered", topics = "${test.topic}")
        void handle(String value) throws InterruptedException {
            this.calls.incrementAndGet();
            if (value.equals("bad")) {
                throw new IllegalArgumentException("bad value");
            }
            if (value.equals("held") && this.hold.getAndSet(false)) {
                this.holding.countDown();
                this.release.await();
            }
        }
    }
}
