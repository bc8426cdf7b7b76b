package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.BatchProcessor;
import dev.kafkaconsumer.core.CommitMode;
import dev.kafkaconsumer.core.Completions;
import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.FailedRecord;
import dev.kafkaconsumer.core.HandlerInterceptor;
import dev.kafkaconsumer.core.Ordering;
import dev.kafkaconsumer.core.RecordProcessor;
import dev.kafkaconsumer.core.RetryPolicy;

/**
 * What the runner does beyond the per-record path that {@link RecordPipelineTest} covers: batches, poison
 * pills, interceptors, what listeners hear, commits after each take, a failed container; no broker.
 */
class WorkRunnerTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final OffsetTracker tracker = new OffsetTracker();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final AtomicInteger batchesCommitted = new AtomicInteger();

    /** Tells {@link #seen} what listeners hear. */
    private final ContainerListener listener = new ContainerListener() {
        @Override
        public void recordsTaken(String container, TopicPartition partition, int count) {
            seen.add("taken " + count);
        }

        @Override
        public void handled(String container, TopicPartition partition, int records, Duration duration, Outcome outcome) {
            assertThat(duration.isNegative()).isFalse();
            seen.add("handled " + records + " " + outcome);
        }

        @Override
        public void retrying(String container, TopicPartition partition, int attempt) {
            seen.add("retrying after " + attempt);
        }

        @Override
        public void recovered(String container, FailedRecord<?, ?> failed, String recoverer) {
            seen.add("recovered " + failed.offset() + (failed.deserializationFailed() ? " undeserializable" : "") + " by " + recoverer);
        }
    };

    @AfterEach
    void stopThreads() {
        workers.shutdownNow();
        timers.shutdownNow();
    }

    /** Values "bad" cannot be deserialized. */
    private static final Deserializer<String> PICKY = (topic, data) -> {
        String value = new String(data, StandardCharsets.UTF_8);
        if (value.equals("bad")) {
            throw new IllegalArgumentException("not a string I accept");
        }
        return value;
    };

    private static List<ConsumerRecord<byte[], byte[]>> records(TopicPartition partition, String... values) {
        return IntStream.range(0, values.length).mapToObj(offset -> new ConsumerRecord<>(partition.topic(), partition.partition(),
                offset, ("k" + offset % 2).getBytes(StandardCharsets.UTF_8), values[offset].getBytes(StandardCharsets.UTF_8)))
                .toList();
    }

    private ContainerConfig.Builder<String, String> config() {
        return ContainerConfig.builder("c", new StringDeserializer(), PICKY).partitions(List.of(P0, P1)).listener(listener)
                .recoverer(failed -> seen.add("recoverer " + failed.offset())).retryPolicy(RetryPolicy.none());
    }

    private RecordPipeline<String, String> pipeline(ContainerConfig.Builder<String, String> config) {
        Listeners listeners = new Listeners(List.of(listener));
        tracker.assign(List.of(P0, P1));
        return new RecordPipeline<>(config.build(), tracker, listeners, ProcessingWatchdog.of("c", null, listeners), workers,
                timers, batchesCommitted::incrementAndGet, failure::set, () -> failure.get() != null);
    }

    private static void awaitDone(RecordPipeline<?, ?> pipeline) {
        await().until(() -> pipeline.inFlight() == 0);
    }

    @Test
    void aBatchOfAPartitionIsHandledWholeInOffsetOrderAndMarkedDone() {
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        RecordPipeline<String, String> pipeline = pipeline(config().batchProcessor(BatchProcessor.of(
                records -> batches.add(records.stream().map(ConsumerRecord::value).toList()))));

        pipeline.dispatch(Map.of(P0, records(P0, "a", "b", "c")));
        awaitDone(pipeline);

        assertThat(batches).containsExactly(List.of("a", "b", "c"));
        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(3);
        assertThat(seen).containsExactly("taken 3", "handled 3 SUCCESS");
    }

    @Test
    void aBatchThatFailsIsRetriedWholeThenEachOfItsRecordsIsRecovered() {
        AtomicInteger calls = new AtomicInteger();
        RecordPipeline<String, String> pipeline = pipeline(config().retryPolicy(RetryPolicy.fixed(2, Duration.ZERO))
                .batchProcessor(BatchProcessor.of(records -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("down");
                })));

        pipeline.dispatch(Map.of(P0, records(P0, "a", "b")));
        awaitDone(pipeline);

        assertThat(calls).hasValue(2);
        assertThat(seen).containsExactly("taken 2", "handled 2 FAILURE", "retrying after 1", "handled 2 FAILURE",
                "recoverer 0", "recovered 0 by custom", "recoverer 1", "recovered 1 by custom");
        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(2);
    }

    @Test
    void aRecordOfABatchThatCannotBeDeserializedGoesToTheRecovererAndTheRestIsHandled() {
        List<String> values = new CopyOnWriteArrayList<>();
        RecordPipeline<String, String> pipeline = pipeline(config().batchProcessor(BatchProcessor.of(
                records -> records.forEach(record -> values.add(record.value())))));

        pipeline.dispatch(Map.of(P0, records(P0, "a", "bad", "c")));
        awaitDone(pipeline);

        assertThat(values).containsExactly("a", "c");
        assertThat(seen).contains("recovered 1 undeserializable by custom");
        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(3);
    }

    @Test
    void aBatchOfOnlyRecordsThatCannotBeDeserializedCallsNoHandler() {
        AtomicInteger calls = new AtomicInteger();
        RecordPipeline<String, String> pipeline = pipeline(config().batchProcessor(BatchProcessor.of(
                records -> calls.incrementAndGet())));

        pipeline.dispatch(Map.of(P0, records(P0, "bad")));
        awaitDone(pipeline);

        assertThat(calls).hasValue(0);
        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(1);
    }

    @Test
    void aBatchWhoseRecovererFailsFailsTheContainerAndStaysUndone() {
        RecordPipeline<String, String> pipeline = pipeline(config()
                .batchProcessor(BatchProcessor.of(records -> {
                    throw new IllegalStateException("down");
                }))
                .recoverer(failed -> {
                    throw new IllegalStateException("no dead-letter topic");
                }));

        pipeline.dispatch(Map.of(P0, records(P0, "a", "b")));
        awaitDone(pipeline);

        assertThat(failure.get()).isEqualTo("record t-0 could be neither handled nor recovered "
                + "(java.lang.IllegalStateException: no dead-letter topic)");
        assertThat(tracker.progress(P0).commitOffset()).isZero();
    }

    @Test
    void aBatchWhosePoisonPillCannotBeRecoveredFailsTheContainer() {
        RecordPipeline<String, String> pipeline = pipeline(config().batchProcessor(BatchProcessor.of(records -> { }))
                .recoverer(failed -> {
                    throw new IllegalStateException("no dead-letter topic");
                }));

        pipeline.dispatch(Map.of(P0, records(P0, "bad", "b")));
        awaitDone(pipeline);

        assertThat(failure.get()).contains("no dead-letter topic");
        assertThat(tracker.progress(P0).commitOffset()).isZero();
    }

    @Test
    void anAsynchronousBatchIsDoneWhenItsStageCompletes() {
        CompletableFuture<Void> later = new CompletableFuture<>();
        RecordPipeline<String, String> pipeline = pipeline(config().batchProcessor((records, acknowledgement) -> later));

        pipeline.dispatch(Map.of(P0, records(P0, "a", "b")));
        await().until(() -> seen.contains("taken 2"));
        assertThat(pipeline.inFlight()).isEqualTo(2);
        later.complete(null);
        awaitDone(pipeline);

        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(2);
        assertThat(seen).containsExactly("taken 2", "handled 2 SUCCESS");
    }

    @Test
    void anAsynchronousBatchThatFailsIsRecovered() {
        RecordPipeline<String, String> pipeline = pipeline(config().batchProcessor((records, acknowledgement) ->
                CompletableFuture.supplyAsync(() -> {
                    throw new IllegalStateException("later");
                })));

        pipeline.dispatch(Map.of(P0, records(P0, "a")));
        awaitDone(pipeline);

        assertThat(seen).contains("handled 1 FAILURE", "recovered 0 by custom");
    }

    @Test
    void underManualCommitsABatchIsDoneOnlyWhenAcknowledged() {
        RecordPipeline<String, String> pipeline = pipeline(config().commitMode(CommitMode.MANUAL)
                .batchProcessor((records, acknowledgement) -> {
                    if (records.get(0).partition() == 0) {
                        acknowledgement.acknowledge();
                    }
                    return Completions.DONE;
                }));

        pipeline.dispatch(Map.of(P0, records(P0, "a", "b"), P1, records(P1, "c")));
        awaitDone(pipeline);

        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(2);
        assertThat(tracker.progress(P1).commitOffset()).isZero();
    }

    @Test
    void outsideManualCommitsABatchsAcknowledgementDoesNotMarkItDoneBeforeItsStageCompletes() {
        CompletableFuture<Void> later = new CompletableFuture<>();
        RecordPipeline<String, String> pipeline = pipeline(config().batchProcessor((records, acknowledgement) -> {
            acknowledgement.acknowledge();
            return later;
        }));

        pipeline.dispatch(Map.of(P0, records(P0, "a", "b")));
        await().until(() -> seen.contains("taken 2"));
        await().during(Duration.ofMillis(100)).until(() -> tracker.progress(P0).commitOffset() == 0);
        later.complete(null);
        awaitDone(pipeline);

        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(2);
    }

    @Test
    void aRecordThatCannotBeDeserializedGoesStraightToTheRecovererAndItsPartitionFlows() {
        List<String> values = new CopyOnWriteArrayList<>();
        RecordPipeline<String, String> pipeline = pipeline(config().retryPolicy(RetryPolicy.fixed(3, Duration.ZERO))
                .recordProcessor(RecordProcessor.of(record -> values.add(record.value()))));

        pipeline.dispatch(Map.of(P0, records(P0, "a", "bad", "c")));
        awaitDone(pipeline);

        assertThat(values).containsExactly("a", "c");
        assertThat(seen).contains("recovered 1 undeserializable by custom").doesNotContain("retrying after 1");
        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(3);
    }

    @Test
    void aPoisonPillTheRecovererCannotTakeFailsTheContainerAndNothingAfterItRuns() {
        List<String> values = new CopyOnWriteArrayList<>();
        RecordPipeline<String, String> pipeline = pipeline(config()
                .recordProcessor(RecordProcessor.of(record -> values.add(record.value())))
                .recoverer(failed -> {
                    throw new IllegalStateException("no dead-letter topic");
                }));

        pipeline.dispatch(Map.of(P0, records(P0, "a", "bad", "c")));
        awaitDone(pipeline);

        assertThat(values).containsExactly("a");
        assertThat(failure.get()).contains("no dead-letter topic");
        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(1);
    }

    @Test
    void aRecordWhoseStageFailsIsRetriedThenRecovered() {
        AtomicInteger calls = new AtomicInteger();
        RecordPipeline<String, String> pipeline = pipeline(config().retryPolicy(RetryPolicy.fixed(2, Duration.ZERO))
                .recordProcessor((record, acknowledgement) -> {
                    calls.incrementAndGet();
                    return CompletableFuture.failedFuture(new IllegalStateException("later"));
                }));

        pipeline.dispatch(Map.of(P0, records(P0, "a")));
        awaitDone(pipeline);

        assertThat(calls).hasValue(2);
        assertThat(seen).containsExactly("taken 1", "handled 1 FAILURE", "retrying after 1", "handled 1 FAILURE",
                "recoverer 0", "recovered 0 by custom");
    }

    @Test
    void aRecoveryThatCompletesLaterFromAStageOtherThanAFutureStillCounts() {
        RecordPipeline<String, String> pipeline = pipeline(config()
                .recordProcessor(RecordProcessor.of(record -> {
                    throw new IllegalStateException("poison");
                }))
                .recoverer(new dev.kafkaconsumer.core.Recoverer<>() {
                    @Override
                    public void recover(FailedRecord<String, String> failed) {
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<?> recoverAsync(FailedRecord<String, String> failed) {
                        return CompletableFuture.completedFuture(null).minimalCompletionStage();
                    }
                }));

        pipeline.dispatch(Map.of(P0, records(P0, "a", "b")));
        awaitDone(pipeline);

        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(2);
        assertThat(tracker.progress(P0).inFlight()).isZero();
    }

    @Test
    void interceptorsWrapEachCallTheFirstAddedOutermost() {
        List<String> order = new CopyOnWriteArrayList<>();
        HandlerInterceptor outer = (container, records, invocation) -> {
            order.add("outer " + container + " " + records.size());
            return invocation.proceed();
        };
        HandlerInterceptor inner = (container, records, invocation) -> {
            order.add("inner");
            return invocation.proceed();
        };
        RecordPipeline<String, String> pipeline = pipeline(config().interceptor(outer).interceptor(inner)
                .recordProcessor(RecordProcessor.of(record -> order.add("handler " + record.value()))));

        pipeline.dispatch(Map.of(P0, records(P0, "a")));
        awaitDone(pipeline);
        RecordPipeline<String, String> batches = pipeline(config().interceptor(outer)
                .batchProcessor(BatchProcessor.of(records -> order.add("batch " + records.size()))));
        batches.dispatch(Map.of(P1, records(P1, "b", "c")));
        awaitDone(batches);

        assertThat(order).containsExactly("outer c 1", "inner", "handler a", "outer c 2", "batch 2");
    }

    @Test
    void underUnorderedRecordsOfOnePartitionRunSideBySide() throws InterruptedException {
        java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
        RecordPipeline<String, String> pipeline = pipeline(config().ordering(Ordering.UNORDERED).concurrency(2)
                .recordProcessor(RecordProcessor.of(record -> {
                    both.countDown();
                    both.await();
                })));

        pipeline.dispatch(Map.of(P0, records(P0, "a", "b")));
        awaitDone(pipeline);

        assertThat(both.getCount()).isZero();
        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(2);
    }

    @Test
    void underBatchCommitsTheLastWorkOfATakeToFinishAsksForTheCommit() {
        RecordPipeline<String, String> pipeline = pipeline(config().commitMode(CommitMode.BATCH).ordering(Ordering.KEY)
                .recordProcessor(RecordProcessor.of(record -> { })));

        pipeline.dispatch(Map.of(P0, records(P0, "a", "b", "c"), P1, records(P1, "d")));
        awaitDone(pipeline);
        await().until(() -> batchesCommitted.get() == 1);
        pipeline.dispatch(Map.of(P0, List.of(new ConsumerRecord<>("t", 0, 3, new byte[0], "e".getBytes(StandardCharsets.UTF_8)))));
        awaitDone(pipeline);

        await().until(() -> batchesCommitted.get() == 2);
    }

    @Test
    void afterTheContainerFailedNoRecordStarts() {
        failure.set("failed before");
        List<String> values = new CopyOnWriteArrayList<>();
        RecordPipeline<String, String> pipeline = pipeline(config().recordProcessor(RecordProcessor.of(record -> values.add(record.value()))));
        RecordPipeline<String, String> batches = pipeline(config().batchProcessor(BatchProcessor.of(records -> values.add("batch"))));

        pipeline.dispatch(Map.of(P0, records(P0, "a", "b")));
        batches.dispatch(Map.of(P1, records(P1, "c")));
        awaitDone(pipeline);
        awaitDone(batches);

        assertThat(values).isEmpty();
        assertThat(tracker.progress(P0).commitOffset()).isZero();
    }

    @Test
    void aRetryThatCannotBeScheduledOnceTheContainerStopsLeavesTheRecordUndone() {
        timers.shutdownNow();
        RecordPipeline<String, String> pipeline = pipeline(config().retryPolicy(RetryPolicy.fixed(3, Duration.ofSeconds(1)))
                .recordProcessor(RecordProcessor.of(record -> {
                    throw new IllegalStateException("transient");
                })));

        pipeline.dispatch(Map.of(P0, records(P0, "a", "b")));
        awaitDone(pipeline);

        assertThat(tracker.progress(P0).commitOffset()).isZero();
        assertThat(seen).doesNotContain("recoverer 0");
    }

    @Test
    void aPartitionAbandonedDropsItsQueuedWorksUndone() throws InterruptedException {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<String> values = new CopyOnWriteArrayList<>();
        RecordPipeline<String, String> pipeline = pipeline(config().concurrency(1).ordering(Ordering.KEY)
                .recordProcessor(RecordProcessor.of(record -> {
                    values.add(record.value());
                    started.countDown();
                    release.await();
                })));
        pipeline.dispatch(Map.of(P0, records(P0, "a", "b", "c")));
        started.await();

        OffsetTracker.Closed closed = pipeline.abandon(List.of(P0));
        release.countDown();
        awaitDone(pipeline);

        assertThat(values).containsExactly("a");
        assertThat(closed.progress()).containsOnlyKeys(P0);
        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(1);
    }

    @Test
    void aStandalonePipelineHasTheConfigurationsPartitionsAssigned() {
        List<String> values = new CopyOnWriteArrayList<>();
        RecordPipeline<String, String> pipeline = RecordPipeline.standalone(config()
                .recordProcessor(RecordProcessor.of(record -> values.add(record.value()))).build(), workers, timers);

        pipeline.dispatch(Map.of(P1, records(P1, "a", "b")));
        awaitDone(pipeline);

        assertThat(values).containsExactly("a", "b");
    }

    /** {@code count} records of P0 with values "0", "1", ... */
    private static List<ConsumerRecord<byte[], byte[]>> numbered(int count) {
        return records(P0, IntStream.range(0, count).mapToObj(Integer::toString).toArray(String[]::new));
    }

    @Test
    void recordsOverCountNoMoreInFlightWhileTheirWorkWaitsForAnAsynchronousHandler() {
        int waitsAt = WorkRunner.RELEASE_RUN + 6;
        CompletableFuture<Void> later = new CompletableFuture<>();
        RecordPipeline<String, String> pipeline = pipeline(config().ordering(Ordering.PARTITION)
                .recordProcessor((record, acknowledgement) -> Integer.parseInt(record.value()) == waitsAt ? later
                        : Completions.DONE));

        pipeline.dispatch(Map.of(P0, numbered(100)));

        // the records before the one it waits for are over, the run not given back in full included
        await().untilAsserted(() -> assertThat(pipeline.inFlight()).isEqualTo(100 - waitsAt));
        later.complete(null);
        awaitDone(pipeline);
        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(100);
    }

    @Test
    void recordsOverCountNoMoreInFlightWhileTheirWorkWaitsForARetry() {
        int failsAt = WorkRunner.RELEASE_RUN + 6;
        RecordPipeline<String, String> pipeline = pipeline(config().ordering(Ordering.PARTITION)
                .retryPolicy(RetryPolicy.fixed(2, Duration.ofHours(1)))
                .recordProcessor(RecordProcessor.of(record -> {
                    if (Integer.parseInt(record.value()) == failsAt) {
                        throw new IllegalStateException("down");
                    }
                })));

        pipeline.dispatch(Map.of(P0, numbered(100)));

        await().until(() -> seen.contains("retrying after 1"));
        assertThat(pipeline.inFlight()).isEqualTo(100 - failsAt);
        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(failsAt);
    }

    @Test
    void aWorkOfManyRunsGivesEveryRecordBackOnce() {
        RecordPipeline<String, String> pipeline = pipeline(config().ordering(Ordering.PARTITION)
                .recordProcessor(RecordProcessor.of(record -> {
                })));

        pipeline.dispatch(Map.of(P0, numbered(WorkRunner.RELEASE_RUN * 3 + 1), P1, records(P1, "a", "bad", "c")));

        awaitDone(pipeline);
        assertThat(pipeline.inFlight()).isZero();
        assertThat(tracker.progress(P0).commitOffset()).isEqualTo(WorkRunner.RELEASE_RUN * 3 + 1);
        assertThat(tracker.progress(P1).commitOffset()).isEqualTo(3);
    }
}
