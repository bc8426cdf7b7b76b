package dev.kafkaconsumer.benchmarks.drain;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.Drain;
import dev.kafkaconsumer.benchmarks.harness.DrainMeter;
import dev.kafkaconsumer.benchmarks.harness.DrainProperties;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;

/**
 * The baseline: a plain {@link KafkaConsumer} poll loop on the calling thread, the fastest way
 * kafka-clients offers to read a topic, and what the engine must keep up with.
 */
final class RawConsumerDrain implements Drain {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    /** {@code group.protocol}, or null for kafka-clients' default. */
    private final String groupProtocol;

    /** The listener's client properties beyond {@code bootstrap.servers}: empty for plaintext, TLS's in B1 over TLS. */
    private final Map<String, ?> transport;

    /** @param groupProtocol {@code group.protocol} of every drain, or null for kafka-clients' default */
    RawConsumerDrain(String groupProtocol) {
        this(groupProtocol, Map.of());
    }

    /**
     * @param groupProtocol {@code group.protocol} of every drain, or null for kafka-clients' default
     * @param transport     the listener's client properties ({@link dev.kafkaconsumer.test.BrokerCertificate#clientProperties()})
     */
    RawConsumerDrain(String groupProtocol, Map<String, ?> transport) {
        this.groupProtocol = groupProtocol;
        this.transport = Map.copyOf(transport);
    }

    @Override
    public String name() {
        return BenchSettings.RAW;
    }

    @Override
    public DrainTiming drain(String bootstrapServers, String topic, long records, int run) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                DrainProperties.forRun(bootstrapServers, name(), run, groupProtocol, transport), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            DrainMeter meter = new DrainMeter(records);
            consumer.subscribe(List.of(topic));
            while (!meter.done()) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL_TIMEOUT);
                if (batch.isEmpty()) {
                    meter.checkNotStalled(name());
                    continue;
                }
                meter.batchArrived();
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    meter.count(record);
                }
            }
            return meter.finish();
        }
    }
}
