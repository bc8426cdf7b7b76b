package dev.kafkaconsumer.benchmarks.share;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kafkaconsumer.benchmarks.harness.Drain;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.harness.HandlerMeter;
import dev.kafkaconsumer.benchmarks.harness.PartitionTargets;
import dev.kafkaconsumer.benchmarks.harness.RecordWork;
import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.ShareConsumerContainer;
import dev.kafkaconsumer.core.ShareContainerSnapshot;

/**
 * A B9 contender: one or several {@link ShareConsumerContainer}s in one share group, each with a synchronous handler
 * (success accepts) at the given concurrency, otherwise their defaults. Several containers are several members of the
 * group, as several instances of an application would be; the broker spreads the records of each partition among
 * them. The clock runs from just before the first {@code start()} to the last record handled; stopping is left out,
 * as closing the consumer is in the raw drain.
 */
final class ShareContainerDrain implements Drain {

    private final String name;
    private final int containers;
    private final int concurrency;
    private final int consumers;
    private final RecordWork work;

    /**
     * @param name        the contender's name
     * @param containers  how many containers share the group
     * @param concurrency each container's concurrency
     * @param consumers   each container's share consumers ({@link ShareConsumerContainer#DEFAULT_CONSUMERS} for its default)
     * @param work        what the handler does; it must count with {@link HandlerMeter#countShared} unless one thread
     *                    handles every record (one container at concurrency 1)
     */
    ShareContainerDrain(String name, int containers, int concurrency, int consumers, RecordWork work) {
        if (containers < 1 || concurrency < 1 || consumers < 1) {
            throw new IllegalArgumentException("containers, concurrency and consumers must be at least 1; were " + containers
                    + ", " + concurrency + " and " + consumers);
        }
        this.name = name;
        this.containers = containers;
        this.concurrency = concurrency;
        this.consumers = consumers;
        this.work = work;
    }

    @Override
    public String name() {
        return name;
    }

    /** How many containers share the group. */
    int containers() {
        return containers;
    }

    /** Each container's concurrency. */
    int concurrency() {
        return concurrency;
    }

    @Override
    public DrainTiming drain(String bootstrapServers, String topic, long records, int run) {
        long[] targets = PartitionTargets.read(bootstrapServers, topic);
        Map<String, Object> properties = ShareGroups.fresh(bootstrapServers, name, run);
        HandlerMeter[] meter = new HandlerMeter[1];
        Consumer<ConsumerRecord<byte[], byte[]>>[] handler = RecordWork.slot();
        List<ShareConsumerContainer<byte[], byte[]>> started = new ArrayList<>();
        List<ShareConsumerContainer<byte[], byte[]>> built = new ArrayList<>();
        for (int i = 0; i < containers; i++) {
            Map<String, Object> member = new LinkedHashMap<>(properties);
            member.put(ConsumerConfig.CLIENT_ID_CONFIG, properties.get(ConsumerConfig.CLIENT_ID_CONFIG) + "-" + i);
            built.add(ShareConsumerContainer
                    .builder("b9-" + name + "-" + run + "-" + i, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                    .properties(member)
                    .topics(List.of(topic))
                    .concurrency(concurrency)
                    .consumers(consumers)
                    .handler(record -> handler[0].accept(record))
                    .build());
        }
        try {
            meter[0] = new HandlerMeter(targets);
            handler[0] = work.handler(meter[0]);
            for (ShareConsumerContainer<byte[], byte[]> container : built) {
                container.start();
                started.add(container);
            }
            meter[0].await(name, work.timeoutSeconds(records), () -> failure(built));
            return meter[0].finish();
        } finally {
            started.forEach(ShareConsumerContainer::stop);
        }
    }

    /** The first container's failure, or null while all run. */
    private static Throwable failure(List<ShareConsumerContainer<byte[], byte[]>> containers) {
        for (ShareConsumerContainer<byte[], byte[]> container : containers) {
            if (container.state() == ContainerState.FAILED) {
                ShareContainerSnapshot snapshot = container.snapshot();
                return new IllegalStateException("share container " + container.name() + " failed: "
                        + snapshot.failure().orElse("(no reason given)"));
            }
        }
        return null;
    }
}
