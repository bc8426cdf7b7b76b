package dev.kafkaconsumer.core.internal.container;

import org.apache.kafka.clients.producer.ProducerRecord;

import dev.kafkaconsumer.core.FailedRecord;

/**
 * A recoverer whose recovery is a dead-letter record ({@code Recoverers.deadLetterTopic}): a transactional
 * container asks it for the record and sends it in the failed record's transaction, through its transactional
 * producer, instead of letting the recoverer send it with its own producer outside the transaction.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface DeadLetterSource<K, V> {

    /**
     * The dead letter of a record, as the recoverer would send it.
     *
     * @param failed the record and why it failed
     * @return the dead-letter record, with the original key and value bytes
     */
    ProducerRecord<byte[], byte[]> deadLetter(FailedRecord<K, V> failed);
}
