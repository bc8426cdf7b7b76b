package dev.kafkaconsumer.benchmarks.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

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
import dev.kafkaconsumer.benchmarks.report.HeadlineRatio;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;

class OnePerCallTableTest {

    private static final long SECOND = 1_000_000_000L;

    private final MachineDescription machine = new MachineDescription(2, "cpu", "1 GiB", "java", "os", List.of("-Xmx2g"),
            "4.1.2", Instant.EPOCH, "0.00 0.00 0.00");

    @TempDir
    Path results;

    @Test
    void aRunUnderAChosenGroupProtocolSaysSoInItsHeadingAndCommand() {
        BenchSettings settings = DrainBenchmark.B2.with(100, 1, List.of("raw", "container")).withGroupProtocol("classic");

        String markdown = new OnePerCallTable(settings, machine, Map.of("raw", List.of(timing(100)), "container",
                List.of(timing(90)))).report().toMarkdown();

        assertThat(markdown).startsWith("## B2: drain a topic, one record per handler call: ConsumerContainer vs. Spring for "
                + "Apache Kafka vs. raw (group.protocol=classic)\n").contains("-Dbench.groupProtocol=classic\n");
    }

    @Test
    void comparesTheContainerPairByPairWithRawAndWithTheSpringAckModeOfHigherMedian() {
        BenchSettings settings = DrainBenchmark.B2.with(100, 3, List.of("raw", "container", "spring-batch", "spring-time"));
        Map<String, List<DrainTiming>> runs = Map.of(
                "raw", List.of(timing(100), timing(200), timing(400)),
                "container", List.of(timing(90), timing(210), timing(300)),
                "spring-batch", List.of(timing(10), timing(10), timing(10)),
                "spring-time", List.of(timing(50), timing(100), timing(300)));
        OnePerCallTable table = new OnePerCallTable(settings, machine, runs);

        assertThat(table.springBest()).isEqualTo("spring-time");
        assertThat(table.ratios("container", "raw")).containsExactly(new double[] {0.9, 1.05, 0.75}, Offset.offset(1e-9));
        CaseReport report = table.report();
        assertThat(report.toMarkdown())
                .contains("| container / raw | **0.900** | 0.750 | 1.050 | ≥ 0.900 | met |")
                .contains("| container / spring-time (Spring's best) | **1.800** | 1.000 | 2.100 | ≥ 1.000 | met |")
                .contains("-Dbench.case=b2 -Dbench.records=100 -Dbench.runs=3 -Dbench.contenders=raw,container,spring-batch,spring-time");
        assertThat(report.headlines())
                .extracting(HeadlineRatio::name, h -> Math.round(h.value() * 1000), HeadlineRatio::target)
                .containsExactly(
                        tuple("container / raw, one per call", 900L, 0.9),
                        tuple("container / Spring's best (spring-time), one per call", 1800L, 1.0));
    }

    /**
     * The rounds of the committed B2 result, per contender (raw, container, container-c6, spring-time): records/s and
     * records/s after the first record. The file gives only the median of the latter; the others are chosen so that
     * the median run stays the median and the median time to the first record stays what the file says.
     */
    private static final long[][][] COMMITTED_ROUNDS = {
            {{4_646_960, 4_780_241}, {3_874_689, 3_998_636}, {4_614_579, 4_791_463}, {3_411_328, 3_507_037}},
            {{5_366_948, 5_545_522}, {4_973_007, 5_179_050}, {4_988_216, 5_198_435}, {3_580_965, 3_680_197}},
            {{5_978_769, 6_201_222}, {4_554_696, 4_726_933}, {5_225_943, 5_453_959}, {3_593_617, 3_699_987}},
            {{4_587_670, 4_717_524}, {4_674_755, 4_825_769}, {4_965_716, 5_171_142}, {3_280_914, 3_369_350}},
            {{4_928_117, 5_076_538}, {5_457_746, 5_706_920}, {5_236_972, 5_465_972}, {3_639_255, 3_748_385}}};
    private static final List<String> COMMITTED_CONTENDERS = List.of("raw", "container", "container-c6", "spring-time");
    /** The median CPU seconds of each contender, consumer JVM and broker JVM; every run gets the median. */
    private static final double[][] COMMITTED_CPU = {{0.89, 0.40}, {1.24, 0.43}, {1.20, 0.33}, {1.31, 0.37}};

