package dev.kafkaconsumer.core.internal.share;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.clients.consumer.AcknowledgeType;

/**
 * The share engine's counters, for its snapshot: records held now, and cumulative counts of deliveries,
 * confirmed acknowledgements, failures and lock expirations.
 *
 * <p>Threads: any. Records held change on the I/O thread (received) and on the thread that settles a record (its
 * final acknowledgement, its expiry, the stop), under the record's own monitor, so that each record is counted out
 * once; the cumulative counters change on the I/O thread. Every field is atomic; a snapshot reads them one by one.
 */
final class ShareTally {

    private final AtomicInteger acquired = new AtomicInteger();
    private final AtomicInteger handedOut = new AtomicInteger();
    private final Map<AcknowledgeType, LongAdder> acknowledgements = new EnumMap<>(AcknowledgeType.class);
    private final LongAdder acknowledgementFailures = new LongAdder();
    private final LongAdder lockExpirations = new LongAdder();
    private final Map<Integer, LongAdder> deliveryCounts = new ConcurrentHashMap<>();

    ShareTally() {
        for (AcknowledgeType type : AcknowledgeType.values()) {
            acknowledgements.put(type, new LongAdder());
        }
    }

    /** {@code records} records came from the broker, each for the first time in this delivery, its {@code deliveryCount}th. */
    void received(int deliveryCount, int records) {
        if (records == 0) {
            return;
        }
        acquired.addAndGet(records);
        deliveryCounts.computeIfAbsent(deliveryCount, count -> new LongAdder()).add(records);
    }

    /** A record waiting to be taken was handed out. */
    void handedOut() {
        handedOut.incrementAndGet();
    }

    /** A record is no longer held: finally acknowledged, expired or released on stop. */
    void settled(boolean wasHandedOut) {
        acquired.decrementAndGet();
        if (wasHandedOut) {
            handedOut.decrementAndGet();
        }
    }

    void confirmed(AcknowledgeType type, int count) {
        acknowledgements.get(type).add(count);
    }

    void failed(int count) {
        acknowledgementFailures.add(count);
    }

    void lockExpired() {
        lockExpirations.increment();
    }

    int acquired() {
        return acquired.get();
    }

    int handedOutNow() {
        return handedOut.get();
    }

    Map<AcknowledgeType, Long> acknowledgements() {
        Map<AcknowledgeType, Long> counts = new EnumMap<>(AcknowledgeType.class);
        acknowledgements.forEach((type, count) -> counts.put(type, count.sum()));
        return counts;
    }

    long acknowledgementFailures() {
        return acknowledgementFailures.sum();
    }

    long lockExpirations() {
        return lockExpirations.sum();
    }

    Map<Integer, Long> deliveryCounts() {
        Map<Integer, Long> counts = new java.util.TreeMap<>();
        deliveryCounts.forEach((count, adder) -> counts.put(count, adder.sum()));
        return counts;
    }
}
