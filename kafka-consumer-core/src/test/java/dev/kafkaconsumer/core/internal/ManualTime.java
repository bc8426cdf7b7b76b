package dev.kafkaconsumer.core.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.Time;

/**
 * The engine's clock in tests: time moves only when a test moves it ({@link #advance}), so no test waits
 * for a deadline. Like kafka-clients' {@code MockTime} (which is not in its main jar), a thread in
 * {@link #waitObject} waits until its condition holds or the clock passes its deadline; with
 * {@link #jumpingWaits()}, a wait whose condition does not hold moves the clock to its deadline at once,
 * for tests where nothing else would. Nanoseconds start at {@link System#nanoTime()}, so that they
 * compare with the buffers' own idleness clock. Public for the share engine's tests ({@code internal.share}).
 */
public final class ManualTime implements Time {

    private static final long EPOCH_MILLIS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private final long startNanos = System.nanoTime();
    private final AtomicLong elapsedNanos = new AtomicLong();
    private final List<Object> monitors = new CopyOnWriteArrayList<>();
    private final boolean jumping;

    private ManualTime(boolean jumping) {
        this.jumping = jumping;
    }

    /** A clock that waiters leave to other threads to move. */
    public static ManualTime waiting() {
        return new ManualTime(false);
    }

    /** A clock that a waiter moves to its own deadline when its condition does not hold. */
    public static ManualTime jumpingWaits() {
        return new ManualTime(true);
    }

    @Override
    public long milliseconds() {
        return EPOCH_MILLIS + TimeUnit.NANOSECONDS.toMillis(elapsedNanos.get());
    }

    @Override
    public long nanoseconds() {
        return startNanos + elapsedNanos.get();
    }

    @Override
    public void sleep(long ms) {
        advance(Duration.ofMillis(ms));
    }

    /** Moves the clock and wakes every waiter, so that it looks at its deadline again. */
    public void advance(Duration duration) {
        elapsedNanos.addAndGet(duration.toNanos());
        for (Object monitor : monitors) {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }

    /** Moves the clock by a number of nanoseconds, as the loop asks to wait; nothing for zero. */
    public void advanceNanos(long nanos) {
        if (nanos > 0) {
            advance(Duration.ofNanos(nanos));
        }
    }

    /** Whether a thread waits on this clock ({@link #waitObject}). */
    public boolean hasWaiters() {
        return !monitors.isEmpty();
    }

    @Override
    public void waitObject(Object monitor, Supplier<Boolean> condition, long deadlineMs) throws InterruptedException {
        monitors.add(monitor);
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            synchronized (monitor) {
                while (!condition.get()) {
                    if (milliseconds() >= deadlineMs) {
                        throw new TimeoutException("Condition not satisfied before deadline");
                    }
                    if (jumping) {
                        elapsedNanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(deadlineMs - milliseconds()));
                        continue;
                    }
                    long left = giveUp - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("A wait on the test clock was neither satisfied nor moved on for 30 s");
                    }
                    // no polling: whoever satisfies the condition must notify, as Time.waitObject requires
                    monitor.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                }
            }
        } finally {
            monitors.remove(monitor);
        }
    }
}
