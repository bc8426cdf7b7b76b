package dev.kafkaconsumer.benchmarks.harness;

import java.util.HashMap;
import java.util.Map;

/**
 * The bounds of a slow-handler case (B3, B11-SLOW) computed from its simulated delays: record {@code i} has delay
 * {@code delays[i]}, goes to partition {@code i % partitions} and, within it, to key {@code i % keys}. One place, so
 * that every case that draws delays bounds them by the same rule.
 */
public final class DelayChains {

    private DelayChains() {
    }

    /**
     * The sum of all delays: what one thread handling every record would wait.
     *
     * @param delays the delays, in nanoseconds
     * @return their sum
     */
    public static long totalNanos(long[] delays) {
        long total = 0;
        for (long delay : delays) {
            total += delay;
        }
        return total;
    }

    /**
     * The longest sum of delays of records that must run one after another: those of one partition when {@code keys}
     * is 0 (partition ordering), or those of one key within one partition otherwise (key ordering). No contender
     * that keeps that order can finish sooner.
     *
     * @param delays     the delays, in nanoseconds
     * @param partitions the partitions the records are spread over
     * @param keys       the keys, or 0 for partition ordering
     * @return the longest chain's sum
     */
    public static long longestChainNanos(long[] delays, int partitions, int keys) {
        Map<Long, Long> chains = new HashMap<>();
        long longest = 0;
        for (int i = 0; i < delays.length; i++) {
            long chain = keys == 0 ? i % partitions : (long) (i % partitions) * keys + i % keys;
            longest = Math.max(longest, chains.merge(chain, delays[i], Long::sum));
        }
        return longest;
    }
}
