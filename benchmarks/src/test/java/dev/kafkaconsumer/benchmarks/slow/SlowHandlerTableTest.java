package dev.kafkaconsumer.benchmarks.slow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.report.Golden;
import dev.kafkaconsumer.benchmarks.report.HeadlineRatio.Comparison;
import dev.kafkaconsumer.benchmarks.report.HeadlineRatio;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;
import dev.kafkaconsumer.benchmarks.slow.SlowRunPlan.SlowRun;

class SlowHandlerTableTest {

    private final MachineDescription machine = new MachineDescription(2, "cpu", "1 GiB", "java", "os", List.of("-Xmx2g"),
            "4.1.2", Instant.EPOCH, "0.00 0.00 0.00");
    private final BenchSettings settings = SlowHandlerBenchmark.DEFAULTS.with(100, 2,
            List.of(SlowRunPlan.CONTAINER, SlowRunPlan.SPRING, SlowRunPlan.PARALLEL_CONSUMER));

    @TempDir
    Path results;
    private final SlowRunPlan plan = new SlowRunPlan(settings.contenders(), List.of(1), List.of(1, 100), 100, 2, 1);
    private final SlowRecords delays = new SlowRecords(6, 100);

    @Test
    void ratiosArePairwiseWhenBothSidesRanAsOftenAndAgainstTheMedianOtherwise() {
        assertThat(SlowHandlerTable.Ratio.ratios(new double[] {10, 20}, new double[] {2, 5}))
                .containsExactly(new double[] {5, 4}, Offset.offset(1e-9));
        assertThat(SlowHandlerTable.Ratio.ratios(new double[] {50}, new double[] {2, 5, 10}))
                .containsExactly(new double[] {25, 10, 5}, Offset.offset(1e-9));
        assertThat(SlowHandlerTable.Ratio.ratios(new double[] {2, 4, 6}, new double[] {2}))
                .containsExactly(new double[] {1, 2, 3}, Offset.offset(1e-9));
        assertThat(SlowHandlerTable.Ratio.of(new double[] {50}, new double[] {2, 5, 10}))
                .isEqualTo(new SlowHandlerTable.Ratio(10, 5, 25, false));
        assertThat(SlowHandlerTable.Ratio.of(new double[0], new double[] {1}).text()).isEqualTo("not measured");
    }

    @Test
    void comparesTheContainerWithSpringAndParallelConsumerCellByCellAgainstTheTargets() {
        Map<SlowRun, List<DrainTiming>> runs = new HashMap<>();
        runs.put(new SlowRun(SlowRunPlan.SPRING, 1, 100), timings(50));
        runs.put(new SlowRun(SlowRunPlan.CONTAINER, 1, 1), timings(50));
        runs.put(new SlowRun(SlowRunPlan.PARALLEL_CONSUMER, 1, 1), timings(60));
        runs.put(new SlowRun(SlowRunPlan.CONTAINER, 1, 100), timings(5, 10));
        runs.put(new SlowRun(SlowRunPlan.PARALLEL_CONSUMER, 1, 100), timings(4, 10));
        SlowHandlerTable table = new SlowHandlerTable(settings, machine, plan, delays, 6, runs, null);

        assertThat(table.containerOverSpring(1, 100).median()).isCloseTo(7.5, within(1e-9));
        assertThat(table.containerOverParallelConsumer(1, 100).median()).isCloseTo(1.125, within(1e-9));
        assertThat(table.targetsMet()).isFalse();
        assertThat(table.report().toMarkdown())
                .contains("| 1 | 100 | **7.500** (5.000–10.000) † | ≥ 8.000 | **not met** | **1.125** (1.000–1.250) | ≤ 1.100 | **not met** |")
                .contains("| 1 | 1 | **1.000** (1.000–1.000) | – | – | **0.833** (0.833–0.833) | – | – |")
                .contains("| 1 | any | Spring Kafka, concurrency = partitions (`spring`) | 1 (serial-bound) | 50.00 |")
                .contains("ran on kafka-clients 4.1.2 without a failure")
                .contains("-Dbench.case=b3 -Dbench.records=100 -Dbench.runs=2");
    }

