package dev.kafkaconsumer.benchmarks.scale;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kafkaconsumer.benchmarks.harness.DrainProperties;
import dev.kafkaconsumer.benchmarks.harness.KeyOrderCheck;
import dev.kafkaconsumer.benchmarks.harness.LiveHeap;
import dev.kafkaconsumer.benchmarks.harness.PartitionTargets;
import dev.kafkaconsumer.benchmarks.harness.Progress;
import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.Ordering;

/**
 * B7's fairness run: one container with KEY ordering reads the topic of 1,000 partitions with a handler slow enough
 * (it parks a given time per record) that the consumer, not the broker, is the bottleneck and every partition keeps a
 * backlog, and a {@code max.partition.fetch.bytes} small enough that the container's buffer holds some records of every
 * partition rather than the whole backlogs of a few ({@link ScaleBenchmark.FairnessSettings#fetchBytes}); for a fixed
 * time it counts each partition's records per window ({@link PartitionWindows}), then stops. A
 * fair container serves every partition with records about equally in every window; {@link Fairness} judges that.
 *
 * @param windows      each complete window's records per partition
 * @param totals       records each partition holds
 * @param handled      records handled in the run
 * @param heapBytes    live heap with the backlog in flight, at the run's end, over the live heap before the container was made
 * @param assigned     partitions assigned at the run's end
 * @param violations   records that ran out of key order
 */
record FairnessRun(List<long[]> windows, long[] totals, long handled, long heapBytes, int assigned, long violations) {

    /**
     * Runs the container for {@code seconds}.
     *
     * @param bootstrap     the broker
     * @param topic         the topic
     * @param concurrency   the container's concurrency
     * @param handlerMicros how long the handler parks per record
     * @param windowSeconds the windows' length
     * @param seconds       how long the run counts, from the first record
     * @param fetchBytes    {@code max.partition.fetch.bytes}, or 0 for kafka-clients' default
     * @return the run
     */
    static FairnessRun run(String bootstrap, String topic, int concurrency, long handlerMicros, int windowSeconds, int seconds,
            int fetchBytes) {
        long[] totals = PartitionTargets.read(bootstrap, topic);
        KeyOrderCheck order = new KeyOrderCheck();
        PartitionWindows windows = new PartitionWindows(totals.length, TimeUnit.SECONDS.toNanos(windowSeconds),
                seconds / windowSeconds + 2);
        AtomicLong handled = new AtomicLong();
        long heapBefore = LiveHeap.bytes();
        Map<String, Object> properties = DrainProperties.forRun(bootstrap, "fairness", 0);
        if (fetchBytes > 0) {
            properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, fetchBytes);
        }
        ConsumerContainer<byte[], byte[]> container = ConsumerContainer
                .builder("b7-fairness", new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .properties(properties)
                .topics(List.of(topic))
                .ordering(Ordering.KEY)
                .concurrency(concurrency)
                .handler(record -> {
                    boolean alone = order.begin(record);
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(handlerMicros));
                    order.end(record, alone);
                    windows.count(record);
                    handled.incrementAndGet();
                })
                .build();
        try {
            container.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 120L);
            while (handled.get() == 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            if (handled.get() == 0) {
                throw new IllegalStateException("The fairness run handled no record within 120 s");
            }
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            for (long now = start; now < end; now = System.nanoTime()) {
                LockSupport.parkNanos(Math.min(end - now, TimeUnit.SECONDS.toNanos(1)));
            }
            long endNanos = System.nanoTime();
            long heap = LiveHeap.bytes() - heapBefore;
            int assigned = container.snapshot().partitions().size();
            List<long[]> complete = windows.complete(endNanos);
            Progress.log("fairness: %,d records handled in %d s, %d complete windows of %d s", handled.get(), seconds,
                    complete.size(), windowSeconds);
            order.requireNone("fairness", topic);
            return new FairnessRun(complete, totals, handled.get(), heap, assigned, order.violations());
        } finally {
            container.stop();
        }
    }
}
