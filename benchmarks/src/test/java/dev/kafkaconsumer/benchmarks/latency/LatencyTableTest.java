package dev.kafkaconsumer.benchmarks.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.report.Golden;
import dev.kafkaconsumer.benchmarks.report.HeadlineRatio;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;

class LatencyTableTest {

    private final MachineDescription machine = new MachineDescription(2, "cpu", "1 GiB", "java", "os", List.of("-Xmx2g"),
            "4.1.2", Instant.EPOCH, "0.00 0.00 0.00");
    private final BenchSettings settings = LatencyBenchmark.DEFAULTS.with(10_000, 3, List.of(BenchSettings.RAW, BenchSettings.CONTAINER));

    @TempDir
    Path results;

    @Test
    void comparesTheContainersP99WithRawsPairByPairAgainstFiveMilliseconds() {
        LatencyTable table = new LatencyTable(settings, machine, Map.of(
                BenchSettings.RAW, List.of(run(1, 10), run(1, 20), run(1, 12)),
                BenchSettings.CONTAINER, List.of(run(2, 13), run(2, 30), run(2, 14))));

        // HdrHistogram keeps 3 significant digits, so 10 ms reads back as 10.01 ms
        assertThat(table.p99Differences()).containsExactly(new double[] {3, 10, 2}, Offset.offset(0.02));
        assertThat(table.targetMet()).isTrue();
        assertThat(table.report().toMarkdown())
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
        assertThat(table.report().toMarkdown()).containsPattern("\\| container p99 − raw p99 \\| \\*\\*6\\.0\\d\\*\\* .* \\| ≤ \\+5\\.00 \\| \\*\\*not met\\*\\* \\|");
    }

