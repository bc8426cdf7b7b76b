package dev.kafkaconsumer.core.internal.container;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

import dev.kafkaconsumer.core.ConsumerEngine;
import dev.kafkaconsumer.core.PartitionSnapshot;

/** Builds the partition snapshots of a container from its engine and progress, locally, without a request. */
final class Snapshots {

    private Snapshots() {
    }

    /**
     * Describes every assigned partition, ordered by topic and partition.
     *
     * @param readCommitted whether the lag is measured against the last stable offset
     */
    static List<PartitionSnapshot> partitions(Set<TopicPartition> assigned, ConsumerEngine<?, ?> engine,
            Map<TopicPartition, PartitionProgress> progress, boolean readCommitted) {
        List<PartitionSnapshot> partitions = new ArrayList<>();
        for (TopicPartition partition : assigned) {
            try {
                PartitionProgress partitionProgress = progress.get(partition);
                long committedOffset = partitionProgress == null ? -1 : partitionProgress.lastCommitted();
                OptionalLong committed = committedOffset < 0 ? OptionalLong.empty() : OptionalLong.of(committedOffset);
                OptionalLong highWatermark = engine.highwater(partition);
                OptionalLong lastStable = engine.lastStableOffset(partition);
                OptionalLong end = readCommitted ? lastStable : highWatermark;
                OptionalLong lag = end.isPresent() && committed.isPresent()
                        ? OptionalLong.of(Math.max(0, end.getAsLong() - committed.getAsLong())) : OptionalLong.empty();
                partitions.add(new PartitionSnapshot(partition, engine.currentPosition(partition), committed, highWatermark,
                        lastStable, lag, engine.lastPollTimestamp(partition),
                        partitionProgress == null ? 0 : partitionProgress.inFlight()));
            } catch (IllegalStateException e) {
                // revoked while the snapshot was taken
            }
        }
        partitions.sort(Comparator.comparing((PartitionSnapshot p) -> p.partition().topic())
                .thenComparingInt(p -> p.partition().partition()));
        return List.copyOf(partitions);
    }
}
