package dev.kafkaconsumer.benchmarks.apps;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Counts the records of one B8 run over all its topics, whichever contender handles them, and stops the clock at the
 * last. Static, because the handler beans are made by Spring (and one run is measured at a time); {@link #start} resets it.
 *
 * <p>Threads: any handler thread counts; the benchmark's thread starts, awaits and reads.
 */
final class AppMeter {

    private static volatile Run current = new Run(0);

    private AppMeter() {
    }

    /** One run's count. */
    static final class Run {
        private final long expected;
        private final AtomicLong counted = new AtomicLong();
        private final AtomicLong valueBytes = new AtomicLong();
        private final CountDownLatch done = new CountDownLatch(1);
        private final long startNanos = System.nanoTime();
        private volatile long endNanos;

        Run(long expected) {
            this.expected = expected;
        }

        void count(ConsumerRecord<byte[], byte[]> record) {
            valueBytes.addAndGet(record.value() == null ? 0 : record.value().length);
            if (counted.incrementAndGet() == expected) {
                endNanos = System.nanoTime();
                done.countDown();
            }
        }

        /** Waits for the last record; false when {@code seconds} passed first. */
        boolean await(long seconds) throws InterruptedException {
            return done.await(seconds, TimeUnit.SECONDS);
        }

        long counted() {
            return counted.get();
        }

        long valueBytes() {
            return valueBytes.get();
        }

        /** Nanoseconds from {@link AppMeter#start} to the last record. */
        long nanos() {
            return endNanos - startNanos;
        }
    }

    /** Starts the clock of a run that expects {@code records} over all its topics. */
    static Run start(long records) {
        Run run = new Run(records);
        current = run;
        return run;
    }

    /** The handler of every contender. */
    static void count(ConsumerRecord<byte[], byte[]> record) {
        current.count(record);
    }
}
