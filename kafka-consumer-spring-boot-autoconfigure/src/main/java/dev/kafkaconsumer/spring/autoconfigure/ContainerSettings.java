package dev.kafkaconsumer.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

import dev.kafkaconsumer.core.CommitMode;
import dev.kafkaconsumer.core.Ordering;
import dev.kafkaconsumer.core.RetryPolicy;

/**
 * What one container is built with, once {@code kafka.consumer.*}, the {@code @RecordHandler} attributes and
 * {@code kafka.consumer.containers.<id>.*} are merged: the input of {@link ConsumerContainerFactory#create}.
 *
 * @param id                    the container id
 * @param topics                topics subscribed to; empty when {@code topicPattern} is set
 * @param topicPattern          regular expression of the topics subscribed to, or {@code null}
 * @param autoStartup           whether the container starts with the application
 * @param batch                 whether the handler takes batches
 * @param concurrency           records (or batches) handled at once
 * @param ordering              the order records are handled in
 * @param commitMode            when offsets are committed
 * @param commitInterval        how often offsets are committed in the time and manual modes
 * @param virtualThreads        whether handlers run on virtual threads
 * @param retryPolicy           how a failing handler is retried
 * @param deadLetterTopicSuffix the suffix of dead-letter topics, or {@code null} to log and skip
 * @param keyDeserializer       the key deserializer's class
 * @param valueDeserializer     the value deserializer's class
 * @param consumerProperties    kafka-clients consumer properties, {@code bootstrap.servers} and
 *                              {@code group.id} included
 * @param processingTimeout     the longest a handler call may take, or {@code null} for no limit
 * @param maxInFlight           the most records taken and not finished, or {@code null} for the core's default
 * @param revocationTimeout     how long records being handled for revoked partitions may take
 * @param maxBufferedBytesPerPartition the most bytes buffered for one partition
 * @param maxBufferedBytes      the most bytes buffered for all partitions
 */
public record ContainerSettings(String id, List<String> topics, @Nullable String topicPattern, boolean autoStartup,
        boolean batch, int concurrency, Ordering ordering, CommitMode commitMode, Duration commitInterval,
        boolean virtualThreads, RetryPolicy retryPolicy, @Nullable String deadLetterTopicSuffix,
        Class<?> keyDeserializer, Class<?> valueDeserializer, Map<String, Object> consumerProperties,
        @Nullable Duration processingTimeout, @Nullable Integer maxInFlight, Duration revocationTimeout,
        DataSize maxBufferedBytesPerPartition, DataSize maxBufferedBytes) {

    /**
     * Copies the collections.
     */
    public ContainerSettings {
        topics = List.copyOf(topics);
        consumerProperties = Map.copyOf(consumerProperties);
    }

}
