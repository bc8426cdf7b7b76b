package dev.kafkaconsumer.core;

/**
 * How a {@link ConsumerContainer} orders the records it hands to its handler.
 */
public enum Ordering {

    /** Records of one partition in offset order, one at a time; partitions in parallel. */
    PARTITION,

    /**
     * Records with the same key in offset order, one at a time; different keys in parallel, also within
     * one partition. Records with a {@code null} key are ordered within their partition.
     */
    KEY,

    /** Any record in parallel with any other, up to the container's concurrency. */
    UNORDERED
}
