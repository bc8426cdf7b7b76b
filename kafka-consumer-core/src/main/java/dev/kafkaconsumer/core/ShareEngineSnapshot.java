package dev.kafkaconsumer.core;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.AcknowledgeType;

/**
 * A read-only view of a {@link ShareConsumerEngine} at one moment. Counters are cumulative since the engine was built.
 *
 * @param groupId                  the share group
 * @param subscription             the subscribed topics
 * @param acquired                 records this consumer holds: handed out or waiting to be taken, and not yet finally
 *                                 acknowledged (nor expired)
 * @param handedOut                of those, the records handed out to the application
 * @param acknowledgements         acknowledgements the broker confirmed, by type; every type present, 0 when none;
 *                                 {@code RENEW} counts renewals, the engine's own included, and {@code RELEASE} the
 *                                 records released on stop
 * @param acknowledgementFailures  acknowledgements the broker refused or that did not reach it
 * @param lockExpirations          records whose acquisition lock expired before they were acknowledged (handed out, or
 *                                 waiting to be taken)
 * @param deliveryCounts           records received, by delivery count (1 for first deliveries), in ascending order
 * @param acquisitionLockTimeout   the share group's acquisition lock duration, known after the first poll
 */
public record ShareEngineSnapshot(String groupId, Set<String> subscription, int acquired, int handedOut,
        Map<AcknowledgeType, Long> acknowledgements, long acknowledgementFailures, long lockExpirations,
        Map<Integer, Long> deliveryCounts, Optional<Duration> acquisitionLockTimeout) {

    /**
     * Copies the collections, fills in the acknowledgement types that are missing with 0, and sorts the delivery
     * counts.
     */
    public ShareEngineSnapshot {
        Objects.requireNonNull(groupId, "groupId");
        subscription = Set.copyOf(subscription);
        Map<AcknowledgeType, Long> types = new EnumMap<>(AcknowledgeType.class);
        for (AcknowledgeType type : AcknowledgeType.values()) {
            types.put(type, acknowledgements.getOrDefault(type, 0L));
        }
        acknowledgements = Collections.unmodifiableMap(types);
        deliveryCounts = Collections.unmodifiableMap(new TreeMap<>(deliveryCounts));
        Objects.requireNonNull(acquisitionLockTimeout, "acquisitionLockTimeout");
    }
}
