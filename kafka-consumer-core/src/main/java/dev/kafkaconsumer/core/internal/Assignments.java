package dev.kafkaconsumer.core.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscription as applied to the consumer, and the assignment it leads to: topics or a pattern in a
 * group (the coordinator assigns, the {@link RebalanceBridge} hears), topics or a pattern without a group
 * (a {@link LocalAssignment}, refreshed by time), partitions by hand, or nothing. It also applies aiokafka's
 * liveness rule: an application that stops asking for records leaves the group, and rejoins when it asks
 * again.
 *
 * <p>Threads: the I/O thread only (the loop and the subscription commands); its fields need no lock.
 */
final class Assignments<K, V> {

    private static final Logger log = LoggerFactory.getLogger(Assignments.class);

    private final Consumer<K, V> consumer;
    private final EngineConfig config;
    private final RecordBuffers<K, V> buffers;
    private final PendingGets<K, V> pendingGets;
    private final RebalanceBridge bridge;
    private final OffsetCommits commits;
    private final ErrorChannel errors;
    private Subscription subscription = Subscription.NONE;
    /** The partitions of a topic or pattern subscription without a group; null otherwise. */
    private LocalAssignment localAssignment;
    private boolean leftForIdleness;

    Assignments(Consumer<K, V> consumer, EngineConfig config, RecordBuffers<K, V> buffers, PendingGets<K, V> pendingGets,
            RebalanceBridge bridge, OffsetCommits commits, ErrorChannel errors) {
        this.consumer = consumer;
        this.config = config;
        this.buffers = buffers;
        this.pendingGets = pendingGets;
        this.bridge = bridge;
        this.commits = commits;
        this.errors = errors;
    }

    /** The subscription applied last. */
    Subscription current() {
        return subscription;
    }

    /**
     * Applies a new subscription: the old one's partitions are revoked (with the old listener) or
     * unassigned, and the new one subscribed or assigned; without a group, its partitions are read on the
     * loop's next turn, so that {@code subscribe()} does not wait for the metadata.
     *
     * @param nowNanos the engine's clock, from which a local assignment's refresh interval counts
     */
    void apply(Subscription next, long nowNanos) {
        if (subscription.kind() == Subscription.Kind.PARTITIONS && next.kind() != Subscription.Kind.PARTITIONS) {
            assignPartitions(Set.of());
        }
        if (localAssignment != null && !next.byTopics()) {
            revokeLocally(consumer.assignment());
        }
        localAssignment = null;
        if (next.kind() == Subscription.Kind.NONE) {
            // the revocation that unsubscribing causes is the old listener's to see
            consumer.unsubscribe();
            buffers.assign(Set.of());
        }
        bridge.listener(next.listener());
        switch (next.kind()) {
            case TOPICS, PATTERN -> {
                if (inGroup(next)) {
                    subscribeInGroup(next);
                } else {
                    localAssignment = new LocalAssignment(next, config.metadataMaxAge(), config.defaultApiTimeout(),
                            config.excludeInternalTopics(), nowNanos);
                }
            }
            case PARTITIONS -> assignPartitions(next.partitions());
            case NONE -> { }
        }
        subscription = next;
        leftForIdleness = false;
        buffers.touch();
    }

    private boolean inGroup(Subscription next) {
        return next.byTopics() && config.groupId() != null;
    }

    private void subscribeInGroup(Subscription next) {
        if (next.kind() == Subscription.Kind.TOPICS) {
            consumer.subscribe(next.topics(), bridge);
        } else {
            consumer.subscribe(next.pattern(), bridge);
        }
    }

    /** The topics subscribed now; for a pattern, those it matches. */
    Set<String> subscribedTopics() {
        return localAssignment != null ? localAssignment.matchedTopics() : Set.copyOf(consumer.subscription());
    }