    @Test
    void aParallelConsumerFailureIsReportedAndItsCellsAreNotMeasured() {
        Map<SlowRun, List<DrainTiming>> runs = new HashMap<>();
        runs.put(new SlowRun(SlowRunPlan.SPRING, 1, 100), timings(50));
        runs.put(new SlowRun(SlowRunPlan.CONTAINER, 1, 100), timings(1, 1));
        SlowHandlerTable table = new SlowHandlerTable(settings, machine, plan, delays, 6, runs,
                "java.lang.NoSuchMethodError: poll(long)");

        assertThat(table.targetsMet()).isFalse();
        assertThat(table.report().toMarkdown())
                .contains("**Confluent Parallel Consumer failed** on kafka-clients 4.1.2")
                .contains("`java.lang.NoSuchMethodError: poll(long)`")
                .contains("| 1 | 100 | **50.000** (50.000–50.000) † | ≥ 8.000 | met | not measured | ≤ 1.100 | **not met** |");
    }

    @Test
    void theSummaryGetsTheWorstTargetedCellOfEachKindPerPartitionCount() {
        SlowRunPlan twoKeySpaces = new SlowRunPlan(settings.contenders(), List.of(1), List.of(1, 100, 10_000), 100, 2, 1);
        Map<SlowRun, List<DrainTiming>> runs = new HashMap<>();
        runs.put(new SlowRun(SlowRunPlan.SPRING, 1, 10_000), timings(60, 60));
        runs.put(new SlowRun(SlowRunPlan.CONTAINER, 1, 1), timings(60));
        runs.put(new SlowRun(SlowRunPlan.PARALLEL_CONSUMER, 1, 1), timings(60));
        runs.put(new SlowRun(SlowRunPlan.CONTAINER, 1, 100), timings(10, 10));
        runs.put(new SlowRun(SlowRunPlan.PARALLEL_CONSUMER, 1, 100), timings(20, 20));
        runs.put(new SlowRun(SlowRunPlan.CONTAINER, 1, 10_000), timings(5, 5));
        runs.put(new SlowRun(SlowRunPlan.PARALLEL_CONSUMER, 1, 10_000), timings(4, 4));
        SlowHandlerTable table = new SlowHandlerTable(settings, machine, twoKeySpaces, delays, 6, runs, null);

        assertThat(table.report().headlines())
                .extracting(HeadlineRatio::benchCase, HeadlineRatio::name, HeadlineRatio::comparison, HeadlineRatio::target)
                .containsExactly(
                        tuple("b3", "container / Spring throughput, 1 partition, worst of ≥ 100 keys", Comparison.AT_LEAST, 8.0),
                        tuple("b3", "container / Parallel Consumer wall time, 1 partition, worst of ≥ 100 keys", Comparison.AT_MOST, 1.1));
        // the 100-key cell is the worse one against Spring (6x, not 12x) and the 10,000-key one against Parallel Consumer (1.25, not 0.5)
        assertThat(table.report().headlines()).extracting(HeadlineRatio::value).containsExactly(6.0, 1.25);
        assertThat(table.report().headlines()).noneMatch(HeadlineRatio::met);
    }

    @Test
    void withoutParallelConsumerTheSummaryGetsOnlyTheSpringRows() {
        BenchSettings withoutPc = SlowHandlerBenchmark.DEFAULTS.with(100, 1, List.of(SlowRunPlan.CONTAINER, SlowRunPlan.SPRING));
        SlowRunPlan twoPartitionCounts = new SlowRunPlan(withoutPc.contenders(), List.of(1, 6), List.of(100), 100, 1, 1);
        Map<SlowRun, List<DrainTiming>> runs = new HashMap<>();
        runs.put(new SlowRun(SlowRunPlan.SPRING, 1, 100), timings(50));
        runs.put(new SlowRun(SlowRunPlan.CONTAINER, 1, 100), timings(5));
        SlowHandlerTable table = new SlowHandlerTable(withoutPc, machine, twoPartitionCounts, delays, 6, runs, null);

        assertThat(table.report().headlines()).extracting(HeadlineRatio::name).containsExactly(
                "container / Spring throughput, 1 partition, worst of ≥ 100 keys",
                "container / Spring throughput, 6 partitions, worst of ≥ 100 keys");
        assertThat(table.report().headlines().get(0).value()).isCloseTo(10.0, within(1e-9));
        assertThat(table.report().headlines().get(1).value()).isNaN();
    }

