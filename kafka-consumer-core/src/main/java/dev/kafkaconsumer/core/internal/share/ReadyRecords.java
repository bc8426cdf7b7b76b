package dev.kafkaconsumer.core.internal.share;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.apache.kafka.common.errors.InterruptException;

import dev.kafkaconsumer.core.AcquiredRecord;
import dev.kafkaconsumer.core.ConsumerStoppedException;
import dev.kafkaconsumer.core.internal.CallbackExecutor;
import dev.kafkaconsumer.core.internal.Durations;

/**
 * The records a poll returned that no get call took yet, and the get calls that wait for records: the hand-over
 * between the I/O thread and the application. It also says when the application wants records, for the I/O thread
 * polls only then: a record polled and not taken holds its acquisition lock (renewed, or expiring and coming back with
 * a higher delivery count, on its way to being archived unprocessed). The application wants records when a get call
 * waits, or when a get call found nothing since the last poll returned records.
 *
 * <p>Threads: application threads take (blocking gets wait here; asynchronous gets are registered); the I/O thread
 * adds what it polled, hands over its errors, drops records whose lock expired, and closes it on stop; futures
 * complete on the engine's callback thread ({@code kafka-consumer-callbacks-<client.id>}).
 *
 * <p>Lock: one {@link ReentrantLock} guards everything here. Under it, a record's own monitor is taken (to hand it
 * out) and the I/O thread is signalled (the {@link Inbox}'s monitor); nothing here is called under either of those.
 */
