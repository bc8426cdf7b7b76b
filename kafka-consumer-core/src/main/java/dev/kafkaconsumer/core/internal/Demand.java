package dev.kafkaconsumer.core.internal;

import java.util.Collection;

import org.apache.kafka.common.TopicPartition;

/**
 * What the application asked for lately, which decides whether partitions are parked: whether its latest get call
 * chose partitions, and how many get calls so far asked for all partitions.
 *
 * <p>Threads: replaced by the application threads as they take records, read by the I/O thread
 * ({@code kafka-consumer-io-<id>}) when it plans fetching. Immutable; the field holding it is guarded by the lock of
 * {@link RecordBuffers}.
 *
 * @param choosingPartitions whether the latest get call chose partitions
 * @param asksForAll         how many get calls asked for all partitions
 */
record Demand(boolean choosingPartitions, long asksForAll) {

    /** Before the first get call. */
    static final Demand NONE = new Demand(false, 0);

    /** What the application asked for after a get call for {@code wanted} partitions (empty for all). */
    Demand after(Collection<TopicPartition> wanted) {
        if (wanted.isEmpty()) {
            return new Demand(false, asksForAll + 1);
        }
        return choosingPartitions ? this : new Demand(true, asksForAll);
    }

    /**
     * Whether {@code partition} is parked: it holds records nobody asked for since they came, and the latest get
     * call chose partitions (an application that takes from all partitions parks none).
     */
    boolean parks(FetchPlan.PartitionState partition) {
        return choosingPartitions && partition.holdsUnaskedRecords(asksForAll);
    }
}
