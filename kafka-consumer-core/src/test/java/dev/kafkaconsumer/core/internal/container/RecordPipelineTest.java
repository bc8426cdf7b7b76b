package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.CommitMode;
import dev.kafkaconsumer.core.Ordering;
import dev.kafkaconsumer.core.FailedRecord;
import dev.kafkaconsumer.core.RecordProcessor;
import dev.kafkaconsumer.core.Recoverer;
import dev.kafkaconsumer.core.Recoverers;
import dev.kafkaconsumer.core.RetryPolicy;
import dev.kafkaconsumer.core.Completions;

/** The per-record path alone: works cut by lane, run in order, retried, stopped, counted; no broker. */
class RecordPipelineTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final OffsetTracker tracker = new OffsetTracker();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final AtomicReference<Long> commitOffsetSeen = new AtomicReference<>();

    @AfterEach
    void stopThreads() {
        workers.shutdownNow();
        timers.shutdownNow();
    }

    private static List<ConsumerRecord<byte[], byte[]>> records(TopicPartition partition, int from, int count, String... keys) {
        return IntStream.range(from, from + count).mapToObj(offset -> new ConsumerRecord<>(partition.topic(),
                partition.partition(), offset, keys.length == 0 ? null : keys[offset % keys.length].getBytes(StandardCharsets.UTF_8),
                ("v" + offset).getBytes(StandardCharsets.UTF_8))).toList();
    }

    private <K, V> RecordPipeline<K, V> pipeline(Deserializer<K> keys, Deserializer<V> values, RecordProcessor<K, V> processor,
            Ordering ordering, int concurrency, CommitMode commitMode, RetryPolicy retries) {
        return pipeline(keys, values, processor, ordering, concurrency, commitMode, retries, Recoverers.logAndSkip());
    }

    private <K, V> RecordPipeline<K, V> pipeline(Deserializer<K> keys, Deserializer<V> values, RecordProcessor<K, V> processor,
            Ordering ordering, int concurrency, CommitMode commitMode, RetryPolicy retries, Recoverer<K, V> recoverer) {
        ContainerConfig<K, V> config = ContainerConfig.builder("test", keys, values).partitions(List.of(P0, P1))
                .recordProcessor(processor).concurrency(concurrency).ordering(ordering).commitMode(commitMode)
                .retryPolicy(retries).recoverer(recoverer).maxInFlight(1000).build();
        Listeners none = new Listeners(List.of());
        RecordPipeline<K, V> pipeline = new RecordPipeline<>(config, tracker, none, ProcessingWatchdog.of("test", null, none),
                workers, timers, () -> { }, failure::set, () -> failure.get() != null);
        tracker.assign(List.of(P0, P1));
        return pipeline;
    }

    private RecordPipeline<String, String> stringPipeline(RecordProcessor<String, String> processor, Ordering ordering,
            int concurrency, RetryPolicy retries) {
        return pipeline(new StringDeserializer(), new StringDeserializer(), processor, ordering, concurrency, CommitMode.TIME,
                retries);
    }

    private void awaitDone(RecordPipeline<?, ?> pipeline) {
        await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.inFlight() == 0);
    }

    private List<String> handledOf(TopicPartition partition) {
        return handled.stream().filter(entry -> entry.startsWith(partition.partition() + "@")).toList();
    }

    @Test
    void eachPartitionsRecordsRunInOffsetOrderAndTheirDonePrefixBecomesCommittable() {
        RecordPipeline<String, String> pipeline = stringPipeline(RecordProcessor.of(record ->
                handled.add(record.partition() + "@" + record.offset())), Ordering.PARTITION, 2, RetryPolicy.none());

        pipeline.dispatch(Map.of(P0, records(P0, 0, 300), P1, records(P1, 0, 200)));
        pipeline.dispatch(Map.of(P0, records(P0, 300, 100)));
        awaitDone(pipeline);

        assertThat(handledOf(P0)).containsExactlyElementsOf(IntStream.range(0, 400).mapToObj(offset -> "0@" + offset).toList());
        assertThat(handledOf(P1)).hasSize(200);
        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(400);
        assertThat(tracker.progress(P1).commitOffset()).isEqualTo(200);
        assertThat(tracker.progress(P0).inFlight()).isZero();
    }

    @Test
    void aRecordRetriedInTheMiddleOfAWorkKeepsItsPlaceAndHoldsTheCommitBackMeanwhile() {
        AtomicInteger failuresLeft = new AtomicInteger(2);
        List<Long> commitOffsetsDuringRetries = new CopyOnWriteArrayList<>();
        RecordPipeline<String, String> pipeline = stringPipeline(RecordProcessor.of(record -> {
            handled.add(record.partition() + "@" + record.offset());
            if (record.offset() == 2 && failuresLeft.getAndDecrement() > 0) {
                commitOffsetsDuringRetries.add(tracker.progress(P0).commitOffset());
                throw new IllegalStateException("transient");
            }
        }), Ordering.PARTITION, 1, RetryPolicy.fixed(3, Duration.ofMillis(20)));

        pipeline.dispatch(Map.of(P0, records(P0, 0, 5)));
        awaitDone(pipeline);

        assertThat(handledOf(P0)).containsExactly("0@0", "0@1", "0@2", "0@2", "0@2", "0@3", "0@4");
        assertThat(commitOffsetsDuringRetries).containsOnly(2L);
        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(5);
    }

    @Test
    void aRecordThatRunsOutOfAttemptsIsRecoveredAndTheWorkGoesOn() {
        RecordPipeline<String, String> pipeline = stringPipeline(RecordProcessor.of(record -> {
            handled.add(record.partition() + "@" + record.offset());
            if (record.offset() == 1) {
                throw new IllegalStateException("always");
            }
        }), Ordering.PARTITION, 1, RetryPolicy.fixed(2, Duration.ZERO));

        pipeline.dispatch(Map.of(P0, records(P0, 0, 3)));
        awaitDone(pipeline);

        assertThat(handledOf(P0)).containsExactly("0@0", "0@1", "0@1", "0@2");
        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(3);
        assertThat(failure.get()).isNull();
    }

    @Test
    void aFailureNoRetryCanCureGoesToTheRecovererAtOnceWhileOthersAreRetried() {
        List<String> recovered = new CopyOnWriteArrayList<>();
        RecordPipeline<String, String> pipeline = pipeline(new StringDeserializer(), new StringDeserializer(),
                RecordProcessor.of(record -> {
                    handled.add(record.partition() + "@" + record.offset());
                    if (record.offset() == 1) {
                        throw new IllegalStateException("wrapped", new ClassCastException("not an Order"));
                    }
                    if (record.offset() == 2) {
                        throw new IllegalStateException("transient");
                    }
                }), Ordering.PARTITION, 1, CommitMode.TIME, RetryPolicy.fixed(3, Duration.ZERO),
                failed -> recovered.add(failed.offset() + " after " + failed.attempts()));

        pipeline.dispatch(Map.of(P0, records(P0, 0, 4)));
        awaitDone(pipeline);

        assertThat(handledOf(P0)).containsExactly("0@0", "0@1", "0@2", "0@2", "0@2", "0@3");
        assertThat(recovered).containsExactly("1 after 1", "2 after 3");
        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(4);
    }

    @Test
    void anAsynchronousHandlerFinishesEachRecordBeforeTheNextOfItsPartitionStarts() {
        ScheduledExecutorService elsewhere = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger running = new AtomicInteger();
        List<Integer> overlaps = new CopyOnWriteArrayList<>();
        try {
            RecordPipeline<String, String> pipeline = stringPipeline((record, acknowledgement) -> {
                overlaps.add(running.incrementAndGet());
                handled.add(record.partition() + "@" + record.offset());
                CompletableFuture<Void> later = new CompletableFuture<>();
                elsewhere.schedule(() -> {
                    running.decrementAndGet();
                    later.complete(null);
                }, 1, TimeUnit.MILLISECONDS);
                return later;
            }, Ordering.PARTITION, 1, RetryPolicy.none());

            pipeline.dispatch(Map.of(P0, records(P0, 0, 20)));
            awaitDone(pipeline);
        } finally {
            elsewhere.shutdownNow();
        }

        assertThat(handledOf(P0)).containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(offset -> "0@" + offset).toList());
        assertThat(overlaps).containsOnly(1);
        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(20);
    }

    @Test
    void aPartitionGivenUpStopsItsRunningWorkBeforeTheNextRecordAndLeavesTheRestUndone() throws InterruptedException {
        CountDownLatch inSecond = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RecordPipeline<String, String> pipeline = stringPipeline(RecordProcessor.of(record -> {
            handled.add(record.partition() + "@" + record.offset());
            if (record.offset() == 1) {
                inSecond.countDown();
                release.await();
            }
        }), Ordering.PARTITION, 1, RetryPolicy.none());

        pipeline.dispatch(Map.of(P0, records(P0, 0, 10)));
        assertThat(inSecond.await(10, TimeUnit.SECONDS)).isTrue();
        pipeline.giveUp(List.of(P0));
        release.countDown();
        awaitDone(pipeline);

        assertThat(handledOf(P0)).containsExactly("0@0", "0@1");
        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(2);
        assertThat(tracker.progress(P0).inFlight()).isZero();
    }

    @Test
    void underManualCommitsOnlyAcknowledgedRecordsAreDone() {
        RecordPipeline<String, String> pipeline = pipeline(new StringDeserializer(), new StringDeserializer(),
                (record, acknowledgement) -> {
                    if (record.offset() != 3) {
                        acknowledgement.acknowledge();
                    }
                    return Completions.DONE;
                }, Ordering.PARTITION, 1, CommitMode.MANUAL, RetryPolicy.none());

        pipeline.dispatch(Map.of(P0, records(P0, 0, 6)));
        awaitDone(pipeline);

        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(3);
    }

    @Test
    void acknowledgingOutsideManualCommitsDoesNotMarkAFailingRecordDone() {
        RecordPipeline<String, String> pipeline = stringPipeline((record, acknowledgement) -> {
            acknowledgement.acknowledge();
            if (record.offset() == 0) {
                commitOffsetSeen.set(tracker.progress(P0).commitOffset());
                throw new IllegalStateException("fails after acknowledging");
            }
            return Completions.DONE;
        }, Ordering.PARTITION, 1, RetryPolicy.none());

        pipeline.dispatch(Map.of(P0, records(P0, 0, 2)));
        awaitDone(pipeline);

        assertThat(commitOffsetSeen.get()).isZero();
    }

    @Test
    void byteArrayDeserializersHandTheFetchedRecordOverWithoutACopy() {
        List<ConsumerRecord<byte[], byte[]>> fetched = records(P0, 0, 3);
        List<ConsumerRecord<byte[], byte[]>> seen = Collections.synchronizedList(new ArrayList<>());
        RecordPipeline<byte[], byte[]> pipeline = pipeline(new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                RecordProcessor.of(seen::add), Ordering.PARTITION, 1, CommitMode.TIME, RetryPolicy.none());

        pipeline.dispatch(Map.of(P0, fetched));
        awaitDone(pipeline);

        assertThat(seen).hasSize(3);
        IntStream.range(0, 3).forEach(i -> assertThat(seen.get(i)).isSameAs(fetched.get(i)));
    }

    @Test
    void underKeyOrderingEachKeyKeepsItsOrderWhileKeysRunSideBySide() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        RecordPipeline<String, String> pipeline = stringPipeline(RecordProcessor.of(record -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            handled.add(record.key() + "@" + record.offset());
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            running.decrementAndGet();
        }), Ordering.KEY, 4, RetryPolicy.none());

        pipeline.dispatch(Map.of(P0, records(P0, 0, 80, "a", "b", "c", "d")));
        awaitDone(pipeline);

        for (String key : List.of("a", "b", "c", "d")) {
            List<Integer> offsets = handled.stream().filter(entry -> entry.startsWith(key + "@"))
                    .map(entry -> Integer.parseInt(entry.substring(2))).toList();
            assertThat(offsets).hasSize(20).isSorted();
        }
        assertThat(mostAtOnce.get()).isGreaterThan(1);
        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(80);
    }

    @Test
    void theDispatcherWaitsUntilHalfOfAPartitionsBoundIsFreeInAll() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        RecordPipeline<String, String> pipeline = stringPipeline(RecordProcessor.of(record -> release.await()),
                Ordering.PARTITION, 1, RetryPolicy.none());
        pipeline.dispatch(Map.of(P0, records(P0, 0, 1000)));

        assertThat(pipeline.inFlight()).isEqualTo(1000);
        assertThat(pipeline.awaitCapacity(() -> true, 10)).as("stopping: no room").isZero();
        release.countDown();

        // two partitions assigned: each may hold 500 of the 1,000, and a take waits for half of that
        assertThat(pipeline.awaitCapacity(() -> false, 10)).isGreaterThanOrEqualTo(250);
        awaitDone(pipeline);
        assertThat(pipeline.awaitCapacity(() -> false, 10)).isEqualTo(1000);
    }

    @Test
    void aRecoveryThatCompletesLaterHoldsItsRecordUndoneWhileThePartitionGoesOn() {
        CompletableFuture<Void> deadLetterAcknowledged = new CompletableFuture<>();
        Recoverer<String, String> slowDeadLetters = new Recoverer<>() {
            @Override
            public void recover(FailedRecord<String, String> failed) {
                throw new AssertionError("the container calls recoverAsync");
            }

            @Override
            public CompletableFuture<Void> recoverAsync(FailedRecord<String, String> failed) {
                handled.add("recovering " + failed.offset());
                return deadLetterAcknowledged;
            }
        };
        RecordPipeline<String, String> pipeline = pipeline(new StringDeserializer(), new StringDeserializer(),
                RecordProcessor.of(record -> {
                    handled.add(record.partition() + "@" + record.offset());
                    if (record.offset() == 1) {
                        throw new IllegalStateException("poison");
                    }
                }), Ordering.PARTITION, 1, CommitMode.TIME, RetryPolicy.none(), slowDeadLetters);

        pipeline.dispatch(Map.of(P0, records(P0, 0, 4)));
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("0@3"));

        assertThat(handled).containsExactly("0@0", "0@1", "recovering 1", "0@2", "0@3");
        assertThat(tracker.progress(P0).commitOffset()).as("never past the record being recovered").isEqualTo(1);
        assertThat(pipeline.inFlight()).as("the record being recovered").isEqualTo(1);
        assertThat(tracker.progress(P0).inFlight()).isEqualTo(1);

        deadLetterAcknowledged.complete(null);
        awaitDone(pipeline);
        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(4);
        assertThat(tracker.progress(P0).inFlight()).isZero();
    }

    @Test
    void aRecoveryThatFailsLaterFailsTheContainerAndItsRecordStaysUndone() {
        CompletableFuture<Void> deadLetterRefused = new CompletableFuture<>();
        RecordPipeline<String, String> pipeline = pipeline(new StringDeserializer(), new StringDeserializer(),
                RecordProcessor.of(record -> {
                    if (record.offset() == 0) {
                        throw new IllegalStateException("poison");
                    }
                }), Ordering.PARTITION, 1, CommitMode.TIME, RetryPolicy.none(), new Recoverer<>() {
                    @Override
                    public void recover(FailedRecord<String, String> failed) {
                        throw new AssertionError("the container calls recoverAsync");
                    }

                    @Override
                    public CompletableFuture<Void> recoverAsync(FailedRecord<String, String> failed) {
                        return deadLetterRefused;
                    }
                });

        pipeline.dispatch(Map.of(P0, records(P0, 0, 2)));
        deadLetterRefused.completeExceptionally(new IllegalStateException("dead-letter topic refused the record"));
        awaitDone(pipeline);

        assertThat(failure.get()).contains("dead-letter topic refused the record");
        assertThat(tracker.progress(P0).commitOffset()).isZero();
    }

    @Test
    void underKeyOrderingAPartitionGivenUpStillFillsItsGapsSoThatWhatIsDoneStaysAPrefix() throws InterruptedException {
        CountDownLatch twoStarted = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        RecordPipeline<String, String> pipeline = stringPipeline(RecordProcessor.of(record -> {
            handled.add(record.key() + "@" + record.offset());
            if (record.offset() < 2) {
                twoStarted.countDown();
                release.await();
            }
        }), Ordering.KEY, 2, RetryPolicy.none());

        // keys a, b, c, d, a, b, ...: offsets 0 (a) and 1 (b) block both workers; 2 (c) and 3 (d) wait
        pipeline.dispatch(Map.of(P0, records(P0, 0, 8, "a", "b", "c", "d")));
        assertThat(twoStarted.await(10, TimeUnit.SECONDS)).isTrue();
        pipeline.giveUp(List.of(P0));
        release.countDown();
        awaitDone(pipeline);

        assertThat(handled).as("nothing above the highest started record (1) starts").containsExactlyInAnyOrder("a@0", "b@1");
        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(2);
    }

    @Test
    void underKeyOrderingRecordsBelowTheHighestStartedStillRunAfterAGiveUp() throws InterruptedException {
        CountDownLatch bothStarted = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        RecordPipeline<String, String> pipeline = stringPipeline(RecordProcessor.of(record -> {
            handled.add(record.key() + "@" + record.offset());
            if (record.offset() == 0 || record.offset() == 2) {
                bothStarted.countDown();
                release.await();
            }
        }), Ordering.KEY, 2, RetryPolicy.none());
        // key a: offsets 0 (blocks) and 1, which waits behind it; key b: offset 2 (blocks); key c: offset 3
        List<ConsumerRecord<byte[], byte[]>> records = List.of(record(0, "a"), record(1, "a"), record(2, "b"), record(3, "c"));

        pipeline.dispatch(Map.of(P0, records));
        assertThat(bothStarted.await(10, TimeUnit.SECONDS)).isTrue();
        pipeline.giveUp(List.of(P0));
        release.countDown();
        awaitDone(pipeline);

        assertThat(handled).as("offset 1, below the highest started (2), still runs; 3 does not")
                .containsExactlyInAnyOrder("a@0", "a@1", "b@2");
        assertThat(tracker.progress(P0).commitOffset()).as("a prefix: no record done above one left undone").isEqualTo(3);
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, String key) {
        return new ConsumerRecord<>(P0.topic(), P0.partition(), offset, key.getBytes(StandardCharsets.UTF_8),
                ("v" + offset).getBytes(StandardCharsets.UTF_8));
    }
}
