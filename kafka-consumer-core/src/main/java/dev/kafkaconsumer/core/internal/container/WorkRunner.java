package dev.kafkaconsumer.core.internal.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kafkaconsumer.core.Acknowledgement;
import dev.kafkaconsumer.core.CommitMode;
import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.FailedRecord;
import dev.kafkaconsumer.core.HandlerInterceptor;
import dev.kafkaconsumer.core.Ordering;
import dev.kafkaconsumer.core.internal.Stages;

/**
 * Runs one unit of work on a worker thread. For a record processor it runs the work's records one after
 * another: deserializes each (a record that cannot be deserialized goes straight to the recoverer), calls
 * the handler, and on failure either schedules a retry, without holding the worker, or gives the record
 * to the recoverer once attempts run out; then goes on with the next record. A work of a revoked, lost or
 * sought partition stops before a record it may no longer start (see {@link PartitionProgress#close(boolean)}). For a batch processor the same happens to the batch as a
 * whole.
 *
 * <p>This is the container's per-record path, so it allocates nothing it can avoid: no acknowledgement
 * unless commits are manual, no timing unless a listener wants it, no copy of a record whose deserializers
 * are byte-array ones, no continuation for a handler that completed synchronously.
 */
final class WorkRunner<K, V> implements Consumer<Work> {

    /** What the container does with the outcome of a work. */
    interface Outcomes {
        /** The record at {@code offset} is done and may be committed. */
        void done(Work work, long offset);

        /** One record of the work is over (done, recovered, or given up): it no longer counts as in flight. */
        void recordOver(Work work);

        /** A record of the work stays in flight after the work is over: its recovery completes later. */
        void hold(Work work);

        /** A record held by {@link #hold} is over. */
        void unhold(Work work);

        /** The work is over; its lane and slot go to the next. */
        void finished(Work work);

        /** The work waits for a retry. */
        void suspend(Work work);

        /** The retry of the work is due. */
        void resume(Work work);

        /** A handler completed asynchronously: the work goes on, still holding its lane and slot. */
        void proceed(Work work);

        /** A record could be neither handled nor recovered: the container must stop. */
        void unrecoverable(Work work, Throwable reason);

        /** Whether the container failed: work not yet started is then left undone, for a restart to redo. */
        boolean failed();
    }

    private static final Acknowledgement NOT_MANUAL = () -> {
    };

    private final ContainerConfig<K, V> config;
    private final ScheduledExecutorService timers;
    private final Outcomes outcomes;
    private final ContainerListener listener;
    private final ProcessingWatchdog watchdog;
    private final boolean timed;
    private final boolean manual;
    private final boolean rawKeys;
    private final boolean rawValues;
    private final boolean partitionOrdered;

    WorkRunner(ContainerConfig<K, V> config, ScheduledExecutorService timers, Outcomes outcomes, ContainerListener listener,
            ProcessingWatchdog watchdog) {
        this.config = config;
        this.timers = timers;
        this.outcomes = outcomes;
        this.listener = listener;
        this.watchdog = watchdog;
        this.timed = !config.listeners().isEmpty();
        this.manual = config.commitMode() == CommitMode.MANUAL;
        this.rawKeys = config.keyDeserializer().getClass() == ByteArrayDeserializer.class;
        this.rawValues = config.valueDeserializer().getClass() == ByteArrayDeserializer.class;
        this.partitionOrdered = config.ordering() == Ordering.PARTITION;
    }

    @Override
    public void accept(Work work) {
        if (config.batchProcessor() != null) {
            runBatch(work);
        } else {
            runRecords(work);
        }
    }

    // ---------------------------------------------------------------- one record at a time

