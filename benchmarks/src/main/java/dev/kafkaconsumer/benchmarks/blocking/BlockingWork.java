package dev.kafkaconsumer.benchmarks.blocking;

import java.util.function.Consumer;
import java.util.function.LongConsumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.kafkaconsumer.benchmarks.harness.HandlerMeter;
import dev.kafkaconsumer.benchmarks.harness.KeyOrderCheck;
import dev.kafkaconsumer.benchmarks.harness.RecordWork;

/**
 * B12's handler: blocks its thread for {@link #BLOCK_MILLIS} with {@link Thread#sleep}, as a handler waiting on a
 * database or an HTTP call would (a virtual thread unmounts from its carrier while it sleeps; a platform thread is
 * held), then counts the record. It checks key order around the wait ({@link KeyOrderCheck}): the container promises
 * KEY ordering at every concurrency, on platform and virtual threads alike. One instance per run.
 */
final class BlockingWork implements RecordWork {

    /** How long each record blocks its handler. */
    static final long BLOCK_MILLIS = 20;

    private final LongConsumer blocker;
    private final KeyOrderCheck order = new KeyOrderCheck();

    /** Blocks with {@link Thread#sleep}. */
    BlockingWork() {
        this(BlockingWork::sleep);
    }

    /** @param blocker blocks for the given milliseconds; tests pass one they control */
    BlockingWork(LongConsumer blocker) {
        this.blocker = blocker;
    }

    @Override
    public Consumer<ConsumerRecord<byte[], byte[]>> handler(HandlerMeter meter) {
        return record -> {
            handle(record);
            meter.countShared(record);
        };
    }

    /** Blocks for the record, checking key order around the wait. */
    void handle(ConsumerRecord<byte[], byte[]> record) {
        boolean alone = order.begin(record);
        try {
            blocker.accept(BLOCK_MILLIS);
        } finally {
            order.end(record, alone);
        }
    }

    /** The key-order check of this run. */
    KeyOrderCheck order() {
        return order;
    }

    /** Serial handling would take records × 20 ms; a run of 100 threads a hundredth of that: allow a tenth, plus a minute. */
    @Override
    public long timeoutSeconds(long records) {
        return 60 + records * BLOCK_MILLIS / 10_000;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while blocking", e);
        }
    }
}
