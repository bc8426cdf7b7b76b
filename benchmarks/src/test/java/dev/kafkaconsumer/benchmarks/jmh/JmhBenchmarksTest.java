package dev.kafkaconsumer.benchmarks.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaconsumer.benchmarks.jmh.JmhBenchmarks.Line;
import dev.kafkaconsumer.benchmarks.report.Golden;

class JmhBenchmarksTest {

    @TempDir
    Path results;

    @Test
    void everyBenchmarkClassOfThisPackageIsListedAndNothingElse() {
        assertThat(JmhBenchmarks.listed())
                .allMatch(name -> name.startsWith(JmhBenchmarks.PACKAGE + "."))
                .contains(JmhBenchmarks.PACKAGE + ".HandlerLoopBenchmark", JmhBenchmarks.PACKAGE + ".DispatchPathBenchmark");
    }

    @Test
    void theCommittedResultIsWhatItsLinesRenderByteForByteWithoutARatioFile() {
        List<Line> lines = List.of(
                new Line("DispatchPathBenchmark.pipeline concurrency=1 ordering=PARTITION", "avgt", 43.522, 9.430, "ns/op", 0.565, 12.401),
                new Line("DispatchPathBenchmark.pipeline concurrency=1 ordering=KEY", "avgt", 167, 60.102, "ns/op", 166, 954),
                new Line("DispatchPathBenchmark.pipeline concurrency=1 ordering=UNORDERED", "avgt", 103, 15.925, "ns/op", 113, 1042),
                new Line("DispatchPathBenchmark.pipeline concurrency=6 ordering=PARTITION", "avgt", 36.178, 5.556, "ns/op", 0.905, 23.863),
                new Line("DispatchPathBenchmark.pipeline concurrency=6 ordering=KEY", "avgt", 209, 20.532, "ns/op", 166, 761),
                new Line("DispatchPathBenchmark.pipeline concurrency=6 ordering=UNORDERED", "avgt", 344, 538, "ns/op", 113, 369),
                new Line("HandlerLoopBenchmark.handlerLoop", "avgt", 1.127, 0.150, "ns/op", 0.013, 11.294));

        Golden.Written written = Golden.write(JmhBenchmarks.report(lines,
                Golden.committed("6.18.44-fc-v669", "2026-11-28T16:38:08Z", "1.22 2.16 5.55", "2.02 2.20 5.35", "jmh")),
                results, "jmh-dispatch.md");

        assertThat(written.markdown()).isEqualTo(Golden.read("committed/jmh-dispatch.md"));
        assertThat(written.ratios()).isNull();
    }

    @Test
    void withoutResultsOnlyTheHeaderOfTheTableIsWrittenAsBefore() {
        assertThat(JmhBenchmarks.report(List.of(), Golden.MACHINE).toMarkdown()).isEqualTo(Golden.read("before/jmh-empty.md"));
    }

    @Test
    void aSecondaryResultJmhDidNotReportIsADash() {
        String markdown = JmhBenchmarks.report(List.of(new Line("HandlerLoopBenchmark.handlerLoop", "thrpt", 1234.5, Double.NaN,
                "ops/s", Double.NaN, Double.NaN)), Golden.MACHINE).toMarkdown();

        assertThat(markdown).contains("| `HandlerLoopBenchmark.handlerLoop` | thrpt | 1,235 | — | ops/s | — | — |");
    }
}
