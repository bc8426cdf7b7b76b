package dev.kafkaconsumer.benchmarks.rebalance;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces at a fixed rate on a thread of its own until closed: every tick it sends what the rate
 * owes since the start, so a late tick catches up rather than lowering the rate. Records go to the
 * partitions in turn (not to a sticky partition), so every partition receives a steady stream and a
 * pause in handling one shows as a gap, not as the partitioner's choice.
 */
final class RateProducer implements AutoCloseable {

    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int partitions;
    private final double perSecond;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Starts producing.
     *
     * @param bootstrapServers the broker
     * @param topic            the topic
     * @param partitions       how many partitions it has
     * @param perSecond        records per second
     * @param valueBytes       the size of each value
     */
    RateProducer(String bootstrapServers, String topic, int partitions, double perSecond, int valueBytes) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, topic + "-rate-producer");
        properties.put(ProducerConfig.ACKS_CONFIG, "1");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.partitions = partitions;
        this.perSecond = perSecond;
        byte[] value = new byte[valueBytes];
        new Random(7).nextBytes(value);
        this.thread = new Thread(() -> produce(value), topic + "-rate-producer");
        thread.setUncaughtExceptionHandler((t, e) -> System.err.println("[" + t.getName() + "] failed: " + e));
        thread.start();
    }

    private void produce(byte[] value) {
        long start = System.nanoTime();
        long next = start;
        while (running && failure.get() == null) {
            long owed = (long) ((System.nanoTime() - start) * perSecond / 1e9);
            for (long i = sent.get(); i < owed; i++) {
                producer.send(new ProducerRecord<>(topic, (int) (i % partitions), null, value), (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
                sent.incrementAndGet();
            }
            next += TICK_NANOS;
            LockSupport.parkNanos(next - System.nanoTime());
        }
    }

    /** Records sent so far. */
    long sent() {
        return sent.get();
    }

    /** Stops producing, flushes and fails if any send failed. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("Producing to " + topic + " failed", failure.get());
        }
    }
}
