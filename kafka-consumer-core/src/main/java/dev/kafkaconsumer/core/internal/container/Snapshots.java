package dev.kafkaconsumer.core.internal.container;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

import dev.kafkaconsumer.core.PartitionSnapshot;

/**
 * Builds the partition snapshots of a container from its engine and its offset tracker, locally, without
 * a request. Stateless; any thread (an actuator's, a health probe's).
 */
final class Snapshots {

    private Snapshots() {
    }

    /**
     * Describes every assigned partition, ordered by topic and partition.
     *
     * @param readCommitted whether the lag is measured against the last stable offset
     */
    static List<PartitionSnapshot> partitions(Set<TopicPartition> assigned, ContainerEngine engine, OffsetTracker tracker,
            boolean readCommitted) {
        List<PartitionSnapshot> partitions = new ArrayList<>();
        for (TopicPartition partition : assigned) {
            try {
                OptionalLong committed = tracker.committed(partition);
                OptionalLong highWatermark = engine.highwater(partition);
                OptionalLong lastStable = engine.lastStableOffset(partition);
                OptionalLong end = readCommitted ? lastStable : highWatermark;
                OptionalLong lag = end.isPresent() && committed.isPresent()
                        ? OptionalLong.of(Math.max(0, end.getAsLong() - committed.getAsLong())) : OptionalLong.empty();
                partitions.add(new PartitionSnapshot(partition, engine.currentPosition(partition), committed, highWatermark,
                        lastStable, lag, engine.lastPollTimestamp(partition), tracker.inFlight(partition)));
            } catch (IllegalStateException e) {
                // revoked while the snapshot was taken
            }
        }
        partitions.sort(Comparator.comparing((PartitionSnapshot p) -> p.partition().topic())
                .thenComparingInt(p -> p.partition().partition()));
        return List.copyOf(partitions);
    }
}
