package dev.kafkaconsumer.benchmarks.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
import dev.kafkaconsumer.benchmarks.report.MachineDescription;

class BatchDrainTableTest {

    private static final long SECOND = 1_000_000_000L;

    private final MachineDescription machine = new MachineDescription(2, "cpu", "1 GiB", "java", "os", List.of("-Xmx2g"),
            "4.1.2", Instant.EPOCH, "0.00 0.00 0.00");

    @TempDir
    Path results;

    @Test
    void ratiosArePairedRunByRunNotMedianOverMedian() {
        // raw 100, 200, 400 records/s; engine 90, 210, 300: pairwise 0.9, 1.05, 0.75 -> median 0.9
        Map<String, List<DrainTiming>> runs = Map.of(
                BenchSettings.RAW, List.of(timing(100), timing(200), timing(400)),
                DrainBenchmark.ENGINE, List.of(timing(90), timing(210), timing(300)));
        BatchDrainTable table = new BatchDrainTable(settings(List.of("raw", "engine")), machine, runs);

        assertThat(table.medianRatio()).isCloseTo(0.9, Offset.offset(1e-9));
        CaseReport report = table.report();
        assertThat(report.toMarkdown())
                .contains("median of 3 pairwise ratios: 0.900")
                .contains("**not met**")
                .contains("mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b1 -Dbench.records=100 -Dbench.runs=3");
        assertThat(report.headlines()).singleElement().satisfies(headline -> {
            assertThat(headline.benchCase()).isEqualTo("b1");
            assertThat(headline.value()).isCloseTo(0.9, Offset.offset(1e-9));
            assertThat(headline.targetText()).isEqualTo("≥ 0.950");
            assertThat(headline.met()).isFalse();
        });
    }

    @Test
    void aRunUnderAChosenGroupProtocolSaysSoInItsHeadingAndCommand() {
        Map<String, List<DrainTiming>> runs = Map.of(
                BenchSettings.RAW, List.of(timing(100)), DrainBenchmark.ENGINE, List.of(timing(100)));

        String markdown = new BatchDrainTable(settings(List.of("raw", "engine")).withGroupProtocol("consumer"), machine, runs)
                .report().toMarkdown();

        assertThat(markdown).startsWith("## B1: drain a topic, ConsumerEngine vs. raw KafkaConsumer (group.protocol=consumer)\n")
                .contains("-Dbench.runs=3 -Dbench.groupProtocol=consumer\n");
    }

    @Test
    void aSingleContenderHasNoRatio() {
        BatchDrainTable table = new BatchDrainTable(settings(List.of("engine")), machine,
                Map.of(DrainBenchmark.ENGINE, List.of(timing(100))));

        assertThat(table.medianRatio()).isNaN();
        assertThat(table.report().headlines()).isEmpty();
        assertThat(table.report().toMarkdown()).doesNotContain("pairwise").contains("-Dbench.contenders=engine");
    }

    @Test
    void rejectsUnknownContenders() {
        assertThatIllegalArgumentException().isThrownBy(() -> settings(List.of("raw", "spring")))
                .withMessageContaining("bench.contenders");
    }

    /** The pairs of the committed B1 result: raw and engine records/s, and each after its first batch. */
    private static final long[][] COMMITTED_PAIRS = {
            {3_809_286, 4_189_057, 3_902_875, 4_388_226},
            {4_668_491, 4_653_326, 4_840_497, 4_882_106},
            {5_610_134, 5_298_216, 5_804_667, 5_581_139},
            {3_686_065, 4_101_184, 3_851_884, 4_294_276},
            {5_548_765, 5_520_759, 5_759_054, 5_857_114},
            {5_830_028, 6_199_829, 6_031_734, 6_412_807},
            {5_880_952, 5_292_112, 6_055_168, 5_424_677},
            {5_766_400, 5_905_277, 5_904_326, 6_089_035},
            {6_138_211, 6_042_593, 6_401_406, 6_320_346},
            {6_250_834, 6_595_109, 6_571_154, 6_813_207},
            {5_717_027, 5_797_541, 5_856_219, 6_016_133}};

