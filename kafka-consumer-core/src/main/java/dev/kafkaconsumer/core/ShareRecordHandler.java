package dev.kafkaconsumer.core;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Handles one record of a {@link ShareConsumerContainer} and acknowledges it by hand: the handler (or
 * any thread it hands the work to) calls {@link ShareAcknowledgement#accept()},
 * {@link ShareAcknowledgement#release()} or {@link ShareAcknowledgement#reject()}. A handler that throws
 * before acknowledging fails like any other: it is retried per the container's {@link RetryPolicy}, then
 * released or recovered (see {@link ShareConsumerContainer}); once it acknowledged, an exception it throws
 * is logged and changes nothing. The record's {@link ConsumerRecord#deliveryCount()} says how often the
 * broker delivered it (1 the first time).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface ShareRecordHandler<K, V> {

    /**
     * Handles a record on a worker thread.
     *
     * @param record          the record, with its delivery count
     * @param acknowledgement acknowledges the record, now or later, from any thread
     * @throws Exception when handling failed and the record was not acknowledged
     */
    void handle(ConsumerRecord<K, V> record, ShareAcknowledgement acknowledgement) throws Exception;
}
