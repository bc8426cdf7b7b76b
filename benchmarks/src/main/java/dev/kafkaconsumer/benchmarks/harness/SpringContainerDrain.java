package dev.kafkaconsumer.benchmarks.harness;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;

/**
 * A B2 and B3 peer: Spring for Apache Kafka's {@link ConcurrentMessageListenerContainer} with a record
 * {@link MessageListener}, built programmatically as a {@code @KafkaListener} would get it (no
 * application context), the given concurrency (1, its default, in B2; the partition count in B3), the
 * given ack mode and its defaults otherwise. The clock runs from just before {@code start()} to the last
 * record handled.
 */
public final class SpringContainerDrain implements Drain {

    private final String name;
    private final ContainerProperties.AckMode ackMode;
    private final int concurrency;
    private final RecordWork work;
    /** Whether {@link #groupProtocol} was chosen for this drain, rather than by {@code -Dbench.groupProtocol}. */
    private boolean protocolChosen;
    private String groupProtocol;
    /** Makes the value deserializer of each drain: byte arrays as they are, unless {@link #valueDeserializer} says otherwise. */
    private Supplier<Deserializer<byte[]>> valueDeserializer = ByteArrayDeserializer::new;

    /** B2's peer: concurrency 1, a handler that only counts. */
    public SpringContainerDrain(String name, ContainerProperties.AckMode ackMode) {
        this(name, ackMode, 1, RecordWork.COUNT);
    }

    /** B3's peer: the given ack mode and concurrency, a handler that does {@code work} first. */
    public SpringContainerDrain(String name, ContainerProperties.AckMode ackMode, int concurrency, RecordWork work) {
        this.name = name;
        this.ackMode = ackMode;
        this.concurrency = concurrency;
        this.work = work;
    }

    /**
     * Makes every drain of this contender use the given group protocol, whatever {@code -Dbench.groupProtocol} says
     * (for a case that alternates the protocols).
     *
     * @param protocol {@code classic} or {@code consumer}, or null for kafka-clients' default
     * @return this drain
     */
    public SpringContainerDrain groupProtocol(String protocol) {
        this.protocolChosen = true;
        this.groupProtocol = protocol;
        return this;
    }

    /**
     * Makes every drain of this contender decode values with a deserializer of its own from {@code deserializer} (B10: one
     * that costs CPU), rather than hand the bytes over as they are.
     *
     * @param deserializer makes one deserializer per drain
     * @return this drain
     */
    public SpringContainerDrain valueDeserializer(Supplier<Deserializer<byte[]>> deserializer) {
        this.valueDeserializer = deserializer;
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DrainTiming drain(String bootstrapServers, String topic, long records, int run) {
        long[] targets = PartitionTargets.read(bootstrapServers, topic);
        Map<String, Object> properties = protocolChosen ? DrainProperties.forRun(bootstrapServers, name, run, groupProtocol)
                : DrainProperties.forRun(bootstrapServers, name, run);
        DefaultKafkaConsumerFactory<byte[], byte[]> factory = new DefaultKafkaConsumerFactory<>(properties,
                new ByteArrayDeserializer(), valueDeserializer.get());
        HandlerMeter[] meter = new HandlerMeter[1];
        Consumer<ConsumerRecord<byte[], byte[]>>[] handler = RecordWork.slot();
        ContainerProperties containerProperties = new ContainerProperties(topic);
        containerProperties.setAckMode(ackMode);
        containerProperties.setMessageListener((MessageListener<byte[], byte[]>) record -> handler[0].accept(record));
        ConcurrentMessageListenerContainer<byte[], byte[]> container = new ConcurrentMessageListenerContainer<>(factory,
                containerProperties);
        container.setConcurrency(concurrency);
        container.setBeanName("b2-" + name + "-" + run);
        try {
            meter[0] = new HandlerMeter(targets);
            handler[0] = work.handler(meter[0]);
            container.start();
            meter[0].await(name, work.timeoutSeconds(records));
            return meter[0].finish();
        } finally {
            container.stop();
        }
    }
}