    @Test
    void setsEachRunAgainstTheFloorOfItsOwnHandlerTimesAndMakesTheContainersWorstCellAHeadline() {
        Map<SlowRun, List<DrainTiming>> runs = new HashMap<>();
        runs.put(new SlowRun(SlowRunPlan.SPRING, 1, 100), timings(50));
        runs.put(new SlowRun(SlowRunPlan.CONTAINER, 1, 1), timings(50));
        runs.put(new SlowRun(SlowRunPlan.PARALLEL_CONSUMER, 1, 1), timings(60));
        runs.put(new SlowRun(SlowRunPlan.CONTAINER, 1, 100), timings(0.7, 0.6));
        runs.put(new SlowRun(SlowRunPlan.PARALLEL_CONSUMER, 1, 100), timings(0.8, 0.9));
        Map<SlowRun, List<HandlerFloor>> floors = new HashMap<>();
        // 50 s of handler calls over 100 threads: 0.5 s; the longest key 0.2 s; handling 0.55 s on 100 threads
        HandlerFloor container = new HandlerFloor(200_000_000L, 50_000_000_000L, 50_000_000_000L, 0, 550_000_000L, 100,
                500_000_000L, 2_000_000_000L, 2_500_000_000L);
        floors.put(new SlowRun(SlowRunPlan.CONTAINER, 1, 100), List.of(container, container));
        // Spring on one partition: one thread, the whole partition, 49 s
        floors.put(new SlowRun(SlowRunPlan.SPRING, 1, 100), List.of(new HandlerFloor(1, 49_000_000_000L, 49_000_000_000L, 0,
                49_500_000_000L, 1, 0, 500_000_000L, 0)));
        SlowHandlerTable table = new SlowHandlerTable(settings, machine, plan, delays, 6, runs, null).withFloors(floors);

        assertThat(table.overFloor(new SlowRun(SlowRunPlan.CONTAINER, 1, 100))).containsExactly(new double[] {1.4, 1.2}, within(1e-9));
        assertThat(table.overFloor(new SlowRun(SlowRunPlan.PARALLEL_CONSUMER, 1, 100))).isEmpty();
        assertThat(table.report().headlines())
                .extracting(HeadlineRatio::name, HeadlineRatio::comparison, HeadlineRatio::target)
                .contains(tuple("container wall / floor from its handler times, 1 partition, worst of ≥ 100 keys",
                        Comparison.AT_MOST, 1.3));
        assertThat(table.report().headlines().get(1).value()).isCloseTo(1.3, within(1e-9));
        assertThat(table.report().toMarkdown())
                .contains("| 1 | 100 | `ConsumerContainer` KEY, concurrency 100 (`container`) | 0.65 | 0.500 | **1.300** (1.200–1.400) "
                        + "| ≤ 1.300 | 0.000 | 1.100 | 91 % / 1 % / 4 % / 5 % / 0 % |")
                .contains("| 1 | any | Spring Kafka, concurrency = partitions (`spring`) | 50.00 | 49.000 | **1.020** (1.020–1.020) | – |")
                .contains("Floor = what the run's own handler calls allow");
        // without floors (results measured before them) the table and the headline are not there
        assertThat(new SlowHandlerTable(settings, machine, plan, delays, 6, runs, null).report().toMarkdown())
                .doesNotContain("Floor = ");
    }

