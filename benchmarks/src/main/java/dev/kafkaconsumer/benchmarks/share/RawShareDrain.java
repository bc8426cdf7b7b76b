package dev.kafkaconsumer.benchmarks.share;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
 *
 * <p>Its second form ({@code raw-explicit}) is the same loop in <em>explicit</em> mode
 * ({@code share.acknowledgement.mode=explicit}) accepting each record after its handler returned, as an application
 * must to release or reject a record that failed; the acknowledgements go with the next {@code poll}. It is the least
 * a consumer that acknowledges record by record (our share container, Spring's) can do with kafka-clients, so the
 * containers' distance to it is theirs, and its distance to the implicit loop is the client's price of per-record
 * acknowledgement.
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

    private final boolean explicit;

    /** @param explicit whether the loop acknowledges each record explicitly ({@code raw-explicit}) or implicitly ({@code raw}) */
    RawShareDrain(boolean explicit) {
        this.explicit = explicit;
    }

    @Override
    public String name() {
        return explicit ? ShareDrainBenchmark.RAW_EXPLICIT : ShareDrainBenchmark.RAW;
    }

    @Override
    public DrainTiming drain(String bootstrapServers, String topic, long records, int run) {
        long[] targets = PartitionTargets.read(bootstrapServers, topic);
        Map<String, Object> properties = ShareGroups.fresh(bootstrapServers, name(), run);
        properties.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, explicit ? "explicit" : "implicit");
        try (KafkaShareConsumer<byte[], byte[]> consumer = new KafkaShareConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
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
                    if (explicit) {
                        consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                    }
                }
            }
            return meter.finish();
        }
    }
}
