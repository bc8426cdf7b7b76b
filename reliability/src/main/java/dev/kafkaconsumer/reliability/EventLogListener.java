package dev.kafkaconsumer.reliability;

import java.util.Collection;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import dev.kafkaconsumer.core.ContainerListener;

/**
 * Writes a container's successful commits (a transactional container's committed transactions too),
 * aborted transactions, assignments and revocations to an {@link EventLog}; the handler writes the
 * processed records. Shared by the consumer processes and the in-process scenarios.
 */
public final class EventLogListener implements ContainerListener {

    private final EventLog log;

    /**
     * A listener writing to the log.
     *
     * @param log the log, owned by the caller
     */
    public EventLogListener(EventLog log) {
        this.log = log;
    }

    @Override
    public void committed(String container, Map<TopicPartition, OffsetAndMetadata> offsets, Throwable failure) {
        if (failure == null) {
            offsets.forEach((partition, offset) -> log.committed(partition.partition(), offset.offset()));
        } else {
            log.commitFailed(offsets.keySet().stream().map(TopicPartition::partition).toList(), String.valueOf(failure));
        }
    }

    /** A transactional container's commit: the input offsets of the transaction, as {@code committed} lines. */
    @Override
    public void transactionCommitted(String container, Map<TopicPartition, OffsetAndMetadata> offsets, int records) {
        offsets.forEach((partition, offset) -> log.committed(partition.partition(), offset.offset()));
    }

    @Override
    public void transactionAborted(String container, Throwable cause) {
        log.aborted(String.valueOf(cause));
    }

    @Override
    public void assigned(String container, Collection<TopicPartition> partitions) {
        log.assigned(partitions.stream().map(TopicPartition::partition).toList());
    }

    @Override
    public void unassigned(String container, Collection<TopicPartition> partitions, boolean lost) {
        log.revoked(partitions.stream().map(TopicPartition::partition).toList());
    }
}
