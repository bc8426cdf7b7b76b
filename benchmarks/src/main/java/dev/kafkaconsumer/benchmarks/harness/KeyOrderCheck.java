package dev.kafkaconsumer.benchmarks.harness;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Checks the order a KEY-ordered contender promises: records of one key within one partition run one at a time, in
 * offset order. A contender that broke it would be faster for the wrong reason, so the cases that measure KEY ordering
 * (B7, B12) fail a run with violations. Violations are counted, not thrown, so that the drain still ends.
 *
 * <p>Threads: any; the handler's threads call {@link #begin} and {@link #end} around each record.
 */
public final class KeyOrderCheck {

    /** A key within its partition, the unit of order. */
    private record Lane(String topic, int partition, ByteBuffer key) {
    }

    private final Map<Lane, Long> lastDone = new ConcurrentHashMap<>();
    private final Set<Lane> running = ConcurrentHashMap.newKeySet();
    private final AtomicLong violations = new AtomicLong();
    private final AtomicReference<String> firstViolation = new AtomicReference<>();

    /**
     * Notes that the handler starts on {@code record}.
     *
     * @return a token for {@link #end}: whether this record holds its lane (false when another record of its key ran)
     */
    public boolean begin(ConsumerRecord<byte[], byte[]> record) {
        Lane lane = lane(record);
        boolean alone = running.add(lane);
        if (!alone) {
            violation(record, "ran while another record of its key was running");
        }
        Long last = lastDone.get(lane);
        if (last != null && last >= record.offset()) {
            violation(record, "ran after offset " + last + " of its key");
        }
        return alone;
    }

    /** Notes that the handler is done with {@code record}; {@code alone} is what {@link #begin} returned. */
    public void end(ConsumerRecord<byte[], byte[]> record, boolean alone) {
        Lane lane = lane(record);
        lastDone.merge(lane, record.offset(), Math::max);
        if (alone) {
            running.remove(lane);
        }
    }

    /** How many records ran out of key order. */
    public long violations() {
        return violations.get();
    }

    /** What the first violation was, or null. */
    public String firstViolation() {
        return firstViolation.get();
    }

    /** Throws when a record ran out of key order, naming the first. */
    public void requireNone(String contender, String topic) {
        if (violations() > 0) {
            throw new IllegalStateException(contender + " broke key order " + violations() + " times on " + topic
                    + "; the first: " + firstViolation());
        }
    }

    private static Lane lane(ConsumerRecord<byte[], byte[]> record) {
        return new Lane(record.topic(), record.partition(), ByteBuffer.wrap(record.key() == null ? new byte[0] : record.key()));
    }

    private void violation(ConsumerRecord<byte[], byte[]> record, String what) {
        violations.incrementAndGet();
        String key = record.key() == null ? "null" : new String(record.key(), StandardCharsets.UTF_8);
        firstViolation.compareAndSet(null, "offset " + record.offset() + " of partition " + record.partition() + " (key "
                + key + ") " + what);
    }
}
