package dev.kafkaconsumer.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaconsumer.benchmarks.report.HeadlineRatio.Comparison;
import dev.kafkaconsumer.benchmarks.report.HeadlineRatio.Unit;

class CaseReportTest {

    @TempDir
    Path results;

    @Test
    void theHeadingComesFirstThenEveryBlockSeparatedByABlankLine() {
        CaseReport report = new CaseReport("b9", "B9: a case", Golden.MACHINE)
                .table(new Table().left("a").right("b").row("x", 1))
                .paragraph("One line.", "Its next line.")
                .command("mvn verify");

        assertThat(report.toMarkdown()).isEqualTo("""
                ## B9: a case

                | a | b |
                |---|---:|
                | x | 1 |

                One line.
                Its next line.

                ```
                mvn verify
                ```
                """);
    }

    @Test
    void theMachineFooterSaysWhereAndWhenInFullOrBriefly() {
        assertThat(Golden.MACHINE.measured()).isEqualTo("Measured 2026-11-28T15:00:00Z on 2 cores (Test CPU), 1.0 GiB, Linux 6 amd64; "
                + "load average 0.10 0.20 0.30 at the start, 0.40 0.50 0.60 at the end;\n"
                + "`openjdk version \"17\" / OpenJDK Runtime`; measured JVM `-Xmx2g -Dbench.case=b1`; kafka-clients 4.1.2.");
        assertThat(Golden.MACHINE.measuredBriefly()).isEqualTo("Measured 2026-11-28T15:00:00Z on 2 cores (Test CPU), 1.0 GiB, "
                + "Linux 6 amd64, openjdk version \"17\"; load average 0.10 0.20 0.30 at the start, 0.40 0.50 0.60 at the end");
    }

    @Test
    void headlinesAreDatedAndDescribedByTheMachineAndKeepTheirOrder() {
        CaseReport report = new CaseReport("b9", "B9", Golden.MACHINE)
                .headline("second / first", 0.97, Target.atLeast(0.95))
                .headline("p99 difference", 7.5, Target.atMostMillis(5))
                .headline("for information", 3, Target.NONE);

        assertThat(report.headlines())
                .extracting(HeadlineRatio::benchCase, HeadlineRatio::name, HeadlineRatio::comparison, HeadlineRatio::target,
                        HeadlineRatio::unit, HeadlineRatio::met)
                .containsExactly(
                        tuple("b9", "second / first", Comparison.AT_LEAST, 0.95, Unit.RATIO, true),
                        tuple("b9", "p99 difference", Comparison.AT_MOST, 5.0, Unit.MILLISECONDS, false),
                        tuple("b9", "for information", Comparison.NONE, 0.0, Unit.RATIO, true));
        assertThat(report.headlines()).allSatisfy(headline -> {
            assertThat(headline.measured()).isEqualTo(Golden.MACHINE.date());
            assertThat(headline.machine()).isEqualTo(Golden.MACHINE.oneLine());
        });
    }

    @Test
    void writingPutsTheMarkdownWhereAskedAndTheHeadlinesInTheCasesRatioFileNextToIt() throws IOException {
        CaseReport report = new CaseReport("b9", "B9", Golden.MACHINE).paragraph("Text.").headline("a / b", 1.5, Target.atMost(2));

        report.write(results.resolve("sub").resolve("b9-case.md"));

        assertThat(Files.readString(results.resolve("sub/b9-case.md"))).isEqualTo("## B9\n\nText.\n");
        assertThat(HeadlineRatios.read(results.resolve("sub/b9-ratios.tsv"))).isEqualTo(report.headlines());
    }

    @Test
    void writingAReportWithoutHeadlinesLeavesTheEarlierRatioFileAlone() throws IOException {
        Files.writeString(results.resolve("b9-ratios.tsv"), "# earlier\n", StandardCharsets.UTF_8);

        new CaseReport("b9", "B9", Golden.MACHINE).paragraph("One contender only.").write(results.resolve("b9-case.md"));

        assertThat(Files.readString(results.resolve("b9-ratios.tsv"))).isEqualTo("# earlier\n");
    }

    @Test
    void aTargetIsMetOnItsSideOnlyNeverByNaNAndAlwaysWithoutOne() {
        assertThat(Target.atLeast(0.95).met(0.95)).isTrue();
        assertThat(Target.atLeast(0.95).met(0.949)).isFalse();
        assertThat(Target.atMost(1.2).met(1.2)).isTrue();
        assertThat(Target.atMost(1.2).met(1.21)).isFalse();
        assertThat(Target.atMost(1.2).met(Double.NaN)).isFalse();
        assertThat(Target.NONE.met(Double.NaN)).isTrue();
        assertThat(Target.atLeast(8).text()).isEqualTo("≥ 8.000");
        assertThat(Target.atMostMillis(5).text()).isEqualTo("≤ 5.000 ms");
        assertThat(Target.NONE.text()).isEqualTo("—");
        assertThat(Target.atLeast(0.9).verdict(0.8)).isEqualTo("**not met**");
        assertThat(Target.atLeast(0.9).verdict(0.9)).isEqualTo("met");
        assertThat(Target.NONE.verdict(0.5)).as("no target, nothing met").isEmpty();
    }
}
