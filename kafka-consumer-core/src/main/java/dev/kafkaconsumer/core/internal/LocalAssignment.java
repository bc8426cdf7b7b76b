package dev.kafkaconsumer.core.internal;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;

/**
 * A topic or pattern subscription without a group, as aiokafka has it: no coordinator and no commits;
 * the engine assigns itself every partition of the subscribed topics (of the topics the pattern
 * matches), and looks at the cluster's metadata again every {@code metadata.max.age.ms}, so that
 * topics created later and partitions added later are picked up. Times are in nanoseconds of the engine's
 * clock. Used by the I/O thread only.
 */
final class LocalAssignment {

    private final Subscription subscription;
    private final Duration refreshInterval;
    private final Duration timeout;
    private final boolean excludeInternalTopics;
    private long nextRefreshNanos;
    private boolean assignedOnce;
    private Set<String> matchedTopics = Set.of();

    /**
     * @param subscription    topics or a pattern
     * @param refreshInterval how often to read the metadata again ({@code metadata.max.age.ms})
     * @param timeout         how long one read may take ({@code default.api.timeout.ms})
     * @param excludeInternalTopics whether a pattern leaves Kafka's internal topics out ({@code exclude.internal.topics}),
     *                        as a group's pattern subscription does
     * @param nowNanos        the engine's clock: the first read is due at once
     */
    LocalAssignment(Subscription subscription, Duration refreshInterval, Duration timeout, boolean excludeInternalTopics,
            long nowNanos) {
        if (!subscription.byTopics()) {
            throw new IllegalArgumentException("Only topics or a pattern are assigned locally: " + subscription);
        }
        this.subscription = subscription;
        this.refreshInterval = refreshInterval;
        this.timeout = timeout;
        this.excludeInternalTopics = excludeInternalTopics;
        this.nextRefreshNanos = nowNanos;
    }

    /** Whether the metadata is due to be read again. */
    boolean due(long nowNanos) {
        return nowNanos - nextRefreshNanos >= 0;
    }

    /**
     * Reads the partitions of the subscribed topics from the cluster; a topic that does not exist has none
     * (it is picked up once it does). Blocks the I/O thread for a metadata request.
     *
     * @throws org.apache.kafka.common.KafkaException when the metadata cannot be read, a
     *         {@link org.apache.kafka.common.errors.WakeupException} included
     */
    Set<TopicPartition> readPartitions(Consumer<?, ?> consumer) {
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        Set<String> topics = new LinkedHashSet<>();
        if (subscription.kind() == Subscription.Kind.PATTERN) {
            for (Map.Entry<String, List<PartitionInfo>> topic : consumer.listTopics(timeout).entrySet()) {
                boolean leftOut = excludeInternalTopics && Topic.isInternal(topic.getKey());
                if (!leftOut && subscription.pattern().matcher(topic.getKey()).matches()) {
                    topics.add(topic.getKey());
                    add(topic.getValue(), partitions);
                }
            }
        } else {
            for (String topic : subscription.topics()) {
                List<PartitionInfo> found = consumer.partitionsFor(topic, timeout);
                if (!found.isEmpty()) {
                    topics.add(topic);
                    add(found, partitions);
                }
            }
        }
        matchedTopics = Set.copyOf(topics);
        return partitions;
    }

    private static void add(List<PartitionInfo> infos, Set<TopicPartition> into) {
        infos.forEach(info -> into.add(new TopicPartition(info.topic(), info.partition())));
    }

    /**
     * Notes a read that was applied; returns whether it was the first, which the assignment listener
     * hears of even when nothing changed (as after a group's first join).
     */
    boolean refreshed(long nowNanos) {
        nextRefreshNanos = nowNanos + Durations.nanos(refreshInterval);
        boolean first = !assignedOnce;
        assignedOnce = true;
        return first;
    }

    /** Notes a read that failed: the next one comes after {@code backoff}. */
    void failed(long nowNanos, Duration backoff) {
        nextRefreshNanos = nowNanos + Durations.nanos(backoff);
    }

    /** The topics that exist and are subscribed (for a pattern, those it matched at the last read). */
    Set<String> matchedTopics() {
        return matchedTopics;
    }
}
