package dev.kafkaconsumer.core.internal.container;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Counts a container's records taken from the engine and not yet over, against its {@code maxInFlight}
 * bound. The dispatcher waits for room before it takes records: it is woken once half of the bound is free
 * (or none is in flight), so that it takes records by the batch, not one at a time as each is done.
 *
 * <p>Threads: the dispatcher ({@link #taken}, {@link #awaitCapacity}; in a share container, whichever worker takes:
 * {@link #room}), workers, timers and the threads
 * that complete asynchronous stages ({@link #released}, {@link #held}), the stopper ({@link #awaitNone}).
 * Its lock is a leaf: it is only taken to wait or to signal.
 */
final class InFlight {

    private final int max;
    private final int lowWater;
    private final AtomicInteger count = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    /** Told when room came back (at the low-water mark, or none left in flight); see {@link #onRoom}. */
    private volatile Runnable onRoom = () -> {
    };

    /** @param max the most records in flight, at least 1 */
    InFlight(int max) {
        this.max = max;
        this.lowWater = max / 2;
    }

    /**
     * Sets what is told, on the releasing thread and outside the lock, when room comes back: the count fell to half
     * the bound, or to none. A share container takes more records then, on the worker that made the room, instead of
     * waking a dispatcher that waits in {@link #awaitCapacity}.
     */
    void onRoom(Runnable listener) {
        this.onRoom = listener;
    }

    /**
     * How many records may be taken now, without waiting: none while more than half the bound is in flight (records
     * are taken by the batch, as {@link #awaitCapacity} does), else the room left.
     */
    int room() {
        int now = count.get();
        return now > lowWater ? 0 : Math.max(0, max - now);
    }

    /** The records not yet over. */
    int count() {
        return count.get();
    }

    /** Records were taken from the engine. */
    void taken(int records) {
        count.addAndGet(records);
    }

    /** A record stays in flight beyond its work (its recovery completes later). */
    void held() {
        count.incrementAndGet();
    }

    /** Records are over: done, recovered, or given up. */
    void released(int records) {
        if (records == 0) {
            return;
        }
        int after = count.addAndGet(-records);
        // only the dispatcher (waiting for room) and the stopper (waiting for none) wait for this
        if (after != 0 && !(after <= lowWater && after + records > lowWater)) {
            return;
        }
        lock.lock();
        try {
            freed.signalAll();
        } finally {
            lock.unlock();
        }
        onRoom.run();
    }

    /**
     * Waits until there is room for records, and says how much.
     *
     * @param stopping whether the container stops: then there is no room
     * @param maxWaitMillis how long to wait before asking {@code stopping} again
     * @return how many records may be taken, 0 when stopping
     * @throws InterruptedException if interrupted while waiting
     */
    int awaitCapacity(BooleanSupplier stopping, long maxWaitMillis) throws InterruptedException {
        lock.lock();
        try {
            while (count.get() > lowWater && !stopping.getAsBoolean()) {
                freed.await(maxWaitMillis, TimeUnit.MILLISECONDS);
            }
            return stopping.getAsBoolean() ? 0 : Math.max(0, max - count.get());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no record is in flight, or the deadline passes.
     *
     * @param deadlineNanos a {@link System#nanoTime()} deadline
     * @throws InterruptedException if interrupted while waiting
     */
    void awaitNone(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (count.get() > 0) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    return;
                }
                freed.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
    }
}
