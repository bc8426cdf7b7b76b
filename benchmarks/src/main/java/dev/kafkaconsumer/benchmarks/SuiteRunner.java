package dev.kafkaconsumer.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.kafkaconsumer.benchmarks.report.MachineDescription;

/**
 * Runs several cases one after the other, each in a fresh JVM started with this JVM's {@code java},
 * class path and options, so that a case is measured as it would be alone: no JIT profile, heap or
 * lingering threads of the case before. A failing case is reported and the next one runs; the
 * summary then shows the ratios the failed case left from an earlier run, if any.
 */
final class SuiteRunner {

    private final List<BenchCase> cases;

    SuiteRunner(List<BenchCase> cases) {
        this.cases = List.copyOf(cases);
    }

    /**
     * Runs every case and prints how long each took.
     *
     * @return how many cases failed
     */
    int run() {
        Map<BenchCase, String> outcomes = new LinkedHashMap<>();
        long suiteStart = System.nanoTime();
        int failures = 0;
        for (BenchCase benchCase : cases) {
            System.err.printf(Locale.ROOT, "%n==== %s: starting in a fresh JVM (load average %s) ====%n",
                    benchCase.id(), MachineDescription.loadAverage());
            long start = System.nanoTime();
            int exit = runInChild(benchCase);
            double seconds = (System.nanoTime() - start) / 1e9;
            failures += exit == 0 ? 0 : 1;
            outcomes.put(benchCase, String.format(Locale.ROOT, "%6.0f s  %s", seconds, exit == 0 ? "ok" : "FAILED (exit " + exit + ")"));
        }
        System.err.printf(Locale.ROOT, "%n==== suite: %.1f minutes ====%n", (System.nanoTime() - suiteStart) / 60e9);
        outcomes.forEach((benchCase, outcome) -> System.err.printf(Locale.ROOT, "  %-4s %s%n", benchCase.id(), outcome));
        return failures;
    }

    private static int runInChild(BenchCase benchCase) {
        ProcessBuilder builder = new ProcessBuilder(command(benchCase, ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("java.class.path"))).inheritIO();
        try {
            Process child = builder.start();
            Thread hook = new Thread(child::destroy, "suite-child-shutdown-hook");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return child.waitFor();
            } finally {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        } catch (IOException e) {
            System.err.println("Could not start the JVM of " + benchCase.id() + ": " + e);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while " + benchCase.id() + " ran", e);
        }
    }

    /** The child's command: this JVM's options with {@code bench.case} replaced by the one case. */
    static List<String> command(BenchCase benchCase, List<String> jvmOptions, String classPath) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : jvmOptions) {
            if (!option.startsWith("-D" + Benchmarks.CASE_PROPERTY + "=")) {
                command.add(option);
            }
        }
        command.add("-D" + Benchmarks.CASE_PROPERTY + "=" + benchCase.id());
        command.add("-classpath");
        command.add(classPath);
        command.add(Benchmarks.class.getName());
        return command;
    }
}
