package dev.kafkaconsumer.benchmarks.drain;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import dev.kafkaconsumer.benchmarks.harness.Drain;
import dev.kafkaconsumer.benchmarks.harness.DrainMeter;
import dev.kafkaconsumer.benchmarks.harness.DrainProperties;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.core.ConsumerEngine;

/**
 * The contender: a {@link ConsumerEngine} with its default buffer bounds, read with {@code getMany}
 * in a loop, the way an application that wants batches uses it. {@code start()} joins the group, so
 * the timing includes the join as the raw consumer's first poll does.
 */
final class EngineDrain implements Drain {

    private static final Duration GET_TIMEOUT = Duration.ofMillis(500);

    /** {@code group.protocol}, or null for kafka-clients' default. */
    private final String groupProtocol;

    /** The value deserializer of each drain: byte arrays as they are in B1, a costly one in B10. */
    private final Supplier<Deserializer<byte[]>> valueDeserializer;

    /** The listener's client properties beyond {@code bootstrap.servers}. */
    private final Map<String, ?> transport;

    /** @param groupProtocol {@code group.protocol} of every drain, or null for kafka-clients' default */
    EngineDrain(String groupProtocol) {
        this(groupProtocol, ByteArrayDeserializer::new);
    }

    /**
     * @param groupProtocol     {@code group.protocol} of every drain, or null for kafka-clients' default
     * @param valueDeserializer makes the value deserializer of each drain; today the engine's I/O thread calls it,
     *                          inside kafka-clients' {@code poll}
     */
    EngineDrain(String groupProtocol, Supplier<Deserializer<byte[]>> valueDeserializer) {
        this(groupProtocol, valueDeserializer, Map.of());
    }

    /**
     * @param groupProtocol     {@code group.protocol} of every drain, or null for kafka-clients' default
     * @param valueDeserializer makes the value deserializer of each drain
     * @param transport         the listener's client properties beyond {@code bootstrap.servers}: empty for plaintext,
     *                          TLS's in B1 over TLS
     */
    EngineDrain(String groupProtocol, Supplier<Deserializer<byte[]>> valueDeserializer, Map<String, ?> transport) {
        this.groupProtocol = groupProtocol;
        this.valueDeserializer = valueDeserializer;
        this.transport = Map.copyOf(transport);
    }

    @Override
    public String name() {
        return DrainBenchmark.ENGINE;
    }

    @Override
    public DrainTiming drain(String bootstrapServers, String topic, long records, int run) {
        ConsumerEngine<byte[], byte[]> engine = ConsumerEngine.builder(new ByteArrayDeserializer(), valueDeserializer.get())
                .properties(DrainProperties.forRun(bootstrapServers, name(), run, groupProtocol, transport))
                .build();
        try {
            DrainMeter meter = new DrainMeter(records);
            engine.subscribe(List.of(topic));
            engine.start();
            while (!meter.done()) {
                Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> batch = engine.getMany(GET_TIMEOUT);
                if (batch.isEmpty()) {
                    meter.checkNotStalled(name());
                    continue;
                }
                meter.batchArrived();
                for (List<ConsumerRecord<byte[], byte[]>> partitionRecords : batch.values()) {
                    for (ConsumerRecord<byte[], byte[]> record : partitionRecords) {
                        meter.count(record);
                    }
                }
            }
            return meter.finish();
        } finally {
            engine.stop();
        }
    }
}
