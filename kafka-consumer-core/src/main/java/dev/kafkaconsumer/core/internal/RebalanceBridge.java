package dev.kafkaconsumer.core.internal;

import java.util.Collection;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rebalance listener that the engine installs on its consumer. It runs on the I/O thread, inside
 * {@code poll} (or inside a command that changes the subscription), and keeps the buffers in step with the
 * assignment around the application's own listener:
 * <ol>
 * <li>on revocation, hand-outs of the revoked partitions stop first, then their consumed positions
 * are committed (with auto-commit), then the application's listener runs (its calls back into the
 * engine run inline on this thread), and only then are the buffers dropped;</li>
 * <li>on assignment, buffers exist before the application's listener runs, so that it may call
 * {@code position}, {@code committed} or {@code seek} for the new partitions.</li>
 * </ol>
 * Nothing the application's listener throws breaks the rebalance: a {@link RuntimeException} is logged;
 * any other {@link Throwable} (an {@link Error}) is logged and also reported through the
 * {@link ErrorChannel}, so that the application hears of it at its next get call.
 *
 * <p>Threads: the I/O thread only, apart from {@link #listener} (set by a command, on the I/O thread too).
 * Created by the {@link IoLoop}, with the collaborators it needs; it names none of the loop's classes.
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
    private final ErrorChannel errors;
    private final GroupJoin join;
    private final boolean commitOnRevoke;
    private final String clientId;
    private volatile ConsumerRebalanceListener listener = NONE;

    /**
     * @param committer      commits positions before a revocation
     * @param errors         where an {@link Error} from the application's listener is reported
     * @param join           completed by the first assignment
     * @param commitOnRevoke whether revocations commit consumed positions (auto-commit on)
     */
    RebalanceBridge(RecordBuffers<?, ?> buffers, PositionCommitter committer, ErrorChannel errors, GroupJoin join,
            boolean commitOnRevoke, String clientId) {
        this.buffers = buffers;
        this.committer = committer;
        this.errors = errors;
        this.join = join;
        this.commitOnRevoke = commitOnRevoke;
        this.clientId = clientId;
    }

    /** Sets the application's listener for the subscription being made; {@code null} for none. */
    void listener(ConsumerRebalanceListener applicationListener) {
        this.listener = applicationListener == null ? NONE : applicationListener;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            runListener("onPartitionsRevoked", () -> listener.onPartitionsRevoked(partitions));
            return;
        }
        buffers.freeze(partitions);
        try {
            if (commitOnRevoke) {
                commitBeforeRevoking(partitions);
            }
            runListener("onPartitionsRevoked", () -> listener.onPartitionsRevoked(partitions));
        } finally {
            buffers.remove(partitions);
        }
    }

    private void commitBeforeRevoking(Collection<TopicPartition> partitions) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = buffers.uncommittedPositions(partitions);
            committer.commitQuietly(offsets, "before revoking " + partitions);
        } catch (Throwable e) {
            // an interceptor's onCommit, say: the revocation goes on without the commit
            errors.unexpected(e, "The commit before revoking " + partitions);
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
            join.assigned();
        }
        log.info("[{}] Assigned partitions {}; now assigned {}", clientId, partitions, buffers.assignment());
    }

    private void runListener(String callback, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("[{}] The application's rebalance listener threw from {}; the rebalance goes on", clientId, callback, e);
        } catch (Throwable e) {
            errors.unexpected(e, "The application's rebalance listener (" + callback + ")");
        }
    }

    /** Commits positions on the I/O thread, logging failures. */
    interface PositionCommitter {
        void commitQuietly(Map<TopicPartition, OffsetAndMetadata> offsets, String reason);
    }
}
