package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.test.KafkaBroker;

/** Stopping while the brokers are gone stays within the stop's timeout: the final commit fails in time. */
@Tag("broker")
class BrokerGoneTest {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);
    /**
     * How long a {@code stop(2 s)} may take here: its timeout plus a margin for a loaded machine (idle, they take
     * 1-3 s). The bug these tests guard made a stop wait out {@code default.api.timeout.ms}, 60 s.
     */
    private static final Duration STOP_BOUND = STOP_TIMEOUT.plusSeconds(8);

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void anEngineAndAContainerStopWithinTheirTimeoutAfterTheBrokerWentAway(String protocol) {
        KafkaBroker kafka = KafkaBroker.builder().start();
        ConsumerEngine<String, String> engine;
        ConsumerContainer<String, String> container;
        AtomicInteger handled = new AtomicInteger();
        try {
            String topic = Engines.topicWithRecords(kafka, "gone", 1, 50);
            engine = Engines.builder(kafka, Engines.unique("gone"), protocol).property("auto.commit.interval.ms", 600_000).build();
            engine.subscribe(List.of(topic));
            engine.start();
            await().until(() -> !engine.getMany(Duration.ofMillis(200)).isEmpty());
            container = Containers.builder(kafka, "gone", topic, protocol).commitInterval(Duration.ofMinutes(10))
                    .handler(record -> handled.incrementAndGet()).build();
            container.start();
            await().until(() -> handled.get() == 50);
        } finally {
            kafka.close();
        }
        // both hold uncommitted positions: their final commits cannot reach a broker
        long started = System.nanoTime();
        engine.stop(STOP_TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the engine's stop(2 s)").isLessThan(STOP_BOUND);
        started = System.nanoTime();
        container.stop(STOP_TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the container's stop(2 s)").isLessThan(STOP_BOUND);
        assertThat(container.state()).isEqualTo(ContainerState.STOPPED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aCommitWaitingForTheGoneBrokerDoesNotHoldTheStop(String protocol) {
        KafkaBroker kafka = KafkaBroker.builder().start();
        ConsumerContainer<String, String> container;
        AtomicInteger handled = new AtomicInteger();
        try {
            String topic = Engines.topicWithRecords(kafka, "commit-waiting", 1, 1000);
            // records keep completing after the broker is gone, so a periodic commit waits for it, for
            // default.api.timeout.ms (60 s) unless the stop cuts it short
            container = Containers.builder(kafka, "commit-waiting", topic, protocol).commitInterval(Duration.ofMillis(100))
                    .handler(record -> {
                        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                        handled.incrementAndGet();
                    }).build();
            container.start();
            await().until(() -> handled.get() >= 20);
        } finally {
            kafka.close();
        }
        int atClose = handled.get();
        await().until(() -> handled.get() > atClose + 20);
        long started = System.nanoTime();
        container.stop(STOP_TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("stop(2 s) with a commit waiting").isLessThan(STOP_BOUND);
        assertThat(container.state()).isEqualTo(ContainerState.STOPPED);
    }
}
