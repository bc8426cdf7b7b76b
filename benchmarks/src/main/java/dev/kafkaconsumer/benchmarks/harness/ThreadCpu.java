package dev.kafkaconsumer.benchmarks.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A diagnostic, off unless {@code -Dbench.threadCpu=true}: the CPU of each kind of thread of this JVM over a drain,
 * printed to standard error at its last record, so that a contender's CPU per record can be told apart into the I/O
 * thread, the dispatcher, the workers, the garbage collector and the JIT compilers (issue 17, B2). Java threads are
 * read by name through {@link ThreadMXBean}; the JVM's own threads (GC, compilers) through
 * {@code /proc/self/task/<tid>/schedstat}, by their native name (Linux keeps 15 characters of a name, too few to tell
 * the container's threads apart). Read just after the drain's CPU clock stops, so the drain's figures leave it out; it
 * costs a few milliseconds, so keep it off in the suite's runs.
 */
public final class ThreadCpu {

    private static final boolean ON = Boolean.getBoolean("bench.threadCpu");

    private final Map<String, Long> start;

    private ThreadCpu(Map<String, Long> start) {
        this.start = start;
    }

    /** Reads the threads now, or returns {@code null} when the diagnostic is off. */
    public static ThreadCpu startIfOn() {
        return ON ? new ThreadCpu(read()) : null;
    }

    /** Prints each kind of thread's CPU milliseconds since {@link #startIfOn}, for {@code records} records. */
    public void print(long records) {
        Map<String, Long> end = read();
        StringBuilder line = new StringBuilder("thread-cpu ms per 1M records:");
        long total = 0;
        for (Map.Entry<String, Long> entry : end.entrySet()) {
            long spent = entry.getValue() - start.getOrDefault(entry.getKey(), 0L);
            if (entry.getKey().equals("ALL")) {
                continue;
            }
            total += spent;
            if (spent > 0) {
                line.append(String.format(" %s=%.1f", entry.getKey(), spent / 1e6 * 1e6 / records));
            }
        }
        long all = end.get("ALL") - start.getOrDefault("ALL", 0L);
        line.append(String.format(" | named=%.1f all=%.1f", total / 1e6 * 1e6 / records, all / 1e6 * 1e6 / records));
        System.err.println(line);
    }

    private static Map<String, Long> read() {
        Map<String, Long> kinds = new TreeMap<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (long id : threads.getAllThreadIds()) {
            ThreadInfo info = threads.getThreadInfo(id);
            long cpu = threads.getThreadCpuTime(id);
            if (info != null && cpu > 0) {
                kinds.merge(kind(info.getThreadName()), cpu, Long::sum);
            }
        }
        long all = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String comm = Files.readString(task.resolve("comm")).trim();
                    long ns = Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[0]);
                    all += ns;
                    if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
                        kinds.merge("jvm-gc", ns, Long::sum);
                    } else if (comm.startsWith("C2 Compiler") || comm.startsWith("C1 Compiler")) {
                        kinds.merge("jvm-jit", ns, Long::sum);
                    } else if (comm.startsWith("VM ")) {
                        kinds.merge("jvm-vm", ns, Long::sum);
                    }
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while read
                }
            }
        } catch (IOException e) {
            // not Linux: Java threads only
        }
        kinds.put("ALL", all);
        return kinds;
    }

    /** A thread's name without its container's name and number, e.g. {@code kafka-consumer-worker}. */
    private static String kind(String name) {
        if (name.startsWith("kafka-consumer-")) {
            String rest = name.substring("kafka-consumer-".length());
            int dash = rest.indexOf('-');
            return "kc-" + (dash < 0 ? rest : rest.substring(0, dash));
        }
        return name.replaceAll("[-#]?\\d+$", "").replaceAll("-[0-9a-f-]{8,}.*$", "");
    }
}
