package dev.kafkaconsumer.benchmarks;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import dev.kafkaconsumer.benchmarks.report.CaseReport;
import dev.kafkaconsumer.benchmarks.report.SummaryReport;

/**
 * The entry point of {@code -Pbench}: runs the case named by {@code bench.case} in this JVM, or, for
 * {@code all} (the default) or a comma-separated list, each case in a fresh JVM of its own
 * ({@link SuiteRunner}), so that no case inherits another's heap, JIT state or threads. Either way the
 * summary ({@link SummaryReport}) is rebuilt at the end from the ratio files in {@code results/}.
 *
 * <pre>
 * mvn -B -pl benchmarks -am verify -Pbench                     # everything, about 30 minutes on 2 cores
 * mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b6     # one case
 * </pre>
 */
public final class Benchmarks {

    /** Where every case writes its results, relative to the module (the working directory of {@code -Pbench}). */
    static final Path RESULTS = CaseReport.RESULTS;
    /** {@code -Dbench.case=summary} runs no case: it rebuilds the summary from the ratio files. */
    static final String SUMMARY_ONLY = "summary";

    /** The system property that selects the case. */
    static final String CASE_PROPERTY = "bench.case";

    private Benchmarks() {
    }

    /**
     * Runs the selected case or cases, rebuilds the summary, then ends the JVM explicitly: Confluent
     * Parallel Consumer 0.5.3.3 (B3) can leave its non-daemon {@code pc-control} and {@code pc-broker-poll}
     * threads running after close, which would keep this JVM, and the suite or Maven waiting on it, alive
     * forever. The exit code is 0 only when every case succeeded, also when a case threw.
     *
     * @param args ignored; the {@code bench.*} system properties configure the run
     */
    public static void main(String[] args) {
        int status;
        try {
            status = run() == 0 ? 0 : 1;
        } catch (Throwable e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    /** Runs the selected cases and rebuilds the summary; returns how many cases failed. */
    private static int run() {
        String selected = System.getProperty(CASE_PROPERTY, "").trim();
        if (selected.equals(SUMMARY_ONLY)) {
            SummaryReport.rebuild(RESULTS);
            return 0;
        }
        List<BenchCase> cases = selected.isEmpty() || selected.startsWith("${") || selected.equals("all")
                ? List.of(BenchCase.values())
                : Arrays.stream(selected.split("\\s*,\\s*")).map(BenchCase::named).toList();
        int failures = 0;
        if (cases.size() == 1) {
            cases.get(0).run();
        } else {
            failures = new SuiteRunner(cases).run();
        }
        SummaryReport.rebuild(RESULTS);
        System.err.println("Summary written to " + RESULTS.resolve(SummaryReport.MARKDOWN).toAbsolutePath() + " and "
                + SummaryReport.CHART);
        if (failures > 0) {
            System.err.println(failures + " case(s) failed; see above");
        }
        return failures;
    }
}
