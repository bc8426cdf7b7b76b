package dev.kafkaconsumer.benchmarks.harness;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * The statistics every case takes of its runs: medians, extremes, and values taken pair by pair from two
 * contenders' runs of the same rounds (so that a drift of the machine hits both sides of each pair alike).
 * Pure functions over arrays; an empty array has a NaN median, minimum and maximum.
 */
public final class Stats {

    private Stats() {
    }

    /**
     * The median, minimum and maximum of some values.
     *
     * @param median the median
     * @param min    the smallest
     * @param max    the largest
     */
    public record Spread(double median, double min, double max) {
    }

    /** One metric of each run, in run order. */
    public static <T> double[] values(List<T> runs, ToDoubleFunction<? super T> metric) {
        return runs.stream().mapToDouble(metric).toArray();
    }

    /** The middle value of an odd count, the mean of the two middle ones of an even count; NaN for none. */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The smallest value; NaN for none, or when a value is NaN. */
    public static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    /** The largest value; NaN for none, or when a value is NaN. */
    public static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    /** Median, minimum and maximum. */
    public static Spread spread(double[] values) {
        return new Spread(median(values), min(values), max(values));
    }

    /** The values that are not NaN (runs in which something could not be measured left out). */
    public static double[] measured(double[] values) {
        return Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
    }

    /**
     * {@code op(top[i], bottom[i])} for every pair of runs both sides made, e.g. a ratio or a difference.
     *
     * @return as many values as the side with fewer runs has
     */
    public static double[] pairwise(double[] top, double[] bottom, DoubleBinaryOperator op) {
        double[] values = new double[Math.min(top.length, bottom.length)];
        for (int i = 0; i < values.length; i++) {
            values[i] = op.applyAsDouble(top[i], bottom[i]);
        }
        return values;
    }

    /** {@code top[i] / bottom[i]} pair by pair. */
    public static double[] ratios(double[] top, double[] bottom) {
        return pairwise(top, bottom, (a, b) -> a / b);
    }
}