    /**
     * Under a topic or pattern subscription in a group, refuses offsets of partitions this member does not
     * own: brokers accept a live member's commit of any partition, which would overwrite the offsets of
     * the member a rebalance gave it to.
     */
    void requireOwned(Collection<TopicPartition> partitions) {
        if (!inGroup(subscription)) {
            return;
        }
        Set<TopicPartition> assigned = buffers.assignment();
        List<TopicPartition> notOwned = partitions.stream().filter(partition -> !assigned.contains(partition)).toList();
        if (!notOwned.isEmpty()) {
            throw new CommitFailedException("Cannot commit " + notOwned + ": not assigned to this member (assigned: "
                    + assigned + "); a rebalance gave them to another member, whose offsets this commit would overwrite. "
                    + "Commit in onPartitionsRevoked to commit partitions before they go");
        }
    }

    private void assignPartitions(Set<TopicPartition> partitions) {
        Set<TopicPartition> removed = new HashSet<>(buffers.assignment());
        removed.removeAll(partitions);
        buffers.freeze(removed);
        if (config.autoCommit()) {
            commits.commitQuietly(buffers.uncommittedPositions(removed), "before unassigning " + removed);
        }
        Set<TopicPartition> added = new HashSet<>(partitions);
        added.removeAll(consumer.assignment());
        consumer.assign(partitions);
        buffers.remove(removed);
        buffers.assign(partitions);
        // a position sought before the engine started (kept by the buffer) is where the consumer begins
        for (TopicPartition partition : added) {
            long sought = buffers.read(partition, PartitionBuffer::position);
            if (sought != PartitionBuffer.UNKNOWN) {
                consumer.seek(partition, sought);
            }
        }
    }

    /**
     * Reads the partitions of a subscription without a group when due, and assigns them, telling the
     * listener through the bridge as a group's rebalance would: revocations first, then assignments.
     */
    void refreshLocalAssignment(long nowNanos) {
        if (localAssignment == null || !localAssignment.due(nowNanos)) {
            return;
        }
        Set<TopicPartition> target;
        try {
            target = localAssignment.readPartitions(consumer);
        } catch (WakeupException e) {
            return; // a command or a stop came first; read again on the next turn
        } catch (KafkaException e) {
            log.warn("[{}] Cannot read the partitions of {}: {}", config.clientId(), describeTopics(), e.toString());
            localAssignment.failed(nowNanos, config.retryBackoffMax());
            errors.deliver(e);
            return;
        }
        boolean first = localAssignment.refreshed(nowNanos);
        Set<TopicPartition> current = consumer.assignment();
        Set<TopicPartition> added = new HashSet<>(target);
        added.removeAll(current);
        Set<TopicPartition> revoked = new HashSet<>(current);
        revoked.removeAll(target);
        if (!first && added.isEmpty() && revoked.isEmpty()) {
            return;
        }
        revokeLocally(revoked);
        consumer.assign(target);
        bridge.onPartitionsAssigned(added);
    }

    private void revokeLocally(Set<TopicPartition> revoked) {
        if (!revoked.isEmpty()) {
            bridge.onPartitionsRevoked(revoked);
        }
    }

    private String describeTopics() {
        return subscription.kind() == Subscription.Kind.PATTERN ? "pattern " + subscription.pattern() : "topics " + subscription.topics();
    }

    /** aiokafka's liveness rule: an application that stops asking for records leaves the group. */
    void leaveOrRejoinForIdleness(long nowNanos) {
        if (!inGroup(subscription)) {
            return;
        }
        long idle = pendingGets.isEmpty() ? buffers.applicationIdleNanos(nowNanos) : 0;
        long limit = config.maxPollInterval().toNanos();
        if (!leftForIdleness && idle > limit) {
            log.warn("[{}] The application has not asked for records for more than max.poll.interval.ms ({} ms); "
                    + "leaving the group until it does", config.clientId(), config.maxPollInterval().toMillis());
            consumer.unsubscribe();
            leftForIdleness = true;
        } else if (leftForIdleness && idle < limit) {
            log.info("[{}] The application asks for records again; rejoining the group", config.clientId());
            apply(subscription, nowNanos);
        }
    }

    /** Whether there is anything to poll for: a group to stay in, or partitions assigned. */
    boolean hasSomethingToFetch() {
        if (inGroup(subscription)) {
            return !leftForIdleness;
        }
        return localAssignment != null ? !consumer.assignment().isEmpty()
                : subscription.kind() == Subscription.Kind.PARTITIONS && !subscription.partitions().isEmpty();
    }
}
