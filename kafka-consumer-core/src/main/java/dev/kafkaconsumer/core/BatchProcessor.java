package dev.kafkaconsumer.core;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Handles a batch of records for a {@link ConsumerContainer}: the records of one partition, in offset
 * order, as taken from the engine. Batches of different partitions run in parallel up to the
 * container's concurrency; batches of one partition run one at a time, in order. A failed batch is
 * retried whole, then each of its records is given to the recoverer. A processor that is done by the time
 * it returns returns {@link Completions#DONE}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface BatchProcessor<K, V> {

    /**
     * Handles a batch.
     *
     * @param records         records of one partition, in offset order, never empty
     * @param acknowledgement marks the whole batch done under {@link CommitMode#MANUAL}
     * @return a stage that completes when the batch is handled
     * @throws Exception when handling failed
     */
    CompletionStage<?> process(List<ConsumerRecord<K, V>> records, Acknowledgement acknowledgement) throws Exception;

    /**
     * Adapts a synchronous batch handler.
     *
     * @param handler called on a worker thread for each batch
     * @param <K>     the key type
     * @param <V>     the value type
     * @return the handler as a processor
     */
    static <K, V> BatchProcessor<K, V> of(SyncBatchHandler<K, V> handler) {
        return (records, acknowledgement) -> {
            handler.handle(records);
            return Completions.DONE;
        };
    }

    /**
     * A synchronous batch handler.
     *
     * @param <K> the key type
     * @param <V> the value type
     */
    @FunctionalInterface
    interface SyncBatchHandler<K, V> {

        /**
         * Handles a batch on a worker thread.
         *
         * @param records records of one partition, in offset order
         * @throws Exception when handling failed
         */
        void handle(List<ConsumerRecord<K, V>> records) throws Exception;
    }
}