    /** Runs of every cell, the container's faster with more keys, Parallel Consumer's 1.2 to 1.5 times as long. */
    private static Map<SlowRun, List<DrainTiming>> everyCell(boolean withParallelConsumer) {
        Map<SlowRun, List<DrainTiming>> runs = new LinkedHashMap<>();
        for (int p : List.of(1, 6)) {
            runs.put(new SlowRun("spring", p, 10_000), p == 1 ? drains(50.5) : drains(9.1, 8.8));
            for (int k : List.of(1, 100, 10_000)) {
                boolean targeted = k >= 100;
                double base = p == 1 && k == 1 ? 50 : 10.0 / k + 0.5;
                runs.put(new SlowRun("container", p, k), targeted ? drains(base, base * 1.1) : drains(base));
                if (withParallelConsumer) {
                    runs.put(new SlowRun("pc", p, k), targeted ? drains(base * 1.3, base * 1.2) : drains(base * 1.5));
                }
            }
        }
        return runs;
    }

    private static List<DrainTiming> drains(double... seconds) {
        List<DrainTiming> timings = new ArrayList<>();
        for (double s : seconds) {
            timings.add(new DrainTiming(100, 100 * 100, (long) (s * 1e9), 1, (long) (s * 1e9), (long) (s / 10 * 1e9), (long) (s / 20 * 1e9)));
        }
        return timings;
    }

    @Test
    void rendersWhatTheCodeBeforeThePackagesRenderedForEveryCell() {
        SlowRunPlan plan = new SlowRunPlan(settings.contenders(), List.of(1, 6), List.of(1, 100, 10_000), 100, 2, 1);

        Golden.Written written = Golden.write(new SlowHandlerTable(settings, Golden.MACHINE, plan, delays, 6, everyCell(true), null)
                .report(), results, "b3-slow-handler.md");

        assertThat(written.markdown()).isEqualTo(Golden.read("before/b3-synthetic.md"));
        assertThat(written.ratios()).isEqualTo(Golden.read("before/b3-synthetic-ratios.tsv"));
    }

    @Test
    void aFailedParallelConsumerAnotherSeedAndMoreRunsRenderAsBeforeButForTheWidthOfAnEmptyCell() {
        SlowRunPlan plan = new SlowRunPlan(settings.contenders(), List.of(1, 6), List.of(1, 100, 10_000), 100, 2, 2);

        Golden.Written written = Golden.write(new SlowHandlerTable(settings, Golden.MACHINE, plan, new SlowRecords(7, 100), 7,
                everyCell(false), "java.lang.NoSuchMethodError: poll(long)").report(), results, "b3-slow-handler.md");

        assertThat(written.markdown()).isEqualTo(Golden.read("before/b3-pc-failed.md"));
        assertThat(written.ratios()).isEqualTo(Golden.read("before/b3-pc-failed-ratios.tsv"));
    }

    @Test
    void withoutParallelConsumerItRendersAsBefore() {
        BenchSettings withoutPc = SlowHandlerBenchmark.DEFAULTS.with(100, 2, List.of(SlowRunPlan.CONTAINER, SlowRunPlan.SPRING));
        SlowRunPlan plan = new SlowRunPlan(withoutPc.contenders(), List.of(1, 6), List.of(1, 100, 10_000), 100, 2, 1);

        Golden.Written written = Golden.write(new SlowHandlerTable(withoutPc, Golden.MACHINE, plan, delays, 6, everyCell(false), null)
                .report(), results, "b3-slow-handler.md");

        assertThat(written.markdown()).isEqualTo(Golden.read("before/b3-without-pc.md"));
        assertThat(written.ratios()).isEqualTo(Golden.read("before/b3-without-pc-ratios.tsv"));
    }

    private static List<DrainTiming> timings(double... seconds) {
        return Arrays.stream(seconds).mapToObj(s -> new DrainTiming(100, 10_000, (long) (s * 1e9), 1, (long) (s * 1e9))).toList();
    }
}