    @Test
    void theCommittedResultIsWhatItsRunsRenderByteForByte() {
        long records = 5_000_000;
        Map<String, List<DrainTiming>> runs = new LinkedHashMap<>();
        runs.put("raw", new ArrayList<>());
        runs.put("engine", new ArrayList<>());
        for (long[] pair : COMMITTED_PAIRS) {
            // the CPU columns give medians only: every run gets the median
            runs.get("raw").add(committed(records, pair[0], pair[2], 0.77, 0.36));
            runs.get("engine").add(committed(records, pair[1], pair[3], 0.92, 0.31));
        }
        MachineDescription measured = Golden.committed("6.18.44-fc-v1098", "2026-12-03T13:19:41Z", "0.48 0.91 1.35",
                "0.96 1.01 1.36", "b1");

        Golden.Written written = Golden.write(
                new BatchDrainTable(DrainBenchmark.B1.with(records, 11, List.of("raw", "engine")), measured, runs).report(),
                results, "b1-drain.md");

        assertThat(written.markdown()).isEqualTo(Golden.read("committed/b1-drain.md"));
        assertThat(written.ratios()).isEqualTo(Golden.read("committed/b1-ratios.tsv"));
    }

    @Test
    void rendersWhatTheCodeBeforeThePackagesRenderedForTheSameRuns() {
        Map<String, List<DrainTiming>> runs = new LinkedHashMap<>();
        runs.put("raw", List.of(drain(0.5, 100, 0.45, 0.3, 0.1), drain(0.4, 120, 0.38, 0.25, 0.12), drain(0.61, 90, 0.5, -1, -1)));
        runs.put("engine", List.of(drain(0.52, 300, 0.4, 0.33, 0.11), drain(0.37, 200, 0.33, 0.31, 0.09), drain(0.7, 500, 0.6, 0.4, 0.2)));

        Golden.Written written = Golden.write(new BatchDrainTable(DrainBenchmark.B1.with(1000, 3, List.of("raw", "engine")),
                Golden.MACHINE, runs).report(), results, "b1-drain.md");

        assertThat(written.markdown()).isEqualTo(Golden.read("before/b1-synthetic.md"));
        assertThat(written.ratios()).isEqualTo(Golden.read("before/b1-synthetic-ratios.tsv"));
    }

    @Test
    void aRunOfOneContenderRendersAsBeforeAndLeavesTheRatioFileAlone() {
        Map<String, List<DrainTiming>> runs = Map.of("engine", List.of(drain(0.5, 100, 0.45, 0.3, 0.1), drain(0.4, 120, 0.38, 0.25, 0.12)));

        Golden.Written written = Golden.write(new BatchDrainTable(DrainBenchmark.B1.with(1000, 2, List.of("engine")),
                Golden.MACHINE, runs).report(), results, "b1-drain.md");

        assertThat(written.markdown()).isEqualTo(Golden.read("before/b1-engine-only.md"));
        assertThat(written.ratios()).isNull();
    }

    private static BenchSettings settings(List<String> contenders) {
        return DrainBenchmark.B1.with(100, 3, contenders);
    }

    /** A drain of 100 records at the given rate, with no join time. */
    private static DrainTiming timing(double recordsPerSecond) {
        long nanos = (long) (100 * SECOND / recordsPerSecond);
        return new DrainTiming(100, 100 * BenchSettings.VALUE_BYTES, nanos, 0, nanos);
    }

    /** A drain of 1,000 records; a negative CPU time is one that was not measured. */
    static DrainTiming drain(double totalSeconds, long firstBatch, double afterSeconds, double cpuSeconds, double brokerSeconds) {
        return new DrainTiming(1000, 1000 * 100, (long) (totalSeconds * 1e9), firstBatch, (long) (afterSeconds * 1e9),
                cpuSeconds < 0 ? -1 : (long) (cpuSeconds * 1e9), brokerSeconds < 0 ? -1 : (long) (brokerSeconds * 1e9));
    }

    /** A drain of the committed result: its records/s and records/s after the first batch, the first batch counted as empty. */
    static DrainTiming committed(long records, long perSecond, long afterFirstPerSecond, double cpuSeconds, double brokerSeconds) {
        return new DrainTiming(records, records * BenchSettings.VALUE_BYTES, Math.round(records * 1e9 / perSecond), 0,
                Math.round(records * 1e9 / afterFirstPerSecond), Math.round(cpuSeconds * 1e9), Math.round(brokerSeconds * 1e9));
    }
}
