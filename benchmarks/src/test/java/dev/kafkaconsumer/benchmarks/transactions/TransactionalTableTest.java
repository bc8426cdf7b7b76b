package dev.kafkaconsumer.benchmarks.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaconsumer.benchmarks.report.Golden;
import dev.kafkaconsumer.benchmarks.report.HeadlineRatio;

class TransactionalTableTest {

    @TempDir
    Path results;

    @Test
    void ourContainerIsSetAgainstSpringsPairByPairWithinARound() {
        Map<String, List<TransactionalRun>> runs = new LinkedHashMap<>();
        runs.put("container", rates(1000, 4000, 3000));
        runs.put("spring", rates(1000, 1000, 1000));
        TransactionalTable table = new TransactionalTable(TransactionalBenchmark.FAST.with(1000, 3, List.of("container", "spring")),
                Golden.MACHINE, new TransactionalRecords(1000, 10, false, 6), 6, 1000, runs);

        assertThat(table.overSpring("container")).containsExactly(new double[] {1, 4, 3}, Offset.offset(1e-6));
        assertThat(table.report().headlines())
                .extracting(HeadlineRatio::name, h -> Math.round(h.value() * 1000), HeadlineRatio::targetText)
                .containsExactly(tuple("container / Spring throughput, transactional", 3000L, "—"));
        assertThat(table.report().toMarkdown()).contains(" | **3.000** (1.000–4.000) |").contains("| 3 of 3 exact |");
    }

    @Test
    void aRunWhoseOutputWasNotExactlyTheInputIsShownAndFailsTheCaseAfterwards() {
        Map<String, List<TransactionalRun>> runs = new LinkedHashMap<>();
        runs.put("container", List.of(run(1.0, 10, 1000, 0, 0), run(1.0, 10, 999, 0, 1)));
        TransactionalTable table = new TransactionalTable(TransactionalBenchmark.FAST.with(1000, 2, List.of("container")),
                Golden.MACHINE, new TransactionalRecords(1000, 10, false, 6), 6, 1000, runs);

        assertThat(table.report().toMarkdown()).contains("| 1 of 2 exact: 0 duplicated, 1 missing, 0 out of key order |");
        assertThat(table.report().headlines()).isEmpty();
        assertThatThrownBy(table::requireExact).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("container round 2 (999 outputs of 1000 inputs, 0 duplicates, 1 missing");
    }

    @Test
    void anotherTransactionSizeIsNamedForBothContendersAndInTheCommand() {
        Map<String, List<TransactionalRun>> runs = new LinkedHashMap<>();
        runs.put("container", rates(1000));
        runs.put("spring", rates(1000));

        String markdown = new TransactionalTable(TransactionalBenchmark.FAST.with(1000, 1, List.of("container", "spring")),
                Golden.MACHINE, new TransactionalRecords(1000, 10, false, 6), 6, 5000, runs).report().toMarkdown();

        assertThat(markdown).contains("as soon as 5,000 records are finished (`maxRecordsPerTransaction`, set with")
                .contains("`max.poll.records` = 5,000, set to match our container's 5,000")
                .contains("-Dbench.case=b11 -Dbench.records=1000 -Dbench.runs=1 -Dbench.maxRecordsPerTransaction=5000\n");
    }

    @Test
    void theTransactionSizeMustBeAPositiveNumber() {
        assertThat(TransactionalBenchmark.transactionRecords(" 5000 ")).isEqualTo(5000);
        assertThatThrownBy(() -> TransactionalBenchmark.transactionRecords("0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bench.maxRecordsPerTransaction is 0");
        assertThatThrownBy(() -> TransactionalBenchmark.transactionRecords("many"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use a positive number");
    }

    @Test
    void rendersTheSyntheticFastRunsAsTheGoldenFileSays() {
        Map<String, List<TransactionalRun>> runs = new LinkedHashMap<>();
        runs.put("container", List.of(run(0.50, 12, 1000, 0, 0), run(0.40, 11, 1000, 0, 0)));
        runs.put("spring", List.of(run(1.00, 60, 1000, 0, 0), run(1.10, 62, 1000, 0, 0)));

        Golden.Written written = Golden.write(new TransactionalTable(TransactionalBenchmark.FAST.with(1000, 2,
                List.of("container", "spring")), Golden.MACHINE, new TransactionalRecords(1000, 10_000, false, 6), 6, 1000, runs)
                .report(), results, "b11-transactional.md");

        assertThat(written.markdown()).isEqualTo(Golden.read("synthetic/b11-transactional.md"));
        assertThat(written.ratios()).isEqualTo(Golden.read("synthetic/b11-ratios.tsv"));
    }

    @Test
    void rendersTheSyntheticSlowRunsWithTheirLowerBoundsAsTheGoldenFileSays() {
        Map<String, List<TransactionalRun>> runs = new LinkedHashMap<>();
        runs.put("container", List.of(run(0.50, 6, 1000, 0, 0), run(0.45, 5, 1000, 0, 0)));
        runs.put("container-c24", List.of(run(0.15, 3, 1000, 0, 0), run(0.14, 3, 1000, 0, 0)));
        runs.put("spring", List.of(run(0.60, 6, 1000, 0, 0), run(0.55, 6, 1000, 1, 0)));

        Golden.Written written = Golden.write(new TransactionalTable(TransactionalBenchmark.SLOW.with(1000, 2,
                List.of("container", "container-c24", "spring")), Golden.MACHINE, new TransactionalRecords(1000, 100, true, 6),
                6, 1000, runs).report(), results, "b11-transactional-slow.md");

        assertThat(written.markdown()).isEqualTo(Golden.read("synthetic/b11-transactional-slow.md"));
        assertThat(written.ratios()).isEqualTo(Golden.read("synthetic/b11-slow-ratios.tsv"));
    }

    /** Exact runs of 1,000 records at the given records/s, 10 transactions each. */
    private static List<TransactionalRun> rates(double... rates) {
        return Arrays.stream(rates).mapToObj(r -> run(1000 / r, 10, 1000, 0, 0)).toList();
    }

    /** A run of 1,000 records in {@code seconds}, with CPU figures, whose reader found {@code outputs} (no duplicates). */
    private static TransactionalRun run(double seconds, long transactions, long outputs, long aborted, long missing) {
        return new TransactionalRun(1000, (long) (seconds * 1e9), transactions, aborted, (long) (seconds * 0.6e9),
                (long) (seconds * 0.3e9), outputs, 0, missing, 0);
    }
}
