package dev.kafkaconsumer.reliability;

/**
 * What runs, and what is asserted, only in the {@code reliability-full} Maven profile.
 *
 * <p>The normal build runs on whatever machine CI gives it, often a loaded one, so it asserts only what
 * holds there: counts, orderings, that something happens at all, and upper bounds generous enough to catch
 * only a hang. Rates, latencies and ratios are measured and reported (through {@link Results}) and judged
 * in the full suite:
 * <ul>
 * <li>a scenario or test that exists to measure, or that takes minutes (rolling restarts, broker kills and
 * outages, a rebalance storm), carries the tag {@link #TAG}, which the module's surefire configuration
 * excludes unless the profile is active;</li>
 * <li>a bound on a figure that a normal-build scenario measures anyway (such as how long a take-over took)
 * is asserted only when {@link #active()}.</li>
 * </ul>
 */
final class FullSuite {

    /** The tag. */
    static final String TAG = "reliability-full";

    /** The system property that the {@code reliability-full} profile sets to {@code true}. */
    static final String PROPERTY = "reliability.full";

    private FullSuite() {
    }

    /**
     * Returns whether the full suite runs, so that bounds on measured rates and latencies are asserted.
     *
     * @return true under {@code -Preliability-full} (or {@code -Dreliability.full=true})
     */
    static boolean active() {
        return Boolean.getBoolean(PROPERTY);
    }
}
