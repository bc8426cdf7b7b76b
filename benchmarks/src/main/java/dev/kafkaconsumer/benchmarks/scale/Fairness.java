package dev.kafkaconsumer.benchmarks.scale;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * B7's fairness rule, applied window by window: among the partitions that had records waiting all through the window,
 * the least-served one must get at least half the records of the median one. A partition whose last record was handled
 * before the window ended is left out of that window: it ran out of records to be served, which says nothing of how
 * the container shares its time.
 */
final class Fairness {

    /** The least-served partition's share of the median's that the issue asks for. */
    static final double TARGET = 0.5;

    /**
     * One window's verdict.
     *
     * @param window      its number, from 1
     * @param partitions  partitions with records left at its end
     * @param least       records of the least-served of them
     * @param leastPartition which partition that was
     * @param median      records of the median one
     * @param most        records of the most-served one
     */
    record Window(int window, int partitions, long least, int leastPartition, double median, long most) {

        /** The least-served partition's records over the median's; NaN when no partition had records. */
        double ratio() {
            // a median of 0 with records served elsewhere: most partitions got nothing in the window, which is unfair
            return partitions == 0 ? Double.NaN : median == 0 ? (most == 0 ? 1 : 0) : least / median;
        }
    }

    private Fairness() {
    }

    /**
     * Judges each complete window.
     *
     * @param windows each window's records per partition, in order
     * @param totals  records each partition holds (a partition whose records were all handled by a window's end is left
     *                out of it)
     * @return a verdict per window
     */
    static List<Window> judge(List<long[]> windows, long[] totals) {
        List<Window> verdicts = new ArrayList<>();
        long[] handled = new long[totals.length];
        for (int w = 0; w < windows.size(); w++) {
            long[] counts = windows.get(w);
            long[] served = new long[totals.length];
            int with = 0;
            long least = Long.MAX_VALUE;
            int leastPartition = -1;
            long most = 0;
            for (int p = 0; p < totals.length; p++) {
                if (handled[p] + counts[p] < totals[p]) {
                    served[with++] = counts[p];
                    if (counts[p] < least) {
                        least = counts[p];
                        leastPartition = p;
                    }
                    most = Math.max(most, counts[p]);
                }
                handled[p] += counts[p];
            }
            double median = median(Arrays.copyOf(served, with));
            verdicts.add(new Window(w + 1, with, with == 0 ? 0 : least, leastPartition, median, most));
        }
        return verdicts;
    }

    /** The worst window's ratio (the least over the median), or NaN without a window that had partitions with records. */
    static double worst(List<Window> windows) {
        return windows.stream().mapToDouble(Window::ratio).filter(r -> !Double.isNaN(r)).min().orElse(Double.NaN);
    }

    private static double median(long[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(values);
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2.0;
    }
}
