package dev.kafkaconsumer.benchmarks.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaconsumer.benchmarks.memory.MemoryConsumerProcess.Mode;
import dev.kafkaconsumer.benchmarks.report.Golden;
import dev.kafkaconsumer.benchmarks.report.HeadlineRatio.Comparison;
import dev.kafkaconsumer.benchmarks.report.HeadlineRatio;

class MemoryTableTest {

    private static final long MIB = 1024 * 1024;

    @TempDir
    Path results;

    @Test
    void rendersWhatTheCodeBeforeThePackagesRenderedForTheSameSamples() {
        Golden.Written written = Golden.write(table().report(), results, "b5-memory.md");

        assertThat(written.markdown()).isEqualTo(Golden.read("before/b5-synthetic.md"));
        assertThat(written.ratios()).isEqualTo(Golden.read("before/b5-synthetic-ratios.tsv"));
    }

    @Test
    void theContainersHeapAndRssAreTheHeadlinesAndTheRssOfTheDrainsHasNoTarget() {
        assertThat(table().report().headlines())
                .extracting(HeadlineRatio::name, HeadlineRatio::comparison)
                .containsExactly(
                        tuple("container live heap, drain: 5M / 1M backlog", Comparison.AT_MOST),
                        tuple("container RSS, drain: 5M / 1M backlog (GC heap sizing)", Comparison.NONE),
                        tuple("container live heap, slow handler: ≥4M / ≤2M backlog", Comparison.AT_MOST),
                        tuple("container RSS, slow handler: ≥4M / ≤2M backlog", Comparison.AT_MOST));
    }

    /** Drains of 1 M and 5 M records, and slow consumers whose memory stays flat; Spring's slow one starts at a large backlog. */
    private static MemoryTable table() {
        Map<Mode, List<ConsumerJvm.Point>> small = new LinkedHashMap<>();
        small.put(Mode.CONTAINER_DRAIN, drain(1_000_000, 16, 233));
        small.put(Mode.SPRING_DRAIN, drain(1_000_000, 18, 286));
        Map<Mode, List<ConsumerJvm.Point>> large = new LinkedHashMap<>();
        large.put(Mode.CONTAINER_DRAIN, drain(5_000_000, 23, 310));
        large.put(Mode.SPRING_DRAIN, drain(5_000_000, 25, 312));
        Map<Mode, List<ConsumerJvm.Point>> growing = new LinkedHashMap<>();
        growing.put(Mode.CONTAINER_SLOW, growing(56, 250, true));
        growing.put(Mode.SPRING_SLOW, growing(25, 176, false));
        return new MemoryTable(small, large, growing, Golden.MACHINE, 58.4);
    }

    private static ConsumerJvm.Point point(double second, long produced, long handled, double heapMib, double usedMib, long rssMib,
            long hwmMib) {
        return new ConsumerJvm.Point(new MemorySample((long) (second * 1000), handled, (long) (heapMib * MIB), (long) (usedMib * MIB),
                rssMib * 1024, hwmMib * 1024), produced);
    }

    private static List<ConsumerJvm.Point> drain(long records, double heap, long rss) {
        List<ConsumerJvm.Point> points = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            points.add(point(0.5 * (i + 1), records, records * i / 5, heap + i % 3, heap * 4 + i, rss + i * 3, rss + i * 4));
        }
        return points;
    }

    private static List<ConsumerJvm.Point> growing(double heap, long rss, boolean smallBacklog) {
        List<ConsumerJvm.Point> points = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long produced = Math.min(5_000_000, (smallBacklog ? 1_000_000 : 3_000_000) + i * 150_000L);
            points.add(point(0.55 * i, produced, i * 9_000L, heap + (i % 4) * 0.7, heap * 1.4 + i % 5, rss + i % 7, rss + 10 + i % 7));
        }
        return points;
    }
}
