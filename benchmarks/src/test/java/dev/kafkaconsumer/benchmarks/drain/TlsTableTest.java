package dev.kafkaconsumer.benchmarks.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.report.Golden;
import dev.kafkaconsumer.benchmarks.report.HeadlineRatio;
import dev.kafkaconsumer.benchmarks.report.HeadlineRatio.Comparison;

class TlsTableTest {

    // raw: 2,000 / 2,500 / 2,000 records/s through plaintext, 1,000 / 2,000 / 1,000 through TLS
    private final TlsTable table = new TlsTable(DrainBenchmark.B1.with(1000, 3, List.of("raw", "engine")), Golden.MACHINE,
            runs(List.of(drain(0.5, 0.4), drain(0.4, 0.3), drain(0.5, 0.4)), List.of(drain(0.5, 0.4), drain(0.5, 0.4), drain(0.5, 0.4))),
            runs(List.of(drain(1.0, 1.6), drain(0.5, 0.8), drain(1.0, 1.6)), List.of(drain(1.0, 1.7), drain(0.5, 0.9), drain(1.25, 2.0))));

    @Test
    void eachContenderOverTlsIsSetAgainstItselfOverPlaintextRoundByRound() {
        assertThat(table.tlsOverPlaintext("raw", DrainTiming::throughput))
                .containsExactly(new double[] {0.5, 0.8, 0.5}, Offset.offset(1e-9));
        assertThat(table.report().toMarkdown())
                .startsWith("## B1 over TLS: drain a topic through the broker's TLS listener")
                .contains("| `raw` | 2,000 | 1,000 | **0.500** | 0.500–0.800 |")
                .contains("| round | raw@plaintext | engine@plaintext | raw@tls | engine@tls |")
                .contains("| 1 | 2,000 | 2,000 | 1,000 | 1,000 |")
                .contains("-Dbench.case=b1-tls -Dbench.records=1000 -Dbench.runs=3\n");
    }

    @Test
    void theEngineAgainstRawOverTlsAndItsCpuPerRecordAreTheHeadlinesWithB1sTargets() {
        // engine / raw over TLS: 1.0, 1.0, 0.8 (median 1.0); CPU per record 1.7/1.6, 0.9/0.8, 2.0/1.6 (median 1.125)
        assertThat(table.report().headlines())
                .extracting(HeadlineRatio::benchCase, HeadlineRatio::name, HeadlineRatio::comparison, HeadlineRatio::target)
                .containsExactly(tuple("b1-tls", "engine / raw, batch API drain, TLS", Comparison.AT_LEAST, 0.95),
                        tuple("b1-tls", "engine / raw, CPU per record, batch API drain, TLS", Comparison.AT_MOST, 1.10));
        assertThat(table.report().headlines().get(0).value()).isCloseTo(1.0, within(1e-9));
        assertThat(table.report().headlines().get(1).value()).isCloseTo(1.125, within(1e-9));
        assertThat(table.report().toMarkdown())
                .contains("| `tls` | `engine` / `raw` | **1.000** | 0.800–1.000 |")
                .contains("| `plaintext` | `engine` / `raw` | **1.000** | 0.800–1.000 |");
    }

    private static Map<String, List<DrainTiming>> runs(List<DrainTiming> raw, List<DrainTiming> engine) {
        Map<String, List<DrainTiming>> runs = new LinkedHashMap<>();
        runs.put("raw", raw);
        runs.put("engine", engine);
        return runs;
    }

    /** A drain of 1,000 records taking {@code totalSeconds} and {@code cpuSeconds} of the consumer JVM's CPU. */
    private static DrainTiming drain(double totalSeconds, double cpuSeconds) {
        return new DrainTiming(1000, 1000 * 100, (long) (totalSeconds * 1e9), 100, (long) (totalSeconds * 0.9e9),
                (long) (cpuSeconds * 1e9), (long) (totalSeconds * 0.3e9), (long) (cpuSeconds * 1e9));
    }
}
