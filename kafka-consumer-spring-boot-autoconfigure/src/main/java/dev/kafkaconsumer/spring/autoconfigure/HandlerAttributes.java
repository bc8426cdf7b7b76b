package dev.kafkaconsumer.spring.autoconfigure;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.kafkaconsumer.core.Ordering;

/**
 * The attributes of one {@code @RecordHandler}, placeholders resolved; {@code null} where not given.
 *
 * @param id           the container id
 * @param source       the annotated method, for messages
 * @param topics       topics named
 * @param topicPattern the topic pattern, or {@code null}
 * @param groupId      the group, or {@code null}
 * @param concurrency  the concurrency, or {@code null}
 * @param ordering     the ordering, or {@code null}
 * @param batch        whether the method takes batches
 * @param autoStartup  whether the container starts with the application, or {@code null}
 * @param properties   extra consumer properties
 */
record HandlerAttributes(String id, String source, List<String> topics, @Nullable String topicPattern,
        @Nullable String groupId, @Nullable Integer concurrency, @Nullable Ordering ordering, boolean batch,
        @Nullable Boolean autoStartup, Map<String, String> properties) {

    HandlerAttributes {
        topics = List.copyOf(topics);
        properties = Map.copyOf(properties);
    }

}
