package dev.kafkaconsumer.benchmarks.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.report.CaseReport;
import dev.kafkaconsumer.benchmarks.report.Golden;
import dev.kafkaconsumer.benchmarks.report.HeadlineRatio;
import dev.kafkaconsumer.benchmarks.report.Target;

class CpuPerRecordTest {

    private static final BenchSettings SETTINGS = DrainBenchmark.B2.with(1_000_000, 2, List.of("raw", "container", "spring-time"));

    @Test
    void theCpuFromTheStartToTheLastRecordIsSetAgainstRawsRoundByRoundWithTheContainersTarget() {
        Map<String, List<DrainTiming>> runs = new LinkedHashMap<>();
        runs.put("raw", List.of(drain(9, 0.20), drain(9, 0.25)));
        runs.put("container", List.of(drain(9, 0.22), drain(9, 0.30)));
        runs.put("spring-time", List.of(drain(9, 0.30), drain(9, 0.50)));
        CpuPerRecord cpu = new CpuPerRecord(SETTINGS, runs);

        assertThat(cpu.ratios("container")).containsExactly(new double[] {1.1, 1.2}, Offset.offset(1e-9));
        CaseReport report = cpu.addTo(new CaseReport("b2", "B2", Golden.MACHINE), c -> c,
                c -> c.equals("container") ? CpuPerRecord.CONTAINER_TARGET : Target.NONE, "one per call");

        assertThat(report.toMarkdown())
                .contains("from the start of each drain to its last record")
                .contains("| raw | 0.225 | 0.200 | 0.250 | 1.000 | | | | |")
                .contains("| container | 0.260 | 0.220 | 0.300 | **1.150** | 1.100 | 1.200 | ≤ 1.150 | met |")
                .contains("| spring-time | 0.400 | 0.300 | 0.500 | **1.750** | 1.500 | 2.000 | — | |");
        assertThat(report.headlines()).extracting(HeadlineRatio::name, h -> Math.round(h.value() * 1000), HeadlineRatio::target)
                .containsExactly(tuple("container / raw, CPU per record, one per call", 1150L, 1.15));
    }

    @Test
    void resultsMeasuredBeforeTheCpuToTheLastRecordWasReadUseTheWholeDrainsAndSaySo() {
        Map<String, List<DrainTiming>> runs = new LinkedHashMap<>();
        runs.put("raw", List.of(drain(0.2, -1), drain(0.2, -1)));
        runs.put("container", List.of(drain(0.3, -1), drain(0.3, 0.1)));

        String markdown = new CpuPerRecord(DrainBenchmark.B2.with(1_000_000, 2, List.of("raw", "container")), runs)
                .addTo(new CaseReport("b2", "B2", Golden.MACHINE), c -> c, c -> CpuPerRecord.CONTAINER_TARGET, "x").toMarkdown();

        assertThat(markdown).contains("over each drain from the consumer's creation to its close")
                .contains("| container | 0.300 | 0.300 | 0.300 | **1.500** | 1.500 | 1.500 | ≤ 1.150 | **not met** |");
    }

    @Test
    void withoutRawOrWithoutTheCpuOfEveryDrainThereIsNoTableAndNoHeadline() {
        Map<String, List<DrainTiming>> noRaw = Map.of("container", List.of(drain(0.3, 0.2)));
        Map<String, List<DrainTiming>> unmeasured = new LinkedHashMap<>();
        unmeasured.put("raw", List.of(drain(-1, -1)));
        unmeasured.put("container", List.of(drain(0.3, 0.2)));

        CaseReport withoutRaw = new CpuPerRecord(DrainBenchmark.B2.with(1_000_000, 1, List.of("container")), noRaw)
                .addTo(new CaseReport("b2", "B2", Golden.MACHINE), c -> c, c -> CpuPerRecord.CONTAINER_TARGET, "x");
        CaseReport withoutCpu = new CpuPerRecord(DrainBenchmark.B2.with(1_000_000, 1, List.of("raw", "container")), unmeasured)
                .addTo(new CaseReport("b2", "B2", Golden.MACHINE), c -> c, c -> CpuPerRecord.CONTAINER_TARGET, "x");

        assertThat(withoutRaw.toMarkdown()).doesNotContain("CPU per record");
        assertThat(withoutRaw.headlines()).isEmpty();
        assertThat(withoutCpu.toMarkdown()).doesNotContain("CPU per record");
        assertThat(withoutCpu.headlines()).isEmpty();
    }

    /** A drain of a million records with this much CPU over the whole drain and to its last record (negative: not measured). */
    private static DrainTiming drain(double wholeCpuSeconds, double toLastRecordSeconds) {
        return new DrainTiming(1_000_000, 100_000_000, 1_000_000_000L, 1, 900_000_000L,
                wholeCpuSeconds < 0 ? -1 : Math.round(wholeCpuSeconds * 1e9), 1,
                toLastRecordSeconds < 0 ? -1 : Math.round(toLastRecordSeconds * 1e9));
    }
}
