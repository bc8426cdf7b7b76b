package dev.kafkaconsumer.benchmarks.drain;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.Drain;
import dev.kafkaconsumer.benchmarks.harness.DrainProperties;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.harness.HandlerMeter;
import dev.kafkaconsumer.benchmarks.harness.PartitionTargets;

/**
 * B2's baseline: a plain {@link KafkaConsumer} poll loop on the calling thread that passes each record
 * to a handler, the least an application with a per-record handler can do. No commits, as in B1.
 */
final class RawHandlerDrain implements Drain {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final long STALL_NANOS = 60_000_000_000L;

    /** {@code group.protocol}, or null for kafka-clients' default. */
    private final String groupProtocol;

    /** The value deserializer of each drain: byte arrays as they are in B2, a costly one in B10. */
    private final Supplier<Deserializer<byte[]>> valueDeserializer;

    /** @param groupProtocol {@code group.protocol} of every drain, or null for kafka-clients' default */
    RawHandlerDrain(String groupProtocol) {
        this(groupProtocol, ByteArrayDeserializer::new);
    }

    /**
     * @param groupProtocol     {@code group.protocol} of every drain, or null for kafka-clients' default
     * @param valueDeserializer makes the value deserializer of each drain; kafka-clients calls it inside {@code poll}
     */
    RawHandlerDrain(String groupProtocol, Supplier<Deserializer<byte[]>> valueDeserializer) {
        this.groupProtocol = groupProtocol;
        this.valueDeserializer = valueDeserializer;
    }

    @Override
    public String name() {
        return BenchSettings.RAW;
    }

    @Override
    public DrainTiming drain(String bootstrapServers, String topic, long records, int run) {
        long[] targets = PartitionTargets.read(bootstrapServers, topic);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                DrainProperties.forRun(bootstrapServers, name(), run, groupProtocol), new ByteArrayDeserializer(),
                valueDeserializer.get())) {
            HandlerMeter meter = new HandlerMeter(targets);
            Consumer<ConsumerRecord<byte[], byte[]>> handler = meter::count;
            consumer.subscribe(List.of(topic));
            long lastRecords = System.nanoTime();
            while (!meter.done()) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL_TIMEOUT);
                if (batch.isEmpty()) {
                    if (System.nanoTime() - lastRecords > STALL_NANOS) {
                        throw new IllegalStateException(name() + " received nothing for 60 s; is the broker alive?");
                    }
                    continue;
                }
                lastRecords = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    handler.accept(record);
                }
            }
            return meter.finish();
        }
    }
}
