package dev.kafkaconsumer.benchmarks.harness;

import java.util.Locale;

/**
 * How long one drain of the whole topic took, and what CPU it cost.
 *
 * @param records            records read
 * @param valueBytes         value bytes read; the same for every drain, which shows both did the same work
 * @param totalNanos         from just before {@code subscribe} to the last record: includes the group join
 * @param firstBatchRecords  records in the first non-empty batch
 * @param afterFirstNanos    from the arrival of the first batch to the last record: excludes the group join
 * @param consumerCpuNanos   CPU time of the measured JVM (all its threads, GC and JIT included) during the
 *                           drain, consumer creation and close included; -1 when not measured
 * @param brokerCpuNanos     CPU time of the broker JVM during the same span; -1 when not measured
 * @param drainCpuNanos      CPU time of the measured JVM (all its threads) over {@code totalNanos}, from the meter's
 *                           start to the last record, as issue 17 defines CPU per record; -1 when not measured
 */
public record DrainTiming(long records, long valueBytes, long totalNanos, long firstBatchRecords, long afterFirstNanos,
        long consumerCpuNanos, long brokerCpuNanos, long drainCpuNanos) {

    /** A timing without CPU figures. */
    public DrainTiming(long records, long valueBytes, long totalNanos, long firstBatchRecords, long afterFirstNanos) {
        this(records, valueBytes, totalNanos, firstBatchRecords, afterFirstNanos, -1, -1, -1);
    }

    /** A timing without the CPU from the start to the last record (results measured before it was). */
    public DrainTiming(long records, long valueBytes, long totalNanos, long firstBatchRecords, long afterFirstNanos,
            long consumerCpuNanos, long brokerCpuNanos) {
        this(records, valueBytes, totalNanos, firstBatchRecords, afterFirstNanos, consumerCpuNanos, brokerCpuNanos, -1);
    }

    /** This timing with the CPU that the drain cost each JVM, consumer creation and close included. */
    DrainTiming withCpu(long consumerCpu, long brokerCpu) {
        return new DrainTiming(records, valueBytes, totalNanos, firstBatchRecords, afterFirstNanos, consumerCpu, brokerCpu,
                drainCpuNanos);
    }

    /** CPU seconds of the measured JVM from the start of the drain to its last record, or NaN when not measured. */
    public double drainCpuSeconds() {
        return drainCpuNanos < 0 ? Double.NaN : drainCpuNanos / 1e9;
    }

    /** Records per second over the whole drain, group join included: the headline number. */
    public double throughput() {
        return records * 1e9 / totalNanos;
    }

    /** Records per second after the first batch arrived, so that the join's duration does not count. */
    public double throughputAfterFirstBatch() {
        return afterFirstNanos == 0 ? throughput() : (records - firstBatchRecords) * 1e9 / afterFirstNanos;
    }

    /** Seconds from subscribe to the first batch: mostly the group join and the first fetch. */
    public double secondsToFirstBatch() {
        return (totalNanos - afterFirstNanos) / 1e9;
    }

    /** CPU seconds of the measured JVM, or NaN when not measured. */
    public double consumerCpuSeconds() {
        return consumerCpuNanos < 0 ? Double.NaN : consumerCpuNanos / 1e9;
    }

    /** CPU seconds of the broker JVM, or NaN when not measured. */
    public double brokerCpuSeconds() {
        return brokerCpuNanos < 0 ? Double.NaN : brokerCpuNanos / 1e9;
    }

    /** Wall seconds of the whole drain. */
    public double seconds() {
        return totalNanos / 1e9;
    }

    /** The drain on one line, for the progress log. */
    public String describe() {
        return String.format(Locale.ROOT, "%,12.0f records/s  (%.2f s, first batch after %.2f s, %,.0f records/s after it; "
                + "CPU s: consumer JVM %.2f, broker JVM %.2f)",
                throughput(), totalNanos / 1e9, secondsToFirstBatch(), throughputAfterFirstBatch(), consumerCpuSeconds(),
                brokerCpuSeconds());
    }
}
