package dev.kafkaconsumer.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class OnePerCallTableTest {

    private static final long SECOND = 1_000_000_000L;

    private final MachineDescription machine = new MachineDescription(2, "cpu", "1 GiB", "java", "os", List.of("-Xmx2g"),
            "4.1.2", Instant.EPOCH, "0.00 0.00 0.00");

    @Test
    void comparesTheContainerPairByPairWithRawAndWithTheSpringAckModeOfHigherMedian() {
        BenchSettings settings = new BenchSettings(BenchSettings.B2, 100, 3,
                List.of("raw", "container", "spring-batch", "spring-time"), Path.of("unused.md"));
        Map<String, List<DrainTiming>> runs = Map.of(
                "raw", List.of(timing(100), timing(200), timing(400)),
                "container", List.of(timing(90), timing(210), timing(300)),
                "spring-batch", List.of(timing(10), timing(10), timing(10)),
                "spring-time", List.of(timing(50), timing(100), timing(300)));
        OnePerCallTable table = new OnePerCallTable(settings, machine, runs);

        assertThat(table.springBest()).isEqualTo("spring-time");
        assertThat(table.ratios("container", "raw")).containsExactly(new double[] {0.9, 1.05, 0.75}, Offset.offset(1e-9));
        assertThat(table.toMarkdown())
                .contains("| container / raw | **0.900** | 0.750 | 1.050 | ≥ 0.900 | met |")
                .contains("| container / spring-time (Spring's best) | **1.800** | 1.000 | 2.100 | ≥ 1.000 | met |")
                .contains("-Dbench.case=b2 -Dbench.records=100 -Dbench.runs=3 -Dbench.contenders=raw,container,spring-batch,spring-time");
        assertThat(table.headlines())
                .extracting(HeadlineRatio::name, h -> Math.round(h.value() * 1000), HeadlineRatio::target)
                .containsExactly(
                        tuple("container / raw, one per call", 900L, 0.9),
                        tuple("container / Spring's best (spring-time), one per call", 1800L, 1.0));
    }

    private static DrainTiming timing(double recordsPerSecond) {
        return new DrainTiming(100, 10_000, (long) (100 * SECOND / recordsPerSecond), 1, (long) (99 * SECOND / recordsPerSecond));
    }
}
