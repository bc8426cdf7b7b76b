package dev.kafkaconsumer.core.internal;

/**
 * The serialized bytes buffered for all partitions together, and the bounds they are held to.
 *
 * <p>Each {@link PartitionBuffer} counts its own bytes and reports every change here, so the total is always the
 * sum of the buffers of the assigned partitions; nothing else changes it.
 *
 * <p>Threads: changed by the I/O thread ({@code kafka-consumer-io-<id>}) as records arrive and are dropped, and by
 * the application threads that take records; read by both. Not thread-safe: guarded by the lock of the
 * {@link RecordBuffers} that owns it.
 */
final class ByteBudget {

    private final FetchPlan.Bounds bounds;
    private long total;

    ByteBudget(FetchPlan.Bounds bounds) {
        this.bounds = bounds;
    }

    /** Counts bytes that a buffer took in ({@code bytes > 0}) or let go ({@code bytes < 0}). */
    void change(long bytes) {
        total += bytes;
    }

    /** The bytes buffered for all partitions together. */
    long total() {
        return total;
    }

    /** The bytes at which one buffer, and all together, are full. */
    FetchPlan.Bounds bounds() {
        return bounds;
    }
}
