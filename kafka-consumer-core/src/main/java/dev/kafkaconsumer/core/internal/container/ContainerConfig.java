package dev.kafkaconsumer.core.internal.container;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import dev.kafkaconsumer.core.BatchProcessor;
import dev.kafkaconsumer.core.CommitMode;
import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.HandlerInterceptor;
import dev.kafkaconsumer.core.Ordering;
import dev.kafkaconsumer.core.RecordProcessor;
import dev.kafkaconsumer.core.Recoverer;
import dev.kafkaconsumer.core.RetryPolicy;

/**
 * Everything a container was built with, immutable. Exactly one of {@code topics}, {@code pattern}
 * and {@code partitions} is set, and exactly one of {@code recordProcessor} and {@code batchProcessor};
 * {@code processingTimeout} is {@code null} when handler calls have no time limit. The buffer bounds are
 * the engine's ({@code ConsumerEngine.Builder#maxBufferedBytesPerPartition} and {@code #maxBufferedBytes}).
 */
public record ContainerConfig<K, V>(String name, Map<String, Object> consumerProperties, Deserializer<K> keyDeserializer,
        Deserializer<V> valueDeserializer, Set<String> topics, Pattern pattern, Set<TopicPartition> partitions,
        List<ConsumerRebalanceListener> rebalanceListeners, RecordProcessor<K, V> recordProcessor,
        BatchProcessor<K, V> batchProcessor, int concurrency, Ordering ordering, boolean virtualThreads,
        CommitMode commitMode, Duration commitInterval, RetryPolicy retryPolicy, Recoverer<K, V> recoverer,
        int maxInFlight, Duration revocationTimeout, List<ContainerListener> listeners,
        List<HandlerInterceptor> interceptors, Duration processingTimeout, long maxBufferedBytesPerPartition,
        long maxBufferedBytes) {

    public ContainerConfig {
        consumerProperties = Map.copyOf(consumerProperties);
        topics = topics == null ? null : Set.copyOf(topics);
        partitions = partitions == null ? null : Set.copyOf(partitions);
        rebalanceListeners = List.copyOf(rebalanceListeners);
        listeners = List.copyOf(listeners);
        interceptors = List.copyOf(interceptors);
    }
}
