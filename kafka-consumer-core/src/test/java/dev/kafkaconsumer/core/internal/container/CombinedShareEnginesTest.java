package dev.kafkaconsumer.core.internal.container;

import static org.apache.kafka.clients.consumer.AcknowledgeType.ACCEPT;
import static org.apache.kafka.clients.consumer.AcknowledgeType.REJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.RecordProcessor;
import dev.kafkaconsumer.core.ShareEngineSnapshot;

/**
 * A share container's several consumers as one engine ({@link CombinedShareEngines}), over stand-in engines
 * ({@link FakeShareEngine}): takes go round them, each record is acknowledged through its own engine, snapshots add
 * up, a failed start stops what started, and a stop stops them all at once.
 */
class CombinedShareEnginesTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);

    private final List<String> confirmed = new CopyOnWriteArrayList<>();
    private final ShareContainerEngine.Events events = new ShareContainerEngine.Events() {
        @Override
        public void acknowledged(TopicPartition partition, AcknowledgeType type, int count) {
            confirmed.add(type.name() + " " + count);
        }

        @Override
        public void lockExpired(TopicPartition partition, long offset, int deliveryCount, Duration heldFor) {
        }
    };
    private final FakeShareEngine first = new FakeShareEngine(events, 5);
    private final FakeShareEngine second = new FakeShareEngine(events, 5);
    private final CombinedShareEngines engines = new CombinedShareEngines("c", List.of(first, second));
    private ShareContainerRuntime<String, String> runtime;

    @AfterEach
    void stopEverything() {
        if (runtime != null) {
            runtime.stop(Duration.ofSeconds(1));
        }
        engines.stop(Duration.ofSeconds(1));
    }

    private CombinedShareEngines started() {
        engines.subscribe(List.of("t"));
        engines.start();
        return engines;
    }

    private static List<String> values(List<ShareContainerEngine.Acquired> records) {
        return records.stream().map(acquired -> new String(acquired.record().value(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void aTakeGoesRoundTheEnginesStartingOneFurtherEachTime() {
        started();
        first.produce(P0, "a1", "a2");
        second.produce(P0, "b1", "b2");

        assertThat(values(engines.getMany(Duration.ZERO, 3))).containsExactly("a1", "a2", "b1");
        assertThat(values(engines.getMany(Duration.ZERO, 3))).as("the next take starts at the second engine").containsExactly("b2");
        assertThat(engines.getMany(Duration.ZERO, 3)).isEmpty();
        assertThat(first.calls).containsExactly("subscribe [t]", "start");
        assertThat(second.calls).containsExactly("subscribe [t]", "start");
    }

    @Test
    void eachRecordIsAcknowledgedThroughTheEngineThatAcquiredIt() {
        started();
        first.produce(P0, "a");
        second.produce(P0, "b");

        engines.getMany(Duration.ZERO, 10).forEach(record -> record.acknowledge(ACCEPT));

        assertThat(first.acks).extracting(FakeShareEngine.Ack::type).containsExactly(ACCEPT);
        assertThat(second.acks).extracting(FakeShareEngine.Ack::type).containsExactly(ACCEPT);
        assertThat(confirmed).containsExactly("ACCEPT 1", "ACCEPT 1");
    }

    @Test
    void aSnapshotAddsUpTheEnginesCounts() {
        started();
        first.produce(P0, "a1", "a2");
        second.produce(P0, "b1");
        List<ShareContainerEngine.Acquired> taken = engines.getMany(Duration.ZERO, 10);

        taken.get(0).acknowledge(ACCEPT); // a1
        taken.get(2).acknowledge(REJECT); // b1

        ShareEngineSnapshot snapshot = engines.snapshot();
        assertThat(snapshot.acquired()).as("a2, handed out and not acknowledged").isEqualTo(1);
        assertThat(snapshot.handedOut()).isEqualTo(1);
        assertThat(snapshot.acknowledgements()).containsEntry(ACCEPT, 1L).containsEntry(REJECT, 1L);
        assertThat(snapshot.deliveryCounts()).containsExactly(Map.entry(1, 3L));
        assertThat(snapshot.subscription()).containsExactly("t");
        assertThat(snapshot.acquisitionLockTimeout()).contains(Duration.ofSeconds(30));
    }

    @Test
    void anEngineThatFailsToStartStopsTheEnginesStartedBeforeIt() {
        second.onStart(engine -> {
            throw new KafkaException("no broker");
        });

        assertThatThrownBy(engines::start).isInstanceOf(KafkaException.class).hasMessage("no broker");

        assertThat(first.calls).containsExactly("start", "stop");
        assertThat(first.isRunning()).isFalse();
    }

    @Test
    void aStopStopsEveryEngine() {
        started();

        engines.stop(Duration.ofSeconds(1));

        assertThat(first.calls).endsWith("stop");
        assertThat(second.calls).endsWith("stop");
        assertThat(engines.isRunning()).isFalse();
    }

    @Test
    void theEnginesStopAtOnceSoThatSeveralTakeNoLongerThanOne() {
        // each engine's stop returns only once the other's has begun: stopped one after the other, the first would wait
        CountDownLatch stopping = new CountDownLatch(2);
        StopsWith one = new StopsWith(stopping);
        StopsWith other = new StopsWith(stopping);

        new CombinedShareEngines("c", List.of(one, other)).stop(Duration.ofSeconds(1));

        assertThat(one.sawTheOtherStopping).isTrue();
        assertThat(other.sawTheOtherStopping).isTrue();
    }

    @Test
    void aTakeWithATimeoutIsRefusedForTheContainerTakesWithoutWaiting() {
        started();

        assertThatIllegalArgumentException().isThrownBy(() -> engines.getMany(Duration.ofMillis(1), 1))
                .withMessageContaining("without waiting");
    }

    @Test
    void fewerThanTwoEnginesAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CombinedShareEngines("c", List.of(first)))
                .withMessageContaining("at least two");
    }

    @Test
    void aContainerOverTwoEnginesHandlesTheRecordsOfBothAndAcceptsEachThroughItsOwn() {
        List<String> handled = new CopyOnWriteArrayList<>();
        FakeShareEngine[] fakes = new FakeShareEngine[2];
        runtime = new ShareContainerRuntime<>(
                ShareContainerConfig.builder("c", new StringDeserializer(), new StringDeserializer())
                        .property("group.id", "g").property("bootstrap.servers", "127.0.0.1:9").topics(List.of("t"))
                        .concurrency(2).recordProcessor(RecordProcessor.of(record -> handled.add(record.value()))).build(),
                containerEvents -> {
                    fakes[0] = new FakeShareEngine(containerEvents, 5);
                    fakes[1] = new FakeShareEngine(containerEvents, 5);
                    return new CombinedShareEngines("c", List.of(fakes[0], fakes[1]));
                }, listener -> {
                }, listener -> {
                });
        runtime.start();
        await().until(runtime::state, state -> state == ContainerState.RUNNING);

        fakes[0].produce(P0, "a1", "a2");
        fakes[1].produce(P0, "b1", "b2", "b3");

        await().until(() -> fakes[0].acks.size() + fakes[1].acks.size() == 5);
        assertThat(handled).containsExactlyInAnyOrder("a1", "a2", "b1", "b2", "b3");
        assertThat(fakes[0].offsets(ACCEPT)).containsExactly(0L, 1L);
        assertThat(fakes[1].offsets(ACCEPT)).containsExactlyInAnyOrder(0L, 1L, 2L);
        assertThat(runtime.snapshot().acknowledgements()).containsEntry(ACCEPT, 5L);
    }

    /** An engine whose stop counts the latch down, then waits (at most 10 s) until it reaches zero. */
    private static final class StopsWith implements ShareContainerEngine {

        private final CountDownLatch stopping;
        private volatile boolean sawTheOtherStopping;

        StopsWith(CountDownLatch stopping) {
            this.stopping = stopping;
        }

        @Override
        public void stop(Duration timeout) {
            stopping.countDown();
            try {
                sawTheOtherStopping = stopping.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void subscribe(Collection<String> topics) {
        }

        @Override
        public void start() {
        }

        @Override
        public boolean isRunning() {
            return false;
        }

        @Override
        public List<Acquired> getMany(Duration timeout, int maxRecords) {
            return List.of();
        }

        @Override
        public void onRecords(Runnable listener) {
        }

        @Override
        public ShareEngineSnapshot snapshot() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<MetricName, ? extends Metric> metrics() {
            return Map.of();
        }
    }
}
