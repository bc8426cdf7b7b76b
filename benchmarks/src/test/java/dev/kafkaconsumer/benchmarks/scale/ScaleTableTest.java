package dev.kafkaconsumer.benchmarks.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.report.HeadlineRatio;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;

class ScaleTableTest {

    private final MachineDescription machine = new MachineDescription(2, "cpu", "1 GiB", "java", "os", List.of("-Xmx2g"),
            "4.3.1", Instant.EPOCH, "0.00 0.00 0.00");

    @Test
    void theContainerIsSetAgainstRawPairByPairWithHeapPerAssignedPartitionAndTheWorstWindowIsJudged() {
        Map<String, List<ScaleRun>> runs = new LinkedHashMap<>();
        runs.put("raw", List.of(run(1.0, 1_024_000), run(2.0, 2_048_000)));
        runs.put("container", List.of(run(2.0, 3_072_000), run(2.0, 4_096_000)));
        FairnessRun fairness = new FairnessRun(List.of(new long[] {10, 10, 10}, new long[] {10, 6, 12}),
                new long[] {100, 100, 100}, 58, 2_048_000, 1000, 0);
        ScaleTable table = new ScaleTable(ScaleBenchmark.DEFAULTS.with(2_000, 2, List.of("raw", "container")),
                ScaleBenchmark.FairnessSettings.DEFAULTS, machine, runs, fairness);

        assertThat(table.containerOverRaw()).containsExactly(new double[] {0.5, 1.0}, Offset.offset(1e-9));
        String markdown = table.report().toMarkdown();
        assertThat(markdown)
                // 2,000 records in 1 s and 2 s; 1,024,000 and 2,048,000 bytes over 1,000 partitions: 1.0 and 2.0 KiB
                .contains("| raw `KafkaConsumer` poll loop, handler per record (`raw`) | 1,500 | 1,000–2,000 | — | 1.5 | 1000 | 0 | ")
                .contains("| `ConsumerContainer`, KEY, concurrency 6 (`container`) | 1,000 | 1,000–1,000 | **0.750** (0.500–1.000) "
                        + "| 3.5 | 1000 | 0 | ")
                .contains("`max.partition.fetch.bytes` 32 KiB")
                .contains("worst window 0.600, target ≥ 0.500: met")
                .contains("| 2 | 3 | 1 | 6 | 10.0 | 12 | 0.600 |")
                .contains("2.0 KiB per assigned partition (1000 assigned)")
                .contains("-Dbench.case=b7 -Dbench.records=2000 -Dbench.runs=2\n");
        assertThat(table.report().headlines())
                .extracting(HeadlineRatio::name, h -> Math.round(h.value() * 1000), HeadlineRatio::targetText)
                .containsExactly(tuple("container / raw, 1,000 partitions, 10,000 keys, KEY", 750L, "—"),
                        tuple("container fairness, least / median partition's records per 10 s window, 1,000 partitions, "
                                + "max.partition.fetch.bytes 32 KiB", 600L,
                                "≥ 0.500"));
    }

    @Test
    void withoutAFairnessRunOnlyTheThroughputIsAHeadline() {
        Map<String, List<ScaleRun>> runs = new LinkedHashMap<>();
        runs.put("raw", List.of(run(1.0, 0)));
        runs.put("container", List.of(run(1.0, 0)));
        ScaleTable table = new ScaleTable(ScaleBenchmark.DEFAULTS.with(2_000, 1, List.of("raw", "container")),
                new ScaleBenchmark.FairnessSettings(0, 10, 200, 32 * 1024), machine, runs, null);

        assertThat(table.report().headlines()).extracting(HeadlineRatio::name)
                .containsExactly("container / raw, 1,000 partitions, 10,000 keys, KEY");
        assertThat(table.report().toMarkdown()).doesNotContain("Fairness").contains("-Dbench.fairnessSeconds=0\n");
    }

    private static ScaleRun run(double seconds, long heapBytes) {
        return new ScaleRun(new DrainTiming(2_000, 2_000 * 100, (long) (seconds * 1e9), 1, (long) (seconds * 0.9e9),
                (long) (seconds * 0.5e9), (long) (seconds * 0.2e9)), heapBytes, 1000, 0);
    }
}
