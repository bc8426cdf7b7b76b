package dev.kafkaconsumer.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.kafkaconsumer.core.CommitMode;
import dev.kafkaconsumer.core.ConsumerContainer;

/**
 * What one container is built with, the input of {@link ConsumerContainerFactory#create}: its subscription, the
 * shape of its handler, its {@link ContainerOptions} merged from every level ({@code kafka.consumer.containers.<id>.*},
 * the {@code @RecordHandler} attributes, {@code kafka.consumer.*}, {@code spring.kafka.*}), and the kafka-clients
 * consumer properties that they and the connection make. The accessors below the components read the merged options.
 *
 * @param id                 the container id
 * @param topics             topics subscribed to; empty when {@code topicPattern} is set
 * @param topicPattern       regular expression of the topics subscribed to, or {@code null}
 * @param batch              whether the handler takes batches
 * @param options            the merged options, not to be changed; {@code null} where the core's default applies
 * @param consumerProperties kafka-clients consumer properties, {@code bootstrap.servers} and {@code group.id} (the
 *                           share group's, for a share container) included
 * @param shareGroup         the share group of a share container, or {@code null} for a consumer-group container
 * @param transaction        what a transactional container writes with and when it commits, or {@code null} for a
 *                           container that is not transactional
 */
public record ContainerSettings(String id, List<String> topics, @Nullable String topicPattern, boolean batch,
        ContainerOptions options, Map<String, Object> consumerProperties, @Nullable String shareGroup,
        @Nullable Transaction transaction) {

    /**
     * Copies the collections, and checks that the options hold what the core has no default for.
     */
    public ContainerSettings {
        topics = List.copyOf(topics);
        consumerProperties = Map.copyOf(consumerProperties);
        Objects.requireNonNull(options.getKeyDeserializer(), "options.keyDeserializer");
        Objects.requireNonNull(options.getValueDeserializer(), "options.valueDeserializer");
        Objects.requireNonNull(options.getAutoStartup(), "options.autoStartup");
        Objects.requireNonNull(options.getShutdownTimeout(), "options.shutdownTimeout");
    }

    /**
     * Settings of a consumer-group container.
     *
     * @param id                 the container id
     * @param topics             topics subscribed to; empty when {@code topicPattern} is set
     * @param topicPattern       regular expression of the topics subscribed to, or {@code null}
     * @param batch              whether the handler takes batches
     * @param options            the merged options
     * @param consumerProperties kafka-clients consumer properties
     */
    public ContainerSettings(String id, List<String> topics, @Nullable String topicPattern, boolean batch,
            ContainerOptions options, Map<String, Object> consumerProperties) {
        this(id, topics, topicPattern, batch, options, consumerProperties, null, null);
    }

    /**
     * Settings of a container that is not transactional.
     *
     * @param id                 the container id
     * @param topics             topics subscribed to; empty when {@code topicPattern} is set
     * @param topicPattern       regular expression of the topics subscribed to, or {@code null}
     * @param batch              whether the handler takes batches
     * @param options            the merged options
     * @param consumerProperties kafka-clients consumer properties
     * @param shareGroup         the share group of a share container, or {@code null}
     */
    public ContainerSettings(String id, List<String> topics, @Nullable String topicPattern, boolean batch,
            ContainerOptions options, Map<String, Object> consumerProperties, @Nullable String shareGroup) {
        this(id, topics, topicPattern, batch, options, consumerProperties, shareGroup, null);
    }

    /**
     * Returns whether this is a transactional container: one that writes its outputs and commits its offsets in
     * transactions.
     *
     * @return true when {@link #transaction()} is set
     */
    public boolean isTransactional() {
        return this.transaction != null;
    }

    /**
     * Returns whether this is a share container: one that joins a share group.
     *
     * @return true when a share group is set
     */
    public boolean isShare() {
        return this.shareGroup != null;
    }

    /**
     * Returns the group the container joins: the share group of a share container, else the consumer group.
     *
     * @return the {@code group.id} of its consumer, or {@code null} when none is set
     */
    public @Nullable String groupId() {
        Object group = this.consumerProperties.get("group.id");
        return (group != null) ? String.valueOf(group) : null;
    }

    /**
     * Returns the properties that say where and how the container's clients connect (bootstrap servers, DNS lookup,
     * security protocol, {@code ssl.*}, {@code sasl.*}, an SSL bundle), for another client of the same cluster: the
     * dead-letter producer, or the admin client that reads a share group's lag.
     *
     * @return the connection properties of the consumer properties
     */
    public Map<String, Object> connectionProperties() {
        return ConsumerContainerFactory.connectionProperties(this.consumerProperties);
    }

    /**
     * Returns whether the container starts with the application.
     *
     * @return the merged {@code auto-startup}
     */
    public boolean autoStartup() {
        return Boolean.TRUE.equals(this.options.getAutoStartup());
    }

    /**
     * Returns how long the container may take to drain when the application stops.
     *
     * @return the merged {@code shutdown-timeout}
     */
    public Duration shutdownTimeout() {
        return Objects.requireNonNull(this.options.getShutdownTimeout());
    }

    /**
     * Returns when the container commits.
     *
     * @return the merged {@code commit-mode}, else the core's default
     */
    public CommitMode commitMode() {
        CommitMode mode = this.options.getCommitMode();
        return (mode != null) ? mode : ConsumerContainer.DEFAULT_COMMIT_MODE;
    }

    /**
     * Returns the key deserializer's class.
     *
     * @return the merged {@code key-deserializer}
     */
    public Class<?> keyDeserializer() {
        return Objects.requireNonNull(this.options.getKeyDeserializer());
    }

    /**
     * Returns the value deserializer's class.
     *
     * @return the merged {@code value-deserializer}
     */
    public Class<?> valueDeserializer() {
        return Objects.requireNonNull(this.options.getValueDeserializer());
    }

    /**
     * What a transactional container writes its outputs with, and when it commits.
     *
     * @param sendTo              the topic of the handler's returned values, or {@code null} when it returns
     *                            {@code ProducerRecord}s or sends them itself
     * @param producerProperties  kafka-clients producer properties, the connection included; not
     *                            {@code transactional.id} nor the serializers
     * @param keySerializer       the output key serializer's class
     * @param valueSerializer     the output value serializer's class
     * @param transactionIdPrefix the prefix of the producer's {@code transactional.id}
     * @param commitInterval      how often a transaction commits, or {@code null} for the core's default
     * @param maxRecords          most records in one transaction, or {@code null} for the core's default
     */
    public record Transaction(@Nullable String sendTo, Map<String, Object> producerProperties, Class<?> keySerializer,
            Class<?> valueSerializer, String transactionIdPrefix, @Nullable Duration commitInterval,
            @Nullable Integer maxRecords) {

        /**
         * Copies the producer properties.
         */
        public Transaction {
            producerProperties = Map.copyOf(producerProperties);
        }

    }

}
