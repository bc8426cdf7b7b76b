package dev.kafkaconsumer.core.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.ToIntFunction;

import org.apache.kafka.common.TopicPartition;

/**
 * The partitions holding something to hand out, in the round-robin order in which a get call for all partitions
 * takes from them, so that no partition starves the others.
 *
 * <p>A buffer is queued when something arrives for it and leaves the queue once found empty; one that cannot hand
 * out now (paused by the application, or frozen for a revocation) keeps its place behind those that could.
 *
 * <p>Threads: filled by the I/O thread ({@code kafka-consumer-io-<id>}) as records arrive, taken from by the
 * application threads. Not thread-safe: guarded by the lock of {@link RecordBuffers}.
 */
final class ReadyQueue<K, V> {

    /** Room for any number of records of every partition: a get call of the application. */
    static final ToIntFunction<TopicPartition> ANY = partition -> Integer.MAX_VALUE;

    /** In turn order; a buffer is in it at most once (buffers have identity equality). */
    private final LinkedHashSet<PartitionBuffer<K, V>> queue = new LinkedHashSet<>();

    /** Queues a buffer at the back if it holds something and is not queued yet; a queued one keeps its turn. */
    void offer(PartitionBuffer<K, V> buffer) {
        if (buffer.hasDeliverable()) {
            queue.add(buffer);
        }
    }

    /** Takes a buffer out of turn for good, as when its partition is no longer assigned. */
    void remove(PartitionBuffer<K, V> buffer) {
        queue.remove(buffer);
    }

    /**
     * Takes records for a get call for all partitions: each queued partition that can hand out takes its turn,
     * with an even share of the call's maximum, so that a caller that hands each partition's records to its own
     * lane (the container) keeps every lane busy instead of taking everything from the first partition. A partition
     * that took its turn goes to the back of the queue.
     */
    void takeInTurn(HandOut<K, V> handOut) {
        takeInTurn(handOut, ANY);
    }

    /**
     * Takes records in turn as {@link #takeInTurn(HandOut)} does, but no more of a partition than {@code room} allows
     * it; a partition without room keeps its place behind those taken from, as one the application paused does.
     *
     * @param room how many records of a partition may be taken now; called under the buffers' lock, so it must neither
     *             block nor take a lock
     */
    void takeInTurn(HandOut<K, V> handOut, ToIntFunction<TopicPartition> room) {
        int rounds = queue.size();
        int share = Math.max(1, -Math.floorDiv(-handOut.remaining(), Math.max(1, deliverable(room))));
        List<PartitionBuffer<K, V>> skipped = new ArrayList<>();
        try {
            for (int i = 0; i < rounds && handOut.remaining() > 0; i++) {
                PartitionBuffer<K, V> buffer = pollFirst();
                if (!buffer.hasDeliverable()) {
                    continue;
                }
                int allowed = buffer.deliverable() ? room.applyAsInt(buffer.partition()) : 0;
                if (allowed <= 0) {
                    skipped.add(buffer);
                    continue;
                }
                try {
                    handOut.takeFrom(buffer, Math.min(share, allowed));
                } finally {
                    offer(buffer);
                }
            }
        } finally {
            skipped.forEach(this::offer);
        }
    }

    private PartitionBuffer<K, V> pollFirst() {
        Iterator<PartitionBuffer<K, V>> first = queue.iterator();
        PartitionBuffer<K, V> buffer = first.next();
        first.remove();
        return buffer;
    }

    /** The queued buffers that can hand out now, and have room to. */
    private int deliverable(ToIntFunction<TopicPartition> room) {
        int count = 0;
        for (PartitionBuffer<K, V> buffer : queue) {
            if (buffer.deliverable() && (room == ANY || room.applyAsInt(buffer.partition()) > 0)) {
                count++;
            }
        }
        return count;
    }
}
