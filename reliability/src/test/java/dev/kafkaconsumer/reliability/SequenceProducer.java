package dev.kafkaconsumer.reliability;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.kafkaconsumer.test.KafkaBroker;

/**
 * Writes unique sequence numbers (0, 1, 2, ... as the record value, partition {@code sequence %
 * partitions}, no key or, when keys are asked for, key {@code k<sequence % keys>}) at a steady rate on a
 * thread of its own, and remembers which ones the cluster acknowledged: the producer side of a run,
 * whose {@link #acknowledged()} the {@link Checker} judges against. Idempotent with {@code acks=all}, so a retry never writes a sequence twice.
 *
 * <p>The test owns it: {@link #close()} stops sending and waits for the outcome of every send.
 */
final class SequenceProducer implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final int partitions;
    private final int keys;
    private final long nanosPerRecord;
    private final Set<Long> acknowledged = new ConcurrentSkipListSet<>();
    private final AtomicLong failed = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private long next;

    private SequenceProducer(Map<String, Object> clientProperties, String topic, int partitions, int perSecond, int keys) {
        if (keys < 0 || keys % partitions != 0) {
            throw new IllegalArgumentException("keys must be a multiple of the partitions (" + partitions
                    + "), so that each key stays in one partition; was " + keys);
        }
        Map<String, Object> properties = new HashMap<>(clientProperties);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // sends wait out a broker outage of R4 rather than fail
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        properties.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000);
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
        this.topic = topic;
        this.partitions = partitions;
        this.keys = keys;
        this.nanosPerRecord = TimeUnit.SECONDS.toNanos(1) / perSecond;
        this.thread = new Thread(this::run, "reliability-producer-" + topic);
        thread.setUncaughtExceptionHandler((t, e) -> System.err.println("[" + t.getName() + "] died: " + e));
    }

    /**
     * Writes the sequences {@code 0} to {@code records - 1} at once, as {@link #start} would (partition
     * {@code sequence % partitions}, no key), and returns them once the broker acknowledged every one: the producer
     * side of a run whose records are all written before the consumers start.
     *
     * @param kafka      the broker
     * @param topic      the topic
     * @param partitions its partition count
     * @param records    how many
     * @return the sequences written, every one acknowledged
     */
    static List<Long> sendAll(KafkaBroker kafka, String topic, int partitions, int records) {
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, records)
                .mapToObj(i -> new ProducerRecord<>(topic, i % partitions, (String) null, String.valueOf(i))).toList());
        // send(...) returns only when every record is acknowledged
        return LongStream.range(0, records).boxed().toList();
    }

    /**
     * Starts writing.
     *
     * @param clientProperties how to reach the cluster ({@code bootstrap.servers} and security settings)
     * @param topic            the topic
     * @param partitions       its partition count
     * @param perSecond        records per second
     * @return the running producer
     */
    static SequenceProducer start(Map<String, Object> clientProperties, String topic, int partitions, int perSecond) {
        return start(clientProperties, topic, partitions, perSecond, 0);
    }

    /**
     * Starts writing keyed records: sequence {@code s} has key {@code k<s % keys>}, and as {@code keys} is a multiple of
     * {@code partitions}, every record of a key goes to the same partition, in the order of its sequences.
     *
     * @param clientProperties how to reach the cluster ({@code bootstrap.servers} and security settings)
     * @param topic            the topic
     * @param partitions       its partition count
     * @param perSecond        records per second
     * @param keys             how many keys, a multiple of {@code partitions}; 0 for records without a key
     * @return the running producer
     */
    static SequenceProducer start(Map<String, Object> clientProperties, String topic, int partitions, int perSecond, int keys) {
        SequenceProducer producer = new SequenceProducer(clientProperties, topic, partitions, perSecond, keys);
        producer.thread.start();
        return producer;
    }

    private void run() {
        long due = System.nanoTime();
        while (running) {
            long sequence = next++;
            producer.send(new ProducerRecord<>(topic, (int) (sequence % partitions), keys == 0 ? null : "k" + sequence % keys,
                    String.valueOf(sequence)),
                    (metadata, failure) -> {
                        if (failure == null) {
                            acknowledged.add(sequence);
                        } else {
                            failed.incrementAndGet();
                        }
                    });
            due += nanosPerRecord;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    /** How many sequences were acknowledged so far. */
    int acknowledgedCount() {
        return acknowledged.size();
    }

    /** The sequences acknowledged so far. */
    List<Long> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** How many sends failed (not acknowledged: the checker does not expect them). */
    long failed() {
        return failed.get();
    }

    /** Stops sending, as {@link #stop()} does. */
    @Override
    public void close() {
        stop();
    }

    /** Stops sending and waits until every send has its outcome; idempotent. */
    void stop() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(150).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(150));
    }
}
