package dev.kafkaconsumer.benchmarks;

import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * B3's handler: waits the record's simulated I/O time ({@link SlowRecords#delayOf}) without using a CPU
 * ({@link LockSupport#parkNanos}, as a thread blocked on a socket would), then counts the record. Records
 * of one partition may be handled on several threads at once, so it counts with
 * {@link HandlerMeter#countShared}.
 */
final class SlowWork implements RecordWork {

    @Override
    public Consumer<ConsumerRecord<byte[], byte[]>> handler(HandlerMeter meter) {
        return record -> {
            waitFor(SlowRecords.delayOf(record));
            meter.countShared(record);
        };
    }

    /** Serial handling of every record takes records × 2.5 ms on average; allow twice the worst case. */
    @Override
    public long timeoutSeconds(long records) {
        return 60 + records * SlowRecords.MAX_DELAY_NANOS * 2 / 1_000_000_000L;
    }

    /** Parks until {@code nanos} have passed; parkNanos may return early, so it parks again for the rest. */
    static void waitFor(long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
