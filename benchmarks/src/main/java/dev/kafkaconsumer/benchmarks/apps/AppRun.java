package dev.kafkaconsumer.benchmarks.apps;

import java.util.Map;

/**
 * One measured B8 run.
 *
 * @param records        records handled over all topics
 * @param startupNanos   from just before the application (or the raw consumers) started to {@code run()} returning
 * @param totalNanos     from the same start to the last record handled
 * @param threadsAdded   live platform threads once every record was handled, minus those before the start
 * @param heapBytes      live heap then (after full GCs), minus the live heap before the start
 * @param cpuSeconds     CPU seconds of this JVM over the run, start and close included
 * @param threadKinds    the JVM's live platform threads by kind once every record was handled ({@link ThreadCensus})
 */
record AppRun(long records, long startupNanos, long totalNanos, int threadsAdded, long heapBytes, double cpuSeconds,
        Map<String, Long> threadKinds) {

    /** Records per second over the whole run, start-up included. */
    double throughput() {
        return records * 1e9 / totalNanos;
    }

    double startupSeconds() {
        return startupNanos / 1e9;
    }
}