final class ReadyRecords<K, V> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Acquisition<K, V>> ready = new ArrayDeque<>();
    private final List<PendingGet<K, V>> pendingGets = new ArrayList<>();
    private final Runnable signalIo;
    private final CallbackExecutor callbacks;
    private final LongSupplier nanoTime;
    /** Told, outside the lock, whenever records or an error become ready: a taker that does not wait here learns so. */
    private volatile Runnable onReady = () -> {
    };
    private int waiting;
    private boolean asked;
    private RuntimeException error;
    private boolean closed;

    /**
     * @param signalIo  ends the I/O thread's wait, when a get wants records
     * @param callbacks completes asynchronous gets, and expires them
     * @param nanoTime  the engine's clock, for the deadlines of blocking gets
     */
    ReadyRecords(Runnable signalIo, CallbackExecutor callbacks, LongSupplier nanoTime) {
        this.signalIo = signalIo;
        this.callbacks = callbacks;
        this.nanoTime = nanoTime;
    }

    /**
     * Takes up to {@code max} records, waiting until {@code deadlineNanos} for at least one.
     *
     * @param single whether this is a {@code getOne}: it throws, rather than returning nothing, when the engine stops
     * @return the records, handed out (the caller makes the application's views of them, if it wants them); empty
     *         when none came in time (or the engine stopped, for a {@code getMany})
     * @throws ConsumerStoppedException when the engine stopped before the call, or while a {@code getOne} waited
     * @throws InterruptException when the thread is interrupted while waiting, its interrupt flag set again
     */
    List<Acquisition<K, V>> take(int max, long deadlineNanos, boolean single) {
        lock.lock();
        try {
            if (closed) {
                throw new ConsumerStoppedException("The share consumer engine is stopped");
            }
            while (true) {
                // the I/O thread polls only when nothing is ready, so its error comes after every record ready before it
                throwPendingError();
                List<Acquisition<K, V>> taken = takeReady(max);
                if (!taken.isEmpty()) {
                    return taken;
                }
                if (closed) {
                    if (single) {
                        throw new ConsumerStoppedException("The share consumer engine stopped while waiting for a record");
                    }
                    return taken;
                }
                long remaining = deadlineNanos - nanoTime.getAsLong();
                if (remaining <= 0) {
                    return taken;
                }
                waiting++;
                try {
                    changed.awaitNanos(remaining);
                } finally {
                    waiting--;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Registers an asynchronous get; it completes on the callback thread with records, with nothing when its timeout
     * passes or the engine stops, or with the I/O thread's error.
     */
    CompletableFuture<List<AcquiredRecord<K, V>>> takeAsync(int max, Duration timeout) {
        PendingGet<K, V> get = new PendingGet<>(max, new CompletableFuture<>());
        lock.lock();
        try {
            if (closed) {
                throw new ConsumerStoppedException("The share consumer engine is stopped");
            }
            pendingGets.add(get);
            serve();
        } finally {
            lock.unlock();
        }
        if (!get.future.isDone()) {
            try {
                callbacks.executor().schedule(() -> expire(get), Durations.nanos(timeout), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                expire(get); // the engine stopped since
            }
        }
        return get.future;
    }

    private void expire(PendingGet<K, V> get) {
        lock.lock();
        try {
            if (pendingGets.remove(get)) {
                complete(get, List.of());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Serves the pending asynchronous gets, oldest first; under the lock. */
    private void serve() {
        for (Iterator<PendingGet<K, V>> it = pendingGets.iterator(); it.hasNext();) {
            PendingGet<K, V> get = it.next();
            if (get.future.isDone()) {
                it.remove(); // its caller cancelled it: taking records for it would hold them for nobody
                continue;
            }
            if (error != null) {
                RuntimeException failure = error;
                error = null;
                it.remove();
                callbacks.run(() -> get.future.completeExceptionally(failure));
                continue;
            }
            List<Acquisition<K, V>> taken = takeReady(get.max);
            if (taken.isEmpty()) {
                if (closed) {
                    it.remove();
                    complete(get, List.of());
                }
                continue;
            }
            it.remove();
            complete(get, views(taken));
        }
    }

    private void complete(PendingGet<K, V> get, List<AcquiredRecord<K, V>> records) {
        callbacks.run(() -> get.future.complete(records));
    }

    /** The application's views of records taken. */
    static <K, V> List<AcquiredRecord<K, V>> views(List<Acquisition<K, V>> taken) {
        List<AcquiredRecord<K, V>> views = new ArrayList<>(taken.size());
        for (Acquisition<K, V> record : taken) {
            views.add(record.view());
        }
        return views;
    }

    /** Takes what is ready, skipping records whose lock expired; notes that the application wants records when none is. */
    private List<Acquisition<K, V>> takeReady(int max) {
        List<Acquisition<K, V>> taken = new ArrayList<>(Math.min(max, ready.size()));
        while (taken.size() < max && !ready.isEmpty()) {
            Acquisition<K, V> next = ready.poll();
            if (next.handOut()) {
                taken.add(next);
            }
        }
        if (taken.isEmpty() && !asked && !closed) {
            // only a get that finds nothing asks for a poll: one that takes the last record has work to do, and records
            // polled for nobody would hold their locks (renewed) until someone asks
            asked = true;
            signalIo.run();
        }
        return taken;
    }

    private void throwPendingError() {
        RuntimeException pending = error;
        if (pending != null) {
            error = null;
            throw pending;
        }
    }

    /**
     * Sets what is told, on the I/O thread and outside the lock, each time records or an error become ready: a share
     * container's workers take with {@code getAcquisitions(Duration.ZERO, n)} and never wait here, so they must be told.
     */
    void onReady(Runnable listener) {
        this.onReady = listener;
    }

    // ---------------------------------------------------------------- the I/O thread's side

    /** Whether the I/O thread should poll for the application: nothing is ready, and a get waits or found nothing since the last records came. */
    boolean wanted() {
        lock.lock();
        try {
            return !closed && ready.isEmpty() && (asked || waiting > 0 || !pendingGets.isEmpty());
        } finally {
            lock.unlock();
        }
    }

    /** Adds what a poll returned, serving waiting gets. */
    void add(Collection<Acquisition<K, V>> polled) {
        if (polled.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            ready.addAll(polled);
            asked = false;
            serve();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        onReady.run();
    }

    /** Hands an error of the I/O thread to the next get call, once; a second one before then is dropped. */
    void offerError(RuntimeException failure) {
        boolean offered = false;
        lock.lock();
        try {
            if (error == null) {
                error = failure;
                offered = true;
                serve();
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (offered) {
            onReady.run();
        }
    }

    /** Drops the records whose lock expired before they were taken. */
    void dropSettled() {
        lock.lock();
        try {
            ready.removeIf(Acquisition::isSettled);
        } finally {
            lock.unlock();
        }
    }

    /** Records ready and not taken. */
    int size() {
        lock.lock();
        try {
            return ready.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes nothing more: waiting {@code getOne} calls throw {@link ConsumerStoppedException}, waiting {@code getMany}
     * calls return nothing; the records never taken stay with the I/O thread, which releases them.
     */
    void close() {
        lock.lock();
        try {
            closed = true;
            ready.clear();
            serve();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private record PendingGet<K, V>(int max, CompletableFuture<List<AcquiredRecord<K, V>>> future) {
    }
}
