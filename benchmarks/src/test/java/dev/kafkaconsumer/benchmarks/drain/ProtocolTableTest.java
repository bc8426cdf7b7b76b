package dev.kafkaconsumer.benchmarks.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.report.Golden;
import dev.kafkaconsumer.benchmarks.report.HeadlineRatio;
import dev.kafkaconsumer.benchmarks.report.HeadlineRatio.Comparison;

class ProtocolTableTest {

    @TempDir
    Path results;

    @Test
    void eachContenderUnderTheSecondProtocolIsSetAgainstItselfUnderTheFirstRoundByRound() {
        ProtocolTable table = new ProtocolTable(DrainBenchmark.B1.with(1000, 3, List.of("raw", "engine")), Golden.MACHINE,
                List.of("classic", "consumer"), List.of(
                        runs(List.of(drain(0.5, 0.45), drain(0.4, 0.38), drain(0.5, 0.45)),
                                List.of(drain(0.5, 0.4), drain(0.5, 0.4), drain(0.5, 0.4))),
                        runs(List.of(drain(1.0, 0.9), drain(0.5, 0.38), drain(0.25, 0.2)),
                                List.of(drain(0.5, 0.4), drain(0.4, 0.3), drain(0.6, 0.5)))));

        // raw: 2,000 / 1,000 / 4,000 records/s under consumer against 2,000 / 2,500 / 2,000 under classic
        assertThat(table.ratios("raw", DrainTiming::throughput)).containsExactly(new double[] {0.5, 0.8, 2.0}, Offset.offset(1e-9));
        String markdown = table.report().toMarkdown();
        assertThat(markdown)
                .startsWith("## B1: group.protocol=consumer vs. group.protocol=classic, alternated in one run\n")
                .contains("| `raw` | 2,000 | 2,000 | **0.800** | 0.500–2.000 | ")
                .contains("| round | raw@classic | engine@classic | raw@consumer | engine@consumer |")
                .contains("| 1 | 2,000 | 2,000 | 1,000 | 2,000 |")
                .contains("-Dbench.case=b1 -Dbench.records=1000 -Dbench.runs=3 -Dbench.groupProtocol=classic,consumer\n");
        assertThat(table.report().headlines()).as("no target, no headline: the summary keeps each protocol's own").isEmpty();
    }

    @Test
    void rendersTheSyntheticRunsAsTheGoldenFileSaysAndWritesNoRatioFile() {
        ProtocolTable table = new ProtocolTable(DrainBenchmark.B2.with(1000, 2, List.of("raw", "container")), Golden.MACHINE,
                List.of("classic", "consumer"), List.of(
                        runs(List.of(drain(0.5, 0.45), drain(0.4, 0.38)), List.of(drain(0.52, 0.4), drain(0.45, 0.41))),
                        runs(List.of(drain(0.6, 0.4), drain(0.55, 0.39)), List.of(drain(0.62, 0.42), drain(0.5, 0.4)))));

        Golden.Written written = Golden.write(table.report(), results, "b2-protocols.md");

        assertThat(written.markdown()).isEqualTo(Golden.read("synthetic/b2-protocols.md"));
        assertThat(written.ratios()).isNull();
    }

    @Test
    void asTheSuitesProtocolCaseItSetsEachContenderAgainstRawUnderEachProtocolAsHeadlines() {
        ProtocolTable table = new ProtocolTable(DrainBenchmark.B1.with(1000, 3, List.of("raw", "engine")), Golden.MACHINE,
                List.of("classic", "consumer"), List.of(
                        runs(List.of(drain(0.5, 0.45), drain(0.4, 0.38), drain(0.5, 0.45)),
                                List.of(drain(0.5, 0.4), drain(0.5, 0.4), drain(0.5, 0.4))),
                        runs(List.of(drain(1.0, 0.9), drain(0.5, 0.38), drain(0.25, 0.2)),
                                List.of(drain(0.5, 0.4), drain(0.4, 0.3), drain(0.6, 0.5)))), "b1-protocols");

        // engine / raw: classic 1.0, 0.8, 1.0 (median 1.0); consumer 2.0, 1.25, 0.4167 (median 1.25)
        assertThat(table.report().headlines())
                .extracting(HeadlineRatio::benchCase, HeadlineRatio::name, HeadlineRatio::comparison, HeadlineRatio::target)
                .containsExactly(tuple("b1-protocols", "engine / raw, batch API drain, classic", Comparison.AT_LEAST, 0.95),
                        tuple("b1-protocols", "engine / raw, batch API drain, consumer", Comparison.AT_LEAST, 0.95));
        assertThat(table.report().headlines().get(0).value()).isCloseTo(1.0, within(1e-9));
        assertThat(table.report().headlines().get(1).value()).isCloseTo(1.25, within(1e-9));
        assertThat(table.report().toMarkdown())
                .contains("| `classic` | `engine` / `raw` | **1.000** | 0.800–1.000 | ≥ 0.950 | met |")
                .contains("| `consumer` | `engine` / `raw` | **1.250** | 0.417–2.000 | ≥ 0.950 | met |");
    }

    @Test
    void comparesExactlyTwoProtocols() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ProtocolTable(DrainBenchmark.B1.with(1, 1, List.of("raw")),
                Golden.MACHINE, List.of("classic"), List.of(Map.of())));
    }

    /** The first contender's runs under "raw", the second's under the second contender of the case. */
    private static Map<String, List<DrainTiming>> runs(List<DrainTiming> raw, List<DrainTiming> other) {
        Map<String, List<DrainTiming>> runs = new LinkedHashMap<>();
        runs.put("raw", raw);
        runs.put("engine", other);
        runs.put("container", other);
        return runs;
    }

    /** A drain of 1,000 records. */
    private static DrainTiming drain(double totalSeconds, double afterSeconds) {
        return new DrainTiming(1000, 1000 * 100, (long) (totalSeconds * 1e9), 100, (long) (afterSeconds * 1e9),
                (long) (totalSeconds * 0.8e9), (long) (totalSeconds * 0.3e9));
    }
}
