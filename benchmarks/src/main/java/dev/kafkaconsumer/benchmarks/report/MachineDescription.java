package dev.kafkaconsumer.benchmarks.report;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.utils.AppInfoParser;

/**
 * Where a result was measured. Throughput numbers mean little without the machine, so each result
 * file carries its own description, read at run time rather than typed by hand.
 *
 * @param processors the cores this JVM may use (what {@code nproc} prints)
 * @param cpu        the CPU model, or {@code unknown}
 * @param memory     the machine's memory, or {@code unknown}
 * @param javaVersion what {@code java -version} prints, on one line
 * @param os         operating system, version and architecture
 * @param jvmOptions the options of the measured JVM
 * @param kafkaClients the kafka-clients version on the class path
 * @param date       when the run began, UTC
 * @param loadAtStart the 1, 5 and 15 minute load averages when the run began: other work on the
 *                    machine shows here, and a busy neighbour makes every number noisier
 * @param loadAtEnd  the load averages when the run ended ({@link #ended()}), or null while it runs: the
 *                   result then reads them when it is written
 */
public record MachineDescription(int processors, String cpu, String memory, String javaVersion, String os,
        List<String> jvmOptions, String kafkaClients, Instant date, String loadAtStart, String loadAtEnd) {

    /** A machine whose run has not ended yet. */
    public MachineDescription(int processors, String cpu, String memory, String javaVersion, String os,
            List<String> jvmOptions, String kafkaClients, Instant date, String loadAtStart) {
        this(processors, cpu, memory, javaVersion, os, jvmOptions, kafkaClients, date, loadAtStart, null);
    }

    /** Describes this machine and this JVM, at the start of a run. */
    public static MachineDescription current() {
        return new MachineDescription(
                Runtime.getRuntime().availableProcessors(),
                firstValue(Path.of("/proc/cpuinfo"), "model name"),
                readMemory(),
                readJavaVersion(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                ManagementFactory.getRuntimeMXBean().getInputArguments(),
                AppInfoParser.getVersion(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                loadAverage());
    }

    /** This description with the load averages of now as those at the end of the run: call it when the measuring is done. */
    public MachineDescription ended() {
        return new MachineDescription(processors, cpu, memory, javaVersion, os, jvmOptions, kafkaClients, date, loadAtStart,
                loadAverage());
    }

    /**
     * The machine on one line, for the summary's caption and the headline ratio files: cores, CPU,
     * memory, operating system and Java version. The load average is left out, so that the cases of one
     * run on one machine share one line; each case's own result file records its load.
     */
    public String oneLine() {
        String java = javaVersion.split(" / ")[0].trim();
        return String.format(Locale.ROOT, "%d cores (%s), %s, %s, %s", processors, cpu, memory, os, java.replace('\t', ' '));
    }

    /**
     * Where and when the run was measured, in full, for the footer of a result file: the machine, the
     * load before and after, the JVM and kafka-clients.
     *
     * @return two Markdown lines, without a final newline
     */
    public String measured() {
        return "Measured " + date + " on " + processors + " cores (" + cpu + "), " + memory + ", " + os
                + "; load average " + loadAtStart + " at the start, " + end() + " at the end;\n"
                + "`" + javaVersion + "`; measured JVM `" + String.join(" ", jvmOptions) + "`; kafka-clients "
                + kafkaClients + ".";
    }

    /**
     * Where and when the run was measured, briefly: the date, {@link #oneLine()} and the load before and after.
     *
     * @return {@code Measured <date> on <machine>; load average <start> at the start, <end> at the end}
     */
    public String measuredBriefly() {
        return "Measured " + date + " on " + oneLine() + "; load average " + loadAtStart + " at the start, " + end() + " at the end";
    }

    private String end() {
        return loadAtEnd != null ? loadAtEnd : loadAverage();
    }

    /** The 1, 5 and 15 minute load averages now, or {@code unknown}. */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String readMemory() {
        String total = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        if (!total.endsWith(" kB")) {
            return total;
        }
        long kib = Long.parseLong(total.substring(0, total.length() - 3).trim());
        return String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
    }

    private static String firstValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: the description says unknown
        }
        return "unknown";
    }

    /** Runs this JVM's {@code java -version}, the string people compare, rather than piecing it together. */
    private static String readJavaVersion() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        try {
            Process process = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
            String text;
            try (InputStream out = process.getInputStream()) {
                text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            process.waitFor(10, TimeUnit.SECONDS);
            return String.join(" / ", text.strip().lines().toList());
        } catch (IOException e) {
            return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        }
    }
}
