package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ContainerListenerTest {

    /** Counts each event by name. */
    private static final class Recording implements ContainerListener {
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        final List<String> recoverers = new CopyOnWriteArrayList<>();
        volatile ConsumerContainer<?, ?> startedContainer;

        private void count(String event, int by) {
            counts.computeIfAbsent(event, e -> new AtomicInteger()).addAndGet(by);
        }

        int get(String event) {
            AtomicInteger count = counts.get(event);
            return count == null ? 0 : count.get();
        }

        @Override
        public void started(ConsumerContainer<?, ?> container) {
            startedContainer = container;
            count("started", 1);
        }

        @Override
        public void stopped(ConsumerContainer<?, ?> container) {
            count("stopped", 1);
        }

        @Override
        public void recordsTaken(String container, TopicPartition partition, int taken) {
            count("taken", taken);
        }

        @Override
        public void handled(String container, TopicPartition partition, int records, Duration duration, Outcome outcome) {
            count(duration.isNegative() ? "negative-duration" : "timed", 1);
            count("handled-" + outcome, records);
        }

        @Override
        public void retrying(String container, TopicPartition partition, int attempt) {
            count("retrying", 1);
        }

        @Override
        public void recovered(String container, FailedRecord<?, ?> failed, String recoverer) {
            recoverers.add(recoverer);
            count("recovered", 1);
        }

        @Override
        public void committed(String container, Map<TopicPartition, OffsetAndMetadata> offsets, Throwable failure) {
            count(failure == null ? "committed" : "commit-failed", 1);
        }

        @Override
        public void assigned(String container, Collection<TopicPartition> partitions) {
            count("assigned", partitions.size());
        }

        @Override
        public void unassigned(String container, Collection<TopicPartition> partitions, boolean lost) {
            count(lost ? "lost" : "revoked", partitions.size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aListenerHearsRecordsHandlerCallsRetriesRecoveriesCommitsAndRebalances(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "c-listen", 1, 6);
        Recording recording = new Recording();
        AtomicInteger offsetTwoCalls = new AtomicInteger();
        ConsumerContainer<String, String> container = Containers.builder(kafka, "c-listen", topic, protocol)
                .retryPolicy(RetryPolicy.fixed(2, Duration.ofMillis(10)))
                .listener(recording)
                .listener(new ContainerListener() {
                    @Override
                    public void recordsTaken(String name, TopicPartition partition, int count) {
                        throw new IllegalStateException("a broken listener must not break the container");
                    }
                })
                .handler(record -> {
                    if (record.offset() == 2 && offsetTwoCalls.incrementAndGet() == 1) {
                        throw new IllegalStateException("fails once");
                    }
                    if (record.offset() == 4) {
                        throw new IllegalStateException("always fails");
                    }
                }).build();
        container.start();
        assertThat(recording.startedContainer).isSameAs(container);
        await().until(() -> recording.get("handled-SUCCESS") == 5 && recording.get("recovered") == 1);
        await().until(() -> recording.get("committed") > 0);
        assertThat(container.metrics()).isNotEmpty()
                .anySatisfy((name, metric) -> assertThat(name.group()).isEqualTo("consumer-fetch-manager-metrics"));
        container.stop();

        assertThat(recording.get("taken")).isEqualTo(6);
        assertThat(recording.get("handled-FAILURE")).as("offset 2 once, offset 4 twice").isEqualTo(3);
        assertThat(recording.get("retrying")).isEqualTo(2);
        assertThat(recording.recoverers).containsExactly("log-and-skip");
        assertThat(recording.get("assigned")).isEqualTo(1);
        assertThat(recording.get("revoked")).as("stopping revokes").isEqualTo(1);
        assertThat(recording.get("stopped")).isEqualTo(1);
        assertThat(recording.get("negative-duration")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void interceptorsWrapEachHandlerCallTheFirstOutermost(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "c-intercept", 1, 1);
        List<String> calls = new CopyOnWriteArrayList<>();
        HandlerInterceptor outer = (container, records, invocation) -> {
            calls.add("outer-before " + container + " " + records.size());
            return invocation.proceed().whenComplete((result, error) -> calls.add("outer-after"));
        };
        HandlerInterceptor inner = (container, records, invocation) -> {
            calls.add("inner-before offset " + records.get(0).offset());
            return invocation.proceed().whenComplete((result, error) -> calls.add("inner-after"));
        };
        try (ConsumerContainer<String, String> container = Containers.builder(kafka, "c-intercept", topic, protocol)
                .interceptor(outer).interceptor(inner)
                .handler(record -> calls.add("handler " + record.value())).build()) {
            container.start();
            await().until(() -> calls.size() == 5);
        }
        assertThat(calls).containsExactly("outer-before c-intercept 1", "inner-before offset 0", "handler v0", "inner-after",
                "outer-after");
    }
}
