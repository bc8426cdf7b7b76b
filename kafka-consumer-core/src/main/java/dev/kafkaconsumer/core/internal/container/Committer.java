package dev.kafkaconsumer.core.internal.container;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.ConsumerEngine;
import dev.kafkaconsumer.core.ContainerListener;

/**
 * Commits each partition's done prefix for a container, and tells its listeners. A seek may replace a
 * partition's progress while a commit is under way: the offset committed is marked on the progress it
 * was read from, and the new progress commits its own with the next commit. Does nothing without a group.
 */
final class Committer {

    private static final Logger log = LoggerFactory.getLogger(Committer.class);

    /** How a commit is sent: throws what the engine threw, or reports a timeout. */
    @FunctionalInterface
    private interface Send {
        void send(Map<TopicPartition, OffsetAndMetadata> offsets) throws Exception;
    }

    private final String container;
    private final ConsumerEngine<byte[], byte[]> engine;
    private final Map<TopicPartition, PartitionProgress> progress;
    private final ContainerListener listener;
    private final boolean enabled;

    Committer(String container, ConsumerEngine<byte[], byte[]> engine, Map<TopicPartition, PartitionProgress> progress,
            ContainerListener listener, boolean enabled) {
        this.container = container;
        this.engine = engine;
        this.progress = progress;
        this.listener = listener;
        this.enabled = enabled;
    }

    /** Commits the done prefix of every partition, waiting for the broker; failures are logged. */
    void commitAll() {
        commit(progress.keySet());
    }

    /** Commits the done prefix of the partitions, waiting for the broker; failures are logged. */
    void commit(Collection<TopicPartition> partitions) {
        commit(partitions, engine::commit);
    }

    /**
     * The final commit, within what is left of the stop's timeout (at least a second): with the brokers
     * gone it fails in time instead of holding the stop for the consumer's API timeout.
     */
    void commitBeforeStop(long deadlineNanos) {
        long millis = Math.max(1000, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        commit(progress.keySet(), offsets -> engine.commitAsync(offsets).get(millis, TimeUnit.MILLISECONDS));
    }

    private void commit(Collection<TopicPartition> partitions, Send send) {
        if (!enabled) {
            return;
        }
        Map<TopicPartition, PartitionProgress> sources = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Set<TopicPartition> assigned = engine.assignment();
        for (TopicPartition partition : partitions) {
            if (!assigned.contains(partition)) {
                continue; // revoked since: its revocation committed it, and the engine refuses it now
            }
            PartitionProgress partitionProgress = progress.get(partition);
            long offset = partitionProgress == null ? -1 : partitionProgress.uncommittedOffset();
            if (offset >= 0) {
                offsets.put(partition, new OffsetAndMetadata(offset));
                sources.put(partition, partitionProgress);
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            send.send(offsets);
            offsets.forEach((partition, offset) -> sources.get(partition).committed(offset.offset()));
            listener.committed(container, offsets, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            listener.committed(container, offsets, e);
        } catch (KafkaException | ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            log.warn("Container {} could not commit {} ({}); records not committed will be read again", container,
                    offsets, cause.toString());
            listener.committed(container, offsets, cause);
        } catch (Exception e) {
            throw new IllegalStateException("Unexpected failure committing " + offsets, e);
        }
    }
}
