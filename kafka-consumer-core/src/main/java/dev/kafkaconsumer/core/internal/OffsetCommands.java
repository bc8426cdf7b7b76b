package dev.kafkaconsumer.core.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The commands that read and commit positions: {@code position}, {@code committed}, {@code commit} and
 * {@code commitAsync}. Each is built on a caller thread and runs on the I/O thread (see {@link IoCommand}).
 */
final class OffsetCommands {

    private OffsetCommands() {
    }

    /** The consumer's position of a partition whose buffer does not know it yet: the start point. */
    static final class Position extends IoCommand<Long> {
        private final TopicPartition partition;

        Position(TopicPartition partition, Deadline deadline) {
            super("position(" + partition + ")", deadline);
            this.partition = partition;
        }

        @Override
        Long execute(IoContext io, Duration timeout) {
            long known = io.buffers().read(partition, PartitionBuffer::position);
            if (known != PartitionBuffer.UNKNOWN) {
                return known;
            }
            // nothing fetched for the partition is buffered, so the consumer's position is the engine's
            long resolved = io.consumer().position(partition, timeout);
            return io.buffers().read(partition, buffer -> {
                buffer.resolvePosition(resolved);
                return buffer.position();
            });
        }
    }

    /** The group's committed offset of a partition, from the coordinator. */
    static final class Committed extends IoCommand<OffsetAndMetadata> {
        private final TopicPartition partition;

        Committed(TopicPartition partition, Deadline deadline) {
            super("committed(" + partition + ")", deadline);
            this.partition = partition;
        }

        @Override
        OffsetAndMetadata execute(IoContext io, Duration timeout) {
            return io.consumer().committed(Set.of(partition), timeout).get(partition);
        }
    }

    /** A synchronous commit of given offsets, or of the consumed positions of every assigned partition. */
    static final class Commit extends IoCommand<Void> {
        private final Map<TopicPartition, OffsetAndMetadata> offsets;

        /** @param offsets what to commit, or {@code null} for the consumed positions */
        Commit(Map<TopicPartition, OffsetAndMetadata> offsets, Deadline deadline) {
            super(offsets == null ? "commit()" : "commit(" + offsets.keySet() + ")", deadline);
            this.offsets = offsets;
        }

        @Override
        Void execute(IoContext io, Duration timeout) {
            if (offsets == null) {
                io.commits().commitSync(io.buffers().consumedPositions(List.of()), timeout);
            } else {
                io.assignments().requireOwned(offsets.keySet());
                io.commits().commitSync(offsets, timeout);
            }
            return null;
        }
    }

    /**
     * An asynchronous commit: the command only sends it, so it has no deadline; {@code outcome} completes,
     * on the engine's callback thread, when the broker answers.
     */
    static final class CommitAsync extends IoCommand<Void> {
        private final Map<TopicPartition, OffsetAndMetadata> offsets;
        private final CompletableFuture<Void> outcome;
        private final Consumer<Runnable> onCallbackThread;

        /**
         * @param offsets          what to commit, or {@code null} for the consumed positions
         * @param outcome          completed with the broker's answer, or failed with a refusal
         * @param onCallbackThread runs a completion on the engine's callback thread
         */
        CommitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, CompletableFuture<Void> outcome,
                Consumer<Runnable> onCallbackThread) {
            super(offsets == null ? "commitAsync()" : "commitAsync(" + offsets.keySet() + ")", Deadline.none());
            this.offsets = offsets;
            this.outcome = outcome;
            this.onCallbackThread = onCallbackThread;
        }

        @Override
        Void execute(IoContext io, Duration timeout) {
            Map<TopicPartition, OffsetAndMetadata> toCommit = offsets != null ? offsets : io.buffers().consumedPositions(List.of());
            try {
                io.assignments().requireOwned(toCommit.keySet());
            } catch (CommitFailedException e) {
                onCallbackThread.accept(() -> outcome.completeExceptionally(e));
                return null;
            }
            io.commits().commitAsync(toCommit, (committed, error) -> onCallbackThread.accept(() -> {
                if (error == null) {
                    outcome.complete(null);
                } else {
                    outcome.completeExceptionally(error);
                }
            }));
            return null;
        }
    }
}
