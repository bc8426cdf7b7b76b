package dev.kafkaconsumer.benchmarks.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.report.CaseReport;
import dev.kafkaconsumer.benchmarks.report.Golden;
import dev.kafkaconsumer.benchmarks.report.HeadlineRatio;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;

class ShareDrainTableTest {

    private static final long SECOND = 1_000_000_000L;

    private final MachineDescription machine = new MachineDescription(2, "cpu", "1 GiB", "java", "os", List.of("-Xmx2g"),
            "4.3.1", Instant.EPOCH, "0.00 0.00 0.00");

    @TempDir
    Path results;

    @Test
    void theContainersAreComparedPairByPairWithRawAgainstTheTargetAndWithSpringWithout() {
        BenchSettings settings = ShareDrainBenchmark.DEFAULTS.with(100, 3, List.of("raw", "container", "spring"));
        Map<String, List<DrainTiming>> runs = Map.of(
                "raw", List.of(timing(100), timing(200), timing(400)),
                "container", List.of(timing(90), timing(210), timing(300)),
                "spring", List.of(timing(50), timing(100), timing(300)));
        ShareDrainTable table = new ShareDrainTable(settings, machine, runs);

        assertThat(table.ratios("container", "raw")).containsExactly(new double[] {0.9, 1.05, 0.75}, Offset.offset(1e-9));
        CaseReport report = table.report();
        assertThat(report.toMarkdown())
                .contains("| container / raw | **0.900** | 0.750 | 1.050 | ≥ 0.900 | met |")
                .contains("| spring / raw | **0.500** | 0.500 | 0.750 | — | |")
                .contains("| container / spring | **1.800** | 1.000 | 2.100 | — | |")
                .contains("mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b9 -Dbench.records=100 -Dbench.runs=3 "
                        + "-Dbench.contenders=raw,container,spring");
        assertThat(report.headlines())
                .extracting(HeadlineRatio::name, h -> Math.round(h.value() * 1000), HeadlineRatio::met)
                .containsExactly(
                        tuple("container / raw, share-group drain", 900L, true),
                        tuple("spring / raw, share-group drain", 500L, true),
                        tuple("container / spring, share-group drain", 1800L, true));
        assertThat(report.headlines().get(0).targetText()).isEqualTo("≥ 0.900");
        assertThat(report.headlines().get(1).targetText()).isEqualTo("—");
    }

    @Test
    void theContainersAreComparedWithTheExplicitRawLoopAndThatLoopWithRawWithoutATarget() {
        BenchSettings settings = ShareDrainBenchmark.DEFAULTS.with(100, 1, List.of("raw", "raw-explicit", "container", "container-c6"));
        Map<String, List<DrainTiming>> runs = Map.of("raw", List.of(timing(100)), "raw-explicit", List.of(timing(80)),
                "container", List.of(timing(76)), "container-c6", List.of(timing(72)));

        CaseReport report = new ShareDrainTable(settings, machine, runs).report();

        assertThat(report.toMarkdown())
                .contains("| container / raw | **0.760** | 0.760 | 0.760 | ≥ 0.900 | **not met** |")
                .contains("| container / raw-explicit | **0.950** | 0.950 | 0.950 | — | |")
                .contains("| container-c6 / raw-explicit | **0.900** | 0.900 | 0.900 | — | |")
                .contains("| raw-explicit / raw | **0.800** | 0.800 | 0.800 | — | |")
                .contains("explicit acknowledgement (`acknowledge(record, ACCEPT)` after each handler call)");
        assertThat(report.headlines()).extracting(HeadlineRatio::name).containsExactly(
                "container / raw, share-group drain", "container-c6 / raw, share-group drain",
                "container / raw-explicit, share-group drain", "container-c6 / raw-explicit, share-group drain",
                "raw-explicit / raw, share-group drain");
    }

    @Test
    void aContainerBelowNineTenthsOfRawMissesItsTarget() {
        Map<String, List<DrainTiming>> runs = Map.of("raw", List.of(timing(100)), "container-c6", List.of(timing(89)));

        CaseReport report = new ShareDrainTable(ShareDrainBenchmark.DEFAULTS.with(100, 1, List.of("raw", "container-c6")),
                machine, runs).report();

        assertThat(report.toMarkdown()).contains("| container-c6 / raw | **0.890** | 0.890 | 0.890 | ≥ 0.900 | **not met** |");
        assertThat(report.headlines()).singleElement().satisfies(headline -> assertThat(headline.met()).isFalse());
    }

    @Test
    void aRunOfOneContenderHasNoRatioAndLeavesTheRatioFileAlone() {
        Map<String, List<DrainTiming>> runs = Map.of("container", List.of(timing(100)));

        Golden.Written written = Golden.write(new ShareDrainTable(ShareDrainBenchmark.DEFAULTS.with(100, 1, List.of("container")),
                machine, runs).report(), results, "b9-share-drain.md");

        assertThat(written.markdown()).doesNotContain("pairwise").contains("`ShareConsumerContainer`, concurrency 1 (`container`)");
        assertThat(written.ratios()).isNull();
    }

    @Test
    void rendersTheSyntheticRunsAsTheGoldenFileSays() {
        Map<String, List<DrainTiming>> runs = new LinkedHashMap<>();
        runs.put("raw", List.of(drain(0.5, 0.45, 0.3, 0.1), drain(0.4, 0.38, 0.25, 0.12)));
        runs.put("raw-explicit", List.of(drain(0.55, 0.5, 0.35, 0.1), drain(0.44, 0.4, 0.3, 0.12)));
        runs.put("container", List.of(drain(0.52, 0.4, 0.33, 0.11), drain(0.45, 0.41, 0.31, 0.09)));
        runs.put("container-c6", List.of(drain(0.48, 0.43, 0.4, 0.2), drain(0.5, 0.44, 0.42, 0.13)));
        runs.put("spring", List.of(drain(0.9, 0.8, 0.5, 0.2), drain(1.0, 0.95, 0.45, 0.2)));

        Golden.Written written = Golden.write(new ShareDrainTable(ShareDrainBenchmark.DEFAULTS.with(1000, 2,
                List.of("raw", "raw-explicit", "container", "container-c6", "spring")), Golden.MACHINE, runs).report(), results,
                "b9-share-drain.md");

        assertThat(written.markdown()).isEqualTo(Golden.read("synthetic/b9-share-drain.md"));
        assertThat(written.ratios()).isEqualTo(Golden.read("synthetic/b9-ratios.tsv"));
    }

    /** A drain of 100 records at the given rate, with no join time. */
    private static DrainTiming timing(double recordsPerSecond) {
        long nanos = (long) (100 * SECOND / recordsPerSecond);
        return new DrainTiming(100, 100 * BenchSettings.VALUE_BYTES, nanos, 1, nanos);
    }

    /** A drain of 1,000 records. */
    private static DrainTiming drain(double totalSeconds, double afterSeconds, double cpuSeconds, double brokerSeconds) {
        return new DrainTiming(1000, 1000 * 100, (long) (totalSeconds * 1e9), 1, (long) (afterSeconds * 1e9),
                (long) (cpuSeconds * 1e9), (long) (brokerSeconds * 1e9));
    }
}
