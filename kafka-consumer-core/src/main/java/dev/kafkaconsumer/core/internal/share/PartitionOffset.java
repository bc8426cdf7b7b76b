package dev.kafkaconsumer.core.internal.share;

import org.apache.kafka.common.TopicPartition;

/**
 * A record's place: what the share consumer's acknowledgements and its commit callback name records by.
 *
 * @param partition the partition
 * @param offset    the offset
 */
record PartitionOffset(TopicPartition partition, long offset) {

    static PartitionOffset of(Acquisition<?, ?> record) {
        return new PartitionOffset(record.partition(), record.offset());
    }
}
