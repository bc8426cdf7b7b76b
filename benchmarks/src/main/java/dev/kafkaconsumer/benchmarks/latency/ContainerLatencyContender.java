package dev.kafkaconsumer.benchmarks.latency;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.DrainProperties;
import dev.kafkaconsumer.core.ConsumerContainer;

/**
 * B4's contender: a {@link ConsumerContainer} with its default settings (PARTITION ordering, concurrency 1,
 * commits every 5 s) and a synchronous handler; only the consumer properties are set, the same as raw's.
 */
final class ContainerLatencyContender implements LatencyContender {

    /** {@code group.protocol} chosen for this contender, or null for {@code -Dbench.groupProtocol}'s (or kafka-clients') default. */
    private final String protocol;
    private ConsumerContainer<byte[], byte[]> container;

    /** @param protocol {@code classic} or {@code consumer}, or null for the run's default */
    ContainerLatencyContender(String protocol) {
        this.protocol = protocol;
    }

    @Override
    public String name() {
        return BenchSettings.CONTAINER;
    }

    @Override
    public void start(String bootstrapServers, String topic, int run, Consumer<ConsumerRecord<byte[], byte[]>> handler,
            CountDownLatch assigned) {
        container = ConsumerContainer.builder("b4-" + name() + "-" + run, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .properties(protocol == null ? DrainProperties.forRun(bootstrapServers, name(), run)
                        : DrainProperties.forRun(bootstrapServers, name(), run, protocol))
                .topics(List.of(topic))
                .rebalanceListener(LatencyContender.countingDown(assigned))
                .handler(handler::accept)
                .build();
        container.start();
    }

    @Override
    public void close() {
        container.stop();
    }
}
