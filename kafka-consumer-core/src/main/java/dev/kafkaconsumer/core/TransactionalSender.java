package dev.kafkaconsumer.core;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends the output records of one input record of a transactional {@link ConsumerContainer}: what is sent is
 * kept with the input record and written in the transaction that commits the input's offset, never before
 * and never in another one (see {@link Transactions} for the rule). The records are serialized at once, on
 * the handler's thread, with the serializers given to {@link Transactions#builder}.
 *
 * <p>A sender is bound to one handler call: it is valid only during that call, and every call after the
 * handler returned (or threw) throws {@link IllegalStateException}. If the call fails, what it sent is
 * dropped, and a retry starts with a new sender and nothing sent.
 *
 * @param <KO> the output key type
 * @param <VO> the output value type
 */
public interface TransactionalSender<KO, VO> {

    /**
     * Sends an output record in the transaction of the input record being handled.
     *
     * @param record the output record; its topic is required, its partition, timestamp and headers are kept
     * @throws IllegalStateException       if the handler call this sender was given to is over
     * @throws org.apache.kafka.common.errors.SerializationException if the key or value cannot be serialized
     */
    void send(ProducerRecord<KO, VO> record);

    /**
     * Sends an output record with a key and a value, to the partition the producer's partitioner picks.
     *
     * @param topic the output topic
     * @param key   the key, or {@code null}
     * @param value the value, or {@code null}
     * @throws IllegalStateException if the handler call this sender was given to is over
     */
    default void send(String topic, KO key, VO value) {
        send(new ProducerRecord<>(topic, key, value));
    }
}
