package dev.kafkaconsumer.core.internal.container;

import static dev.kafkaconsumer.core.internal.container.StageResults.failureOf;
import static dev.kafkaconsumer.core.internal.container.StageResults.isDone;
import static dev.kafkaconsumer.core.internal.container.StageResults.unwrap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kafkaconsumer.core.Acknowledgement;
import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.FailedRecord;
import dev.kafkaconsumer.core.HandlerInterceptor;

/**
 * Runs one unit of work on a worker thread. For a record processor it runs the work's records one after
 * another: deserializes each (a record that cannot be deserialized is not handled at all), calls the handler,
 * and on failure either schedules a retry, without holding the worker, or, once the retry policy says no more,
 * gives the record up; then goes on with the next record. What a record comes to (handled, or not) is for its
 * {@link RecordOutcomes} to say: a container that commits marks it done or recovers it ({@link CommitOutcomes}),
 * a share container acknowledges it ({@link ShareOutcomes}); they also say whether a record may still start (a
 * work of a revoked, lost or sought partition stops before a record it may no longer start, see
 * {@link PartitionProgress#close(boolean)}; nothing starts in a share container that stops). For a batch
 * processor (containers that commit only) the same happens to the batch as a whole.
 *
 * <p>This is the container's per-record path, so it allocates nothing it can avoid: no acknowledgement
 * unless commits are manual, no timing unless a listener wants it, no copy of a record whose deserializers
 * are byte-array ones, no continuation for a handler that completed synchronously.
 *
 * <p>It hands its works to the {@link WorkScheduler} it owns, which calls it back to run each; the scheduler
 * is the only class it calls about works, and nothing calls it but its pipeline (or share dispatcher) and its
 * scheduler. What a work's records come to goes to its outcomes and to the container's {@link InFlight} count.
 *
 * <p>Threads: worker threads run works; the timer resumes a work whose retry is due; the threads that
 * complete a handler's or a recoverer's stage go on with its work; the dispatcher submits works, and the
 * threads that close partitions drop queued ones. A work is touched by one of them at a time.
 */
final class WorkRunner<K, V> {

    private final Handling<K, V> config;
    private final RecordOutcomes<K, V> outcomes;
    private final ScheduledExecutorService timers;
    private final WorkScheduler scheduler;
    private final InFlight inFlight;
    private final ContainerListener listener;
    private final ProcessingWatchdog watchdog;
    private final BooleanSupplier containerFailed;
    private final Runnable afterBatch;
    private final boolean timed;
    private final boolean rawKeys;
    private final boolean rawValues;

    /**
     * How many records over a work gives back to the in-flight count at once. Giving each back alone was two atomic
     * updates per record, on counts the dispatcher reads: a third of the worker's per-record path for a cheap handler
     * (the {@code benchmarks} module's JMH {@code DispatchPathBenchmark}, PARTITION ordering, three alternated runs:
     * 53–59 ns per record at concurrency 1 and 69–75 at concurrency 6, against 35–40 and 46–50 in runs). A work gives
     * back what it holds whenever it stops running (finished, waiting for an asynchronous handler or for a retry), so a
     * run only lags behind a worker that is running. Commits do not wait for it: each record is marked done in its
     * partition's progress as it finishes.
     */
    static final int RELEASE_RUN = 64;

    /**
     * @param config          what to run, and how
     * @param outcomes        what the records come to
     * @param workers         runs the works
     * @param timers          runs retries when due
     * @param inFlight        the container's count of records in flight
     * @param listener        told of every outcome
     * @param watchdog        watches each handler call
     * @param containerFailed whether the container failed: work not started then stays undone
     * @param afterBatch      runs when the last work of a take under {@code CommitMode.BATCH} is over
     */
    WorkRunner(Handling<K, V> config, RecordOutcomes<K, V> outcomes, Executor workers, ScheduledExecutorService timers,
            InFlight inFlight, ContainerListener listener, ProcessingWatchdog watchdog, BooleanSupplier containerFailed,
            Runnable afterBatch) {
        this.config = config;
        this.outcomes = outcomes;
        this.timers = timers;
        this.scheduler = new WorkScheduler(config.concurrency(), workers, this::run);
        this.inFlight = inFlight;
        this.listener = listener;
        this.watchdog = watchdog;
        this.containerFailed = containerFailed;
        this.afterBatch = afterBatch;
        this.timed = config.timed();
        this.rawKeys = config.keyDeserializer().getClass() == ByteArrayDeserializer.class;
        this.rawValues = config.valueDeserializer().getClass() == ByteArrayDeserializer.class;
    }

    /** Runs each work, in this order, when its lane and a slot are free. */
    void submitAll(List<? extends Work> works) {
        scheduler.submitAll(works);
    }

    /**
     * Runs {@code task} on a worker: this thread when it is one, else one of the pool; the works it submits start on
     * that worker ({@link WorkScheduler#onWorker}).
     *
     * @throws java.util.concurrent.RejectedExecutionException when the workers are shut down
     */
    void onWorker(Runnable task) {
        scheduler.onWorker(task);
    }

