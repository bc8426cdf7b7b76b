package dev.kafkaconsumer.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;

/**
 * The records that one get call takes, gathered partition by partition up to the call's maximum.
 *
 * <p>A record that could not be deserialized is thrown in its turn, exactly once: a call that took records already
 * stops short of it, so that those records are returned first; the next call that reaches it takes it (moving the
 * partition's position past it) and throws it.
 *
 * <p>Threads: created and used by one application thread taking records (a caller of a get method, or the thread
 * serving {@link PendingGets}), under the lock of {@link RecordBuffers}; it never outlives the call.
 */
final class HandOut<K, V> {

    private final Map<TopicPartition, List<ConsumerRecord<K, V>>> records = new LinkedHashMap<>();
    private int remaining;

    HandOut(int max) {
        this.remaining = max;
    }

    /** How many more records this call may take. */
    int remaining() {
        return remaining;
    }

    /**
     * Takes up to {@code max} records (and no more than remain) from the head of a buffer.
     *
     * @throws RecordDeserializationException when the head of the buffer is a record that could not be deserialized
     *                                        and this call has taken nothing yet
     */
    void takeFrom(PartitionBuffer<K, V> buffer, int max) {
        if (buffer.headError() != null) {
            if (records.isEmpty()) {
                throw buffer.takeHeadError();
            }
            return;
        }
        List<List<ConsumerRecord<K, V>>> parts = new ArrayList<>(2);
        int taken = buffer.take(Math.min(max, remaining), parts);
        if (taken > 0) {
            records.put(buffer.partition(), parts.size() == 1 ? parts.get(0) : concat(parts, taken));
            remaining -= taken;
        }
    }

    private static <T> List<T> concat(List<List<T>> parts, int size) {
        List<T> all = new ArrayList<>(size);
        parts.forEach(all::addAll);
        return all;
    }

    /** The records taken, by partition in the order taken. */
    Map<TopicPartition, List<ConsumerRecord<K, V>>> records() {
        return records;
    }
}
