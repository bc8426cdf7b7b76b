package dev.kafkaconsumer.benchmarks.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * A diagnostic, off unless {@code -Dbench.timeline=true}: how many records each partition had counted, sampled every
 * {@value #STEP_MILLIS} ms over a drain, printed to standard error at its last record as one line per partition (the
 * records counted in each step), so that stalls (a partition with records left counting none for a while) show where
 * they are. The counts are read without synchronisation from the counting threads: a sample may be a few records behind.
 */
public final class DrainTimeline {

    private static final boolean ON = Boolean.getBoolean("bench.timeline");
    static final long STEP_MILLIS = 50;

    private final int partitions;
    private final IntToLongFunction counted;
    private final List<long[]> samples = new ArrayList<>();
    private volatile boolean stopped;

    private DrainTimeline(int partitions, IntToLongFunction counted) {
        this.partitions = partitions;
        this.counted = counted;
        Thread sampler = new Thread(this::sample, "bench-timeline");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts sampling {@code counted} (records counted so far, by partition), or returns {@code null} when off. */
    public static DrainTimeline startIfOn(int partitions, IntToLongFunction counted) {
        return ON ? new DrainTimeline(partitions, counted) : null;
    }

    private void sample() {
        long next = System.nanoTime();
        while (!stopped) {
            long[] row = new long[partitions];
            for (int p = 0; p < partitions; p++) {
                row[p] = counted.applyAsLong(p);
            }
            synchronized (samples) {
                samples.add(row);
            }
            next += STEP_MILLIS * 1_000_000;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * The report: a heading, then one line per partition with the records it counted in each step, from cumulative
     * samples (each row holds every partition's count at one sample).
     */
    static String render(String contender, List<long[]> rows, int partitions) {
        StringBuilder out = new StringBuilder("timeline " + contender + " (records per " + STEP_MILLIS + " ms, by partition):\n");
        for (int p = 0; p < partitions; p++) {
            out.append("  p").append(p).append(':');
            long before = 0;
            for (long[] row : rows) {
                out.append(' ').append(row[p] - before);
                before = row[p];
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Stops sampling and prints each partition's records per step. */
    public void print(String contender) {
        stopped = true;
        List<long[]> rows;
        synchronized (samples) {
            rows = new ArrayList<>(samples);
        }
        long[] last = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            last[p] = counted.applyAsLong(p);
        }
        rows.add(last);
        String out = render(contender, rows, partitions);
        System.err.print(out);
    }
}
