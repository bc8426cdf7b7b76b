package dev.kafkaconsumer.core.internal.container;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The one owner of a transactional container's outputs not yet committed: each done record's serialized
 * outputs (possibly none), by the {@link PartitionProgress} it was handled in and its offset. A transaction
 * {@linkplain #take takes} those of a partition's done prefix, and {@linkplain Taken#committed() removes} them
 * once committed; records done beyond the prefix keep theirs for a later transaction. Keyed by the progress
 * (by identity), not by the partition: after a revocation, a loss or a rewind the partition's new progress never
 * sees what a record of the old one left (a record still running when its partition closed may finish later),
 * and {@link #retain} drops what belongs to progress no longer tracked.
 *
 * <p>Threads: workers put (the handler's thread, or the thread recovering a record); the thread making a
 * transaction takes and removes (under the committer's lock); any thread counts. Thread-safe.
 */
final class PendingOutputs {

    private final Map<PartitionProgress, ConcurrentSkipListMap<Long, List<ProducerRecord<byte[], byte[]>>>> byProgress =
            new ConcurrentHashMap<>();
    private final AtomicInteger records = new AtomicInteger();
    private final int threshold;
    private final Runnable full;

    /**
     * @param threshold how many records pending make {@code full} run
     * @param full      runs when the records pending reach the threshold: asks for a transaction
     */
    PendingOutputs(int threshold, Runnable full) {
        this.threshold = threshold;
        this.full = full;
    }

    /** A record of {@code progress} was handled (or dead-lettered): its outputs wait for its offset's transaction. */
    void put(PartitionProgress progress, long offset, List<ProducerRecord<byte[], byte[]>> outputs) {
        if (byProgress.computeIfAbsent(progress, key -> new ConcurrentSkipListMap<>()).put(offset, outputs) == null
                && records.incrementAndGet() == threshold) {
            full.run();
        }
    }

    /** The records whose outputs wait, across partitions. */
    int records() {
        return records.get();
    }

    /**
     * Takes the outputs of {@code progress}'s records below {@code prefix}, at most {@code budget} records.
     *
     * @param progress a partition's progress
     * @param prefix   the offset below which every record of it is done
     * @param budget   the most records to take, at least 1
     * @return what was taken, and the offset to commit: {@code prefix}, or less when the budget ran out first
     */
    Taken take(PartitionProgress progress, long prefix, int budget) {
        ConcurrentSkipListMap<Long, List<ProducerRecord<byte[], byte[]>>> outputs = byProgress.get(progress);
        if (outputs == null) {
            return new Taken(null, List.of(), List.of(), prefix);
        }
        ConcurrentNavigableMap<Long, List<ProducerRecord<byte[], byte[]>>> below = outputs.headMap(prefix);
        List<Long> offsets = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> taken = new ArrayList<>();
        long cut = prefix;
        for (Map.Entry<Long, List<ProducerRecord<byte[], byte[]>>> entry : below.entrySet()) {
            if (offsets.size() == budget) {
                cut = entry.getKey(); // the first record left out: the offset to commit
                break;
            }
            offsets.add(entry.getKey());
            taken.addAll(entry.getValue());
        }
        return new Taken(outputs, offsets, taken, cut);
    }

    /**
     * Drops what belongs to closed progress other than {@code live}: partitions revoked, lost, sought or rewound.
     * A progress that is not closed is never dropped, so a partition assigned after {@code live} was read keeps
     * what its records put.
     */
    void retain(Collection<PartitionProgress> live) {
        Iterator<Map.Entry<PartitionProgress, ConcurrentSkipListMap<Long, List<ProducerRecord<byte[], byte[]>>>>> entries =
                byProgress.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<PartitionProgress, ConcurrentSkipListMap<Long, List<ProducerRecord<byte[], byte[]>>>> entry = entries.next();
            if (entry.getKey().isClosed() && !live.contains(entry.getKey())) {
                entries.remove();
                records.addAndGet(-entry.getValue().size());
            }
        }
    }

    /**
     * The outputs of one partition's records taken for a transaction.
     *
     * @param source  where they were taken from, or {@code null} when nothing was pending
     * @param offsets the input records' offsets
     * @param outputs their outputs, in offset order
     * @param cut     the offset to commit
     */
    final class Taken {
        private final ConcurrentSkipListMap<Long, List<ProducerRecord<byte[], byte[]>>> source;
        final List<Long> offsets;
        final List<ProducerRecord<byte[], byte[]>> outputs;
        final long cut;

        Taken(ConcurrentSkipListMap<Long, List<ProducerRecord<byte[], byte[]>>> source, List<Long> offsets,
                List<ProducerRecord<byte[], byte[]>> outputs, long cut) {
            this.source = source;
            this.offsets = offsets;
            this.outputs = outputs;
            this.cut = cut;
        }

        /** The transaction committed: the outputs are out. */
        void committed() {
            if (source == null) {
                return;
            }
            int removed = 0;
            for (Long offset : offsets) {
                if (source.remove(offset) != null) {
                    removed++;
                }
            }
            records.addAndGet(-removed);
        }
    }
}
