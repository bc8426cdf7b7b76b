package dev.kafkaconsumer.benchmarks.blocking;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A B12 contender, read from its name: {@code platform-c100} is the container on platform threads at concurrency 100,
 * {@code virtual-c1000} on virtual threads at concurrency 1,000.
 *
 * @param name        the name, as {@code bench.contenders} gives it
 * @param virtual     whether the workers are virtual threads
 * @param concurrency the container's concurrency: at most this many records are handled at once
 */
record BlockingContender(String name, boolean virtual, int concurrency) {

    /** The three: platform threads at 100, virtual threads at 1,000 and 10,000. */
    static final List<String> DEFAULTS = List.of("platform-c100", "virtual-c1000", "virtual-c10000");

    private static final Pattern NAME = Pattern.compile("(platform|virtual)-c(\\d+)");

    /**
     * @param name e.g. {@code virtual-c1000}
     * @return the contender
     * @throws IllegalArgumentException for another shape of name
     */
    static BlockingContender of(String name) {
        Matcher matcher = NAME.matcher(name);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("B12 contender " + name + " is not platform-c<N> or virtual-c<N>");
        }
        return new BlockingContender(name, matcher.group(1).equals("virtual"), Integer.parseInt(matcher.group(2)));
    }

    /** What the table calls it. */
    String describe() {
        return String.format(java.util.Locale.ROOT, "`ConsumerContainer`, KEY, %s threads, concurrency %,d",
                virtual ? "virtual" : "platform", concurrency);
    }

    /**
     * The least wall time a run can take: every record's wait spread evenly over the concurrency, or the busiest key's
     * records one after another, whichever is longer (fetching and dispatching left out).
     *
     * @param records      records of the run
     * @param busiestKey   records of the key that has the most
     * @return seconds
     */
    double lowerBoundSeconds(long records, long busiestKey) {
        double spread = records * (double) BlockingWork.BLOCK_MILLIS / 1000 / concurrency;
        double chain = busiestKey * (double) BlockingWork.BLOCK_MILLIS / 1000;
        return Math.max(spread, chain);
    }
}