    @SuppressWarnings("unchecked")
    private void runRecords(Work work) {
        while (work.next < work.raw.size() && !outcomes.failed()) {
            ConsumerRecord<byte[], byte[]> raw = work.raw.get(work.next);
            if (!mayStart(work, raw.offset())) {
                break;
            }
            ConsumerRecord<K, V> record = (ConsumerRecord<K, V>) work.deserialized;
            if (record == null) {
                try {
                    record = deserialize(raw);
                } catch (RuntimeException e) {
                    if (!recoverAndMoveOn(work, new FailedRecord<>(raw, null, e, 0))) {
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
                    stage = intercepted(record, acknowledgement(work, raw.offset()));
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
                ConsumerRecord<K, V> pending = record;
                stage.whenComplete((result, error) -> {
                    if (error == null ? succeeded(work, pending, started) : failedAttempt(work, pending, unwrap(error), started)) {
                        outcomes.proceed(work);
                    }
                });
                return;
            }
            Throwable error = failureOf(stage);
            if (error == null ? !succeeded(work, record, started) : !failedAttempt(work, record, error, started)) {
                return;
            }
        }
        outcomes.finished(work);
    }

    /**
     * Whether the record may start now that its partition may be closed. Under PARTITION ordering a
     * partition's records run one after another, so stopping at the next record leaves no gap and a
     * volatile read does; under KEY and UNORDERED ordering the progress decides (see
     * {@link PartitionProgress#close(boolean)}).
     */
    private boolean mayStart(Work work, long offset) {
        if (partitionOrdered) {
            return !work.progress.isClosed();
        }
        return work.progress.mayStart(offset);
    }

    private CompletionStage<?> intercepted(ConsumerRecord<K, V> record, Acknowledgement acknowledgement) throws Exception {
        if (config.interceptors().isEmpty()) {
            return config.recordProcessor().process(record, acknowledgement);
        }
        return intercepted(0, List.of(record), () -> config.recordProcessor().process(record, acknowledgement));
    }

    private Acknowledgement acknowledgement(Work work, long offset) {
        return manual ? () -> outcomes.done(work, offset) : NOT_MANUAL;
    }

    /** The record was handled: marks it done unless commits are manual, and moves on. Always true. */
    private boolean succeeded(Work work, ConsumerRecord<K, V> record, long started) {
        report(work, 1, started, ContainerListener.Outcome.SUCCESS);
        if (!manual) {
            outcomes.done(work, record.offset());
        }
        return moveOn(work);
    }

    /**
     * The record failed: schedules its retry, or recovers it and moves on.
     *
     * @return whether the work goes on now; false when it waits for a retry or is over
     */
    private boolean failedAttempt(Work work, ConsumerRecord<K, V> record, Throwable error, long started) {
        report(work, 1, started, ContainerListener.Outcome.FAILURE);
        if (retryLater(work, error)) {
            return false;
        }
        return recoverAndMoveOn(work, new FailedRecord<>(work.raw.get(work.next), record, error, work.attempts));
    }

    /** Gives a failed record to the recoverer and moves on; false, with the work over, when that fails. */
    private boolean recoverAndMoveOn(Work work, FailedRecord<K, V> failed) {
        try {
            recover(work, failed);
        } catch (UnrecoverableException e) {
            outcomes.unrecoverable(work, e.getCause());
            outcomes.finished(work);
            return false;
        }
        return moveOn(work);
    }

    /** The current record is over: the work moves to its next one. Always true, so that callers go on. */
    private boolean moveOn(Work work) {
        work.advance();
        outcomes.recordOver(work);
        return true;
    }

    // ---------------------------------------------------------------- batches

    private void runBatch(Work work) {
        if (outcomes.failed()) {
            outcomes.finished(work);
            return;
        }
        List<ConsumerRecord<K, V>> records;
        try {
            records = deserializedBatch(work);
        } catch (UnrecoverableException e) {
            outcomes.unrecoverable(work, e.getCause());
            outcomes.finished(work);
            return;
        }
        if (records.isEmpty()) {
            outcomes.finished(work);
            return;
        }
        work.attempts++;
        Acknowledgement acknowledgement = () -> records.forEach(record -> outcomes.done(work, record.offset()));
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
            if (!manual) {
                records.forEach(record -> outcomes.done(work, record.offset()));
            }
        } else if (retryLater(work, error)) {
            return;
        } else {
            try {
                for (ConsumerRecord<K, V> record : records) {
                    recover(work, new FailedRecord<>(rawOf(work, record.offset()), record, error, work.attempts));
                }
            } catch (UnrecoverableException e) {
                outcomes.unrecoverable(work, e.getCause());
            }
        }
        outcomes.finished(work);
    }

    @SuppressWarnings("unchecked")
    private List<ConsumerRecord<K, V>> deserializedBatch(Work work) throws UnrecoverableException {
        if (work.deserialized == null) {
            List<ConsumerRecord<K, V>> good = new ArrayList<>(work.raw.size());
            for (ConsumerRecord<byte[], byte[]> raw : work.raw) {
                try {
                    good.add(deserialize(raw));
                } catch (RuntimeException e) {
                    recover(work, new FailedRecord<>(raw, null, e, 0));
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
        outcomes.suspend(work);
        long delay = config.retryPolicy().backoffAfter(work.attempts).toMillis();
        try {
            work.retry = timers.schedule(() -> outcomes.resume(work), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the container is stopping: the record stays undone and is read again after a restart
            outcomes.finished(work);
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
        return new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(), raw.timestamp(), raw.timestampType(),
                raw.serializedKeySize(), raw.serializedValueSize(), key, value, raw.headers(), raw.leaderEpoch());
    }

    /**
     * Gives a record to the recoverer. A recovery that completes later (a dead letter on its way) holds the
     * record in flight, undone, until it completes, while the work goes on with its next record.
     */
    private void recover(Work work, FailedRecord<K, V> failed) throws UnrecoverableException {
        CompletionStage<?> stage;
        try {
            stage = config.recoverer().recoverAsync(failed);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new UnrecoverableException(e);
        }
        if (isDone(stage)) {
            Throwable error = failureOf(stage);
            if (error != null) {
                throw new UnrecoverableException(error);
            }
            markRecovered(work, failed);
            return;
        }
        outcomes.hold(work);
        stage.whenComplete((result, error) -> {
            if (error == null) {
                markRecovered(work, failed);
            } else {
                outcomes.unrecoverable(work, unwrap(error));
            }
            outcomes.unhold(work);
        });
    }

    private void markRecovered(Work work, FailedRecord<K, V> failed) {
        listener.recovered(config.name(), failed, config.recoverer().kind());
        outcomes.done(work, failed.offset());
    }

    private static ConsumerRecord<byte[], byte[]> rawOf(Work work, long offset) {
        for (ConsumerRecord<byte[], byte[]> raw : work.raw) {
            if (raw.offset() == offset) {
                return raw;
            }
        }
        throw new IllegalStateException("No record at offset " + offset + " in " + work.partition);
    }

    /**
     * Whether the handler's stage is complete already: the common, synchronous case needs no continuation.
     * Only a plain {@code CompletableFuture} is asked; other stages (a minimal stage throws when asked)
     * take the continuation.
     */
    private static boolean isDone(CompletionStage<?> stage) {
        return stage == null || stage == Stages.DONE
                || stage.getClass() == CompletableFuture.class && ((CompletableFuture<?>) stage).isDone();
    }

    /** The failure of a stage that {@link #isDone(CompletionStage)}, or null when it completed normally. */
    private static Throwable failureOf(CompletionStage<?> stage) {
        if (stage == null || stage == Stages.DONE || !((CompletableFuture<?>) stage).isCompletedExceptionally()) {
            return null;
        }
        try {
            ((CompletableFuture<?>) stage).join();
            return null;
        } catch (CompletionException | CancellationException e) {
            return unwrap(e);
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** A recoverer failed: carries its exception out of the loops over records. */
    private static final class UnrecoverableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnrecoverableException(Throwable cause) {
            super(cause);
        }
    }
}
