package dev.kafkaconsumer.core.internal;

import java.util.Set;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * What the application asked to consume: topics or a pattern (whose partitions the group coordinator
 * assigns, or, without a group, the engine itself), or partitions (assigned by hand). Immutable; any thread.
 */
record Subscription(Kind kind, Set<String> topics, Pattern pattern, Set<TopicPartition> partitions,
        ConsumerRebalanceListener listener) {

    enum Kind { NONE, TOPICS, PATTERN, PARTITIONS }

    static final Subscription NONE = new Subscription(Kind.NONE, Set.of(), null, Set.of(), null);

    static Subscription topics(Set<String> topics, ConsumerRebalanceListener listener) {
        return new Subscription(Kind.TOPICS, Set.copyOf(topics), null, Set.of(), listener);
    }

    static Subscription pattern(Pattern pattern, ConsumerRebalanceListener listener) {
        return new Subscription(Kind.PATTERN, Set.of(), pattern, Set.of(), listener);
    }

    static Subscription partitions(Set<TopicPartition> partitions) {
        return new Subscription(Kind.PARTITIONS, Set.of(), null, Set.copyOf(partitions), null);
    }

    /** Whether this names topics or a pattern rather than partitions: a rebalance decides the partitions. */
    boolean byTopics() {
        return kind == Kind.TOPICS || kind == Kind.PATTERN;
    }

    /** What it is, for messages: "subscribed to [orders]". */
    String describe() {
        return switch (kind) {
            case TOPICS -> "subscribed to " + topics;
            case PATTERN -> "subscribed to pattern " + pattern;
            case PARTITIONS -> "assigned " + partitions;
            case NONE -> "nothing";
        };
    }
}
