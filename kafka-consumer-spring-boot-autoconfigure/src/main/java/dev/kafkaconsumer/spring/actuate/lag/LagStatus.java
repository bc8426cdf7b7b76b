package dev.kafkaconsumer.spring.actuate.lag;

/**
 * How a partition keeps up, judged over the {@link LagTracker}'s window of samples in the spirit of
 * Burrow's rules. Until the window is full, and whenever the partition has no lag, the status is {@link #OK}.
 */
public enum LagStatus {

    /** Caught up, or catching up, or not enough history to say otherwise. */
    OK,

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
