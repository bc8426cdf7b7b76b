package dev.kafkaconsumer.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.kafkaconsumer.test.KafkaBroker;

/** Helpers for the container tests. */
final class Containers {

    private Containers() {
    }

    /** A String container builder on the broker, in a new group, reading from the earliest offset. */
    static ConsumerContainer.Builder<String, String> builder(KafkaBroker kafka, String name, String topic) {
        return ConsumerContainer.builder(name, new StringDeserializer(), new StringDeserializer())
                .properties(kafka.clientProperties())
                .property("auto.offset.reset", "earliest")
                .groupId(Engines.unique(name))
                .topics(java.util.List.of(topic))
                .commitInterval(java.time.Duration.ofMillis(200));
    }

    /**
     * A String container builder in a new group under the given protocol, with the short session timeout
     * of {@link Engines#groupProperties}.
     */
    static ConsumerContainer.Builder<String, String> builder(KafkaBroker kafka, String name, String topic, String protocol) {
        return builder(kafka, name, topic, Engines.unique(name), protocol);
    }

    /** A String container builder in the given group under the given protocol. */
    static ConsumerContainer.Builder<String, String> builder(KafkaBroker kafka, String name, String topic, String groupId,
            String protocol) {
        return builder(kafka, name, topic).groupId(groupId).properties(Engines.groupProperties(kafka, groupId, protocol));
    }

    /** The group's committed offsets, read with an admin client. */
    static Map<TopicPartition, Long> committed(KafkaBroker kafka, String groupId) {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, Long> offsets = new ConcurrentHashMap<>();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get();
            committed.forEach((partition, offset) -> {
                if (offset != null) {
                    offsets.put(partition, offset.offset());
                }
            });
            return offsets;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
