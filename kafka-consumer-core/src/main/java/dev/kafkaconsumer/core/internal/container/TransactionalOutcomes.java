package dev.kafkaconsumer.core.internal.container;

import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

import dev.kafkaconsumer.core.Acknowledgement;
import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.FailedRecord;
import dev.kafkaconsumer.core.Transactions;

/**
 * The outcomes of a transactional container: those of a container that commits offsets ({@link CommitOutcomes}:
 * a record handled or recovered is done in its partition's progress), with each record's outputs kept in
 * {@link PendingOutputs} before it is marked done, so that the transaction that commits its offset carries them.
 * The handler gets a {@link RecordOutputs} in place of an acknowledgement, for each attempt a new one; a record
 * given up to a dead-letter recoverer ({@link DeadLetterSource}) has its dead letter kept as its output, so that
 * it goes out in the record's transaction. Stateless beyond its collaborators; the runner's threads.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class TransactionalOutcomes<K, V> implements RecordOutcomes<K, V> {

    private final CommitOutcomes<K, V> commits;
    private final Recovery<K, V> recovery;
    private final PendingOutputs pending;
    private final ContainerListener listener;
    private final String name;
    private final String recovererKind;
    private final DeadLetterSource<K, V> deadLetters;
    private final Serializer<Object> keySerializer;
    private final Serializer<Object> valueSerializer;

    @SuppressWarnings("unchecked")
    TransactionalOutcomes(ContainerConfig<K, V> config, CommitOutcomes<K, V> commits, Recovery<K, V> recovery,
            PendingOutputs pending, ContainerListener listener) {
        this.commits = commits;
        this.recovery = recovery;
        this.pending = pending;
        this.listener = listener;
        this.name = config.name();
        this.recovererKind = config.recoverer().kind();
        this.deadLetters = config.recoverer() instanceof DeadLetterSource<?, ?> source ? (DeadLetterSource<K, V>) source : null;
        Transactions<Object, Object> transactions = (Transactions<Object, Object>) config.transactions();
        this.keySerializer = transactions.keySerializer();
        this.valueSerializer = transactions.valueSerializer();
    }

    @Override
    public boolean mayStart(Work work, long offset) {
        return commits.mayStart(work, offset);
    }

    /** A new sender for this attempt at the record: what it sends is kept only if the attempt succeeds. */
    @Override
    public Acknowledgement acknowledgement(Work work, long offset) {
        return new RecordOutputs<>(keySerializer, valueSerializer, pending, work.progress, work.partition, offset);
    }

    @Override
    public void handled(Work work, long offset) {
        commits.handled(work, offset);
    }

    @Override
    public void handledAt(Work work, int index) {
        commits.handledAt(work, index);
    }

    /**
     * A dead letter becomes the record's output, in its transaction; another recoverer runs as in any container
     * (outside the transaction).
     */
    @Override
    public boolean notHandled(Work work, FailedRecord<K, V> failed) {
        if (deadLetters == null) {
            return commits.notHandled(work, failed);
        }
        ProducerRecord<byte[], byte[]> letter;
        try {
            letter = deadLetters.deadLetter(failed);
        } catch (RuntimeException e) {
            recovery.unrecoverable(work, e);
            return false;
        }
        pending.put(work.progress, failed.offset(), List.of(letter));
        listener.recovered(name, failed, recovererKind);
        work.progress.done(failed.offset());
        return true;
    }

    @Override
    public void over(Work work) {
        commits.over(work);
    }
}
