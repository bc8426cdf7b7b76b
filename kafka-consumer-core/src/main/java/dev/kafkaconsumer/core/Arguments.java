package dev.kafkaconsumer.core;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/** The argument checks that {@link ConsumerEngine} and {@link ShareConsumerEngine} share, with the same messages. */
final class Arguments {

    private Arguments() {
    }

    static Duration requireNonNegative(Duration timeout, String name) {
        Objects.requireNonNull(timeout, name);
        if (timeout.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + timeout);
        }
        return timeout;
    }

    static int requireMaxRecords(int maxRecords) {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be at least 1, was " + maxRecords);
        }
        return maxRecords;
    }

    /** The topic names, in the order given, without repeats. */
    static Set<String> topicNames(Collection<String> topics) {
        Objects.requireNonNull(topics, "topics");
        Set<String> names = new LinkedHashSet<>();
        for (String topic : topics) {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("Topic names must not be null or blank: " + topics);
            }
            names.add(topic);
        }
        return names;
    }
}
