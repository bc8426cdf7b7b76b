package dev.kafkaconsumer.benchmarks.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Counts the records handled of each partition in consecutive windows of a fixed length (B7's fairness: 10 s), from
 * the first record handled. Preallocates the windows of the longest run it may see, so that counting takes no lock.
 *
 * <p>Threads: any handler thread counts; the thread that ran the drain reads once the run is over.
 */
final class PartitionWindows {

    private final int partitions;
    private final long windowNanos;
    private final AtomicLongArray[] windows;
    private volatile long startNanos;

    /**
     * @param partitions  partitions of the topic
     * @param windowNanos the window's length
     * @param maxWindows  the most windows a run may last; records after them are counted in the last
     */
    PartitionWindows(int partitions, long windowNanos, int maxWindows) {
        this.partitions = partitions;
        this.windowNanos = windowNanos;
        this.windows = new AtomicLongArray[maxWindows];
        for (int w = 0; w < maxWindows; w++) {
            windows[w] = new AtomicLongArray(partitions);
        }
    }

    /** Counts a record in the current window; the first call starts the first window. */
    void count(ConsumerRecord<?, ?> record) {
        long now = System.nanoTime();
        long start = startNanos;
        if (start == 0) {
            synchronized (this) {
                if (startNanos == 0) {
                    startNanos = now;
                }
                start = startNanos;
            }
        }
        int window = (int) Math.min(windows.length - 1, (now - start) / windowNanos);
        windows[window].incrementAndGet(record.partition());
    }

    /**
     * The complete windows: those that ended by {@code endNanos} (a partial last window says nothing about fairness).
     *
     * @param endNanos when counting stopped ({@link System#nanoTime()})
     * @return each complete window's records per partition, by partition
     */
    List<long[]> complete(long endNanos) {
        List<long[]> complete = new ArrayList<>();
        if (startNanos == 0) {
            return complete;
        }
        long full = Math.min(windows.length, (endNanos - startNanos) / windowNanos);
        for (int w = 0; w < full; w++) {
            long[] counts = new long[partitions];
            for (int p = 0; p < partitions; p++) {
                counts[p] = windows[w].get(p);
            }
            complete.add(counts);
        }
        return complete;
    }
}
