package dev.kafkaconsumer.spring.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The attributes of one {@code @RecordHandler}, placeholders resolved: what names and shapes the container, and
 * the options it sets ({@code groupId}, {@code concurrency}, {@code ordering}, {@code autoStartup},
 * {@code maxDeliveries}, {@code properties}) as one level of its {@link ContainerOptions}.
 *
 * @param id           the container id
 * @param source       the annotated method, for messages
 * @param topics       topics named
 * @param topicPattern the topic pattern, or {@code null}
 * @param batch        whether the method takes batches
 * @param shareGroup    the share group, or {@code null} for a consumer-group handler
 * @param transactional whether the annotation makes the handler transactional
 * @param sendTo        the topic of returned values, or {@code null}
 * @param options       the options the attributes set; {@code null} where not given
 */
record HandlerAttributes(String id, String source, List<String> topics, @Nullable String topicPattern, boolean batch,
        @Nullable String shareGroup, boolean transactional, @Nullable String sendTo, ContainerOptions options) {

    HandlerAttributes {
        topics = List.copyOf(topics);
    }

    /**
     * Attributes of a handler that is not transactional.
     *
     * @param id           the container id
     * @param source       the annotated method, for messages
     * @param topics       topics named
     * @param topicPattern the topic pattern, or {@code null}
     * @param batch        whether the method takes batches
     * @param shareGroup   the share group, or {@code null} for a consumer-group handler
     * @param options      the options the attributes set
     */
    HandlerAttributes(String id, String source, List<String> topics, @Nullable String topicPattern, boolean batch,
            @Nullable String shareGroup, ContainerOptions options) {
        this(id, source, topics, topicPattern, batch, shareGroup, false, null, options);
    }

}
