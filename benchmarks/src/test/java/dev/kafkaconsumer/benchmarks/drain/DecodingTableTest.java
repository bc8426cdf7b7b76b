package dev.kafkaconsumer.benchmarks.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.report.CaseReport;
import dev.kafkaconsumer.benchmarks.report.Golden;
import dev.kafkaconsumer.benchmarks.report.HeadlineRatio;
import dev.kafkaconsumer.benchmarks.report.Target;

class DecodingTableTest {

    @Test
    void setsTheContainerAgainstRawAndSpringWithTheIssuesTargetsAndTheEngineAndSpringAgainstRawWithout() {
        Map<String, List<DrainTiming>> runs = new LinkedHashMap<>();
        runs.put("raw", List.of(drain(100_000, 2.0), drain(80_000, 2.0)));
        runs.put("engine", List.of(drain(90_000, 2.1), drain(88_000, 2.0)));
        runs.put("container-c6", List.of(drain(150_000, 2.6), drain(100_000, 2.8)));
        runs.put("spring-c6", List.of(drain(120_000, 3.0), drain(110_000, 3.2)));
        DecodingTable table = new DecodingTable(DrainBenchmark.B10.with(1_000_000, 2, List.copyOf(runs.keySet())), Golden.MACHINE,
                runs, 5_000);

        assertThat(table.ratios("container-c6", "raw")).containsExactly(new double[] {1.5, 1.25}, Offset.offset(1e-9));
        CaseReport report = table.report();

        assertThat(report.headlines()).extracting(HeadlineRatio::name, h -> Math.round(h.value() * 1000), HeadlineRatio::comparison)
                .containsExactly(
                        tuple("container-c6 / raw, costly decoding, one per call", 1375L, Target.atLeast(1.3).comparison()),
                        tuple("container-c6 / spring-c6, costly decoding, one per call", 1080L, Target.atLeast(1.0).comparison()),
                        tuple("engine / raw, costly decoding, one per call", 1000L, Target.NONE.comparison()),
                        tuple("spring-c6 / raw, costly decoding, one per call", 1288L, Target.NONE.comparison()));
        assertThat(report.toMarkdown())
                .startsWith("## B10: decoding that costs CPU, one record per handler call")
                .contains("| container-c6 / raw | **1.375** | 1.250 | 1.500 | ≥ 1.300 | met |")
                .contains("| engine / raw | **1.000** | 0.900 | 1.100 | — | |")
                .contains("| 1 | 100,000 | 90,000 | 150,000 | 120,000 | 1.500 | 1.250 | 0.900 | 1.200 |")
                .contains("5.00 µs a value alone on one thread of this JVM before the run, so one thread decodes at most 200,000 records/s")
                .contains("| `ConsumerContainer`, PARTITION, concurrency 6, decodes on its workers (`container-c6`) | 2.700 | 2.600 | 2.800 | **1.350** |")
                .contains("-Dbench.case=b10 -Dbench.records=1000000 -Dbench.runs=2\n");
    }

    @Test
    void withoutSpringOnlyTheRatiosToRawAreShownAndWithoutTheCostMeasuredItIsLeftOut() {
        Map<String, List<DrainTiming>> runs = new LinkedHashMap<>();
        runs.put("raw", List.of(drain(100_000, 2.0)));
        runs.put("container-c6", List.of(drain(150_000, 2.6)));

        CaseReport report = new DecodingTable(DrainBenchmark.B10.with(1_000_000, 1, List.of("raw", "container-c6")), Golden.MACHINE,
                runs, Double.NaN).report();

        assertThat(report.headlines()).extracting(HeadlineRatio::name)
                .containsExactly("container-c6 / raw, costly decoding, one per call");
        assertThat(report.toMarkdown()).doesNotContain("spring-c6 /").doesNotContain("µs a value");
    }

    @Test
    void b10KnowsOnlyItsOwnContenders() {
        assertThat(DrainBenchmark.B10.contenders()).containsExactly("raw", "engine", "container-c6", "spring-c6");
        assertThat(DrainBenchmark.drain("b10", "container-c6", null).name()).isEqualTo("container-c6");
        assertThatThrownBy(() -> DrainBenchmark.drain("b10", "spring-time", null)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A drain of a million records at this rate, with this much CPU from its start to its last record. */
    private static DrainTiming drain(double recordsPerSecond, double cpuSeconds) {
        long nanos = Math.round(1_000_000 * 1e9 / recordsPerSecond);
        return new DrainTiming(1_000_000, 100_000_000, nanos, 1, nanos - 1, Math.round(cpuSeconds * 1.1e9), 1,
                Math.round(cpuSeconds * 1e9));
    }
}
