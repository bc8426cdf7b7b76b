package dev.kafkaconsumer.benchmarks.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs a case's main class on a Java with virtual threads (21 or later) when the suite runs on an older one: the project
 * builds for Java 17, and the container's {@code virtualThreads} option needs 21 at run time. The case's JVM then starts
 * a child with the same options and class path on the newer Java, waits for it and ends as it ends; the child measures
 * every contender (platform and virtual threads alike), so that they alternate in one JVM as in every other case.
 *
 * <p>Which Java: {@code -Dbench.java21Home=<JAVA_HOME>}, else the newest JDK under the parent directory of this
 * JVM's home (e.g. {@code /usr/lib/jvm}) whose {@code release} file says 21 or later.
 */
public final class NewerJava {

    /** The property that names the Java home to use. */
    public static final String HOME_PROPERTY = "bench.java21Home";
    /** Set in the child's command, so that its main ends the JVM once the case is written (as the suite's does). */
    public static final String RELAUNCHED_PROPERTY = "bench.relaunched";
    /** The feature version virtual threads need. */
    public static final int VIRTUAL_THREADS = 21;

    private static final Pattern VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");

    private NewerJava() {
    }

    /** Whether this JVM is the child of {@link #relaunch}. */
    public static boolean relaunched() {
        return Boolean.getBoolean(RELAUNCHED_PROPERTY);
    }

    /** Whether this JVM has virtual threads. */
    public static boolean here() {
        return Runtime.version().feature() >= VIRTUAL_THREADS;
    }

    /**
     * Runs {@code mainClass} in a child JVM on Java 21 or later, with this JVM's options and class path, and waits.
     *
     * @param mainClass the case's main class
     * @throws IllegalStateException when no such Java is found, or the child fails
     */
    public static void relaunch(Class<?> mainClass) {
        Path home = find().orElseThrow(() -> new IllegalStateException(mainClass.getSimpleName() + " needs Java "
                + VIRTUAL_THREADS + " or later for virtual threads; this is " + Runtime.version().feature()
                + " and none was found beside it; set -D" + HOME_PROPERTY));
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin").resolve("java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-D" + RELAUNCHED_PROPERTY + "=true");
        command.add("-classpath");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        Progress.log("Java %d has no virtual threads: running %s on %s", Runtime.version().feature(), mainClass.getSimpleName(), home);
        try {
            Process child = new ProcessBuilder(command).inheritIO().start();
            Thread hook = new Thread(child::destroy, "newer-java-child-shutdown-hook");
            Runtime.getRuntime().addShutdownHook(hook);
            int exit;
            try {
                exit = child.waitFor();
            } finally {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            if (exit != 0) {
                throw new IllegalStateException(mainClass.getSimpleName() + " on " + home + " ended with exit code " + exit);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + home, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while " + mainClass.getSimpleName() + " ran", e);
        }
    }

    /** The Java home to use: {@code bench.java21Home}, else the newest one of 21 or later beside this JVM's. */
    static Optional<Path> find() {
        String chosen = BenchSettings.property(HOME_PROPERTY, "");
        if (!chosen.isEmpty()) {
            return Optional.of(Path.of(chosen));
        }
        Path parent = Path.of(System.getProperty("java.home")).toAbsolutePath().getParent();
        if (parent == null) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(parent)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin").resolve("java")))
                    .filter(home -> feature(home) >= VIRTUAL_THREADS)
                    .max(Comparator.comparingInt(NewerJava::feature));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The feature version a Java home's {@code release} file names, or 0. */
    static int feature(Path home) {
        try {
            Matcher matcher = VERSION.matcher(Files.readString(home.resolve("release"), StandardCharsets.UTF_8));
            return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
