package dev.kafkaconsumer.benchmarks.share;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kafkaconsumer.benchmarks.harness.Drain;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.harness.HandlerMeter;
import dev.kafkaconsumer.benchmarks.harness.PartitionTargets;

/**
 * B9's baseline: a plain {@link KafkaShareConsumer} poll loop on the calling thread in kafka-clients' default,
 * <em>implicit</em> acknowledgement mode (each {@code poll} accepts every record of the one before), passing each
 * record to a handler: the least a share-group application with a per-record handler can do.
 */
final class RawShareDrain implements Drain {

    /**
     * Shorter than B1's 500 ms: in kafka-clients 4.3.1 a {@code KafkaShareConsumer.poll} that is waiting when a new
     * share group's first records arrive returns only at its timeout (measured on the test broker: with 500 ms polls the
     * first records came back after 1.52 s, with 100 ms polls after 1.11 s, with 20 ms after 1.04 s), which would charge
     * the baseline up to a poll timeout it need not pay.
     */
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final long STALL_NANOS = 60_000_000_000L;

    @Override
    public String name() {
        return ShareDrainBenchmark.RAW;
    }

    @Override
    public DrainTiming drain(String bootstrapServers, String topic, long records, int run) {
        long[] targets = PartitionTargets.read(bootstrapServers, topic);
        try (KafkaShareConsumer<byte[], byte[]> consumer = new KafkaShareConsumer<>(
                ShareGroups.fresh(bootstrapServers, name(), run), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            HandlerMeter meter = new HandlerMeter(targets);
            consumer.subscribe(List.of(topic));
            long lastRecords = System.nanoTime();
            while (!meter.done()) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL_TIMEOUT);
                if (batch.isEmpty()) {
                    if (System.nanoTime() - lastRecords > STALL_NANOS) {
                        throw new IllegalStateException(name() + " received nothing for 60 s; is the broker alive, with share groups?");
                    }
                    continue;
                }
                lastRecords = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    meter.count(record);
                }
            }
            return meter.finish();
        }
    }
}
