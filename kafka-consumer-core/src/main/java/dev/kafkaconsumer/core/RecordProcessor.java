package dev.kafkaconsumer.core;

import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Handles one record for a {@link ConsumerContainer}: the general, asynchronous form. The returned stage
 * completes when the record is handled; a stage that fails, or an exception thrown, is retried and then
 * recovered as the container is configured. A processor that is done by the time it returns returns
 * {@link Completions#DONE}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface RecordProcessor<K, V> {

    /**
     * Handles a record.
     *
     * @param record          the record
     * @param acknowledgement marks the record done under {@link CommitMode#MANUAL}
     * @return a stage that completes when the record is handled
     * @throws Exception when handling failed
     */
    CompletionStage<?> process(ConsumerRecord<K, V> record, Acknowledgement acknowledgement) throws Exception;

    /**
     * Adapts a synchronous handler.
     *
     * @param handler called on a worker thread for each record
     * @param <K>     the key type
     * @param <V>     the value type
     * @return the handler as a processor
     */
    static <K, V> RecordProcessor<K, V> of(SyncRecordHandler<K, V> handler) {
        return (record, acknowledgement) -> {
            handler.handle(record);
            return Completions.DONE;
        };
    }

    /**
     * A synchronous record handler, the usual form.
     *
     * @param <K> the key type
     * @param <V> the value type
     */
    @FunctionalInterface
    interface SyncRecordHandler<K, V> {

        /**
         * Handles a record on a worker thread.
         *
         * @param record the record
         * @throws Exception when handling failed
         */
        void handle(ConsumerRecord<K, V> record) throws Exception;
    }
}
