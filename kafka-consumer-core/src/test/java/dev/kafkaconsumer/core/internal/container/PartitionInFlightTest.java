package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.Ordering;
import dev.kafkaconsumer.core.RecordProcessor;

/**
 * Each partition's bound of records in flight, under the container's: a partition whose handler is behind holds
 * its own share, not the others'; over a stand-in engine, no broker.
 */
class PartitionInFlightTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final TopicPartition P2 = new TopicPartition("t", 2);
    private static final TopicPartition P3 = new TopicPartition("t", 3);

    private final FakeEngine engine = new FakeEngine();
    private final Map<TopicPartition, List<Long>> handled = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Integer> taken = new ConcurrentHashMap<>();
    private final CountDownLatch releaseP0 = new CountDownLatch(1);
    private ContainerRuntime<String, String> runtime;

    @AfterEach
    void stopTheContainer() {
        releaseP0.countDown();
        if (runtime != null) {
            runtime.stop(Duration.ofSeconds(1));
        }
    }

    /** Records of t-0 wait for {@link #releaseP0}; the others are handled at once. */
    private ContainerConfig.Builder<String, String> config(int concurrency, int maxInFlight) {
        return config(concurrency).maxInFlight(maxInFlight);
    }

    /** As {@link #config(int, int)}, with the default in-flight bound. */
    private ContainerConfig.Builder<String, String> config(int concurrency) {
        return ContainerConfig.builder("c", new StringDeserializer(), new StringDeserializer())
                .property("group.id", "g").property("bootstrap.servers", "127.0.0.1:9").topics(List.of("t"))
                .concurrency(concurrency).ordering(Ordering.PARTITION)
                .commitInterval(Duration.ofHours(1))
                .recordProcessor(RecordProcessor.of(record -> {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    handled.computeIfAbsent(partition, p -> new CopyOnWriteArrayList<>()).add(record.offset());
                    if (partition.equals(P0)) {
                        releaseP0.await();
                    }
                }))
                .listener(new ContainerListener() {
                    @Override
                    public void recordsTaken(String container, TopicPartition partition, int count) {
                        taken.merge(partition, count, Integer::sum);
                    }
                });
    }

    private void start(ContainerConfig.Builder<String, String> config, TopicPartition... assigned) {
        engine.assignsOnStart(assigned);
        runtime = new ContainerRuntime<>(config.build(), engine, listener -> { }, listener -> { });
        runtime.start();
        await().until(runtime::state, state -> state == ContainerState.RUNNING);
    }

    private List<Long> handled(TopicPartition partition) {
        return handled.getOrDefault(partition, List.of());
    }

    private static Long[] offsets(long from, long to) {
        return LongStream.range(from, to).boxed().toArray(Long[]::new);
    }

    private int takenInAll() {
        return taken.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Test
    void aPartitionWhoseHandlerIsBehindDoesNotStopTheOthersFromBeingTaken() {
        engine.produce(P0, 100);
        engine.produce(P1, 100);

        // 20 in flight for 2 partitions: each at most half, 10; one bound for all would let t-0's records fill it
        start(config(2, 20), P0, P1);

        await().untilAsserted(() -> assertThat(handled(P1)).containsExactly(offsets(0, 100)));
        assertThat(handled(P0)).as("t-0's handler still waits on its first record").containsExactly(0L);
        assertThat(taken.get(P0)).as("t-0 holds no more than its own bound").isBetween(1, 10);
        assertThat(engine.refusals(P0)).as("the take left t-0 out").isPositive();
        assertThat(engine.calls).as("without pausing it").noneMatch(call -> call.startsWith("pause"));

        releaseP0.countDown();
        await().untilAsserted(() -> assertThat(handled(P0)).containsExactly(offsets(0, 100)));
        assertThat(engine.roomChanges()).as("the waiting take was told when t-0 had room again").isPositive();
    }

    @Test
    void theContainersBoundHoldsWhenThePartitionsBoundsAddUpToMore() {
        for (TopicPartition partition : List.of(P0, P1, P2, P3)) {
            engine.produce(partition, 50);
        }
        CountDownLatch release = new CountDownLatch(1);
        ContainerConfig.Builder<String, String> config = config(2, 10).recordProcessor(RecordProcessor.of(record -> {
            handled.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), p -> new CopyOnWriteArrayList<>())
                    .add(record.offset());
            release.await();
        }));

        // each partition's bound is 4 x concurrency = 8; four of them add up to 32, over the container's 10
        start(config, P0, P1, P2, P3);

        await().until(() -> takenInAll() == 10);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> takenInAll() == 10);
        assertThat(taken.values()).as("no partition over its own bound").allMatch(count -> count <= 8);
        release.countDown();
        await().untilAsserted(() -> assertThat(handled.values().stream().mapToInt(List::size).sum()).isEqualTo(200));
    }

    @Test
    void aPartitionLeftOutForWantOfRoomIsRevokedAndTheOthersGoOn() throws Exception {
        engine.produce(P0, 100);
        engine.produce(P1, 50);
        start(config(2, 20).revocationTimeout(Duration.ofSeconds(10)), P0, P1);
        await().untilAsserted(() -> assertThat(handled(P1)).hasSize(50));
        await().until(() -> engine.refusals(P0) > 0);

        CompletableFuture<Void> revocation = CompletableFuture.runAsync(() -> engine.revoke(List.of(P0)));
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !revocation.isDone());
        releaseP0.countDown();
        revocation.get(10, TimeUnit.SECONDS);

        assertThat(handled(P0)).as("only the record running when revoked").containsExactly(0L);
        assertThat(engine.lastCommitted()).containsEntry(P0, 1L);
        engine.produce(P1, 50);
        await().untilAsserted(() -> assertThat(handled(P1)).containsExactly(offsets(0, 100)));

        engine.assignGroup(List.of(P0));
        await().untilAsserted(() -> assertThat(handled(P0)).as("assigned again, t-0 is taken from its start")
                .containsExactly(LongStream.concat(LongStream.of(0), LongStream.range(0, 100)).boxed().toArray(Long[]::new)));
    }

    @Test
    void largeRecordsAreTakenNoMoreThanTheDefaultBoundsBytesHold() {
        engine.produce(P0, 10, 64 * 1024);
        // no maxInFlight: the default, 2,000 to 8,000 records, and no more than 1 MiB of keys and values: 16 of these
        start(config(2).maxBufferedBytes(1024 * 1024), P0);
        await().until(() -> takenInAll() == 10);

        engine.produce(P0, 100, 64 * 1024);

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> takenInAll() == 10);
        assertThat(handled(P0)).as("the handler still waits on the first record").containsExactly(0L);
        releaseP0.countDown();
        await().untilAsserted(() -> assertThat(handled(P0)).containsExactly(offsets(0, 110)));
    }

    @Test
    void aBoundTheApplicationSetIsABoundOfRecordsWhateverTheirSize() {
        engine.produce(P0, 10, 64 * 1024);
        start(config(2, 1000).maxBufferedBytes(1024 * 1024), P0);
        await().until(() -> takenInAll() == 10);

        engine.produce(P0, 100, 64 * 1024);

        await().until(() -> takenInAll() == 110);
        assertThat(handled(P0)).containsExactly(0L);
    }

    @Test
    void partitionsWhoseHandlersAreSlowDoNotHoldTheRoomOfPartitionsWithNothingInFlight() {
        CountDownLatch release = new CountDownLatch(1);
        for (TopicPartition partition : List.of(P0, P1, P2, P3)) {
            engine.produce(partition, 50);
        }
        ContainerConfig.Builder<String, String> config = config(2, 40).recordProcessor(RecordProcessor.of(record -> {
            handled.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), p -> new CopyOnWriteArrayList<>())
                    .add(record.offset());
            release.await();
        }));

        // 40 in flight for 4 partitions: 10 each (4 x concurrency is 8); twice the share, 20, let two fill the bound of all
        start(config, P0, P1, P2, P3);

        await().untilAsserted(() -> assertThat(taken).containsOnlyKeys(P0, P1, P2, P3));
        assertThat(taken.values()).allMatch(count -> count <= 10);
        release.countDown();
        await().untilAsserted(() -> assertThat(handled.values().stream().mapToInt(List::size).sum()).isEqualTo(200));
    }
}
