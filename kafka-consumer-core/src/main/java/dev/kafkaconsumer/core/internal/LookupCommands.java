package dev.kafkaconsumer.core.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The commands that look things up in the cluster without changing anything: offsets by time, beginning
 * and end offsets, topics and partitions. Built on a caller thread, run on the I/O thread (see
 * {@link IoCommand}).
 */
final class LookupCommands {

    private LookupCommands() {
    }

    /** The first offset of each partition whose timestamp is at or after the given one. */
    static final class OffsetsForTimes extends IoCommand<Map<TopicPartition, OffsetAndTimestamp>> {
        private final Map<TopicPartition, Long> timestamps;

        OffsetsForTimes(Map<TopicPartition, Long> timestamps, Deadline deadline) {
            super("offsetsForTimes(" + timestamps.keySet() + ")", deadline);
            this.timestamps = Map.copyOf(timestamps);
        }

        @Override
        Map<TopicPartition, OffsetAndTimestamp> execute(IoContext io, Duration timeout) {
            return io.consumer().offsetsForTimes(timestamps, timeout);
        }
    }

    /** The first or the end offset of each partition. */
    static final class ListOffsets extends IoCommand<Map<TopicPartition, Long>> {
        private final List<TopicPartition> partitions;
        private final boolean beginning;

        ListOffsets(Collection<TopicPartition> partitions, boolean beginning, Deadline deadline) {
            super((beginning ? "beginningOffsets(" : "endOffsets(") + partitions + ")", deadline);
            this.partitions = List.copyOf(partitions);
            this.beginning = beginning;
        }

        @Override
        Map<TopicPartition, Long> execute(IoContext io, Duration timeout) {
            return beginning ? io.consumer().beginningOffsets(partitions, timeout) : io.consumer().endOffsets(partitions, timeout);
        }
    }

    /** The topics that the cluster has and this client may see. */
    static final class Topics extends IoCommand<Set<String>> {
        Topics(Deadline deadline) {
            super("topics()", deadline);
        }

        @Override
        Set<String> execute(IoContext io, Duration timeout) {
            return Set.copyOf(io.consumer().listTopics(timeout).keySet());
        }
    }

    /** The partition numbers of a topic. */
    static final class PartitionsFor extends IoCommand<Set<Integer>> {
        private final String topic;

        PartitionsFor(String topic, Deadline deadline) {
            super("partitionsForTopic(" + topic + ")", deadline);
            this.topic = topic;
        }

        @Override
        Set<Integer> execute(IoContext io, Duration timeout) {
            List<PartitionInfo> partitions = io.consumer().partitionsFor(topic, timeout);
            return Set.copyOf(partitions.stream().map(PartitionInfo::partition).toList());
        }
    }

    /**
     * The consumer's group metadata (group id, generation or member epoch, member id, instance id), as the
     * I/O thread sees it now: what a transactional producer sends its offsets with (KIP-447).
     */
    static final class GroupMetadata extends IoCommand<ConsumerGroupMetadata> {
        GroupMetadata(Deadline deadline) {
            super("groupMetadata()", deadline);
        }

        @Override
        ConsumerGroupMetadata execute(IoContext io, Duration timeout) {
            return io.consumer().groupMetadata();
        }
    }
}
