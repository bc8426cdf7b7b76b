package dev.kafkaconsumer.benchmarks.latency;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Records, for one B4 run, the time from each record's production to the call of the handler with it.
 * The producer runs in this JVM and writes {@code System.nanoTime()} into the value just before
 * {@code send} ({@link PacedProducer}), so the latency is exact to the nanosecond rather than to the
 * record timestamp's millisecond. Records produced in the run's first {@code settleRecords} (the first
 * fetches of a fresh subscription) are counted but not recorded.
 *
 * <p>Thread-safe: a contender may call the handler from any thread.
 */
final class LatencyMeter {

    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Histogram histogram = new ConcurrentHistogram(1, HIGHEST_NANOS, 3);
    private final long expected;
    private final long settleRecords;
    private final AtomicLong handled = new AtomicLong();
    private final CountDownLatch done = new CountDownLatch(1);

    /**
     * @param expected      how many records the run produces
     * @param settleRecords how many of the first records are left out of the histogram
     */
    LatencyMeter(long expected, long settleRecords) {
        this.expected = expected;
        this.settleRecords = settleRecords;
    }

    /** The handler: notes the record's latency, first thing. */
    void record(ConsumerRecord<byte[], byte[]> record) {
        long now = System.nanoTime();
        ByteBuffer value = ByteBuffer.wrap(record.value());
        if (value.getLong(PacedProducer.INDEX_OFFSET) >= settleRecords) {
            histogram.recordValue(Math.min(HIGHEST_NANOS, Math.max(0, now - value.getLong(PacedProducer.SENT_NANOS_OFFSET))));
        }
        if (handled.incrementAndGet() == expected) {
            done.countDown();
        }
    }

    /**
     * Waits until every produced record has been handled.
     *
     * @param contender for the message
     * @param timeoutSeconds how long to wait once production has ended
     */
    void await(String contender, long timeoutSeconds) {
        try {
            if (!done.await(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException(contender + " handled " + handled.get() + " of " + expected
                        + " records within " + timeoutSeconds + " s of the end of production");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + contender, e);
        }
    }

    /** The run's latencies, once {@link #await} returned. */
    LatencyRun result(double producedPerSecond, long consumerCpuNanos) {
        Histogram copy = histogram.copy();
        return new LatencyRun(copy, producedPerSecond, consumerCpuNanos);
    }
}
