package dev.kafkaconsumer.benchmarks.harness;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Counts and times one drain. Both contenders feed their records through the same meter, so the
 * per-record work of the harness (count, read the value's length) is identical and the only
 * difference left is how the records got there.
 *
 * <p>Not thread-safe: used by the one thread that drains.
 */
public final class DrainMeter {

    private static final long STALL_NANOS = 60_000_000_000L;

    private final long target;
    private final long startNanos;
    private final long startCpuNanos;
    private long records;
    private long valueBytes;
    private long firstBatchNanos;
    private long firstBatchRecords = -1;
    private long lastBatchNanos;

    /** Starts the clock: create the meter just before {@code subscribe}. */
    public DrainMeter(long target) {
        this.target = target;
        this.startCpuNanos = CpuClock.thisJvmNanos();
        this.startNanos = System.nanoTime();
        this.lastBatchNanos = startNanos;
    }

    /** Notes that a non-empty batch arrived; call before counting its records. */
    public void batchArrived() {
        long now = System.nanoTime();
        if (firstBatchNanos == 0) {
            firstBatchNanos = now;
        } else if (firstBatchRecords < 0) {
            firstBatchRecords = records;
        }
        lastBatchNanos = now;
    }

    /** Counts a record and touches its value, as an application that reads it would. */
    public void count(ConsumerRecord<byte[], byte[]> record) {
        records++;
        byte[] value = record.value();
        valueBytes += value == null ? 0 : value.length;
    }

    /** The records counted so far. */
    public long counted() {
        return records;
    }

    /** Whether every record of the topic has been read. */
    public boolean done() {
        return records >= target;
    }

    /** Fails the drain when nothing arrived for a minute, rather than letting the benchmark hang. */
    public void checkNotStalled(String contender) {
        if (System.nanoTime() - lastBatchNanos > STALL_NANOS) {
            throw new IllegalStateException(contender + " received nothing for 60 s after " + records + " of "
                    + target + " records; is the broker alive?");
        }
    }

    /** Stops the clock, and the CPU clock of this JVM, at the last record. */
    public DrainTiming finish() {
        long end = System.nanoTime();
        long cpu = CpuClock.spent(startCpuNanos, CpuClock.thisJvmNanos());
        long firstBatch = firstBatchRecords < 0 ? records : firstBatchRecords;
        long afterFirst = firstBatchNanos == 0 ? 0 : end - firstBatchNanos;
        return new DrainTiming(records, valueBytes, end - startNanos, firstBatch, afterFirst, -1, -1, cpu);
    }
}
