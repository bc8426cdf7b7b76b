package dev.kafkaconsumer.benchmarks.memory;

import java.util.List;
import java.util.function.Predicate;

/**
 * How much a consumer JVM's memory grew between a small backlog and a large one: the question B5
 * asks of bounded buffers. Pure computation over the samples, tested without a broker.
 *
 * <p>While the backlog grows ({@link #growing}), "small" is every sample with a backlog of at most
 * {@value #SMALL_BACKLOG} records taken once the consumer is handling records (its first
 * {@value #SKIPPED_SAMPLES} such samples left out: class loading and JIT are not backlog), and "large"
 * every sample with at least {@value #LARGE_BACKLOG}. Each side is summarised by its peak, so a single
 * high reading at the large backlog counts against the verdict.
 */
final class MemoryGrowth {

    static final long SMALL_BACKLOG = 2_000_000;
    static final long LARGE_BACKLOG = 4_000_000;
    static final int SKIPPED_SAMPLES = 2;
    /** The most the memory may grow for "flat", as the brief sets it. */
    static final double FLAT = 1.2;

    /**
     * The peaks of some samples.
     *
     * @param heapMib     the largest live heap, MiB
     * @param rssMib      the largest {@code VmRSS}, MiB
     * @param hwmMib      the largest {@code VmHWM} (peak RSS since start), MiB
     * @param meanBacklog the mean backlog of the samples
     * @param samples     how many samples
     */
    record Peak(double heapMib, double rssMib, double hwmMib, double meanBacklog, int samples) {

        static Peak of(List<ConsumerJvm.Point> points) {
            return new Peak(
                    points.stream().mapToDouble(p -> p.sample().heapAfterGcMib()).max().orElse(Double.NaN),
                    points.stream().mapToDouble(p -> p.sample().rssMib()).max().orElse(Double.NaN),
                    points.stream().mapToDouble(p -> p.sample().hwmKib() / 1024.0).max().orElse(Double.NaN),
                    points.stream().mapToLong(ConsumerJvm.Point::backlog).average().orElse(Double.NaN),
                    points.size());
        }
    }

    /**
     * @param small the peaks at the small backlog
     * @param large the peaks at the large backlog
     */
    record Growth(Peak small, Peak large) {

        double heapRatio() {
            return large.heapMib() / small.heapMib();
        }

        double rssRatio() {
            return large.rssMib() / small.rssMib();
        }
    }

    private MemoryGrowth() {
    }

    /** Small and large backlog of one consumer's samples while the backlog grew. */
    static Growth growing(List<ConsumerJvm.Point> points) {
        List<ConsumerJvm.Point> handling = points.stream().filter(p -> p.sample().handled() > 0).skip(SKIPPED_SAMPLES).toList();
        return new Growth(Peak.of(select(handling, p -> p.backlog() <= SMALL_BACKLOG)),
                Peak.of(select(handling, p -> p.backlog() >= LARGE_BACKLOG)));
    }

    /** Two drains of a topic, one of a small backlog and one of a large one, each summarised over all its samples. */
    static Growth drains(List<ConsumerJvm.Point> small, List<ConsumerJvm.Point> large) {
        return new Growth(Peak.of(small), Peak.of(large));
    }

    private static List<ConsumerJvm.Point> select(List<ConsumerJvm.Point> points, Predicate<ConsumerJvm.Point> which) {
        return points.stream().filter(which).toList();
    }
}