    @Test
    void theSummaryGetsTheMedianPairwiseP99DifferenceInMillisecondsAgainstFive() {
        LatencyTable table = new LatencyTable(settings, machine, Map.of(
                BenchSettings.RAW, List.of(run(1, 10), run(1, 20), run(1, 12)),
                BenchSettings.CONTAINER, List.of(run(2, 16), run(2, 30), run(2, 14))));

        assertThat(table.report().headlines()).singleElement().satisfies(headline -> {
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
        assertThatThrownBy(() -> LatencyBenchmark.checked(LatencyBenchmark.DEFAULTS.with(LatencyBenchmark.SETTLE_RECORDS, 1,
                List.of(BenchSettings.RAW, BenchSettings.CONTAINER))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must exceed 5000");
    }

    @Test
    void rendersWhatTheCodeBeforeThePackagesRenderedForTheSameRuns() {
        Map<String, List<LatencyRun>> runs = new LinkedHashMap<>();
        runs.put("raw", List.of(spread(0.7, 4, 20, 4999.5, 1_000_000_000L), spread(0.8, 3.5, 11, 5000.2, 1_100_000_000L),
                spread(0.75, 9, 30, 5000, 900_000_000L)));
        runs.put("container", List.of(spread(0.9, 5, 25, 5000, 1_200_000_000L), spread(0.85, 3, 9, 4998, 1_300_000_000L),
                spread(0.8, 12, 40, 5001, -1)));

        Golden.Written written = Golden.write(new LatencyTable(settings, Golden.MACHINE, runs).report(), results, "b4-latency.md");

        assertThat(written.markdown()).isEqualTo(Golden.read("before/b4-synthetic.md"));
        assertThat(written.ratios()).isEqualTo(Golden.read("before/b4-synthetic-ratios.tsv"));
    }

    @Test
    void aRunOfRawAloneRendersAsBeforeWithADifferenceThatWasNotMeasured() {
        BenchSettings rawOnly = LatencyBenchmark.DEFAULTS.with(10_000, 2, List.of(BenchSettings.RAW));
        Map<String, List<LatencyRun>> runs = Map.of("raw",
                List.of(spread(0.7, 4, 20, 4999.5, 1_000_000_000L), spread(0.8, 3.5, 11, 5000.2, 1_100_000_000L)));

        Golden.Written written = Golden.write(new LatencyTable(rawOnly, Golden.MACHINE, runs).report(), results, "b4-latency.md");

        assertThat(written.markdown()).isEqualTo(Golden.read("before/b4-raw-only.md"));
        assertThat(written.ratios()).isEqualTo(Golden.read("before/b4-raw-only-ratios.tsv"));
    }

    /** A run of 1,000 latencies: 90 % at {@code base}, 9 % at 1.5 × {@code base}, 0.9 % at {@code tail}, one at {@code max}. */
    private static LatencyRun spread(double base, double tail, double max, double rate, long cpuNanos) {
        Histogram histogram = new Histogram(3);
        histogram.recordValueWithCount((long) (base * 1e6), 900);
        histogram.recordValueWithCount((long) (base * 1.5e6), 90);
        histogram.recordValueWithCount((long) (tail * 1e6), 9);
        histogram.recordValueWithCount((long) (max * 1e6), 1);
        return new LatencyRun(histogram, rate, cpuNanos);
    }

    /** A run whose latencies are 98 % at {@code p50Millis} and 2 % at {@code p99Millis}. */
    @Test
    void atFiftyThousandRecordsPerSecondItReportsP99AndP999AgainstRawWithoutATarget() {
        BenchSettings high = LatencyBenchmark.HIGH_RATE.with(500_000, 2, List.of(BenchSettings.RAW, BenchSettings.CONTAINER));
        LatencyTable table = new LatencyTable(high, machine, Map.of(
                BenchSettings.RAW, List.of(run(1, 10), run(1, 20)),
                BenchSettings.CONTAINER, List.of(run(2, 13), run(2, 30))), LatencyBenchmark.HIGH);

        assertThat(table.report().headlines())
                .extracting(HeadlineRatio::benchCase, HeadlineRatio::name, HeadlineRatio::comparison, HeadlineRatio::unit)
                .containsExactly(
                        tuple("b4-50k", "container p99 − raw p99 at 50,000 records/s", HeadlineRatio.Comparison.NONE,
                                HeadlineRatio.Unit.MILLISECONDS),
                        tuple("b4-50k", "container p99.9 − raw p99.9 at 50,000 records/s", HeadlineRatio.Comparison.NONE,
                                HeadlineRatio.Unit.MILLISECONDS));
        assertThat(table.report().headlines().get(0).value()).isCloseTo(6.5, Offset.offset(0.05));
        assertThat(table.report().toMarkdown())
                .startsWith("## B4: end-to-end latency at 50,000 records/s, ConsumerContainer vs. raw KafkaConsumer\n")
                .containsPattern("\\| container p99 − raw p99 \\| \\*\\*6\\.5\\d\\*\\* .* \\| – \\| – \\|")
                .contains("| container p99.9 − raw p99.9 |")
                .contains("sends 500,000 records of 100 bytes at 50,000 records/s")
                .contains("the first 50,000 records (1 s) of each run are left out")
                .contains("-Dbench.case=b4-50k -Dbench.records=500000 -Dbench.runs=2");
    }

    @Test
    void underBothProtocolsEachProtocolsP99DifferenceIsAHeadlineAgainstFiveMilliseconds() {
        LatencyTable classic = new LatencyTable(settings.withGroupProtocol("classic"), machine, Map.of(
                BenchSettings.RAW, List.of(run(1, 10)), BenchSettings.CONTAINER, List.of(run(2, 12))));
        LatencyTable consumer = new LatencyTable(settings.withGroupProtocol("consumer"), machine, Map.of(
                BenchSettings.RAW, List.of(run(1, 10)), BenchSettings.CONTAINER, List.of(run(2, 17))));

        LatencyProtocolTable table = new LatencyProtocolTable(LatencyBenchmark.PROTOCOLS.with(10_000, 1,
                List.of(BenchSettings.RAW, BenchSettings.CONTAINER)), List.of(classic, consumer));

        assertThat(table.report().headlines())
                .extracting(HeadlineRatio::benchCase, HeadlineRatio::name, HeadlineRatio::target)
                .containsExactly(tuple("b4-protocols", "container p99 − raw p99 at 5,000 records/s, classic", 5.0),
                        tuple("b4-protocols", "container p99 − raw p99 at 5,000 records/s, consumer", 5.0));
        assertThat(table.report().headlines()).extracting(HeadlineRatio::met).containsExactly(true, false);
        assertThat(table.report().toMarkdown())
                .startsWith("## B4 under group.protocol=classic and consumer: end-to-end latency at 5,000 records/s")
                .containsPattern("\\| `consumer` \\| `container` \\| 2\\.00 \\| 17\\.0\\d \\| .* \\| \\*\\*7\\.0\\d\\*\\* .* \\| ≤ \\+?5\\.000 ms \\| \\*\\*not met\\*\\* \\|")
                .contains("-Dbench.case=b4-protocols -Dbench.records=10000 -Dbench.runs=1");
    }

    private static LatencyRun run(double p50Millis, double p99Millis) {
        Histogram histogram = new Histogram(3);
        histogram.recordValueWithCount((long) (p50Millis * 1e6), 98);
        histogram.recordValueWithCount((long) (p99Millis * 1e6), 2);
        return new LatencyRun(histogram, 5_000, 1_000_000_000L);
    }

}
