package dev.kafkaconsumer.benchmarks.slow;

/**
 * What one B3 run's own handler calls took, and the floor they set: no contender keeping the run's order with the run's
 * concurrency can finish sooner than its longest chain of handler calls that must run one after another (one key
 * within a partition under KEY ordering, one partition under PARTITION ordering), nor sooner than all its handler
 * time spread evenly over its threads. Unlike the lower bound of {@link SlowRecords}, computed from the delays the
 * records ask for, this floor uses the time each handler call really took ({@code parkNanos} overshoots, more so on a
 * loaded machine), so that the ratio of wall time to floor is what the contender's own machinery costs.
 *
 * @param longestKeyChainNanos       the largest sum of handler times of one key within one partition
 * @param longestPartitionChainNanos the largest sum of handler times of one partition
 * @param totalNanos                 the sum of every handler call's time
 * @param firstStartNanos            {@code System.nanoTime()} when the first handler call began
 * @param lastEndNanos               {@code System.nanoTime()} when the last handler call ended
 * @param threads                    how many threads ran handler calls
 * @param lateStartNanos             the sum over those threads of the time from the first call of all to their own first
 * @param gapNanos                   the sum over those threads of the time between the end of one call and the start of
 *                                   their next: the contender's own work between records, and waits for a record to run
 * @param earlyEndNanos              the sum over those threads of the time from their last call's end to the last of all
 */
record HandlerFloor(long longestKeyChainNanos, long longestPartitionChainNanos, long totalNanos, long firstStartNanos,
        long lastEndNanos, int threads, long lateStartNanos, long gapNanos, long earlyEndNanos) {

    /** No handler call. */
    static final HandlerFloor NONE = new HandlerFloor(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * The floor of a contender, in seconds.
     *
     * @param keyOrdered  whether it orders by key within a partition (else by partition)
     * @param concurrency how many records it may handle at once
     * @return the longest chain or the total over the concurrency, whichever is longer
     */
    double floorSeconds(boolean keyOrdered, int concurrency) {
        long chain = keyOrdered ? longestKeyChainNanos : longestPartitionChainNanos;
        return Math.max(chain, totalNanos / (double) concurrency) / 1e9;
    }

    /**
     * How the threads' time while records were handled went, as fractions of {@code concurrency} threads over
     * {@link #handlingSeconds()}: in handler calls, before a thread's first call, between its calls, after its last, and
     * threads that never ran one. They add up to 1.
     *
     * @param concurrency the contender's threads for handler calls
     * @return busy, late start, gaps, early end, unused
     */
    double[] threadTime(int concurrency) {
        double all = (double) concurrency * (lastEndNanos - firstStartNanos);
        if (all <= 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        double unused = (double) Math.max(0, concurrency - threads) * (lastEndNanos - firstStartNanos);
        return new double[] {totalNanos / all, lateStartNanos / all, gapNanos / all, earlyEndNanos / all, unused / all};
    }

    /** Seconds from the first handler call's start to the last one's end: the run without its start-up. */
    double handlingSeconds() {
        return (lastEndNanos - firstStartNanos) / 1e9;
    }
}
