package dev.kafkaconsumer.benchmarks.harness;

/**
 * A contender of the drains (B1, B2, B3): a way of reading a whole topic from the beginning.
 * Implementations start a fresh consumer for each drain, so no run profits from another's state.
 */
public interface Drain {

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

    /**
     * One measured drain, after a GC so that no run pays for the garbage of the one before, with the CPU
     * it cost each JVM; checks that every record was read.
     *
     * @param bootstrapServers the broker
     * @param topic            the topic to drain
     * @param records          how many records the topic holds
     * @param run              the run's number (0 for a warm-up)
     * @param cpu              the clocks of this JVM and the broker's
     * @return the timing, CPU included
     * @throws IllegalStateException when the drain read another number of records or bytes
     */
    default DrainTiming measure(String bootstrapServers, String topic, long records, int run, CpuClock cpu) {
        System.gc();
        long consumerCpu = cpu.consumerNanos();
        long brokerCpu = cpu.brokerNanos();
        DrainTiming timing = drain(bootstrapServers, topic, records, run)
                .withCpu(cpu.consumerNanos() - consumerCpu, cpu.brokerNanos() - brokerCpu);
        long expectedBytes = records * BenchSettings.VALUE_BYTES;
        if (timing.records() != records || timing.valueBytes() != expectedBytes) {
            throw new IllegalStateException(name() + " read " + timing.records() + " records and "
                    + timing.valueBytes() + " value bytes; expected " + records + " and " + expectedBytes);
        }
        return timing;
    }
}
