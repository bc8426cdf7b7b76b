package dev.kafkaconsumer.core;

import java.time.Duration;
import java.util.Set;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.common.TopicPartition;

/**
 * Hears what a {@link ShareConsumerEngine} does with the records it acquired: acknowledgements the broker
 * confirmed or refused, locks renewed, and locks that expired before the application acknowledged.
 *
 * <p>Every method is called on the engine's callback thread ({@code kafka-consumer-callbacks-<client.id>}), one
 * call at a time and in the order the engine saw the events, never on its I/O thread: a listener may block
 * without delaying polls, acknowledgements or lock renewals, though it delays later listener calls and the
 * completion of acknowledgement futures. What a method throws is logged and otherwise ignored.
 */
public interface ShareEngineListener {

    /**
     * Acknowledgements of one type that the broker confirmed for one partition.
     *
     * @param partition the partition
     * @param type      {@link AcknowledgeType#ACCEPT}, {@link AcknowledgeType#RELEASE} or {@link AcknowledgeType#REJECT}
     * @param count     how many records
     */
    default void acknowledged(TopicPartition partition, AcknowledgeType type, int count) {
    }

    /**
     * Acknowledgements that the broker refused or that did not reach it; the records are delivered again
     * once their locks expire.
     *
     * @param partition the partition
     * @param offsets   the records' offsets
     * @param error     what the acknowledgement commit reported, such as an
     *                  {@link org.apache.kafka.common.errors.InvalidRecordStateException}
     */
    default void acknowledgementFailed(TopicPartition partition, Set<Long> offsets, Exception error) {
    }

    /**
     * The acquisition lock of a record expired before the record was acknowledged (or renewed); the broker delivers
     * it again. The record was handed out to the application, or waited in the engine to be taken (then it is never
     * handed out). Called once per record and delivery; a later acknowledgement of the record fails with
     * {@link AcquisitionLockExpiredException} and sends nothing.
     *
     * @param record  the record, whose {@link AcquiredRecord#deliveryCount()} is that of the expired delivery
     * @param heldFor how long had passed since the record was acquired
     */
    default void lockExpired(AcquiredRecord<?, ?> record, Duration heldFor) {
    }

    /**
     * Acquisition locks that the engine renewed for records handed out and not yet acknowledged.
     *
     * @param partition the partition
     * @param count     how many records
     */
    default void renewed(TopicPartition partition, int count) {
    }
}
