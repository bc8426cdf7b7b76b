package dev.kafkaconsumer.benchmarks.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class MemoryGrowthTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void statusLinesGiveRssAndPeakInKibAndAMissingLineIsMinusOne() {
        String status = "Name:\tjava\nVmPeak:\t 5000000 kB\nVmHWM:\t  412344 kB\nVmRSS:\t  398100 kB\nThreads:\t42\n";

        assertThat(ProcStatus.parse(status)).isEqualTo(new ProcStatus(398_100, 412_344));
        assertThat(ProcStatus.parse("Name:\tjava\n")).isEqualTo(new ProcStatus(-1, -1));
        assertThat(ProcStatus.self().rssKib()).isPositive();
    }

    @Test
    void aSampleLineReadsBackAsTheSampleAndOtherLinesAreNotSamples() {
        MemorySample sample = new MemorySample(1500, 12_345, 80 * MIB, 200 * MIB, 300_000, 310_000);

        assertThat(MemorySample.parse(sample.toLine())).isEqualTo(sample);
        assertThat(MemorySample.parse("12:00:00 WARN something")).isNull();
    }

    @Test
    void aFlatHeapWhileTheBacklogGrowsGivesARatioNearOneAndTheStartUpSamplesAreLeftOut() {
        List<ConsumerJvm.Point> points = new ArrayList<>();
        points.add(point(0, 1_000_000, 0, 10, 100));      // not handling yet
        points.add(point(1, 1_100_000, 100, 300, 900));   // start-up: skipped
        points.add(point(2, 1_200_000, 200, 300, 900));   // start-up: skipped
        for (int i = 3; i < 40; i++) {
            points.add(point(i, 1_000_000 + i * 110_000L, i * 1_000L, 50 + i % 3, 200 + i % 5));
        }

        MemoryGrowth.Growth growth = MemoryGrowth.growing(points);

        assertThat(growth.small().samples()).isPositive();
        assertThat(growth.large().samples()).isPositive();
        assertThat(growth.small().heapMib()).isEqualTo(52);
        assertThat(growth.heapRatio()).isCloseTo(1.0, Offset.offset(0.05));
        assertThat(growth.rssRatio()).isCloseTo(1.0, Offset.offset(0.05));
    }

    @Test
    void aHeapThatGrowsWithTheBacklogIsNotFlat() {
        List<ConsumerJvm.Point> points = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long backlog = 1_000_000 + i * 110_000L;
            points.add(point(i, backlog + 1, 1, backlog / 20_000, 100 + backlog / 20_000));
        }

        MemoryGrowth.Growth growth = MemoryGrowth.growing(points);

        assertThat(growth.heapRatio()).isGreaterThan(MemoryGrowth.FLAT);
        assertThat(growth.large().meanBacklog()).isGreaterThanOrEqualTo(MemoryGrowth.LARGE_BACKLOG);
    }

    @Test
    void withoutSamplesAtTheLargeBacklogThereIsNoRatio() {
        List<ConsumerJvm.Point> points = List.of(point(0, 1_000_000, 1, 50, 200), point(1, 1_000_000, 2, 50, 200),
                point(2, 1_000_000, 3, 50, 200), point(3, 1_000_000, 4, 50, 200));

        assertThat(MemoryGrowth.growing(points).heapRatio()).isNaN();
    }

    private static ConsumerJvm.Point point(int second, long produced, long handled, long heapMib, long rssMib) {
        return new ConsumerJvm.Point(new MemorySample(second * 1000L, handled, heapMib * MIB, 2 * heapMib * MIB, rssMib * 1024,
                rssMib * 1024), produced);
    }
}
