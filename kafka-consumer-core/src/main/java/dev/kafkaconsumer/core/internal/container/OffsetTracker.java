package dev.kafkaconsumer.core.internal.container;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The one owner of every assigned partition's {@link PartitionProgress}: what a container has taken,
 * finished and committed of each partition in its current assignment. A partition's progress starts with
 * its assignment ({@link #assign}), starts afresh at a sought position ({@link #restart}), is closed on a
 * revocation, a loss, a seek or a stop ({@link #close}) and ends with its revocation or loss
 * ({@link #remove}). The committer reads it through {@link #toCommit}, snapshots through
 * {@link #committed} and {@link #inFlight}.
 *
 * <p>Threads: the engine's I/O thread (assign, close, remove, in rebalance callbacks), the dispatcher
 * ({@link #progress}, to track a take), the thread of a seek (close, restart), the timer and the stopper
 * (commits), any thread (snapshots). Thread-safe; changes that must be atomic with tracking a take are
 * made under the dispatcher's lock (see {@link Dispatcher}), which this class does not take.
 */
final class OffsetTracker {

    private final Map<TopicPartition, PartitionProgress> progress = new ConcurrentHashMap<>();

    /** The partitions were assigned: each starts a new progress, with nothing to commit before its first record. */
    void assign(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> progress.put(partition, new PartitionProgress()));
    }

    /** The partition was sought to {@code offset}: a new progress starts there, and commits it until records come. */
    void restart(TopicPartition partition, long offset) {
        progress.put(partition, new PartitionProgress(offset));
    }

    /** The partitions were revoked or lost: their progress ends. */
    void remove(Collection<TopicPartition> partitions) {
        partitions.forEach(progress::remove);
    }

    /** How many partitions are tracked now. */
    int size() {
        return progress.size();
    }

    /** The partitions tracked now. */
    Set<TopicPartition> partitions() {
        return Set.copyOf(progress.keySet());
    }

    /** The partition's current progress, or {@code null} when it is not assigned. */
    PartitionProgress progress(TopicPartition partition) {
        return progress.get(partition);
    }

    /**
     * Closes the partitions' current progress (see {@link PartitionProgress#close(boolean)}).
     *
     * @param fillGaps whether records below the highest started still run (revocation, stop), or none starts (seek, loss)
     * @return the progress closed, to wait for the records still running on it
     */
    Closed close(Collection<TopicPartition> partitions, boolean fillGaps) {
        Map<TopicPartition, PartitionProgress> closed = new LinkedHashMap<>();
        for (TopicPartition partition : partitions) {
            PartitionProgress partitionProgress = progress.get(partition);
            if (partitionProgress != null) {
                partitionProgress.close(fillGaps);
                closed.put(partition, partitionProgress);
            }
        }
        return new Closed(closed);
    }

    /**
     * The commit view: the offset of each of the partitions whose done prefix moved since its last commit.
     *
     * @param partitions the partitions to commit; those not tracked are left out
     * @return what to send, and how to mark it sent
     */
    Commit toCommit(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        Map<TopicPartition, PartitionProgress> sources = new LinkedHashMap<>();
        for (TopicPartition partition : partitions) {
            PartitionProgress partitionProgress = progress.get(partition);
            OffsetAndMetadata offset = partitionProgress == null ? null : partitionProgress.uncommitted();
            if (offset != null) {
                offsets.put(partition, offset);
                sources.put(partition, partitionProgress);
            }
        }
        return new Commit(offsets, sources);
    }

    /** The snapshot view: the offset last committed for the partition, empty before the first commit. */
    OptionalLong committed(TopicPartition partition) {
        PartitionProgress partitionProgress = progress.get(partition);
        long offset = partitionProgress == null ? -1 : partitionProgress.lastCommitted();
        return offset < 0 ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /** The snapshot view: the partition's records in flight. */
    int inFlight(TopicPartition partition) {
        PartitionProgress partitionProgress = progress.get(partition);
        return partitionProgress == null ? 0 : partitionProgress.inFlight();
    }

    /**
     * Offsets to commit, read from the progress of each partition. A seek may replace a partition's progress
     * while the commit is under way: {@link #sent()} marks the offset on the progress it was read from, and
     * the new progress commits its own with the next commit.
     *
     * @param offsets what to send
     * @param sources the progress each offset was read from
     */
    record Commit(Map<TopicPartition, OffsetAndMetadata> offsets, Map<TopicPartition, PartitionProgress> sources) {

        boolean isEmpty() {
            return offsets.isEmpty();
        }

        /** The broker took the offsets. */
        void sent() {
            offsets.forEach((partition, offset) -> sources.get(partition).committed(offset.offset()));
        }
    }

    /** The progress of closed partitions, as it was when they closed. */
    record Closed(Map<TopicPartition, PartitionProgress> progress) {

        /**
         * Waits until no record of these partitions is in flight, or the deadline passes.
         *
         * @param deadlineNanos a {@link System#nanoTime()} deadline
         * @return the partitions still busy at the deadline, in order
         * @throws InterruptedException if interrupted while waiting
         */
        List<TopicPartition> awaitIdle(long deadlineNanos) throws InterruptedException {
            List<TopicPartition> busy = new java.util.ArrayList<>();
            for (Map.Entry<TopicPartition, PartitionProgress> entry : progress.entrySet()) {
                if (!entry.getValue().awaitIdle(deadlineNanos)) {
                    busy.add(entry.getKey());
                }
            }
            return busy;
        }
    }
}
