package dev.kafkaconsumer.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class LatencyTableTest {

    private final MachineDescription machine = new MachineDescription(2, "cpu", "1 GiB", "java", "os", List.of("-Xmx2g"),
            "4.1.2", Instant.EPOCH, "0.00 0.00 0.00");
    private final BenchSettings settings = new BenchSettings(BenchSettings.B4, 10_000, 3,
            List.of(BenchSettings.RAW, BenchSettings.CONTAINER), Path.of("unused.md"));

    @Test
    void comparesTheContainersP99WithRawsPairByPairAgainstFiveMilliseconds() {
        LatencyTable table = new LatencyTable(settings, machine, Map.of(
                BenchSettings.RAW, List.of(run(1, 10), run(1, 20), run(1, 12)),
                BenchSettings.CONTAINER, List.of(run(2, 13), run(2, 30), run(2, 14))));

        // HdrHistogram keeps 3 significant digits, so 10 ms reads back as 10.01 ms
        assertThat(table.p99Differences()).containsExactly(new double[] {3, 10, 2}, Offset.offset(0.02));
        assertThat(table.targetMet()).isTrue();
        assertThat(table.toMarkdown())
                .containsPattern("\\| container p99 − raw p99 \\| \\*\\*3\\.00\\*\\* \\| 2\\.00 \\| 10\\.0\\d \\| ≤ \\+5\\.00 \\| met \\|")
                .contains("| container p50 − raw p50 | 1.00 | 1.00 | 1.00 | – | – |")
                .containsPattern("\\| median container p99 − median raw p99 \\(not pairwise\\) \\| 2\\.0\\d \\| \\| \\| – \\| – \\|")
                .contains("-Dbench.case=b4 -Dbench.records=10000 -Dbench.runs=3");
    }

    @Test
    void aContainerP99MoreThanFiveMillisecondsAboveRawsMissesTheTarget() {
        LatencyTable table = new LatencyTable(settings, machine, Map.of(
                BenchSettings.RAW, List.of(run(1, 10), run(1, 10), run(1, 10)),
                BenchSettings.CONTAINER, List.of(run(1, 16), run(1, 14), run(1, 17))));

        assertThat(table.targetMet()).isFalse();
        assertThat(table.p99Differences()).containsExactly(new double[] {6, 4, 7}, Offset.offset(0.02));
        assertThat(table.toMarkdown()).containsPattern("\\| container p99 − raw p99 \\| \\*\\*6\\.0\\d\\*\\* .* \\| ≤ \\+5\\.00 \\| \\*\\*not met\\*\\* \\|");
    }

    @Test
    void theSummaryGetsTheMedianPairwiseP99DifferenceInMillisecondsAgainstFive() {
        LatencyTable table = new LatencyTable(settings, machine, Map.of(
                BenchSettings.RAW, List.of(run(1, 10), run(1, 20), run(1, 12)),
                BenchSettings.CONTAINER, List.of(run(2, 16), run(2, 30), run(2, 14))));

        assertThat(table.headlines()).singleElement().satisfies(headline -> {
            assertThat(headline.benchCase()).isEqualTo("b4");
            assertThat(headline.name()).isEqualTo("container p99 − raw p99 at 5,000 records/s");
            assertThat(headline.unit()).isEqualTo(HeadlineRatio.Unit.MILLISECONDS);
            assertThat(headline.comparison()).isEqualTo(HeadlineRatio.Comparison.AT_MOST);
            assertThat(headline.target()).isEqualTo(5.0);
            assertThat(headline.value()).isCloseTo(6, Offset.offset(0.02));
            assertThat(headline.met()).isFalse();
        });
    }

    @Test
    void aB4RunNoLongerThanItsSettlingRecordsIsRefusedRatherThanReportedAsZeroLatency() {
        assertThatThrownBy(() -> new BenchSettings(BenchSettings.B4, LatencyBenchmark.SETTLE_RECORDS, 1,
                List.of(BenchSettings.RAW, BenchSettings.CONTAINER), Path.of("unused.md")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must exceed 5000");
    }

    /** A run whose latencies are 98 % at {@code p50Millis} and 2 % at {@code p99Millis}. */
    private static LatencyRun run(double p50Millis, double p99Millis) {
        Histogram histogram = new Histogram(3);
        histogram.recordValueWithCount((long) (p50Millis * 1e6), 98);
        histogram.recordValueWithCount((long) (p99Millis * 1e6), 2);
        return new LatencyRun(histogram, 5_000, 1_000_000_000L);
    }

}
