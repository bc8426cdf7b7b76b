package dev.kafkaconsumer.core.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The buffer of every assigned partition, by partition, and whether a revocation is under way: the one place where
 * partitions come (assigned), are frozen (a revocation begins) and go (removed, with their buffered records), and
 * where the positions to commit are gathered.
 *
 * <p>Threads: assigned, frozen and removed on the I/O thread ({@code kafka-consumer-io-<id>}) or, before the engine
 * starts, on the thread assigning partitions; read by every thread. Not thread-safe: guarded by the lock of
 * {@link RecordBuffers}.
 */
final class AssignedPartitions<K, V> {

    private final Map<TopicPartition, PartitionBuffer<K, V>> buffers = new LinkedHashMap<>();
    private final ByteBudget budget;
    /**
     * Whether a revocation has begun and no assignment has ended it yet: meanwhile a get for chosen partitions that
     * are all gone keeps waiting, since a rebalance may give them back.
     */
    private boolean rebalancing;

    /** @param budget where the buffers of the partitions count their bytes */
    AssignedPartitions(ByteBudget budget) {
        this.budget = budget;
    }

    /**
     * Starts buffering newly assigned partitions (a partition assigned already keeps its buffer) and ends a
     * rebalance; an empty collection only ends it.
     */
    void assign(Collection<TopicPartition> assigned) {
        for (TopicPartition partition : assigned) {
            buffers.computeIfAbsent(partition, key -> new PartitionBuffer<>(key, budget));
        }
        rebalancing = false;
    }

    /** Freezes the buffers of these partitions (those assigned): a revocation has begun. */
    void freeze(Collection<TopicPartition> revoked) {
        for (TopicPartition partition : revoked) {
            PartitionBuffer<K, V> buffer = buffers.get(partition);
            if (buffer != null) {
                buffer.freeze();
                rebalancing = true;
            }
        }
    }

    /**
     * Forgets these partitions, dropping their buffered records.
     *
     * @return the buffers removed (emptied)
     */
    List<PartitionBuffer<K, V>> remove(Collection<TopicPartition> revoked) {
        List<PartitionBuffer<K, V>> removed = new ArrayList<>();
        for (TopicPartition partition : revoked) {
            PartitionBuffer<K, V> buffer = buffers.remove(partition);
            if (buffer != null) {
                buffer.clear();
                removed.add(buffer);
            }
        }
        return removed;
    }

    /**
     * Records the broker's view of the assigned ones of these partitions after a poll.
     *
     * @param endOffsets end offsets and lag by partition, as for {@link RecordBuffers#addFetched}
     * @param fetched    the partitions the poll fetched (not paused)
     * @param nowMillis  the time of the poll
     */
    void updateFetchState(Map<TopicPartition, EndOffsetsProbe.Ends> endOffsets, Set<TopicPartition> fetched, long nowMillis) {
        endOffsets.forEach((partition, ends) -> {
            PartitionBuffer<K, V> buffer = buffers.get(partition);
            if (buffer != null) {
                buffer.updateFetchState(ends, fetched.contains(partition), nowMillis);
            }
        });
    }

    /**
     * Whether a get call for {@code wanted} partitions (empty for all) can never be served: it chose partitions, none
     * is assigned, and no rebalance under way may give them back.
     */
    boolean allGone(Collection<TopicPartition> wanted) {
        return !wanted.isEmpty() && !rebalancing && wanted.stream().noneMatch(buffers::containsKey);
    }

    /** The buffer of a partition, or {@code null} when it is not assigned. */
    PartitionBuffer<K, V> find(TopicPartition partition) {
        return buffers.get(partition);
    }

    /**
     * The buffer of a partition.
     *
     * @throws IllegalStateException naming the partition and the assignment, when it is not assigned
     */
    PartitionBuffer<K, V> get(TopicPartition partition) {
        PartitionBuffer<K, V> buffer = buffers.get(partition);
        if (buffer == null) {
            throw new IllegalStateException("Partition " + partition + " is not assigned to this consumer; assigned: "
                    + buffers.keySet());
        }
        return buffer;
    }

    /** @throws IllegalStateException when one of the partitions is not assigned */
    void requireAssigned(Collection<TopicPartition> partitions) {
        partitions.forEach(this::get);
    }

    Collection<PartitionBuffer<K, V>> buffers() {
        return buffers.values();
    }

    Set<TopicPartition> partitions() {
        return Set.copyOf(buffers.keySet());
    }

    /** The partitions the application paused, in assignment order. */
    Set<TopicPartition> pausedByUser() {
        Set<TopicPartition> paused = new LinkedHashSet<>();
        for (PartitionBuffer<K, V> buffer : buffers.values()) {
            if (buffer.pausedByUser()) {
                paused.add(buffer.partition());
            }
        }
        return Collections.unmodifiableSet(paused);
    }

    /**
     * Pauses or resumes partitions for the application; all or none.
     *
     * @throws IllegalStateException when one of them is not assigned, and then changes nothing
     */
    void setPausedByUser(Collection<TopicPartition> targets, boolean paused) {
        requireAssigned(targets);
        for (TopicPartition partition : targets) {
            if (paused) {
                get(partition).pauseByUser();
            } else {
                get(partition).resumeByUser();
            }
        }
    }

    /**
     * Marks the assigned ones of these partitions as waiting for a seek.
     *
     * @return whether any of them was not waiting already
     */
    boolean awaitSeek(Collection<TopicPartition> partitions) {
        boolean fresh = false;
        for (TopicPartition partition : partitions) {
            PartitionBuffer<K, V> buffer = buffers.get(partition);
            if (buffer != null && buffer.awaitSeek()) {
                fresh = true;
            }
        }
        return fresh;
    }

    /**
     * A position of each partition that has one, as {@code position} reads it.
     *
     * @param only the partitions to read (those not assigned are left out), or empty for all
     */
    Map<TopicPartition, OffsetAndMetadata> positions(Collection<TopicPartition> only,
            Function<PartitionBuffer<K, V>, OffsetAndMetadata> position) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Collection<TopicPartition> partitions = only.isEmpty() ? buffers.keySet() : only;
        for (TopicPartition partition : partitions) {
            PartitionBuffer<K, V> buffer = buffers.get(partition);
            OffsetAndMetadata offset = buffer == null ? null : position.apply(buffer);
            if (offset != null) {
                offsets.put(partition, offset);
            }
        }
        return offsets;
    }

    /** Records that these positions were committed, for the partitions still assigned. */
    void markCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> {
            PartitionBuffer<K, V> buffer = buffers.get(partition);
            if (buffer != null) {
                buffer.markCommitted(offset.offset());
            }
        });
    }
}
