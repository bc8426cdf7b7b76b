package dev.kafkaconsumer.core.internal.container;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.TopicPartition;

import dev.kafkaconsumer.core.Acknowledgement;
import dev.kafkaconsumer.core.TransactionalSender;

/**
 * The outputs of one handler call of a transactional container: the sender the handler is given (in place of an
 * acknowledgement, which a transactional container has no use for: its offsets go only with transactions). Each
 * output is serialized at once, on the handler's thread; when the call returns normally the outputs are kept in
 * {@link PendingOutputs} with the input record, before the record is marked done, so that the transaction that
 * commits the record's offset finds them; when it fails they are dropped. Either way the sender is closed.
 *
 * <p>Threads: the handler's (and any thread it sends from during the call); its monitor guards the list and
 * the open flag.
 *
 * @param <KO> the output key type
 * @param <VO> the output value type
 */
final class RecordOutputs<KO, VO> implements TransactionalSender<KO, VO>, Acknowledgement {

    private final Serializer<KO> keySerializer;
    private final Serializer<VO> valueSerializer;
    private final PendingOutputs pending;
    private final PartitionProgress progress;
    private final TopicPartition partition;
    private final long offset;
    private final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(2);
    private boolean open = true;

    RecordOutputs(Serializer<KO> keySerializer, Serializer<VO> valueSerializer, PendingOutputs pending,
            PartitionProgress progress, TopicPartition partition, long offset) {
        this.keySerializer = keySerializer;
        this.valueSerializer = valueSerializer;
        this.pending = pending;
        this.progress = progress;
        this.partition = partition;
        this.offset = offset;
    }

    @Override
    public synchronized void send(ProducerRecord<KO, VO> record) {
        Objects.requireNonNull(record, "record");
        if (!open) {
            throw new IllegalStateException("This sender belongs to the handler call for " + partition + " offset " + offset
                    + ", which is over; send outputs only during the handler call that was given the sender");
        }
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        byte[] key = keySerializer.serialize(record.topic(), headers, record.key());
        byte[] value = valueSerializer.serialize(record.topic(), headers, record.value());
        records.add(new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), key, value, headers));
    }

    /** Nothing: a transactional container commits offsets with its transactions only. */
    @Override
    public void acknowledge() {
    }

    /**
     * The handler call is over: no more sends.
     *
     * @param handled whether it returned normally: then the outputs are kept with the record, else dropped
     */
    synchronized void close(boolean handled) {
        if (!open) {
            return;
        }
        open = false;
        if (handled) {
            pending.put(progress, offset, List.copyOf(records));
        }
    }
}
