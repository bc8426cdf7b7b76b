package dev.kafkaconsumer.benchmarks.latency;

import org.HdrHistogram.Histogram;

/**
 * The latencies of one B4 run.
 *
 * @param histogram         produce-to-handler latencies in nanoseconds, settle period left out
 * @param producedPerSecond the rate the producer reached (it aims at a fixed rate and catches up when late)
 * @param consumerCpuNanos  CPU time of the measured JVM (producer included) during the run; -1 when not measured
 */
record LatencyRun(Histogram histogram, double producedPerSecond, long consumerCpuNanos) {

    /** The latency at {@code percentile} (0–100), in milliseconds. */
    double millisAt(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1e6;
    }

    /** The largest latency, in milliseconds. */
    double maxMillis() {
        return histogram.getMaxValue() / 1e6;
    }
}
