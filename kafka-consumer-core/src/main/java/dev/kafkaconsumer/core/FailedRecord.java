package dev.kafkaconsumer.core;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;

/**
 * A record that its handler could not handle within the retry policy, or that could not be
 * deserialized, as given to a {@link Recoverer}.
 *
 * @param raw      the record as fetched: original key and value bytes and headers
 * @param record   the deserialized record, or {@code null} when deserialization failed
 * @param failure  the last exception: from the handler, or from a deserializer
 * @param attempts how many times the handler was called (0 for a deserialization failure)
 * @param <K>      the key type
 * @param <V>      the value type
 */
public record FailedRecord<K, V>(ConsumerRecord<byte[], byte[]> raw, ConsumerRecord<K, V> record, Throwable failure,
        int attempts) {

    /**
     * Returns the record's partition.
     *
     * @return topic and partition
     */
    public TopicPartition partition() {
        return new TopicPartition(raw.topic(), raw.partition());
    }

    /**
     * Returns the record's offset.
     *
     * @return the offset
     */
    public long offset() {
        return raw.offset();
    }

    /**
     * Returns the record's original headers.
     *
     * @return the headers
     */
    public Headers headers() {
        return raw.headers();
    }

    /**
     * Returns whether the record failed in a deserializer rather than in the handler.
     *
     * @return true for a poison pill
     */
    public boolean deserializationFailed() {
        return record == null;
    }
}
