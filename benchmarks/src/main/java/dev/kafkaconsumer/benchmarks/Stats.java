package dev.kafkaconsumer.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Medians and number formats shared by the result tables of every case. */
final class Stats {

    private Stats() {
    }

    static double[] values(List<DrainTiming> timings, ToDoubleFunction<DrainTiming> metric) {
        return timings.stream().mapToDouble(metric).toArray();
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    static String rate(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    static String seconds(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
