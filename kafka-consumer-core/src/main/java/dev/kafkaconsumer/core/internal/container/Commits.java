package dev.kafkaconsumer.core.internal.container;

import java.util.Collection;

import org.apache.kafka.common.TopicPartition;

/**
 * How a container commits each partition's done prefix: through its consumer ({@link Committer}) or in
 * transactions of its producer ({@link TransactionalCommitter}). The runtime commits on schedule, after a seek and
 * before its stop; the {@link RebalanceHandler} before a revocation.
 */
interface Commits {

    /** Commits the done prefix of every partition; failures are logged (and, in a transaction, rewound). */
    void commitAll();

    /** Commits the done prefix of partitions being revoked, on the engine's I/O thread. */
    void commitRevoked(Collection<TopicPartition> partitions);

    /** The final commit of a stop, within what is left of its timeout (at least a second). */
    void commitBeforeStop(long deadlineNanos);

    /** A rebalance begins (a revocation) or ends (an assignment), on the engine's I/O thread. */
    default void rebalanced() {
    }
}
