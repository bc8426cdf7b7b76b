package dev.kafkaconsumer.benchmarks.memory;

import java.util.Locale;

/**
 * One reading of a consumer JVM's memory, as {@link MemoryConsumerProcess} prints it on a line of its
 * own ({@value #PREFIX} followed by the fields, space-separated) and the harness reads it back.
 *
 * @param millis        since the consumer started
 * @param handled       records its handler has finished
 * @param heapAfterGc   the largest used heap right after a collection during the sample's interval, bytes
 *                      (a full collection is forced every interval, so this is the live set, not garbage)
 * @param heapUsed      the used heap when sampled, garbage included, bytes
 * @param rssKib        {@code VmRSS}, KiB
 * @param hwmKib        {@code VmHWM}, KiB
 */
record MemorySample(long millis, long handled, long heapAfterGc, long heapUsed, long rssKib, long hwmKib) {

    static final String PREFIX = "SAMPLE ";

    String toLine() {
        return String.format(Locale.ROOT, "%s%d %d %d %d %d %d", PREFIX, millis, handled, heapAfterGc, heapUsed, rssKib, hwmKib);
    }

    /**
     * @param line a line of the consumer JVM's output
     * @return the sample, or null for a line that is not one
     */
    static MemorySample parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return null;
        }
        String[] f = line.substring(PREFIX.length()).trim().split(" ");
        return new MemorySample(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                Long.parseLong(f[4]), Long.parseLong(f[5]));
    }

    double heapAfterGcMib() {
        return heapAfterGc / 1024.0 / 1024.0;
    }

    double rssMib() {
        return rssKib / 1024.0;
    }
}
