package dev.kafkaconsumer.core;

import java.time.Instant;

/**
 * The transactions of a transactional {@link ConsumerContainer} so far, as {@link ContainerSnapshot#transactions()}
 * gives them. Counts are since the container started.
 *
 * @param committed       transactions committed
 * @param aborted         transactions aborted (a failed send or commit, a fenced producer, a refused offset
 *                        commit after a rebalance); their records are handled again
 * @param lastCommit      when the last transaction committed, or {@code null} before the first
 * @param lastAbortReason why the last transaction was aborted, or {@code null} when none was
 */
public record TransactionStats(long committed, long aborted, Instant lastCommit, String lastAbortReason) {

    /** No transaction yet. */
    public static final TransactionStats NONE = new TransactionStats(0, 0, null, null);
}
