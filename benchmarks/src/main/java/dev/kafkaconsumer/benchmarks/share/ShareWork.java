package dev.kafkaconsumer.benchmarks.share;

import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.kafkaconsumer.benchmarks.harness.HandlerMeter;
import dev.kafkaconsumer.benchmarks.harness.RecordWork;

/**
 * What B9's handlers do. A share group hands the records of one partition to several consumers, and a container
 * runs them on several workers, so every handler that may run on more than one thread counts with
 * {@link HandlerMeter#countShared} (the partition's meter under its lock); only a contender with one handling thread
 * uses B2's {@link RecordWork#COUNT}.
 */
final class ShareWork {

    /** The drain's handler for several threads: count the record under its partition's lock. */
    static final RecordWork COUNT_SHARED = meter -> meter::countShared;

    /**
     * The slow handler: waits the record's simulated I/O time ({@link ShareSlowRecords#delayOf}) without using a CPU,
     * as a thread blocked on a socket would, then counts it.
     */
    static final RecordWork SLOW = new RecordWork() {

        @Override
        public Consumer<ConsumerRecord<byte[], byte[]>> handler(HandlerMeter meter) {
            return record -> {
                waitFor(ShareSlowRecords.delayOf(record));
                meter.countShared(record);
            };
        }

        /** Serial handling of every record takes records × 2.5 ms on average; allow twice the worst case. */
        @Override
        public long timeoutSeconds(long records) {
            return 60 + records * ShareSlowRecords.MAX_DELAY_NANOS * 2 / 1_000_000_000L;
        }
    };

    private ShareWork() {
    }

    /** Parks until {@code nanos} have passed; parkNanos may return early, so it parks again for the rest. */
    static void waitFor(long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
