package dev.kafkaconsumer.reliability;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes unique sequence numbers (0, 1, 2, ... as the record value, no key) to partition 0 of a topic at a steady
 * rate with {@code acks=1}: the leader acknowledges a record as soon as it has it in its own log, before any
 * follower does, which is what lets an unclean leader election lose acknowledged records (R14). Not idempotent
 * ({@code acks=1} rules it out); one request in flight, so that a retry never reorders. It remembers the offset the
 * leader gave each acknowledged sequence, to tell later which acknowledged records the log no longer holds.
 *
 * <p>The test owns it: {@link #close()} stops sending and waits for the outcome of every send.
 */
final class AckOneProducer implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final long nanosPerRecord;
    /** Acknowledged sequences, with the offset the leader gave each. */
    private final NavigableMap<Long, Long> acknowledged = new ConcurrentSkipListMap<>();
    private final AtomicLong failed = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean paused;
    /** Set by the writing thread once it saw {@link #paused} and sends nothing more. */
    private volatile boolean idle;
    private long next;

    private AckOneProducer(Map<String, Object> clientProperties, String topic, int perSecond) {
        Map<String, Object> properties = new HashMap<>(clientProperties);
        properties.put(ProducerConfig.ACKS_CONFIG, "1");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // sends wait out the partition's time without a leader (the old one killed, the new one not elected yet)
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 180_000);
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
        this.topic = topic;
        this.nanosPerRecord = TimeUnit.SECONDS.toNanos(1) / perSecond;
        this.thread = new Thread(this::run, "reliability-acks1-producer-" + topic);
        thread.setUncaughtExceptionHandler((t, e) -> System.err.println("[" + t.getName() + "] died: " + e));
    }

    /**
     * Starts writing.
     *
     * @param clientProperties how to reach the cluster
     * @param topic            the topic, whose partition 0 is written
     * @param perSecond        records per second
     * @return the running producer
     */
    static AckOneProducer start(Map<String, Object> clientProperties, String topic, int perSecond) {
        AckOneProducer producer = new AckOneProducer(clientProperties, topic, perSecond);
        producer.thread.start();
        return producer;
    }

    private void run() {
        long due = System.nanoTime();
        while (running) {
            if (paused) {
                idle = true;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                due = System.nanoTime(); // no burst to catch up after a pause
                continue;
            }
            idle = false;
            long sequence = next++;
            producer.send(new ProducerRecord<>(topic, 0, null, String.valueOf(sequence)), (metadata, failure) -> {
                if (failure == null) {
                    acknowledged.put(sequence, metadata.offset());
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

    /**
     * Stops writing until {@link #resume()}, and waits until every record sent has its outcome: the writes stop
     * before the leader is killed, so that none waits out the time without a leader and comes as a burst after it.
     */
    void pause() {
        paused = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!idle && thread.isAlive() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        producer.flush();
    }

    /** Writes again, at the rate, from now. */
    void resume() {
        idle = false;
        paused = false;
    }

    /** How many sequences were acknowledged so far. */
    int acknowledgedCount() {
        return acknowledged.size();
    }

    /** The sequences acknowledged so far, each with the offset the leader gave it. */
    Map<Long, Long> acknowledged() {
        return Map.copyOf(acknowledged);
    }

    /** The highest offset acknowledged so far, -1 before the first. */
    long highestOffset() {
        return acknowledged.values().stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    /** How many sends failed. */
    long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        stop();
    }

    /** Stops sending and waits until every send has its outcome; idempotent. */
    void stop() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(200).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(200));
    }
}
