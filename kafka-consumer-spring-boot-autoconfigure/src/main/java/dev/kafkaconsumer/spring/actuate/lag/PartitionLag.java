package dev.kafkaconsumer.spring.actuate.lag;

import java.util.OptionalLong;

import org.apache.kafka.common.TopicPartition;

/**
 * The lag of one partition of one container, as of the latest sample.
 *
 * @param container     the container's name
 * @param partition     the partition
 * @param committed     the offset the container last committed, or empty before its first commit
 * @param endOffset     the high-water mark, or the last stable offset under read_committed, or empty before
 *                      the first fetch response
 * @param lag           records not yet committed ({@code endOffset - committed}), or empty while either is unknown
 * @param timeLagMillis how long ago the first record not yet committed was written, estimated from the
 *                      times at which recent end offsets were seen; empty while fewer than two are known
 * @param status        how the partition keeps up over the window
 * @param sampledAt     when the latest sample was taken, in milliseconds since the epoch
 * @param samples       samples in the window, at most the window size
 */
public record PartitionLag(String container, TopicPartition partition, OptionalLong committed, OptionalLong endOffset,
        OptionalLong lag, OptionalLong timeLagMillis, LagStatus status, long sampledAt, int samples) {
}
