package dev.kafkaconsumer.core.internal.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.kafkaconsumer.core.Acknowledgement;
import dev.kafkaconsumer.core.CommitMode;
import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.HandlerInterceptor;
import dev.kafkaconsumer.core.FailedRecord;

/**
 * Runs one unit of work on a worker thread: deserializes its records (a record that cannot be
 * deserialized goes straight to the recoverer), calls the handler, and on failure either schedules a
 * retry, without holding the worker, or gives the records to the recoverer once attempts run out.
 */
final class WorkRunner<K, V> implements Consumer<Work> {

    /** What the container does with the outcome of a work. */
    interface Outcomes {
        /** The record at {@code offset} is done and may be committed. */
        void done(Work work, long offset);

        /** The work is over; its lane and slot go to the next. */
        void finished(Work work);

        /** The work waits for a retry. */
        void suspend(Work work);

        /** The retry of the work is due. */
        void resume(Work work);

        /** A record could be neither handled nor recovered: the container must stop. */
        void unrecoverable(Work work, Throwable reason);

        /** Whether the container failed: work not yet started is then left undone, for a restart to redo. */
        boolean failed();
    }

    private final ContainerConfig<K, V> config;
    private final ScheduledExecutorService timers;
    private final Outcomes outcomes;
    private final ContainerListener listener;
    private final ProcessingWatchdog watchdog;

    WorkRunner(ContainerConfig<K, V> config, ScheduledExecutorService timers, Outcomes outcomes, ContainerListener listener,
            ProcessingWatchdog watchdog) {
        this.config = config;
        this.timers = timers;
        this.outcomes = outcomes;
        this.listener = listener;
        this.watchdog = watchdog;
    }

    @Override
    public void accept(Work work) {
        if (outcomes.failed()) {
            outcomes.finished(work);
            return;
        }
        List<ConsumerRecord<K, V>> records;
        try {
            records = deserialized(work);
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
        long started = System.nanoTime();
        ProcessingWatchdog.Slot slot = watchdog.started(work.partition, records.get(0).offset());
        try {
            CompletionStage<?> stage;
            try {
                stage = intercepted(0, records, () -> config.batchProcessor() != null
                        ? config.batchProcessor().process(records, acknowledgement)
                        : config.recordProcessor().process(records.get(0), acknowledgement));
            } finally {
                watchdog.finished(slot);
            }
            if (stage == null) {
                succeeded(work, records, started);
            } else {
                stage.whenComplete((result, error) -> {
                    if (error == null) {
                        succeeded(work, records, started);
                    } else {
                        failedAttempt(work, records, unwrap(error), started);
                    }
                });
            }
        } catch (Throwable error) {
            failedAttempt(work, records, error, started);
        }
    }

    private CompletionStage<?> intercepted(int index, List<ConsumerRecord<K, V>> records,
            HandlerInterceptor.Invocation call) throws Exception {
        if (index == config.interceptors().size()) {
            return call.proceed();
        }
        return config.interceptors().get(index).intercept(config.name(), records, () -> intercepted(index + 1, records, call));
    }

    private void report(Work work, List<ConsumerRecord<K, V>> records, long started, ContainerListener.Outcome outcome) {
        listener.handled(config.name(), work.partition, records.size(), Duration.ofNanos(System.nanoTime() - started), outcome);
    }

    @SuppressWarnings("unchecked")
    private List<ConsumerRecord<K, V>> deserialized(Work work) throws UnrecoverableException {
        if (work.deserialized == null) {
            List<ConsumerRecord<?, ?>> good = new ArrayList<>(work.raw.size());
            for (ConsumerRecord<byte[], byte[]> raw : work.raw) {
                ConsumerRecord<K, V> record;
                try {
                    record = deserialize(raw);
                } catch (RuntimeException e) {
                    recover(work, new FailedRecord<>(raw, null, e, 0));
                    continue;
                }
                good.add(record);
            }
            work.deserialized = good;
        }
        return (List<ConsumerRecord<K, V>>) (List<?>) work.deserialized;
    }

    private ConsumerRecord<K, V> deserialize(ConsumerRecord<byte[], byte[]> raw) {
        K key = raw.key() == null ? null : config.keyDeserializer().deserialize(raw.topic(), raw.headers(), raw.key());
        V value = raw.value() == null ? null : config.valueDeserializer().deserialize(raw.topic(), raw.headers(), raw.value());
        return new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(), raw.timestamp(), raw.timestampType(),
                raw.serializedKeySize(), raw.serializedValueSize(), key, value, raw.headers(), raw.leaderEpoch());
    }

    private void succeeded(Work work, List<ConsumerRecord<K, V>> records, long started) {
        report(work, records, started, ContainerListener.Outcome.SUCCESS);
        if (config.commitMode() != CommitMode.MANUAL) {
            records.forEach(record -> outcomes.done(work, record.offset()));
        }
        outcomes.finished(work);
    }

    private void failedAttempt(Work work, List<ConsumerRecord<K, V>> records, Throwable error, long started) {
        report(work, records, started, ContainerListener.Outcome.FAILURE);
        if (work.attempts < config.retryPolicy().maxAttempts()) {
            listener.retrying(config.name(), work.partition, work.attempts);
            outcomes.suspend(work);
            long delay = config.retryPolicy().backoffAfter(work.attempts).toMillis();
            try {
                work.retry = timers.schedule(() -> outcomes.resume(work), delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                // the container is stopping: the record stays undone and is read again after a restart
                outcomes.finished(work);
            }
            return;
        }
        try {
            for (ConsumerRecord<K, V> record : records) {
                recover(work, new FailedRecord<>(rawOf(work, record.offset()), record, error, work.attempts));
            }
        } catch (UnrecoverableException e) {
            outcomes.unrecoverable(work, e.getCause());
        }
        outcomes.finished(work);
    }

    private void recover(Work work, FailedRecord<K, V> failed) throws UnrecoverableException {
        try {
            config.recoverer().recover(failed);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new UnrecoverableException(e);
        }
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

        UnrecoverableException(Exception cause) {
            super(cause);
        }
    }
}