    /** The works of the partitions that have not started are over, their records undone. */
    void dropQueued(Collection<TopicPartition> partitions) {
        for (Work work : scheduler.dropQueued(partitions)) {
            if (work.claimFinish()) {
                outcomes.over(work);
                inFlight.released(work.inFlight, work.raw.size() - work.released);
            }
        }
    }

    private void run(Work work) {
        if (config.batchProcessor() != null) {
            runBatch(work);
        } else {
            runRecords(work);
        }
    }

    // ---------------------------------------------------------------- one record at a time

    @SuppressWarnings("unchecked")
    private void runRecords(Work work) {
        while (work.next < work.raw.size() && !containerFailed.getAsBoolean()) {
            ConsumerRecord<byte[], byte[]> raw = work.raw.get(work.next);
            if (!outcomes.mayStart(work, raw.offset())) {
                break;
            }
            ConsumerRecord<K, V> record = (ConsumerRecord<K, V>) work.deserialized;
            if (record == null) {
                try {
                    record = deserialize(raw);
                } catch (RuntimeException e) {
                    if (!notHandled(work, new FailedRecord<>(raw, null, e, 0))) {
                        return;
                    }
                    continue;
                }
                work.deserialized = record;
            }
            work.attempts++;
            long started = timed ? System.nanoTime() : 0;
            CompletionStage<?> stage;
            ProcessingWatchdog.Slot slot = watchdog.started(work.partition, raw.offset());
            try {
                try {
                    stage = intercepted(record, outcomes.acknowledgement(work, raw.offset()));
                } finally {
                    watchdog.finished(slot);
                }
            } catch (Throwable error) {
                if (!failedAttempt(work, record, error, started)) {
                    return;
                }
                continue;
            }
            if (!isDone(stage)) {
                release(work); // the work waits: what is over of it counts no more
                ConsumerRecord<K, V> pending = record;
                stage.whenComplete((result, error) -> {
                    if (error == null ? succeeded(work, started) : failedAttempt(work, pending, unwrap(error), started)) {
                        scheduler.proceed(work);
                    }
                });
                return;
            }
            Throwable error = failureOf(stage);
            if (error == null ? !succeeded(work, started) : !failedAttempt(work, record, error, started)) {
                return;
            }
        }
        finished(work);
    }

    private CompletionStage<?> intercepted(ConsumerRecord<K, V> record, Acknowledgement acknowledgement) throws Exception {
        if (config.interceptors().isEmpty()) {
            return config.recordProcessor().process(record, acknowledgement);
        }
        return intercepted(0, List.of(record), () -> config.recordProcessor().process(record, acknowledgement));
    }

    /** The record was handled: its outcomes say what it comes to, and the work moves on. Always true. */
    private boolean succeeded(Work work, long started) {
        report(work, 1, started, ContainerListener.Outcome.SUCCESS);
        outcomes.handledAt(work, work.next);
        return moveOn(work);
    }

    /**
     * The record failed: schedules its retry, or gives it up and moves on.
     *
     * @return whether the work goes on now; false when it waits for a retry or is over
     */
    private boolean failedAttempt(Work work, ConsumerRecord<K, V> record, Throwable error, long started) {
        report(work, 1, started, ContainerListener.Outcome.FAILURE);
        if (retryLater(work, error)) {
            return false;
        }
        return notHandled(work, new FailedRecord<>(work.raw.get(work.next), record, error, work.attempts));
    }

    /** The record cannot be handled: its outcomes take it, and the work moves on; false, with the work over, when the container failed. */
    private boolean notHandled(Work work, FailedRecord<K, V> failed) {
        if (!outcomes.notHandled(work, failed)) {
            finished(work);
            return false;
        }
        return moveOn(work);
    }

    /** The current record is over: the work moves to its next one. Always true, so that callers go on. */
    private boolean moveOn(Work work) {
        work.advance();
        recordOver(work);
        return true;
    }

    // ---------------------------------------------------------------- batches

    private void runBatch(Work work) {
        if (containerFailed.getAsBoolean()) {
            finished(work);
            return;
        }
        List<ConsumerRecord<K, V>> records = deserializedBatch(work);
        if (records == null || records.isEmpty()) {
            finished(work);
            return;
        }
        work.attempts++;
        Acknowledgement acknowledgement = () -> records.forEach(record -> outcomes.acknowledgement(work, record.offset())
                .acknowledge());
        long started = timed ? System.nanoTime() : 0;
        try {
            CompletionStage<?> stage;
            ProcessingWatchdog.Slot slot = watchdog.started(work.partition, records.get(0).offset());
            try {
                stage = intercepted(0, records, () -> config.batchProcessor().process(records, acknowledgement));
            } finally {
                watchdog.finished(slot);
            }
            if (isDone(stage)) {
                batchOutcome(work, records, failureOf(stage), started);
            } else {
                stage.whenComplete((result, error) -> batchOutcome(work, records, error == null ? null : unwrap(error), started));
            }
        } catch (Throwable error) {
            batchOutcome(work, records, error, started);
        }
    }

