package dev.kafkaconsumer.benchmarks.memory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The resident set of a process as Linux reports it in {@code /proc/<pid>/status}: {@code VmRSS}, what
 * is resident now, and {@code VmHWM}, the most that ever was. Both count everything the process holds
 * in memory (heap, metaspace, thread stacks, direct buffers, the JIT's code), which is what a container
 * limit or an operator sees.
 *
 * @param rssKib the resident set now, KiB; -1 when unknown
 * @param hwmKib the peak resident set, KiB; -1 when unknown
 */
record ProcStatus(long rssKib, long hwmKib) {

    /** What this process's {@code /proc/self/status} says, or -1 values off Linux. */
    static ProcStatus self() {
        try {
            return parse(Files.readString(Path.of("/proc/self/status"), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return new ProcStatus(-1, -1);
        }
    }

    /**
     * @param status the text of a {@code /proc/<pid>/status} file
     * @return its {@code VmRSS} and {@code VmHWM}, -1 for a line that is missing
     */
    static ProcStatus parse(String status) {
        return new ProcStatus(kib(status, "VmRSS:"), kib(status, "VmHWM:"));
    }

    private static long kib(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key)) {
                String[] fields = line.substring(key.length()).trim().split("\\s+");
                long value = Long.parseLong(fields[0]);
                return fields.length > 1 && fields[1].equalsIgnoreCase("mB") ? value * 1024 : value;
            }
        }
        return -1;
    }
}
