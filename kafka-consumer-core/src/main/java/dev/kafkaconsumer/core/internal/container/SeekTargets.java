package dev.kafkaconsumer.core.internal.container;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

import dev.kafkaconsumer.core.SeekTarget;

/**
 * Resolves where a seek moves each partition, and checks it, before anything changes: so a bad request
 * changes nothing. Asks the engine (offsets from the broker); stateless; the thread of the seek.
 */
final class SeekTargets {

    private SeekTargets() {
    }

    /**
     * The offset of each partition for the target, in the partitions' order.
     *
     * @throws IllegalArgumentException when an offset lies outside a partition
     */
    static Map<TopicPartition, Long> resolve(ContainerEngine engine, Set<TopicPartition> partitions, SeekTarget target) {
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        if (target instanceof SeekTarget.Beginning) {
            offsets.putAll(inOrder(partitions, engine.beginningOffsets(partitions)));
        } else if (target instanceof SeekTarget.End) {
            offsets.putAll(inOrder(partitions, engine.endOffsets(partitions)));
        } else if (target instanceof SeekTarget.Offset offset) {
            Map<TopicPartition, Long> beginnings = engine.beginningOffsets(partitions);
            Map<TopicPartition, Long> ends = engine.endOffsets(partitions);
            for (TopicPartition partition : partitions) {
                long first = beginnings.get(partition);
                long end = ends.get(partition);
                if (offset.offset() < first || offset.offset() > end) {
                    throw new IllegalArgumentException("Offset " + offset.offset() + " lies outside " + partition
                            + ", which holds offsets " + first + " to " + end + " (its end)");
                }
                offsets.put(partition, offset.offset());
            }
        } else if (target instanceof SeekTarget.Timestamp timestamp) {
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(partition -> times.put(partition, timestamp.epochMillis()));
            Map<TopicPartition, OffsetAndTimestamp> found = engine.offsetsForTimes(times);
            Map<TopicPartition, Long> ends = engine.endOffsets(partitions);
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp match = found.get(partition);
                offsets.put(partition, match != null ? match.offset() : ends.get(partition));
            }
        }
        return offsets;
    }

    private static Map<TopicPartition, Long> inOrder(Set<TopicPartition> partitions, Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, Long> ordered = new LinkedHashMap<>();
        partitions.forEach(partition -> ordered.put(partition, offsets.get(partition)));
        return ordered;
    }
}
