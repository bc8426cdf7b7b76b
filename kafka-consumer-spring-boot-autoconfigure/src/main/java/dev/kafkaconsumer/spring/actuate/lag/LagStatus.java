package dev.kafkaconsumer.spring.actuate.lag;

/**
 * How a partition keeps up, judged over the {@link LagTracker}'s window of samples in the spirit of
 * Burrow's rules, plus {@link #HELD}, which Burrow cannot see (it knows no last stable offset). Until the window is
 * full the status is {@link #OK}; afterwards a partition with no lag is {@link #OK} unless it is {@link #HELD}.
 * The order is from the least to the most alarming for the consumer itself: a container's or topic's status is
 * the last of its partitions'.
 */
public enum LagStatus {

    /** Caught up, or catching up, or not enough history to say otherwise. */
    OK,

    /**
     * Under {@code read_committed}, the consumer stood at the last stable offset over the whole window, with nothing
     * in flight, while the last stable offset did not move and the high-water mark was above it: a producer's open
     * transaction holds the partition, and the records behind it wait for its commit or abort (at the latest when
     * the broker aborts it after the producer's {@code transaction.timeout.ms}). The consumer is not at fault; its
     * lag, measured against the last stable offset, is what it could read, usually 0.
     */
    HELD,

    /** The lag grew over the whole window, although the committed offset moved: the consumer is slower than the producers. */
    WARN,

    /**
     * The committed offset did not move over the whole window while behind, though the consumer is working
     * on the partition (records in flight, or its position moved): a record is stuck, a handler blocked.
     */
    STALL,

    /**
     * Neither the committed offset nor the position moved over the whole window while behind, and nothing
     * was in flight: the consumer stopped taking records from the partition (paused, say, or dead).
     */
    STOP,

    /** The committed offset went backwards within the window and has not come back: a seek back, a reset. */
    REWIND
}
