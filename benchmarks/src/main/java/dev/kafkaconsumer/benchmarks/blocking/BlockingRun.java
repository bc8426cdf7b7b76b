package dev.kafkaconsumer.benchmarks.blocking;

import dev.kafkaconsumer.benchmarks.harness.DrainTiming;

/**
 * One measured B12 run.
 *
 * @param timing          wall time and CPU of the drain
 * @param violations      records that ran out of key order (must be 0)
 * @param peakThreads     the most live platform threads of the JVM during the run (virtual threads are not counted)
 */
record BlockingRun(DrainTiming timing, long violations, int peakThreads) {
}
