package dev.kafkaconsumer.core.internal;

import java.util.Optional;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * One partition's hand-out position (the next offset the application is to receive, with the leader epoch of the
 * record before it) and the position this engine last committed for it, so that a commit that would change nothing
 * is skipped.
 *
 * <p>Threads: moved by the application threads as they take records and by the I/O thread
 * ({@code kafka-consumer-io-<id>}) on a seek or a resolved start point; read by both, and marked committed by the
 * I/O thread. Not thread-safe: owned by one {@link PartitionBuffer}, guarded by the lock of {@link RecordBuffers}.
 */
final class HandOutPosition {

    private long offset = PartitionBuffer.UNKNOWN;
    private Optional<Integer> epoch = Optional.empty();
    private long committed = PartitionBuffer.UNKNOWN;

    /** Moves the position, as after handing out records up to {@code offset} (exclusive) or a seek. */
    void moveTo(long offset, Optional<Integer> epoch) {
        this.offset = offset;
        this.epoch = epoch;
    }

    /** The next offset to hand out, or {@link PartitionBuffer#UNKNOWN}. */
    long offset() {
        return offset;
    }

    boolean known() {
        return offset != PartitionBuffer.UNKNOWN;
    }

    /** The position to commit, or {@code null} when it is unknown or was committed already. */
    OffsetAndMetadata uncommitted() {
        return !known() || offset == committed ? null : toCommit();
    }

    /** The position to commit, or {@code null} when it is unknown. */
    OffsetAndMetadata consumed() {
        return known() ? toCommit() : null;
    }

    private OffsetAndMetadata toCommit() {
        return new OffsetAndMetadata(offset, epoch, "");
    }

    /** The offset last committed, {@link PartitionBuffer#UNKNOWN} before the first commit. */
    long committed() {
        return committed;
    }

    void markCommitted(long offset) {
        committed = offset;
    }
}
