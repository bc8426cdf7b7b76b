package dev.kafkaconsumer.benchmarks.transactions;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * What a read_committed reader found in one run's output topic, set against the input: every input record's output
 * exactly once ({@link #missing()} and {@link #duplicates()} both 0), and the outputs of one key in the order of their
 * inputs ({@link #outOfOrder()} 0). One instance per run, fed by one thread.
 */
final class OutputTally {

    /**
     * A key within an input partition: the unit of order the contenders keep (all of a key's outputs go to one output
     * partition, so the reader sees them in the order they were written).
     */
    private record Lane(int inputPartition, ByteBuffer key) {
    }

    private final long[] inputRecords;
    private final BitSet[] seen;
    private final Map<Lane, Long> lastInputOffset = new HashMap<>();
    private long outputs;
    private long duplicates;
    private long outOfOrder;

    /**
     * @param inputRecords how many records each input partition holds (its offsets are 0 to that number − 1)
     */
    OutputTally(long[] inputRecords) {
        this.inputRecords = inputRecords.clone();
        this.seen = new BitSet[inputRecords.length];
        for (int p = 0; p < seen.length; p++) {
            seen[p] = new BitSet();
        }
    }

    /**
     * Counts one output record.
     *
     * @param key             its key
     * @param value           its value, naming its input ({@link TransactionalRecords#output})
     */
    void count(byte[] key, byte[] value) {
        outputs++;
        int partition = TransactionalRecords.inputPartition(value);
        long offset = TransactionalRecords.inputOffset(value);
        if (partition < 0 || partition >= seen.length || offset < 0 || offset >= inputRecords[partition]) {
            throw new IllegalStateException("An output record names input partition " + partition + " offset " + offset
                    + ", which the input does not hold");
        }
        if (seen[partition].get((int) offset)) {
            duplicates++;
        } else {
            seen[partition].set((int) offset);
        }
        Long last = lastInputOffset.put(new Lane(partition, ByteBuffer.wrap(key == null ? new byte[0] : key)), offset);
        if (last != null && last >= offset) {
            outOfOrder++;
        }
    }

    /** Output records read. */
    long outputs() {
        return outputs;
    }

    /** Outputs of an input already counted. */
    long duplicates() {
        return duplicates;
    }

    /** Input records without an output. */
    long missing() {
        long missing = 0;
        for (int p = 0; p < seen.length; p++) {
            missing += inputRecords[p] - seen[p].cardinality();
        }
        return missing;
    }

    /** Outputs that came after the output of a later input of their key (and input partition). */
    long outOfOrder() {
        return outOfOrder;
    }

    /** Whether every input's output was there exactly once, in key order. */
    boolean exact() {
        return duplicates == 0 && missing() == 0 && outOfOrder == 0;
    }
}
