package dev.kafkaconsumer.benchmarks.rebalance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What B6 reads from the handled records of one run: when the group was back at full rate after the
 * second member joined, which partitions stayed with the first member, and the longest pause in
 * handling on those. Pure computation over timestamps, so it is tested without a broker.
 *
 * <p>"Back at full rate" is the start of the first window of {@value #WINDOW_MILLIS} ms, beginning
 * no earlier than the second member's first record, in which both members handle records and the
 * group handles at least {@value #FULL_RATE_SHARE} of the produce rate. The result is therefore
 * precise to about one window; a catch-up burst after a pause can end the pause's window early,
 * never before the second member is processing.
 */
final class RebalanceAnalysis {

    /** The first member, there before the join. */
    static final int FIRST = 0;
    /** The member that joins. */
    static final int SECOND = 1;
    static final long WINDOW_MILLIS = 250;
    static final double FULL_RATE_SHARE = 0.9;

    private static final long WINDOW = TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS);
    private static final long STEP = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * One record handled.
     *
     * @param member    {@link #FIRST} or {@link #SECOND}
     * @param partition the record's partition
     * @param nanos     when the handler saw it, {@link System#nanoTime()}
     */
    record Handled(int member, int partition, long nanos) {
    }

    private final List<Handled> events;
    private final long[] all;
    private final long[][] byMember = new long[2][];
    private final long joinNanos;
    private final double perSecond;

    /**
     * @param events    every record handled in the run, in any order
     * @param joinNanos when the second member was started
     * @param perSecond the produce rate
     */
    RebalanceAnalysis(List<Handled> events, long joinNanos, double perSecond) {
        this.events = events.stream().sorted(Comparator.comparingLong(Handled::nanos)).toList();
        this.all = this.events.stream().mapToLong(Handled::nanos).toArray();
        for (int m = 0; m < 2; m++) {
            int member = m;
            byMember[m] = this.events.stream().filter(e -> e.member() == member).mapToLong(Handled::nanos).toArray();
        }
        this.joinNanos = joinNanos;
        this.perSecond = perSecond;
    }

    /** Nanoseconds from the join until the group is back at full rate with both members; empty if never. */
    OptionalLong recoveryNanos() {
        if (byMember[SECOND].length == 0) {
            return OptionalLong.empty();
        }
        long needed = (long) Math.ceil(FULL_RATE_SHARE * perSecond * WINDOW / 1e9);
        long last = all[all.length - 1];
        for (long start = Math.max(joinNanos, byMember[SECOND][0]); start + WINDOW <= last; start += STEP) {
            long end = start + WINDOW;
            if (count(all, start, end) >= needed && count(byMember[FIRST], start, end) > 0
                    && count(byMember[SECOND], start, end) > 0) {
                return OptionalLong.of(start - joinNanos);
            }
        }
        return OptionalLong.empty();
    }

    /** The partitions the first member handled after the join and the second never did: they did not move. */
    Set<Integer> unmovedPartitions() {
        Set<Integer> moved = new TreeSet<>();
        Set<Integer> kept = new TreeSet<>();
        for (Handled e : events) {
            if (e.member() == SECOND) {
                moved.add(e.partition());
            } else if (e.nanos() >= joinNanos) {
                kept.add(e.partition());
            }
        }
        kept.removeAll(moved);
        return kept;
    }

    /** How many partitions the second member took. */
    int movedPartitions() {
        return (int) events.stream().filter(e -> e.member() == SECOND).mapToInt(Handled::partition).distinct().count();
    }

    /**
     * The longest pause in handling on the partitions that did not move, from a second before the join
     * to a second after the recovery (or the last record, without one).
     */
    long unmovedGapNanos() {
        long end = recoveryNanos().isPresent() ? joinNanos + recoveryNanos().getAsLong() + SECOND_NANOS : all[all.length - 1];
        return longestGapNanos(unmovedPartitions(), joinNanos - SECOND_NANOS, end);
    }

    /** The longest pause on any partition in the two seconds before the join: the steady state's own jitter. */
    long baselineGapNanos() {
        Set<Integer> partitions = new TreeSet<>();
        events.forEach(e -> partitions.add(e.partition()));
        return longestGapNanos(partitions, joinNanos - 2 * SECOND_NANOS, joinNanos);
    }

    /**
     * The longest time within {@code [from, to]} in which one of the partitions had no record handled,
     * counting the stretches from {@code from} to its first record and from its last record to {@code to}.
     */
    long longestGapNanos(Set<Integer> partitions, long from, long to) {
        long longest = 0;
        for (int partition : partitions) {
            List<Long> times = new ArrayList<>();
            for (Handled e : events) {
                if (e.partition() == partition && e.nanos() >= from && e.nanos() <= to) {
                    times.add(e.nanos());
                }
            }
            long previous = from;
            for (long t : times) {
                longest = Math.max(longest, t - previous);
                previous = t;
            }
            longest = Math.max(longest, to - previous);
        }
        return longest;
    }

    /** How many of the sorted {@code times} lie in {@code [from, to)}. */
    private static long count(long[] times, long from, long to) {
        return lowerBound(times, to) - lowerBound(times, from);
    }

    private static int lowerBound(long[] sorted, long value) {
        int i = Arrays.binarySearch(sorted, value);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && sorted[i - 1] == value) {
            i--;
        }
        return i;
    }
}
