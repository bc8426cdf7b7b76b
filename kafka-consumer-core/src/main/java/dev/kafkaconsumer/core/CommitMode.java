package dev.kafkaconsumer.core;

/**
 * When a {@link ConsumerContainer} commits. Whatever the mode, it commits for each partition only the
 * offset below which every record is done (handled, or recovered), never past a record still in flight.
 */
public enum CommitMode {

    /** In the background, every commit interval, the offsets processed so far (the default). */
    TIME,

    /** After each batch that the container took from the engine is done. */
    BATCH,

    /**
     * Only what the handler acknowledged through its {@link Acknowledgement}; committed every commit
     * interval. A record is done when acknowledged, not when its handler returns.
     */
    MANUAL
}
