package dev.kafkaconsumer.core.internal.share;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One record acquired by the share consumer, and what became of it.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class Acquisition<K, V> {

    private final ConsumerRecord<K, V> record;
    private final TopicPartition partition;
    private final int deliveryCount;

    Acquisition(ConsumerRecord<K, V> record) {
        this.record = record;
        this.partition = new TopicPartition(record.topic(), record.partition());
        this.deliveryCount = record.deliveryCount().map(Short::intValue).orElse(1);
    }

    public ConsumerRecord<K, V> record() {
        return record;
    }

    public TopicPartition partition() {
        return partition;
    }

    public int deliveryCount() {
        return deliveryCount;
    }

    public CompletableFuture<Void> acknowledge(AcknowledgeType type) {
        throw new UnsupportedOperationException("not yet");
    }

    public boolean isAcknowledged() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public String toString() {
        return partition + "@" + record.offset() + " (delivery " + deliveryCount + ")";
    }
}
