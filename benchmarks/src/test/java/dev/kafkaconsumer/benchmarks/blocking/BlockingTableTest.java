package dev.kafkaconsumer.benchmarks.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.report.HeadlineRatio;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;

class BlockingTableTest {

    private final MachineDescription machine = new MachineDescription(2, "cpu", "1 GiB", "java", "os", List.of("-Xmx2g"),
            "4.3.1", Instant.EPOCH, "0.00 0.00 0.00");

    @Test
    void virtualThreadContendersAreSetAgainstPlatformThreadsPairByPairWithinARound() {
        Map<String, List<BlockingRun>> runs = new LinkedHashMap<>();
        runs.put("platform-c100", wall(20, 30));
        runs.put("virtual-c1000", wall(2, 5));
        runs.put("virtual-c10000", wall(0.5, 0.6));
        BlockingTable table = new BlockingTable(BlockingHandlerBenchmark.DEFAULTS.with(100_000, 2, BlockingContender.DEFAULTS),
                machine, runs, 10);

        assertThat(table.speedUp("platform-c100", "virtual-c1000")).containsExactly(new double[] {10, 6}, Offset.offset(1e-9));
        String markdown = table.report().toMarkdown();
        assertThat(markdown)
                .contains("| `ConsumerContainer`, KEY, platform threads, concurrency 100 (`platform-c100`) | 25.00 | 20.00–30.00 "
                        + "| 20.00 | ")
                .contains("| `ConsumerContainer`, KEY, virtual threads, concurrency 1,000 (`virtual-c1000`) | 3.50 | 2.00–5.00 "
                        + "| 2.00 | ")
                .contains(" | **8.000** (6.000–10.000) | 0 | ")
                // 100,000 × 20 ms over 10,000 threads is 0.2 s, as long as the busiest key's 10 records in a row
                .contains("(`virtual-c10000`) | 0.55 | 0.50–0.60 | 0.20 | ")
                .contains("| 1 | 20.00 | 2.00 | 0.50 |")
                .contains("-Dbench.case=b12 -Dbench.records=100000 -Dbench.runs=2\n");
        assertThat(table.report().headlines())
                .extracting(HeadlineRatio::name, h -> Math.round(h.value() * 1000), HeadlineRatio::targetText)
                .containsExactly(
                        tuple("order violations, every contender and round, 20 ms blocking handler, KEY", 0L, "≤ 0"),
                        tuple("platform-c100 wall / virtual-c1000 wall, 20 ms blocking handler, KEY", 8000L, "—"),
                        tuple("platform-c100 wall / virtual-c10000 wall, 20 ms blocking handler, KEY", 45000L, "—"));
    }

    @Test
    void orderViolationsOfEveryContenderAndRoundAreOneHeadlineThatMustBeZero() {
        Map<String, List<BlockingRun>> runs = new LinkedHashMap<>();
        runs.put("platform-c100", List.of(withViolations(0), withViolations(2)));
        runs.put("virtual-c1000", List.of(withViolations(1), withViolations(0)));
        BlockingTable table = new BlockingTable(BlockingHandlerBenchmark.DEFAULTS.with(100_000, 2,
                List.of("platform-c100", "virtual-c1000")), machine, runs, 10);

        HeadlineRatio violations = table.report().headlines().get(0);

        assertThat(violations.value()).isEqualTo(3);
        assertThat(violations.unit()).isEqualTo(HeadlineRatio.Unit.COUNT);
        assertThat(violations.valueText()).isEqualTo("3");
        assertThat(violations.targetText()).isEqualTo("≤ 0");
        assertThat(violations.verdict()).isEqualTo("not met");
    }

    @Test
    void theLowerBoundIsTheWaitOverTheConcurrencyOrTheBusiestKeyIfLonger() {
        assertThat(BlockingContender.of("platform-c100").lowerBoundSeconds(100_000, 10)).isCloseTo(20, Offset.offset(1e-9));
        assertThat(BlockingContender.of("virtual-c10000").lowerBoundSeconds(100_000, 10)).isCloseTo(0.2, Offset.offset(1e-9));
        assertThat(BlockingContender.of("virtual-c10000").lowerBoundSeconds(10_000, 1)).isCloseTo(0.02, Offset.offset(1e-9));
        assertThat(BlockingContender.of("virtual-c100000").lowerBoundSeconds(100_000, 10)).isCloseTo(0.2, Offset.offset(1e-9));
    }

    @Test
    void aContenderIsReadFromItsName() {
        assertThat(BlockingContender.of("virtual-c1000")).isEqualTo(new BlockingContender("virtual-c1000", true, 1000));
        assertThat(BlockingContender.of("platform-c100")).isEqualTo(new BlockingContender("platform-c100", false, 100));
        assertThatThrownBy(() -> BlockingContender.of("virtual")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("platform-c<N> or virtual-c<N>");
    }

    private static BlockingRun withViolations(long violations) {
        return new BlockingRun(wall(10).get(0).timing(), violations, 40);
    }

    /** Runs of the given wall seconds, with CPU figures, no violations and 40 platform threads. */
    private static List<BlockingRun> wall(double... seconds) {
        return Arrays.stream(seconds).mapToObj(s -> new BlockingRun(new DrainTiming(100_000, 100_000 * 100, (long) (s * 1e9), 1,
                (long) (s * 0.9e9), (long) (s * 0.5e9), (long) (s * 0.2e9)), 0, 40)).toList();
    }
}