    @Test
    void theCommittedResultIsWhatItsRoundsRenderByteForByte() {
        long records = 5_000_000;
        Map<String, List<DrainTiming>> runs = new LinkedHashMap<>();
        COMMITTED_CONTENDERS.forEach(contender -> runs.put(contender, new ArrayList<>()));
        for (long[][] round : COMMITTED_ROUNDS) {
            for (int c = 0; c < round.length; c++) {
                runs.get(COMMITTED_CONTENDERS.get(c)).add(new DrainTiming(records, records * BenchSettings.VALUE_BYTES,
                        Math.round(records * 1e9 / round[c][0]), 1, Math.round((records - 1) * 1e9 / round[c][1]),
                        Math.round(COMMITTED_CPU[c][0] * 1e9), Math.round(COMMITTED_CPU[c][1] * 1e9)));
            }
        }
        MachineDescription measured = Golden.committed("6.18.44-fc-v669", "2026-11-28T16:40:57Z", "1.64 1.95 4.89",
                "1.54 1.90 4.72", "b2");

        Golden.Written written = Golden.write(new OnePerCallTable(DrainBenchmark.B2.with(records, 5, COMMITTED_CONTENDERS),
                measured, runs).report(), results, "b2-one-per-call.md");

        assertThat(written.markdown()).isEqualTo(Golden.read("committed/b2-one-per-call.md"));
        assertThat(written.ratios()).isEqualTo(Golden.read("committed/b2-ratios.tsv"));
    }

    @Test
    void rendersWhatTheCodeBeforeThePackagesRenderedForEveryContender() {
        Map<String, List<DrainTiming>> runs = new LinkedHashMap<>();
        runs.put("raw", drains(0.2, 0.25, 0.22));
        runs.put("container", drains(0.21, 0.3, 0.2));
        runs.put("container-c6", drains(0.19, 0.24, 0.23));
        runs.put("spring-batch", drains(2.0, 2.5, 2.2));
        runs.put("spring-time", drains(0.3, 0.31, 0.35));

        Golden.Written written = Golden.write(new OnePerCallTable(DrainBenchmark.B2.with(1000, 3, List.copyOf(runs.keySet())),
                Golden.MACHINE, runs).report(), results, "b2-one-per-call.md");

        assertThat(written.markdown()).isEqualTo(Golden.read("before/b2-synthetic.md"));
        assertThat(written.ratios()).isEqualTo(Golden.read("before/b2-synthetic-ratios.tsv"));
    }

    @Test
    void withoutSpringOrWithoutABaselineItRendersAsBefore() {
        Map<String, List<DrainTiming>> noSpring = new LinkedHashMap<>();
        noSpring.put("container", drains(0.21, 0.3));
        noSpring.put("raw", drains(0.2, 0.25));
        Golden.Written withoutSpring = Golden.write(new OnePerCallTable(DrainBenchmark.B2.with(1000, 2, List.of("container", "raw")),
                Golden.MACHINE, noSpring).report(), results.resolve("no-spring"), "b2-one-per-call.md");
        Golden.Written containerOnly = Golden.write(new OnePerCallTable(DrainBenchmark.B2.with(1000, 2, List.of("container-c6")),
                Golden.MACHINE, Map.of("container-c6", drains(0.21, 0.3))).report(), results.resolve("alone"), "b2-one-per-call.md");

        assertThat(withoutSpring.markdown()).isEqualTo(Golden.read("before/b2-no-spring.md"));
        assertThat(withoutSpring.ratios()).isEqualTo(Golden.read("before/b2-no-spring-ratios.tsv"));
        assertThat(containerOnly.markdown()).isEqualTo(Golden.read("before/b2-container-only.md"));
        assertThat(containerOnly.ratios()).isNull();
    }

    @Test
    void setsEachContainerAgainstTheLeastHandOffWithoutATargetOfItsOwn() {
        Map<String, List<DrainTiming>> runs = new LinkedHashMap<>();
        runs.put("raw", drains(0.2, 0.25, 0.2));
        runs.put("raw-handoff", drains(0.25, 0.25, 0.3));
        runs.put("container", drains(0.24, 0.3, 0.3));

        CaseReport report = new OnePerCallTable(DrainBenchmark.B2.with(1000, 3, List.copyOf(runs.keySet())), Golden.MACHINE,
                runs).report();

        assertThat(report.toMarkdown())
                .contains("| raw poll loop handing each poll to one handler thread (`raw-handoff`) | 500.000 | 500.000 | 600.000 "
                        + "| **1.250** | 1.000 | 1.500 | — | |")
                .contains("| container / raw-handoff | **1.000** | 0.833 | 1.042 | **1.000** | 0.960 | 1.200 |")
                .contains("| raw-handoff / raw | **0.800** | | | **1.250** | 1.000 | 1.500 |");
        assertThat(report.headlines()).extracting(HeadlineRatio::name)
                .containsExactly("container / raw, one per call", "container / raw, CPU per record, one per call",
                        "container / raw-handoff, CPU per record, one per call");
    }

    private static DrainTiming timing(double recordsPerSecond) {
        return new DrainTiming(100, 10_000, (long) (100 * SECOND / recordsPerSecond), 1, (long) (99 * SECOND / recordsPerSecond));
    }

    /** Drains of 1,000 records taking these seconds, their CPU proportional to them. */
    private static List<DrainTiming> drains(double... seconds) {
        List<DrainTiming> timings = new ArrayList<>();
        for (double s : seconds) {
            timings.add(BatchDrainTableTest.drain(s, 1, s * 0.9, s * 2, s / 3));
        }
        return timings;
    }
}
