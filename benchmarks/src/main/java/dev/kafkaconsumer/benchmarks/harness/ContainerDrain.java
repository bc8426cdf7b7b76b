package dev.kafkaconsumer.benchmarks.harness;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.Ordering;

/**
 * A B2 and B3 contender: a {@link ConsumerContainer} with a synchronous handler, the given ordering
 * (PARTITION in B2, KEY in B3) and concurrency, otherwise its defaults (commits every 5 s, in-flight
 * bound 4 × concurrency but at least {@code max.poll.records}). {@code start()} does not block, so the
 * clock runs from just before it to the last record handled; stopping is left out, as closing the
 * consumer is in the other drains.
 */
public final class ContainerDrain implements Drain {

    private final String name;
    private final Ordering ordering;
    private final int concurrency;
    private final RecordWork work;
    /** Whether {@link #groupProtocol} was chosen for this drain, rather than by {@code -Dbench.groupProtocol}. */
    private boolean protocolChosen;
    private String groupProtocol;
    /** Makes the value deserializer of each drain: byte arrays as they are, unless {@link #valueDeserializer} says otherwise. */
    private Supplier<Deserializer<byte[]>> valueDeserializer = ByteArrayDeserializer::new;
    /** Whether the workers are virtual threads (B12); the container's default, platform threads, otherwise. */
    private boolean virtualThreads;

    /** B2's contender: PARTITION ordering, a handler that only counts. */
    public ContainerDrain(String name, int concurrency) {
        this(name, Ordering.PARTITION, concurrency, RecordWork.COUNT);
    }

    /** B3's contender: the given ordering and concurrency, a handler that does {@code work} first. */
    public ContainerDrain(String name, Ordering ordering, int concurrency, RecordWork work) {
        this.name = name;
        this.ordering = ordering;
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
    public ContainerDrain groupProtocol(String protocol) {
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
    public ContainerDrain valueDeserializer(Supplier<Deserializer<byte[]>> deserializer) {
        this.valueDeserializer = deserializer;
        return this;
    }

    /**
     * Makes the container's workers virtual threads (B12; the JVM must be Java 21 or later), at the same concurrency bound.
     *
     * @param enabled true for virtual threads
     * @return this drain
     */
    public ContainerDrain virtualThreads(boolean enabled) {
        this.virtualThreads = enabled;
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DrainTiming drain(String bootstrapServers, String topic, long records, int run) {
        long[] targets = PartitionTargets.read(bootstrapServers, topic);
        HandlerMeter[] meter = new HandlerMeter[1];
        Consumer<ConsumerRecord<byte[], byte[]>>[] handler = RecordWork.slot();
        ConsumerContainer<byte[], byte[]> container = ConsumerContainer
                .builder("b2-" + name + "-" + run, new ByteArrayDeserializer(), valueDeserializer.get())
                .properties(protocolChosen ? DrainProperties.forRun(bootstrapServers, name, run, groupProtocol)
                        : DrainProperties.forRun(bootstrapServers, name, run))
                .topics(List.of(topic))
                .ordering(ordering)
                .concurrency(concurrency)
                .virtualThreads(virtualThreads)
                .handler(record -> handler[0].accept(record))
                .build();
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
