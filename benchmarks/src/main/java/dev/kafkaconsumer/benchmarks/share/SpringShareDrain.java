package dev.kafkaconsumer.benchmarks.share;

import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.kafka.core.DefaultShareConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.listener.ShareKafkaMessageListenerContainer;

import dev.kafkaconsumer.benchmarks.harness.Drain;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.harness.HandlerMeter;
import dev.kafkaconsumer.benchmarks.harness.PartitionTargets;
import dev.kafkaconsumer.benchmarks.harness.RecordWork;

/**
 * B9's peer: Spring for Apache Kafka's {@link ShareKafkaMessageListenerContainer} with a record
 * {@link MessageListener}, built programmatically as a share {@code @KafkaListener} would get it (no application
 * context), its default acknowledgement mode ({@code ShareAckMode.EXPLICIT}: the container accepts each record after
 * the listener returned) and the given concurrency: that many {@code KafkaShareConsumer}s, each on its own thread,
 * each handling the records of its polls one after another. The clock runs from just before {@code start()} to the
 * last record handled.
 */
final class SpringShareDrain implements Drain {

    private final String name;
    private final int concurrency;
    private final RecordWork work;
    private final Map<String, Object> overrides;

    /**
     * @param name        the contender's name
     * @param concurrency the container's concurrency (share consumers)
     * @param work        what the listener does; it must count with {@link HandlerMeter#countShared} unless the
     *                    concurrency is 1
     */
    SpringShareDrain(String name, int concurrency, RecordWork work) {
        this(name, concurrency, work, Map.of());
    }

    /**
     * @param name        the contender's name
     * @param concurrency the container's concurrency (share consumers)
     * @param work        what the listener does
     * @param overrides   share consumer properties that replace kafka-clients' defaults
     */
    SpringShareDrain(String name, int concurrency, RecordWork work, Map<String, Object> overrides) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        this.name = name;
        this.concurrency = concurrency;
        this.work = work;
        this.overrides = Map.copyOf(overrides);
    }

    @Override
    public String name() {
        return name;
    }

    /** The container's concurrency. */
    int concurrency() {
        return concurrency;
    }

    /** The share consumer properties that replace kafka-clients' defaults. */
    Map<String, Object> overrides() {
        return overrides;
    }

    @Override
    public DrainTiming drain(String bootstrapServers, String topic, long records, int run) {
        long[] targets = PartitionTargets.read(bootstrapServers, topic);
        Map<String, Object> properties = ShareGroups.fresh(bootstrapServers, name, run);
        properties.putAll(overrides);
        DefaultShareConsumerFactory<byte[], byte[]> factory = new DefaultShareConsumerFactory<>(properties,
                ByteArrayDeserializer::new, ByteArrayDeserializer::new);
        HandlerMeter[] meter = new HandlerMeter[1];
        Consumer<ConsumerRecord<byte[], byte[]>>[] handler = RecordWork.slot();
        ContainerProperties containerProperties = new ContainerProperties(topic);
        containerProperties.setMessageListener((MessageListener<byte[], byte[]>) record -> handler[0].accept(record));
        ShareKafkaMessageListenerContainer<byte[], byte[]> container = new ShareKafkaMessageListenerContainer<>(factory,
                containerProperties);
        container.setConcurrency(concurrency);
        container.setBeanName("b9-" + name + "-" + run);
        try {
            meter[0] = new HandlerMeter(targets);
            handler[0] = work.handler(meter[0]);
            container.start();
            meter[0].await(name, work.timeoutSeconds(records), () -> container.isRunning() ? null
                    : new IllegalStateException("Spring's share container stopped"));
            return meter[0].finish();
        } finally {
            container.stop();
        }
    }
}
