package dev.kafkaconsumer.core.internal.container;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Tells which records of a take belong to the partition's current assignment. The dispatcher waits for
 * records in the engine without holding the container's dispatch lock (a get call waits while a
 * revocation runs, and the revocation needs that lock), so a revocation, a loss or a seek may close a
 * partition between the moment the engine hands its records out and the moment the dispatcher tracks
 * them under the lock. Such records must not run in a later assignment of the partition: the commit
 * of the closed assignment did not cover them, so the new one reads them again.
 *
 * <p>Every close and every opening of a partition (an assignment, or the restart after a seek) ticks a
 * generation. The dispatcher notes the generation before it takes, and under the lock keeps:
 * <ul>
 * <li>the records of a partition not closed since: they are the current assignment's;</li>
 * <li>none of a partition closed since and not opened again: they were handed out before the close;</li>
 * <li>of a partition closed and opened again since, the records only if the engine handed them out in the
 * new assignment, which shows in the engine's hand-out position: only the dispatcher takes records, so
 * that position has moved past the first of them if and only if the new assignment handed them out
 * (a new assignment starts at the committed offset, which never passes a record that was not tracked,
 * and a restart at the sought offset, which the records must not lie below).</li>
 * </ul>
 * Not thread-safe: {@link #closed}, {@link #opened} and {@link #current} run under the dispatch lock;
 * {@link #generation()} is read before a take without it.
 */
final class TakeGenerations {

    /** The start of an opened partition that was assigned rather than sought: any offset. */
    static final long ASSIGNED = -1;

    private volatile long generation;
    private final Map<TopicPartition, Long> closedIn = new HashMap<>();
    /** Partitions opened since their last close, with the offset their records start at (or {@link #ASSIGNED}). */
    private final Map<TopicPartition, Long> openedAt = new HashMap<>();

    /** The generation now; read before a take. */
    long generation() {
        return generation;
    }

    /** The partitions were revoked, lost or are being sought: nothing handed out before now runs later. */
    void closed(Collection<TopicPartition> partitions) {
        long next = generation + 1;
        for (TopicPartition partition : partitions) {
            closedIn.put(partition, next);
            openedAt.remove(partition);
        }
        generation = next;
    }

    /**
     * The partitions were assigned, or restarted after a seek.
     *
     * @param start the offset the partition restarts at after a seek, or {@link #ASSIGNED}
     */
    void opened(Collection<TopicPartition> partitions, long start) {
        long next = generation + 1;
        partitions.forEach(partition -> openedAt.put(partition, start));
        generation = next;
    }

    /**
     * Keeps the records that belong to their partition's current assignment.
     *
     * @param taken          a take's records by partition, each list non-empty and in offset order
     * @param takenIn        the generation read before the take
     * @param handOutPosition the engine's next offset to hand out for a partition, empty when unknown
     * @return {@code taken} itself when nothing was closed since the take began, else the records kept
     */
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> current(Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> taken,
            long takenIn, Function<TopicPartition, OptionalLong> handOutPosition) {
        if (takenIn == generation) {
            return taken;
        }
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> kept = new LinkedHashMap<>();
        taken.forEach((partition, records) -> {
            if (!records.isEmpty() && isCurrent(partition, records.get(0).offset(), takenIn, handOutPosition)) {
                kept.put(partition, records);
            }
        });
        return kept;
    }

    private boolean isCurrent(TopicPartition partition, long first, long takenIn,
            Function<TopicPartition, OptionalLong> handOutPosition) {
        Long closed = closedIn.get(partition);
        if (closed == null || closed <= takenIn) {
            return true;
        }
        Long start = openedAt.get(partition);
        if (start == null) {
            return false;
        }
        OptionalLong position = handOutPosition.apply(partition);
        return first >= start && position.isPresent() && position.getAsLong() > first;
    }
}
