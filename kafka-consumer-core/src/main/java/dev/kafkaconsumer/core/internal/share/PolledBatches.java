package dev.kafkaconsumer.core.internal.share;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.common.TopicPartition;

/**
 * The {@link PolledBatch}es that still hold a record or await an answer, by partition, oldest first: where the commit
 * callback and the return of renewed records find a record by partition and offset. A record released and delivered
 * again is in two batches; the oldest one with what is looked for wins, as acknowledgements are answered in the
 * order they were sent.
 *
 * <p>Threads: the I/O thread only.
 */
final class PolledBatches {

    private static final List<PolledBatch> NONE = List.of();

    private final Map<TopicPartition, List<PolledBatch>> byPartition = new HashMap<>();

    void add(PolledBatch batch) {
        byPartition.computeIfAbsent(batch.partition, partition -> new ArrayList<>(4)).add(batch);
    }

    /** The partition's batches, oldest first; index them, do not change them. */
    List<PolledBatch> of(TopicPartition partition) {
        List<PolledBatch> batches = byPartition.get(partition);
        return batches == null ? NONE : batches;
    }

    void forEach(Consumer<PolledBatch> action) {
        for (List<PolledBatch> batches : byPartition.values()) {
            for (int i = 0; i < batches.size(); i++) {
                action.accept(batches.get(i));
            }
        }
    }

    /** Drops the partition's batches that nothing needs any more. */
    void retireDone(TopicPartition partition) {
        List<PolledBatch> batches = byPartition.get(partition);
        if (batches != null) {
            batches.removeIf(PolledBatch::isDone);
            if (batches.isEmpty()) {
                byPartition.remove(partition);
            }
        }
    }

    /** Drops every batch that nothing needs any more. */
    void retireDone() {
        byPartition.values().removeIf(batches -> {
            batches.removeIf(PolledBatch::isDone);
            return batches.isEmpty();
        });
    }

    void clear() {
        byPartition.clear();
    }
}
