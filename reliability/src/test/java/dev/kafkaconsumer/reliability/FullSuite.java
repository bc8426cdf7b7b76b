package dev.kafkaconsumer.reliability;

/**
 * The JUnit tag of the scenarios that run only in the {@code reliability-full} Maven profile: they take
 * minutes (rolling restarts, broker kills and outages, a rebalance storm) and are excluded from the
 * normal build by the module's surefire configuration.
 */
final class FullSuite {

    /** The tag. */
    static final String TAG = "reliability-full";

    private FullSuite() {
    }
}
