package dev.kafkaconsumer.core.internal;

import java.util.function.LongSupplier;

/**
 * How long the application has not asked for records, for aiokafka's liveness rule (an application that stops
 * asking leaves the group): zero while a get call waits, otherwise the time since the last one ended.
 *
 * <p>Threads: started and ended by the application threads taking records, read by the I/O thread
 * ({@code kafka-consumer-io-<id>}). Not thread-safe: guarded by the lock of {@link RecordBuffers}.
 */
final class IdleClock {

    private final LongSupplier nanoTime;
    private int activeGets;
    private long lastActiveNanos;

    /** @param nanoTime the clock, {@code System::nanoTime} but in tests */
    IdleClock(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.lastActiveNanos = nanoTime.getAsLong();
    }

    /** A get call begins to wait: the application is not idle until it ends. */
    void getStarted() {
        activeGets++;
    }

    void getEnded() {
        activeGets--;
        touch();
    }

    /** Counts the application as active now, as when it calls a get method that does not wait. */
    void touch() {
        lastActiveNanos = nanoTime.getAsLong();
    }

    /** Nanoseconds since the application was last active, at {@code nowNanos}; 0 while a get call waits. */
    long idleNanos(long nowNanos) {
        return activeGets > 0 ? 0 : Math.max(0, nowNanos - lastActiveNanos);
    }
}
