package dev.kafkaconsumer.core.internal.container;

import java.util.List;

import org.apache.kafka.common.serialization.Deserializer;

import dev.kafkaconsumer.core.BatchProcessor;
import dev.kafkaconsumer.core.HandlerInterceptor;
import dev.kafkaconsumer.core.RecordProcessor;
import dev.kafkaconsumer.core.RetryPolicy;

/**
 * What a {@link WorkRunner} runs and how, taken from a container's configuration (a {@link ContainerConfig} or a
 * {@link ShareContainerConfig}): exactly one of {@code recordProcessor} and {@code batchProcessor} is set. Immutable.
 *
 * @param name              the container's name, for listeners and interceptors
 * @param keyDeserializer   deserializes keys on the workers
 * @param valueDeserializer deserializes values on the workers
 * @param recordProcessor   handles one record at a time, or {@code null}
 * @param batchProcessor    handles a partition's records together, or {@code null}
 * @param interceptors      around each handler call, the first outermost
 * @param retryPolicy       when a failed call is called again
 * @param concurrency       how many works run at once
 * @param timed             whether handler calls are timed for listeners (there are listeners)
 * @param <K>               the key type
 * @param <V>               the value type
 */
record Handling<K, V>(String name, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer,
        RecordProcessor<K, V> recordProcessor, BatchProcessor<K, V> batchProcessor, List<HandlerInterceptor> interceptors,
        RetryPolicy retryPolicy, int concurrency, boolean timed) {
}