    private void batchOutcome(Work work, List<ConsumerRecord<K, V>> records, Throwable error, long started) {
        report(work, records.size(), started, error == null ? ContainerListener.Outcome.SUCCESS : ContainerListener.Outcome.FAILURE);
        if (error == null) {
            records.forEach(record -> outcomes.handled(work, record.offset()));
        } else if (retryLater(work, error)) {
            return;
        } else {
            for (ConsumerRecord<K, V> record : records) {
                if (!outcomes.notHandled(work, new FailedRecord<>(rawOf(work, record.offset()), record, error, work.attempts))) {
                    break;
                }
            }
        }
        finished(work);
    }

    /** The batch's records that could be deserialized (the others were given up), or {@code null} when the container failed. */
    @SuppressWarnings("unchecked")
    private List<ConsumerRecord<K, V>> deserializedBatch(Work work) {
        if (work.deserialized == null) {
            List<ConsumerRecord<K, V>> good = new ArrayList<>(work.raw.size());
            for (ConsumerRecord<byte[], byte[]> raw : work.raw) {
                try {
                    good.add(deserialize(raw));
                } catch (RuntimeException e) {
                    if (!outcomes.notHandled(work, new FailedRecord<>(raw, null, e, 0))) {
                        return null;
                    }
                }
            }
            work.deserialized = good;
        }
        return (List<ConsumerRecord<K, V>>) work.deserialized;
    }

    // ---------------------------------------------------------------- shared

    private CompletionStage<?> intercepted(int index, List<? extends ConsumerRecord<?, ?>> records,
            HandlerInterceptor.Invocation call) throws Exception {
        if (index == config.interceptors().size()) {
            return call.proceed();
        }
        return config.interceptors().get(index).intercept(config.name(), records, () -> intercepted(index + 1, records, call));
    }

    /**
     * Schedules the next attempt if the retry policy allows one for this failure: true when the work now
     * waits for it. A failure no retry can cure (see {@link dev.kafkaconsumer.core.RetryPolicy#isRetryable})
     * goes to the recoverer at once.
     */
    private boolean retryLater(Work work, Throwable error) {
        if (work.attempts >= config.retryPolicy().maxAttempts() || !config.retryPolicy().isRetryable(error)) {
            return false;
        }
        listener.retrying(config.name(), work.partition, work.attempts);
        release(work); // the work waits: what is over of it counts no more
        scheduler.suspend(work);
        long delay = config.retryPolicy().backoffAfter(work.attempts).toMillis();
        try {
            work.retry = timers.schedule(() -> scheduler.resume(work), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the container is stopping: the record stays undone and is read again after a restart
            finished(work);
        }
        return true;
    }

    private void report(Work work, int records, long started, ContainerListener.Outcome outcome) {
        if (timed) {
            listener.handled(config.name(), work.partition, records, Duration.ofNanos(System.nanoTime() - started), outcome);
        }
    }

    @SuppressWarnings("unchecked")
    private ConsumerRecord<K, V> deserialize(ConsumerRecord<byte[], byte[]> raw) {
        if (rawKeys && rawValues) {
            return (ConsumerRecord<K, V>) raw;
        }
        K key = raw.key() == null ? null : config.keyDeserializer().deserialize(raw.topic(), raw.headers(), raw.key());
        V value = raw.value() == null ? null : config.valueDeserializer().deserialize(raw.topic(), raw.headers(), raw.value());
        // the delivery count of a share group's record goes with it, for the handler and the recoverer
        return new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(), raw.timestamp(), raw.timestampType(),
                raw.serializedKeySize(), raw.serializedValueSize(), key, value, raw.headers(), raw.leaderEpoch(),
                raw.deliveryCount());
    }

    private static ConsumerRecord<byte[], byte[]> rawOf(Work work, long offset) {
        for (ConsumerRecord<byte[], byte[]> raw : work.raw) {
            if (raw.offset() == offset) {
                return raw;
            }
        }
        throw new IllegalStateException("No record at offset " + offset + " in " + work.partition);
    }

    // ---------------------------------------------------------------- outcomes

    /**
     * One record of the work is over (done, recovered, or given up): it no longer counts as in flight once the work gives
     * back its run ({@link #RELEASE_RUN}), or stops running.
     */
    private void recordOver(Work work) {
        if (++work.overNotReleased == RELEASE_RUN) {
            release(work);
        }
    }

    /** Gives back to the in-flight count the records over that the work still counts. */
    private void release(Work work) {
        int over = work.overNotReleased;
        if (over > 0) {
            work.overNotReleased = 0;
            work.released += over;
            inFlight.released(work.inFlight, over);
        }
    }

    /** The work is over: its records count no more (those over and the rest), its lane and slot go to the next. Once per work. */
    private void finished(Work work) {
        if (!work.claimFinish()) {
            return;
        }
        outcomes.over(work);
        inFlight.released(work.inFlight, work.raw.size() - work.released);
        scheduler.finished(work);
        if (work.batch != null && work.batch.finishOne()) {
            afterBatch.run();
        }
    }
}
