package dev.kafkaconsumer.benchmarks;

import java.util.Map;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;

/**
 * A B2 peer: Spring for Apache Kafka's {@link ConcurrentMessageListenerContainer} with a record
 * {@link MessageListener}, built programmatically as a {@code @KafkaListener} would get it (no
 * application context), concurrency 1 (its default), the given ack mode and its defaults otherwise.
 * The clock runs from just before {@code start()} to the last record handled.
 */
final class SpringContainerDrain implements Drain {

    private final String name;
    private final ContainerProperties.AckMode ackMode;

    SpringContainerDrain(String name, ContainerProperties.AckMode ackMode) {
        this.name = name;
        this.ackMode = ackMode;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DrainTiming drain(String bootstrapServers, String topic, long records, int run) {
        long[] targets = PartitionTargets.read(bootstrapServers, topic);
        Map<String, Object> properties = DrainProperties.forRun(bootstrapServers, name, run);
        DefaultKafkaConsumerFactory<byte[], byte[]> factory = new DefaultKafkaConsumerFactory<>(properties,
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        HandlerMeter[] meter = new HandlerMeter[1];
        ContainerProperties containerProperties = new ContainerProperties(topic);
        containerProperties.setAckMode(ackMode);
        containerProperties.setMessageListener((MessageListener<byte[], byte[]>) record -> meter[0].count(record));
        ConcurrentMessageListenerContainer<byte[], byte[]> container = new ConcurrentMessageListenerContainer<>(factory,
                containerProperties);
        container.setConcurrency(1);
        container.setBeanName("b2-" + name + "-" + run);
        try {
            meter[0] = new HandlerMeter(targets);
            container.start();
            meter[0].await(name, HandlerMeter.timeoutSeconds(records));
            return meter[0].finish();
        } finally {
            container.stop();
        }
    }
}
