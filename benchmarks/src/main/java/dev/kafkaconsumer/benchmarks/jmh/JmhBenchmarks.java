package dev.kafkaconsumer.benchmarks.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Version;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.report.CaseReport;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;
import dev.kafkaconsumer.benchmarks.report.Table;

/**
 * Runs the JMH micro-benchmarks of this package, {@value #PACKAGE} (the container's per-record dispatch
 * path), with the GC profiler ({@code -prof gc}, allocation per operation), and writes
 * {@code results/jmh-dispatch.md}. With no benchmark in that package it says so in the file and
 * succeeds, so the suite runs on any branch.
 *
 * <p>The iteration counts are set here, not left to JMH's defaults (5 forks of 5 × 10 s warm-up and
 * 5 × 10 s measurement, minutes per benchmark), so that the suite keeps its time budget: 1 fork,
 * 3 × 1 s warm-up, 5 × 1 s measurement, changed with {@code -Dbench.jmh.forks},
 * {@code -Dbench.jmh.warmups}, {@code -Dbench.jmh.iterations} and {@code -Dbench.jmh.seconds}.
 */
public final class JmhBenchmarks {

    /** The package whose benchmarks run: this one. */
    static final String PACKAGE = "dev.kafkaconsumer.benchmarks.jmh";

    private static final Path OUTPUT = CaseReport.RESULTS.resolve("jmh-dispatch.md");
    private static final String TITLE = "JMH: the per-record dispatch path";

    /**
     * One benchmark's line of the result.
     *
     * @param benchmark  the benchmark method, relative to {@value #PACKAGE}, with its parameters
     * @param mode       JMH's short label of the mode, e.g. {@code avgt}
     * @param score      the primary score
     * @param error      its error (99.9 %)
     * @param unit       the score's unit, e.g. {@code ns/op}
     * @param allocated  bytes allocated per operation ({@code gc.alloc.rate.norm}); NaN when not reported
     * @param allocation allocation rate, MB/s ({@code gc.alloc.rate}); NaN when not reported
     */
    record Line(String benchmark, String mode, double score, double error, String unit, double allocated, double allocation) {

        static Line of(RunResult result) {
            Result<?> primary = result.getPrimaryResult();
            StringBuilder name = new StringBuilder(result.getParams().getBenchmark().substring(PACKAGE.length() + 1));
            for (String key : result.getParams().getParamsKeys()) {
                name.append(' ').append(key).append('=').append(result.getParams().getParam(key));
            }
            return new Line(name.toString(), result.getParams().getMode().shortLabel(), primary.getScore(), primary.getScoreError(),
                    primary.getScoreUnit(), secondary(result.getSecondaryResults(), "gc.alloc.rate.norm"),
                    secondary(result.getSecondaryResults(), "gc.alloc.rate"));
        }
    }

    private JmhBenchmarks() {
    }

    /**
     * Runs every benchmark of {@value #PACKAGE} and writes the result.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        MachineDescription machine = MachineDescription.current();
        List<String> benchmarks = listed();
        CaseReport report;
        if (benchmarks.isEmpty()) {
            report = new CaseReport("jmh", TITLE, machine).paragraph("No JMH benchmark in `" + PACKAGE + "` in this build; nothing ran.");
        } else {
            System.err.println("JMH benchmarks: " + benchmarks);
            List<Line> lines = run().stream().map(Line::of).toList();
            report = report(lines, machine.ended());
        }
        report.write(OUTPUT);
    }

    /** The benchmark methods of {@value #PACKAGE} that JMH's annotation processor listed at build time. */
    static List<String> listed() {
        List<String> names = new ArrayList<>();
        try (InputStream list = JmhBenchmarks.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            if (list == null) {
                return names;
            }
            for (String line : new String(list.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                // each line is JMH's own encoding of one benchmark; its method name is in it verbatim
                int at = line.indexOf(PACKAGE + ".");
                if (at >= 0) {
                    names.add(line.substring(at).split("[\\s,]", 2)[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read META-INF/BenchmarkList", e);
        }
        return names;
    }

    private static Collection<RunResult> run() {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(PACKAGE.replace(".", "\\.") + "\\..*")
                .addProfiler(GCProfiler.class)
                .forks(intProperty("bench.jmh.forks", 1))
                .warmupIterations(intProperty("bench.jmh.warmups", 3))
                .warmupTime(TimeValue.seconds(intProperty("bench.jmh.seconds", 1)))
                .measurementIterations(intProperty("bench.jmh.iterations", 5))
                .measurementTime(TimeValue.seconds(intProperty("bench.jmh.seconds", 1)))
                .shouldFailOnError(true);
        try {
            return new Runner(options.build()).run();
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH failed", e);
        }
    }

    /** The result: one line per benchmark, then where and how it ran. JMH's results have no headline for the summary. */
    static CaseReport report(List<Line> lines, MachineDescription machine) {
        Table table = new Table().left("benchmark", "mode").right("score", "error (99.9 %)").left("unit")
                .right("allocated B/op", "allocation MB/s");
        for (Line line : lines) {
            table.row("`" + line.benchmark() + "`", line.mode(), number(line.score()), number(line.error()), line.unit(),
                    number(line.allocated()), number(line.allocation()));
        }
        return new CaseReport("jmh", TITLE, machine)
                .table(table)
                .paragraph(machine.measuredBriefly() + ". JMH " + Version.getPlainVersion() + ", `-prof gc`, "
                        + intProperty("bench.jmh.forks", 1) + " fork(s), " + intProperty("bench.jmh.warmups", 3) + " warm-up and "
                        + intProperty("bench.jmh.iterations", 5) + " measured iterations of " + intProperty("bench.jmh.seconds", 1) + " s.")
                .command("mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=jmh");
    }

    /** A secondary result's score by its label, or NaN when JMH did not report it. */
    private static double secondary(Map<String, Result> secondaries, String label) {
        for (Map.Entry<String, Result> entry : secondaries.entrySet()) {
            // JMH labels it "gc.alloc.rate.norm" or, in older versions, "·gc.alloc.rate.norm"
            if (entry.getKey().replaceFirst("^[^a-z]+", "").equals(label)) {
                return entry.getValue().getScore();
            }
        }
        return Double.NaN;
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%,.0f" : "%.3f", value);
    }

    private static int intProperty(String name, int fallback) {
        return Integer.parseInt(BenchSettings.property(name, String.valueOf(fallback)));
    }
}
