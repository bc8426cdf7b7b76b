package dev.kafkaconsumer.benchmarks.transactions;

/**
 * One measured B11 run of one contender.
 *
 * @param records          input records, each with one output
 * @param wallNanos        from just before the contender started to the moment its group had committed the whole input
 *                         ({@link CommitWatch}); stopping is left out
 * @param transactions     transactions the contender committed in the run (as it counts them, stopping included)
 * @param aborted          transactions it aborted
 * @param consumerCpuNanos CPU time of the measuring JVM (the contender's, all threads, GC and JIT included) over the
 *                         wall time; -1 when not measured
 * @param brokerCpuNanos   CPU time of the broker JVM over the same span; -1 when not measured
 * @param outputs          output records a read_committed reader found afterwards
 * @param duplicates       of those, outputs of an input already found
 * @param missing          inputs without an output
 * @param outOfOrder       outputs behind the output of a later input of their key
 */
record TransactionalRun(long records, long wallNanos, long transactions, long aborted, long consumerCpuNanos,
        long brokerCpuNanos, long outputs, long duplicates, long missing, long outOfOrder) {

    /** Input records per second, group join included. */
    double throughput() {
        return records * 1e9 / wallNanos;
    }

    /** Wall seconds. */
    double seconds() {
        return wallNanos / 1e9;
    }

    /** Input records per committed transaction, or NaN when none was counted. */
    double recordsPerTransaction() {
        return transactions == 0 ? Double.NaN : records / (double) transactions;
    }

    /** CPU seconds of the measuring JVM, or NaN when not measured. */
    double consumerCpuSeconds() {
        return consumerCpuNanos < 0 ? Double.NaN : consumerCpuNanos / 1e9;
    }

    /** CPU seconds of the broker JVM, or NaN when not measured. */
    double brokerCpuSeconds() {
        return brokerCpuNanos < 0 ? Double.NaN : brokerCpuNanos / 1e9;
    }

    /** Whether the reader found every input's output exactly once, in key order. */
    boolean exact() {
        return outputs == records && duplicates == 0 && missing == 0 && outOfOrder == 0;
    }
}
