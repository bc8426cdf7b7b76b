package dev.kafkaconsumer.core;

import java.util.OptionalLong;

import org.apache.kafka.common.TopicPartition;

/**
 * Where a container stands on one assigned partition, read without a request to the broker.
 *
 * @param partition         the partition
 * @param position          the next offset the engine will hand to the container, or empty before it is known
 * @param committed         the offset the container last committed, or empty before its first commit
 * @param highWatermark     the high-water mark of the last fetch response, or empty before one
 * @param lastStableOffset  the last stable offset of the last fetch response, or empty before one
 * @param lag               records not yet committed: the high-water mark (the last stable offset under
 *                          read_committed) minus the committed offset, or empty while either is unknown
 * @param lastPollTimestamp wall-clock milliseconds of the last fetch response for the partition, or empty
 * @param inFlight          records taken from the engine and not yet done (queued or being handled)
 */
public record PartitionSnapshot(TopicPartition partition, OptionalLong position, OptionalLong committed,
        OptionalLong highWatermark, OptionalLong lastStableOffset, OptionalLong lag, OptionalLong lastPollTimestamp,
        int inFlight) {
}
