package dev.kafkaconsumer.benchmarks.latency;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;

/**
 * B4's source: sends records at a fixed rate from the calling thread, record {@code i} due at
 * {@code start + i / rate} (a late send does not shift the ones after it, so the rate holds on average).
 * Each value carries {@code System.nanoTime()} taken just before {@code send} and the record's index; the
 * record's timestamp is the same instant in milliseconds. The producer sends at once ({@code linger.ms=0},
 * {@code acks=1}), so that batching on the way in adds as little as it can to what is measured, the same
 * for every contender. Records go round-robin to the topic's partitions, null keys.
 */
final class PacedProducer implements AutoCloseable {

    static final int SENT_NANOS_OFFSET = 0;
    static final int INDEX_OFFSET = 8;

    private final KafkaProducer<byte[], byte[]> producer;

    PacedProducer(String bootstrapServers) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "b4-paced-producer");
        properties.put(ProducerConfig.ACKS_CONFIG, "1");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Sends {@code records} records to {@code topic} at {@code perSecond} and waits until all are acknowledged.
     *
     * @return the rate reached, records per second
     */
    double produce(String topic, int partitions, long records, int perSecond) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        long interval = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        for (long i = 0; i < records && failure.get() == null; i++) {
            long due = start + i * interval;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            ByteBuffer value = ByteBuffer.allocate(BenchSettings.VALUE_BYTES);
            value.putLong(INDEX_OFFSET, i);
            value.putLong(SENT_NANOS_OFFSET, System.nanoTime());
            producer.send(new ProducerRecord<>(topic, (int) (i % partitions), System.currentTimeMillis(), null, value.array()),
                    (metadata, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        }
                    });
        }
        long end = System.nanoTime();
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("Producing to " + topic + " failed", failure.get());
        }
        return records * 1e9 / (end - start);
    }

    @Override
    public void close() {
        producer.close();
    }
}
