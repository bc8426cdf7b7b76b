package dev.kafkaconsumer.core.internal.container;

import dev.kafkaconsumer.core.Acknowledgement;
import dev.kafkaconsumer.core.FailedRecord;

/**
 * What becomes of the records a {@link WorkRunner} runs: the one part of the per-record path that differs between
 * a container that commits offsets ({@link CommitOutcomes}: each record is marked done in its partition's progress,
 * whose done prefix is committed) and a share container ({@link ShareOutcomes}: each record is acknowledged to its
 * share group). The runner deserializes, calls the handler through the interceptors, times it, watches it and
 * retries it as the retry policy says; this decides what a record comes to once it is handled or not.
 *
 * <p>Threads: the runner's (workers, the timer that resumes a retry, the threads that complete a handler's stage),
 * one at a time for a work.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
interface RecordOutcomes<K, V> {

    /**
     * Whether the work's record at {@code offset} may start now; when not, the work ends there.
     *
     * @param work   the work
     * @param offset the record's offset
     * @return false when the record must not start (its partition was closed, the container stops)
     */
    boolean mayStart(Work work, long offset);

    /**
     * What the handler is given to acknowledge the record with.
     *
     * @param work   the work
     * @param offset the record's offset
     * @return the acknowledgement; one that does nothing when acknowledging is not the handler's to do
     */
    Acknowledgement acknowledgement(Work work, long offset);

    /**
     * The handler completed for the record.
     *
     * @param work   the work
     * @param offset the record's offset
     */
    void handled(Work work, long offset);

    /**
     * The handler completed for the record at {@code index} of the work's records: as {@link #handled(Work, long)},
     * for outcomes that have no use for the index.
     *
     * @param work  the work
     * @param index the record's index in {@code work.raw}
     */
    default void handledAt(Work work, int index) {
        handled(work, work.raw.get(index).offset());
    }

    /**
     * The record could not be handled: it could not be deserialized, its failure is not retryable, or its attempts
     * are spent.
     *
     * @param work   the work
     * @param failed the record and why
     * @return whether the work goes on with its next record; false when the container failed
     */
    boolean notHandled(Work work, FailedRecord<K, V> failed);

    /**
     * The work is over (its records handled, given up, or left undone when it stopped early or was dropped). Called
     * once per work.
     *
     * @param work the work
     */
    void over(Work work);
}
