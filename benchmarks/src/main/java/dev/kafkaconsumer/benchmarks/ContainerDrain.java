package dev.kafkaconsumer.benchmarks;

import java.util.List;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.Ordering;

/**
 * A B2 contender: a {@link ConsumerContainer} with a synchronous handler, PARTITION ordering and the
 * given concurrency, otherwise its defaults (commits every 5 s, in-flight bound 4 × concurrency but at
 * least {@code max.poll.records}). {@code start()} does not block, so the clock runs from just before
 * it to the last record handled; stopping is left out, as closing the consumer is in the other drains.
 */
final class ContainerDrain implements Drain {

    private final String name;
    private final int concurrency;

    ContainerDrain(String name, int concurrency) {
        this.name = name;
        this.concurrency = concurrency;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DrainTiming drain(String bootstrapServers, String topic, long records, int run) {
        long[] targets = PartitionTargets.read(bootstrapServers, topic);
        HandlerMeter[] meter = new HandlerMeter[1];
        ConsumerContainer<byte[], byte[]> container = ConsumerContainer
                .builder("b2-" + name + "-" + run, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .properties(DrainProperties.forRun(bootstrapServers, name, run))
                .topics(List.of(topic))
                .ordering(Ordering.PARTITION)
                .concurrency(concurrency)
                .handler(record -> meter[0].count(record))
                .build();
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
