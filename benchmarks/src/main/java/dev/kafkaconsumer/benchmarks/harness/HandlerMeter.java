package dev.kafkaconsumer.benchmarks.harness;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Counts and times one B2 drain, where records reach a handler one at a time, possibly on several
 * threads. Every partition has its own {@link DrainMeter}, so the per-record work is exactly B1's
 * ({@link DrainMeter#count}) and needs no lock: each contender hands the records of one partition to
 * one thread at a time (a single poll thread, or PARTITION ordering). The drain ends when the last
 * partition reaches its end offset; the thread that counts that record stops the clock.
 */
public final class HandlerMeter {

    private final DrainMeter[] partitions;
    private final boolean[] finished;
    private final long[] firstNanos;
    private final AtomicInteger remaining;
    private final CountDownLatch done = new CountDownLatch(1);
    private final long startNanos;
    private final long startCpuNanos;
    private volatile long endNanos;
    private volatile long endCpuNanos = -1;
    /** Each kind of thread's CPU over the drain, when {@code -Dbench.threadCpu=true} asks for it; else null. */
    private final ThreadCpu threadCpu = ThreadCpu.startIfOn();
    private final long total;
    private final DrainTimeline timeline;

    /**
     * Starts the clock: create the meter just before the contender subscribes.
     *
     * @param recordsPerPartition how many records each partition holds, by partition number
     */
    public HandlerMeter(long[] recordsPerPartition) {
        partitions = new DrainMeter[recordsPerPartition.length];
        finished = new boolean[recordsPerPartition.length];
        firstNanos = new long[recordsPerPartition.length];
        int open = 0;
        for (int p = 0; p < recordsPerPartition.length; p++) {
            partitions[p] = new DrainMeter(recordsPerPartition[p]);
            finished[p] = recordsPerPartition[p] == 0;
            open += finished[p] ? 0 : 1;
        }
        remaining = new AtomicInteger(open);
        total = Arrays.stream(recordsPerPartition).sum();
        startCpuNanos = CpuClock.thisJvmNanos();
        startNanos = System.nanoTime();
        timeline = DrainTimeline.startIfOn(partitions.length, p -> partitions[p].counted());
        if (open == 0) {
            endNanos = startNanos;
            done.countDown();
        }
    }

    /** The handler: counts a record and touches its value, as B1's loops do. */
    public void count(ConsumerRecord<byte[], byte[]> record) {
        int p = record.partition();
        if (firstNanos[p] == 0) {
            firstNanos[p] = System.nanoTime();
        }
        DrainMeter meter = partitions[p];
        meter.count(record);
        if (!finished[p] && meter.done()) {
            finished[p] = true;
            // the atomic decrement orders every partition's counts before the last one's, and so before await()
            if (remaining.decrementAndGet() == 0) {
                endNanos = System.nanoTime();
                endCpuNanos = CpuClock.thisJvmNanos();
                if (threadCpu != null) {
                    threadCpu.print(total);
                }
                if (timeline != null) {
                    timeline.print(Thread.currentThread().getName());
                }
                done.countDown();
            }
        }
    }

    /**
     * The handler for contenders that run records of one partition on several threads at once (KEY
     * ordering): {@link #count} under the partition's lock. Slower than {@link #count}, which is why B2,
     * where a record costs nanoseconds, does not use it; in B3 a record costs milliseconds.
     */
    public void countShared(ConsumerRecord<byte[], byte[]> record) {
        synchronized (partitions[record.partition()]) {
            count(record);
        }
    }

    /** Whether every partition has been read to its end; for a contender that polls on the calling thread. */
    public boolean done() {
        return done.getCount() == 0;
    }

    /**
     * Waits until every partition has been read to its end.
     *
     * @param contender the contender's name, for the message
     * @param timeoutSeconds how long to wait before failing the drain
     */
    public void await(String contender, long timeoutSeconds) {
        await(contender, timeoutSeconds, () -> null);
    }

    /**
     * Waits until every partition has been read to its end, failing early when the contender says it
     * failed (a consumer whose own threads died would otherwise keep the drain waiting for the timeout).
     *
     * @param contender the contender's name, for the message
     * @param timeoutSeconds how long to wait before failing the drain
     * @param failure asked every 100 ms: the contender's failure, or null while it runs
     */
    public void await(String contender, long timeoutSeconds, Supplier<Throwable> failure) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try {
            while (!done.await(100, TimeUnit.MILLISECONDS)) {
                Throwable cause = failure.get();
                if (cause != null) {
                    throw new IllegalStateException(contender + " failed after " + remaining.get()
                            + " partitions were left unfinished: " + cause, cause);
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(contender + " did not read the whole topic within " + timeoutSeconds
                            + " s; " + remaining.get() + " partitions unfinished; is the broker alive?");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while " + contender + " was draining", e);
        }
    }

    /**
     * The timing of the drain, with this JVM's CPU from the meter's start to the last record; call after {@link #await} or
     * once {@link #done()}. The first "batch" is the first record.
     */
    public DrainTiming finish() {
        long records = 0;
        long valueBytes = 0;
        for (DrainMeter meter : partitions) {
            DrainTiming partition = meter.finish();
            records += partition.records();
            valueBytes += partition.valueBytes();
        }
        long firstRecord = Arrays.stream(firstNanos).filter(n -> n != 0).min().orElse(endNanos);
        return new DrainTiming(records, valueBytes, endNanos - startNanos, 1, endNanos - firstRecord, -1, -1,
                CpuClock.spent(startCpuNanos, endCpuNanos));
    }

    /** A generous bound for a drain of {@code records}: a minute plus 50,000 records per second. */
    public static long timeoutSeconds(long records) {
        return 60 + records / 50_000;
    }
}
