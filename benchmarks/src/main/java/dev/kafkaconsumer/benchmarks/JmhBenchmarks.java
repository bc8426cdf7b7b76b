package dev.kafkaconsumer.benchmarks;

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

/**
 * Runs the JMH micro-benchmarks of package {@value #PACKAGE} (the container's per-record dispatch
 * path) with the GC profiler ({@code -prof gc}, allocation per operation), and writes
 * {@code results/jmh-dispatch.md}. With no benchmark in that package it says so in the file and
 * succeeds, so the suite runs on any branch.
 *
 * <p>The iteration counts are set here, not left to JMH's defaults (5 forks of 5 × 10 s warm-up and
 * 5 × 10 s measurement, minutes per benchmark), so that the suite keeps its time budget: 1 fork,
 * 3 × 1 s warm-up, 5 × 1 s measurement, changed with {@code -Dbench.jmh.forks},
 * {@code -Dbench.jmh.warmups}, {@code -Dbench.jmh.iterations} and {@code -Dbench.jmh.seconds}.
 */
final class JmhBenchmarks {

    /** The package whose benchmarks run. */
    static final String PACKAGE = "dev.kafkaconsumer.benchmarks.jmh";

    private static final Path OUTPUT = Benchmarks.RESULTS.resolve("jmh-dispatch.md");

    private JmhBenchmarks() {
    }

    static void main(String[] args) {
        MachineDescription machine = MachineDescription.current();
        List<String> benchmarks = listed();
        String markdown;
        if (benchmarks.isEmpty()) {
            markdown = "## JMH: the per-record dispatch path\n\nNo JMH benchmark in `" + PACKAGE + "` in this build; nothing ran.\n";
        } else {
            System.err.println("JMH benchmarks: " + benchmarks);
            markdown = toMarkdown(run(), machine);
        }
        System.out.println(markdown);
        ResultFiles.write(OUTPUT, markdown);
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

    static String toMarkdown(Collection<RunResult> results, MachineDescription machine) {
        StringBuilder md = new StringBuilder("## JMH: the per-record dispatch path\n\n");
        md.append("| benchmark | mode | score | error (99.9 %) | unit | allocated B/op | allocation MB/s |\n");
        md.append("|---|---|---:|---:|---|---:|---:|\n");
        for (RunResult result : results) {
            Result<?> primary = result.getPrimaryResult();
            StringBuilder name = new StringBuilder(result.getParams().getBenchmark().substring(PACKAGE.length() + 1));
            for (String key : result.getParams().getParamsKeys()) {
                name.append(' ').append(key).append('=').append(result.getParams().getParam(key));
            }
            md.append("| `").append(name).append("` | ").append(result.getParams().getMode().shortLabel())
                    .append(" | ").append(number(primary.getScore())).append(" | ").append(number(primary.getScoreError()))
                    .append(" | ").append(primary.getScoreUnit())
                    .append(" | ").append(secondary(result.getSecondaryResults(), "gc.alloc.rate.norm"))
                    .append(" | ").append(secondary(result.getSecondaryResults(), "gc.alloc.rate")).append(" |\n");
        }
        md.append("\nMeasured ").append(machine.date()).append(" on ").append(machine.oneLine()).append("; load average ")
                .append(machine.loadAtStart()).append(" at the start, ").append(MachineDescription.loadAverage())
                .append(" at the end. JMH ").append(org.openjdk.jmh.util.Version.getPlainVersion()).append(", `-prof gc`, ").append(intProperty("bench.jmh.forks", 1)).append(" fork(s), ")
                .append(intProperty("bench.jmh.warmups", 3)).append(" warm-up and ").append(intProperty("bench.jmh.iterations", 5))
                .append(" measured iterations of ").append(intProperty("bench.jmh.seconds", 1)).append(" s.\n\n```\n")
                .append("mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=jmh\n```\n");
        return md.toString();
    }

    private static String secondary(Map<String, Result> secondaries, String label) {
        for (Map.Entry<String, Result> entry : secondaries.entrySet()) {
            // JMH labels it "gc.alloc.rate.norm" or, in older versions, "·gc.alloc.rate.norm"
            if (entry.getKey().replaceFirst("^[^a-z]+", "").equals(label)) {
                return number(entry.getValue().getScore());
            }
        }
        return "—";
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%,.0f" : "%.3f", value);
    }

    private static int intProperty(String name, int fallback) {
        return Integer.parseInt(BenchSettings.property(name, String.valueOf(fallback)));
    }
}
