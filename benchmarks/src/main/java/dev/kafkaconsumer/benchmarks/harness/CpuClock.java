package dev.kafkaconsumer.benchmarks.harness;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import com.sun.management.OperatingSystemMXBean;

/**
 * Reads the CPU time used so far by the measured JVM and by the broker JVM. On a machine with few
 * cores the contenders and the broker share the CPUs, so a contender that burns more CPU per record
 * also slows the broker down; its CPU cost explains a throughput gap that wall time alone cannot.
 */
public final class CpuClock {

    private final OperatingSystemMXBean os;
    private final ProcessHandle broker;

    /**
     * @param broker the broker JVM's process
     */
    public CpuClock(ProcessHandle broker) {
        this.os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
        this.broker = broker;
    }

    /** CPU nanoseconds used by this JVM so far, or -1 when the platform does not tell. */
    public long consumerNanos() {
        return os == null ? -1 : os.getProcessCpuTime();
    }

    /**
     * CPU nanoseconds used by this JVM so far (all its threads), or -1 when the platform does not tell: for the meters,
     * which read it at the start of a drain and at its last record, without a clock of the broker's.
     */
    public static long thisJvmNanos() {
        OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
        return os == null ? -1 : os.getProcessCpuTime();
    }

    /** {@code end - start} of two readings of {@link #thisJvmNanos()}, or -1 when either was not measured. */
    static long spent(long start, long end) {
        return start < 0 || end < 0 ? -1 : end - start;
    }

    /** CPU nanoseconds used by the broker JVM so far, or -1 when the platform does not tell. */
    public long brokerNanos() {
        return broker.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }
}
