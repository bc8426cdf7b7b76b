package dev.kafkaconsumer.core;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.AcknowledgeType;

/**
 * A read-only view of a {@link ShareConsumerContainer} at one moment, read locally, without a request to
 * the broker. A share group has no committed offsets and no lag per consumer, so, unlike
 * {@link ContainerSnapshot}, it has no partitions: it counts records acquired, acknowledged and delivered.
 *
 * @param name             the container's name
 * @param groupId          the share group
 * @param state            the lifecycle state
 * @param subscription     the subscribed topics
 * @param acquired         records this container's consumer holds (fetched and not yet finally acknowledged:
 *                         waiting to be taken, or taken)
 * @param inFlight         records the container took and has not acknowledged yet (waiting for a worker,
 *                         being handled, waiting for a retry or a recovery, or for a manual acknowledgement)
 * @param acknowledgements acknowledgements the broker confirmed since the start, by type (every type present,
 *                         0 when none)
 * @param deliveryCounts   records received since the start, by their delivery count (1 for first deliveries)
 * @param lockExpirations  records whose acquisition lock expired before they were acknowledged
 * @param recovered        records the recoverer took
 * @param failure          why the container failed, when its state is {@link ContainerState#FAILED}
 */
public record ShareContainerSnapshot(String name, String groupId, ContainerState state, Set<String> subscription,
        int acquired, int inFlight, Map<AcknowledgeType, Long> acknowledgements, Map<Integer, Long> deliveryCounts,
        long lockExpirations, long recovered, Optional<String> failure) {

    /** Copies the collections, so that the snapshot is immutable: acknowledgements by type in the enum's order, delivery counts ascending. */
    public ShareContainerSnapshot {
        subscription = Set.copyOf(subscription);
        Map<AcknowledgeType, Long> byType = new EnumMap<>(AcknowledgeType.class);
        byType.putAll(acknowledgements);
        acknowledgements = Collections.unmodifiableMap(byType);
        deliveryCounts = Collections.unmodifiableMap(new TreeMap<>(deliveryCounts));
    }
}
