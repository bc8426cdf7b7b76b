package dev.kafkaconsumer.core;

/**
 * Given to each handler invocation: under {@link CommitMode#MANUAL}, {@link #acknowledge()} marks the
 * record (or batch) as done, so that its offset may be committed; under the other modes a record is
 * done when its handler completes, and acknowledging changes nothing. Thread-safe; idempotent.
 */
@FunctionalInterface
public interface Acknowledgement {

    /** Marks the record, or every record of the batch, as done. */
    void acknowledge();
}
