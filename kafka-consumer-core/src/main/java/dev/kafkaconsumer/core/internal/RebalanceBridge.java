package dev.kafkaconsumer.core.internal;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rebalance listener that the engine installs on its consumer. It runs on the I/O thread, inside
 * {@code poll}, and keeps the buffers in step with the assignment around the application's own
 * listener:
 * <ol>
 * <li>on revocation, hand-outs of the revoked partitions stop first, then their consumed positions
 * are committed (with auto-commit), then the application's listener runs (its calls back into the
 * engine run inline on this thread), and only then are the buffers dropped;</li>
 * <li>on assignment, buffers exist before the application's listener runs, so that it may call
 * {@code position}, {@code committed} or {@code seek} for the new partitions.</li>
 * </ol>
 * Exceptions from the application's listener are logged, never allowed to break the rebalance.
 */
final class RebalanceBridge implements ConsumerRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(RebalanceBridge.class);

    private static final ConsumerRebalanceListener NONE = new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    };

    private final RecordBuffers<?, ?> buffers;
    private final PositionCommitter committer;
    private final String clientId;
    private final CompletableFuture<Void> firstAssignment = new CompletableFuture<>();
    private volatile ConsumerRebalanceListener listener = NONE;
    private volatile boolean commitOnRevoke = true;
    private volatile boolean joinAwaited;

    RebalanceBridge(RecordBuffers<?, ?> buffers, PositionCommitter committer, String clientId) {
        this.buffers = buffers;
        this.committer = committer;
        this.clientId = clientId;
    }

    /** Sets the application's listener for the subscription being made; {@code null} for none. */
    void listener(ConsumerRebalanceListener applicationListener) {
        this.listener = applicationListener == null ? NONE : applicationListener;
    }

    /** Completes after the first assignment of the group, even an empty one. */
    CompletableFuture<Void> firstAssignment() {
        return firstAssignment;
    }

    /** Notes that {@code start()} will wait for the first assignment; set before the I/O thread starts. */
    void awaitingJoin() {
        joinAwaited = true;
    }

    /**
     * Hands a consumer error to a {@code start()} that waits for the first assignment, so that a
     * consumer that cannot join (a wrong password, a missing permission) says why at once instead of
     * after {@code default.api.timeout.ms}.
     *
     * @return whether the waiting start takes the error; false when nobody waits or the group was joined
     */
    boolean failJoin(RuntimeException error) {
        return joinAwaited && firstAssignment.completeExceptionally(error);
    }

    /** Whether revocations commit consumed positions (auto-commit on). */
    void commitOnRevoke(boolean commit) {
        this.commitOnRevoke = commit;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            runListener("onPartitionsRevoked", () -> listener.onPartitionsRevoked(partitions));
            return;
        }
        buffers.freeze(partitions);
        if (commitOnRevoke) {
            Map<TopicPartition, OffsetAndMetadata> offsets = buffers.uncommittedPositions(partitions);
            committer.commitQuietly(offsets, "before revoking " + partitions);
        }
        try {
            runListener("onPartitionsRevoked", () -> listener.onPartitionsRevoked(partitions));
        } finally {
            buffers.remove(partitions);
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        buffers.freeze(partitions);
        try {
            runListener("onPartitionsLost", () -> listener.onPartitionsLost(partitions));
        } finally {
            buffers.remove(partitions);
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        buffers.assign(partitions);
        try {
            runListener("onPartitionsAssigned", () -> listener.onPartitionsAssigned(partitions));
        } finally {
            firstAssignment.complete(null);
        }
        log.info("[{}] Assigned partitions {}; now assigned {}", clientId, partitions, buffers.assignment());
    }

    private void runListener(String callback, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("[{}] The application's rebalance listener threw from {}; the rebalance goes on", clientId, callback, e);
        }
    }

    /** Commits positions on the I/O thread, logging failures; implemented by the I/O thread. */
    interface PositionCommitter {
        void commitQuietly(Map<TopicPartition, OffsetAndMetadata> offsets, String reason);
    }
}
