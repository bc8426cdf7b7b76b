package dev.kafkaconsumer.benchmarks;

/**
 * One contender of the B1 benchmark: a way of reading a whole topic from the beginning.
 * Implementations start a fresh consumer for each drain, so no run profits from another's state.
 */
interface Drain {

    /** A short label for tables and logs. */
    String name();

    /**
     * Reads every record of {@code topic} from the beginning with a fresh group and returns the timing.
     *
     * @param bootstrapServers the broker
     * @param topic            the topic to drain
     * @param records          how many records the topic holds
     * @param run              the run's number, used to make the group id and client id unique
     * @return how long the drain took, measured by a {@link DrainMeter}
     */
    DrainTiming drain(String bootstrapServers, String topic, long records, int run);
}
