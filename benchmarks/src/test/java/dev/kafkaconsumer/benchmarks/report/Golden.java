package dev.kafkaconsumer.benchmarks.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The golden result files of the tests ({@code src/test/resources/golden}, see its README) and the machines
 * they were measured on.
 */
public final class Golden {

    /** The machine of the synthetic inputs ({@code golden/before}). */
    public static final MachineDescription MACHINE = new MachineDescription(2, "Test CPU", "1.0 GiB",
            "openjdk version \"17\" / OpenJDK Runtime", "Linux 6 amd64", List.of("-Xmx2g", "-Dbench.case=b1"), "4.1.2",
            Instant.parse("2026-11-28T15:00:00Z"), "0.10 0.20 0.30", "0.40 0.50 0.60");

    private static final String JAVA = "openjdk version \"17.0.15\" 2025-04-15 / OpenJDK Runtime Environment (build "
            + "17.0.15+6-Debian-1deb12u1) / OpenJDK 64-Bit Server VM (build 17.0.15+6-Debian-1deb12u1, mixed mode, sharing)";
    private static final String SUITE_OPTIONS = "-Xms2g -Xmx2g -XX:+UseG1GC -Dbench.records= -Dbench.runs= -Dbench.contenders= "
            + "-Dbench.output= -Dbench.jmh.forks= -Dbench.jmh.warmups= -Dbench.jmh.iterations= -Dbench.jmh.seconds= "
            + "-Dbench.fewerRuns= -Dbench.seed= -Dbench.case=";

    private Golden() {
    }

    /**
     * The machine a committed result file was measured on: the suite's JVM on the 2-core machine.
     *
     * @param kernel    the kernel's version, e.g. {@code 6.18.44-fc-v1098}
     * @param date      when the case began
     * @param start     the load average at the start
     * @param end       the load average at the end
     * @param benchCase the case, the last option of its JVM
     */
    public static MachineDescription committed(String kernel, String date, String start, String end, String benchCase) {
        return new MachineDescription(2, "AMD EPYC", "23.5 GiB", JAVA, "Linux " + kernel + " amd64",
                Arrays.asList((SUITE_OPTIONS + benchCase).split(" ")), "4.1.2", Instant.parse(date), start, end);
    }

    /**
     * A golden file's text.
     *
     * @param name its path under {@code golden/}, e.g. {@code committed/b1-drain.md}
     */
    public static String read(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No golden file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What a case writes for a report: its Markdown and its ratio file.
     *
     * @param markdown the Markdown file's text
     * @param ratios   the ratio file's text, or null when the case wrote none
     */
    public record Written(String markdown, String ratios) {
    }

    /**
     * Writes a report the way a case does, into {@code directory}, and reads back what was written.
     *
     * @param report    the case's report
     * @param directory an empty directory
     * @param fileName  the Markdown file's name, e.g. {@code b1-drain.md}
     */
    public static Written write(CaseReport report, Path directory, String fileName) {
        report.write(directory.resolve(fileName));
        try {
            Path ratios = directory.resolve(report.benchCase() + "-ratios.tsv");
            return new Written(Files.readString(directory.resolve(fileName)), Files.exists(ratios) ? Files.readString(ratios) : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
