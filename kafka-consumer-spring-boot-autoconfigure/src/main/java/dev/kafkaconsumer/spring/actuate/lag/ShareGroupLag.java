package dev.kafkaconsumer.spring.actuate.lag;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

import org.apache.kafka.common.TopicPartition;

/**
 * A share group's offsets and lag per partition as the broker last reported them ({@code Admin#listShareGroupOffsets},
 * KIP-932): a share group commits no offsets, so this is the only lag it has, and it belongs to the group, not to one
 * of its consumers.
 *
 * @param groupId    the share group
 * @param sampledAt  when the broker answered
 * @param partitions the partitions the broker knows the group's start offset of, by topic and partition
 */
public record ShareGroupLag(String groupId, Instant sampledAt, List<Partition> partitions) {

    /** Copies and sorts the partitions. */
    public ShareGroupLag {
        partitions = partitions.stream()
            .sorted(Comparator.comparing((Partition partition) -> partition.partition().topic())
                .thenComparingInt((partition) -> partition.partition().partition()))
            .toList();
    }

    /**
     * One partition of a share group.
     *
     * @param partition   the partition
     * @param startOffset the share-partition start offset: the earliest offset of the records still being delivered
     *                    or waiting (records after it may be done already)
     * @param lag         the records not yet delivered for good, as the broker computes it; empty when it does not
     *                    give it (a broker before Kafka 4.2, or one that cannot tell)
     */
    public record Partition(TopicPartition partition, long startOffset, OptionalLong lag) {
    }

}
