package dev.kafkaconsumer.benchmarks.harness;

import java.lang.management.ManagementFactory;

/** The JVM's live heap: used heap right after full collections (G1's {@code System.gc()} is a full, compacting one). */
public final class LiveHeap {

    private LiveHeap() {
    }

    /** Bytes of heap in use after two full collections. */
    public static long bytes() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
