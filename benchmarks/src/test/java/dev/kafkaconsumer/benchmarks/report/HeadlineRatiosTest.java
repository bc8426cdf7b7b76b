package dev.kafkaconsumer.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaconsumer.benchmarks.report.HeadlineRatio.Comparison;

class HeadlineRatiosTest {

    private static final Instant WHEN = Instant.parse("2026-11-28T15:00:00Z");

    @TempDir
    Path results;

    @Test
    void whatACaseWritesIsReadBackInCaseOrderAndARerunReplacesOnlyThatCase() {
        HeadlineRatios.write(results, "b2", List.of(ratio("b2", "container / raw", 0.302, Comparison.AT_LEAST, 0.9)));
        HeadlineRatios.write(results, "b1", List.of(ratio("b1", "engine / raw", 1.013, Comparison.AT_LEAST, 0.95),
                ratio("b1", "informational", 2.5, Comparison.NONE, 0)));
        HeadlineRatios.write(results, "b2", List.of(ratio("b2", "container / raw", 0.95, Comparison.AT_LEAST, 0.9)));

        List<HeadlineRatio> read = HeadlineRatios.readAll(results);

        assertThat(read).extracting(HeadlineRatio::benchCase, HeadlineRatio::name, HeadlineRatio::value)
                .containsExactly(
                        tuple("b1", "engine / raw", 1.013),
                        tuple("b1", "informational", 2.5),
                        tuple("b2", "container / raw", 0.95));
        assertThat(read.get(0)).isEqualTo(ratio("b1", "engine / raw", 1.013, Comparison.AT_LEAST, 0.95));
    }

    @Test
    void aMissingDirectoryHoldsNoRatiosAndOtherFilesAreIgnored() throws IOException {
        assertThat(HeadlineRatios.readAll(results.resolve("missing"))).isEmpty();
        Files.writeString(results.resolve("b1-drain.md"), "| not | a | ratio |", StandardCharsets.UTF_8);
        assertThat(HeadlineRatios.readAll(results)).isEmpty();
    }

    @Test
    void aBrokenLineIsReportedWithItsFileAndLineNumber() throws IOException {
        Path file = results.resolve("b9" + HeadlineRatios.SUFFIX);
        Files.writeString(file, "# header\nb9\tname\tnot-a-number\tAT_LEAST\t1\t2026-11-28T15:00:00Z\tm\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> HeadlineRatios.readAll(results))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString() + " line 2");
    }

    @Test
    void aRatioMeetsItsTargetOnlyOnTheRightSideAndNaNNeverMeetsOne() {
        assertThat(ratio("b1", "r", 0.95, Comparison.AT_LEAST, 0.95).met()).isTrue();
        assertThat(ratio("b1", "r", 0.94, Comparison.AT_LEAST, 0.95).met()).isFalse();
        assertThat(ratio("b5", "r", 1.2, Comparison.AT_MOST, 1.2).met()).isTrue();
        assertThat(ratio("b5", "r", 1.21, Comparison.AT_MOST, 1.2).met()).isFalse();
        assertThat(ratio("b5", "r", Double.NaN, Comparison.AT_MOST, 1.2).met()).isFalse();
        assertThat(ratio("b6", "r", 3, Comparison.NONE, 0).verdict()).isEqualTo("—");
        assertThat(ratio("b5", "r", 1.1, Comparison.AT_MOST, 1.2).targetText()).isEqualTo("≤ 1.200");
    }

    @Test
    void aDifferenceInMillisecondsKeepsItsUnitThroughTheFileAndALineWithoutAUnitIsARatio() throws IOException {
        HeadlineRatio difference = new HeadlineRatio("b4", "container p99 − raw p99", -0.25, Comparison.AT_MOST, 5, WHEN, "m",
                HeadlineRatio.Unit.MILLISECONDS);
        HeadlineRatios.write(results, "b4", List.of(difference));
        Files.writeString(results.resolve("b1" + HeadlineRatios.SUFFIX),
                "# header\nb1\tengine / raw\t1.013\tAT_LEAST\t0.95\t2026-11-28T15:00:00Z\tm\n", StandardCharsets.UTF_8);

        List<HeadlineRatio> read = HeadlineRatios.readAll(results);

        assertThat(read).extracting(HeadlineRatio::benchCase, HeadlineRatio::unit)
                .containsExactly(tuple("b1", HeadlineRatio.Unit.RATIO), tuple("b4", HeadlineRatio.Unit.MILLISECONDS));
        assertThat(read.get(1)).isEqualTo(difference);
        assertThat(difference.met()).isTrue();
        assertThat(difference.valueText()).isEqualTo("-0.250 ms");
        assertThat(difference.targetText()).isEqualTo("≤ 5.000 ms");
    }

    @Test
    void aNameWithATabIsRefusedBecauseItWouldBreakTheFile() {
        assertThatThrownBy(() -> ratio("b1", "a\tb", 1, Comparison.NONE, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static HeadlineRatio ratio(String benchCase, String name, double value, Comparison comparison, double target) {
        return new HeadlineRatio(benchCase, name, value, comparison, target, WHEN, "2 cores (test CPU), 1.0 GiB");
    }

    @Test
    void casesAreOrderedByTheirNumberSoB9ComesBeforeB11AndJmhLast() {
        List<String> names = new java.util.ArrayList<>(List.of("jmh-ratios.tsv", "b11-slow-ratios.tsv", "b11-ratios.tsv",
                "b9-slow-ratios.tsv", "b2-ratios.tsv", "b9-ratios.tsv", "b1-ratios.tsv"));

        names.sort(HeadlineRatios::byCaseNumber);

        assertThat(names).containsExactly("b1-ratios.tsv", "b2-ratios.tsv", "b9-ratios.tsv", "b9-slow-ratios.tsv",
                "b11-ratios.tsv", "b11-slow-ratios.tsv", "jmh-ratios.tsv");
    }
}
