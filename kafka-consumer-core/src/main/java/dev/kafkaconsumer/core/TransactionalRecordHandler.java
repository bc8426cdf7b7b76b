package dev.kafkaconsumer.core;

import java.util.Collection;
import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Handles one record of a transactional {@link ConsumerContainer} (consume-transform-produce): it sends its
 * output records through the {@link TransactionalSender} it is given, and the container writes them in the
 * transaction that commits the input record's offset. A handler that throws is retried as the container's
 * {@link RetryPolicy} says, each attempt with a new sender, what a failed attempt sent being dropped; when
 * retries are spent the recoverer takes the record (a dead letter of {@link Recoverers#deadLetterTopic(java.util.Map)}
 * then goes out in the record's transaction).
 *
 * <p>A handler that computes its outputs may return them instead: {@link #returning(Returning)}.
 *
 * @param <K>  the input key type
 * @param <V>  the input value type
 * @param <KO> the output key type
 * @param <VO> the output value type
 */
@FunctionalInterface
public interface TransactionalRecordHandler<K, V, KO, VO> {

    /**
     * Handles a record on a worker thread.
     *
     * @param record the input record
     * @param sender sends the record's outputs; valid during this call only
     * @throws Exception when handling failed: what was sent is dropped
     */
    void handle(ConsumerRecord<K, V> record, TransactionalSender<KO, VO> sender) throws Exception;

    /**
     * Adapts a handler that returns its output records rather than sending them.
     *
     * @param handler returns the outputs of a record, empty or {@code null} for none
     * @param <K>     the input key type
     * @param <V>     the input value type
     * @param <KO>    the output key type
     * @param <VO>    the output value type
     * @return the handler, sending what it returns
     */
    static <K, V, KO, VO> TransactionalRecordHandler<K, V, KO, VO> returning(Returning<K, V, KO, VO> handler) {
        Objects.requireNonNull(handler, "handler");
        return (record, sender) -> {
            Collection<ProducerRecord<KO, VO>> outputs = handler.handle(record);
            if (outputs != null) {
                outputs.forEach(sender::send);
            }
        };
    }

    /**
     * A handler that returns the output records of a record.
     *
     * @param <K>  the input key type
     * @param <V>  the input value type
     * @param <KO> the output key type
     * @param <VO> the output value type
     */
    @FunctionalInterface
    interface Returning<K, V, KO, VO> {

        /**
         * Handles a record on a worker thread.
         *
         * @param record the input record
         * @return its output records, empty or {@code null} for none
         * @throws Exception when handling failed
         */
        Collection<ProducerRecord<KO, VO>> handle(ConsumerRecord<K, V> record) throws Exception;
    }
}
