package dev.kafkaconsumer.spring.actuate.endpoint;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import dev.kafkaconsumer.spring.actuate.lag.LagStatus;
import dev.kafkaconsumer.spring.actuate.lag.LagTracker;
import dev.kafkaconsumer.spring.actuate.lag.PartitionLag;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerLifecycle;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerRegistry;

/**
 * {@code /actuator/kafkalag}: the lag of every container, summed per container and per topic, and per
 * partition, with the estimated time lag and the {@link LagStatus}, as of the {@link LagTracker}'s latest
 * sample. A sum covers the partitions whose lag is known; a time lag and a status are the largest and the
 * worst (latest in {@link LagStatus}'s order) of the partitions below.
 */
@Endpoint(id = "kafkalag")
public class KafkaLagEndpoint {

    private final ConsumerContainerRegistry registry;

    private final LagTracker tracker;

    /**
     * Creates the endpoint.
     *
     * @param registry the containers
     * @param tracker  their lag
     */
    public KafkaLagEndpoint(ConsumerContainerRegistry registry, LagTracker tracker) {
        this.registry = registry;
        this.tracker = tracker;
    }

    /**
     * Describes the lag of every container.
     *
     * @return the containers by id
     */
    @ReadOperation
    public LagDescriptor lag() {
        Map<String, ContainerLagDescriptor> containers = new LinkedHashMap<>();
        this.registry.all().forEach((container) -> containers.put(container.id(), describe(container)));
        return new LagDescriptor(containers);
    }

    /**
     * Describes the lag of one container.
     *
     * @param id the container id
     * @return its lag, or {@code null} (404) when there is no container with that id
     */
    @ReadOperation
    public @Nullable ContainerLagDescriptor containerLag(@Selector String id) {
        return this.registry.find(id).map(this::describe).orElse(null);
    }

    private ContainerLagDescriptor describe(ConsumerContainerLifecycle container) {
        List<PartitionLag> lags = this.tracker.partitions(container.id());
        Map<String, List<PartitionLag>> byTopic = new LinkedHashMap<>();
        lags.forEach((lag) -> byTopic.computeIfAbsent(lag.partition().topic(), (topic) -> new java.util.ArrayList<>())
            .add(lag));
        Map<String, TopicLagDescriptor> topics = new LinkedHashMap<>();
        byTopic.forEach((topic, partitions) -> {
            Map<String, PartitionLagDescriptor> described = new LinkedHashMap<>();
            partitions.forEach((lag) -> described.put(String.valueOf(lag.partition().partition()), describe(lag)));
            topics.put(topic, new TopicLagDescriptor(sum(partitions), maxTimeLag(partitions), worst(partitions),
                    described));
        });
        return new ContainerLagDescriptor(container.state().name(), sum(lags), maxTimeLag(lags), worst(lags), topics);
    }

    private static PartitionLagDescriptor describe(PartitionLag lag) {
        return new PartitionLagDescriptor(KafkaConsumersEndpoint.value(lag.committed()),
                KafkaConsumersEndpoint.value(lag.endOffset()), KafkaConsumersEndpoint.value(lag.lag()),
                KafkaConsumersEndpoint.value(lag.timeLagMillis()), lag.status().name(), lag.samples());
    }

    private static @Nullable Long sum(List<PartitionLag> lags) {
        List<Long> known = known(lags.stream().map(PartitionLag::lag).toList());
        return known.isEmpty() ? null : known.stream().mapToLong(Long::longValue).sum();
    }

    private static @Nullable Long maxTimeLag(List<PartitionLag> lags) {
        return known(lags.stream().map(PartitionLag::timeLagMillis).toList()).stream()
            .max(Comparator.naturalOrder())
            .orElse(null);
    }

    private static List<Long> known(List<OptionalLong> values) {
        return values.stream().map(KafkaConsumersEndpoint::value).filter(Objects::nonNull).toList();
    }

    private static @Nullable String worst(List<PartitionLag> lags) {
        return lags.stream().map(PartitionLag::status).max(Comparator.naturalOrder()).map(LagStatus::name).orElse(null);
    }

    /**
     * The lag of every container.
     *
     * @param containers by container id
     */
    public record LagDescriptor(Map<String, ContainerLagDescriptor> containers) {
    }

    /**
     * The lag of one container; {@code null} values are not known (yet).
     *
     * @param state         the container's lifecycle state
     * @param lag           records not yet committed, over its partitions
     * @param timeLagMillis the largest time lag of its partitions
     * @param status        the worst status of its partitions
     * @param topics        by topic
     */
    public record ContainerLagDescriptor(String state, @Nullable Long lag, @Nullable Long timeLagMillis,
            @Nullable String status, Map<String, TopicLagDescriptor> topics) {
    }

    /**
     * The lag of one topic of a container.
     *
     * @param lag           records not yet committed, over its partitions
     * @param timeLagMillis the largest time lag of its partitions
     * @param status        the worst status of its partitions
     * @param partitions    by partition number
     */
    public record TopicLagDescriptor(@Nullable Long lag, @Nullable Long timeLagMillis, @Nullable String status,
            Map<String, PartitionLagDescriptor> partitions) {
    }

    /**
     * The lag of one partition.
     *
     * @param committed     the offset last committed
     * @param endOffset     the high-water mark, or the last stable offset under read_committed
     * @param lag           records not yet committed
     * @param timeLagMillis how long ago the first record not yet committed was written (estimate)
     * @param status        how the partition keeps up over the window
     * @param samples       samples in the window
     */
    public record PartitionLagDescriptor(@Nullable Long committed, @Nullable Long endOffset, @Nullable Long lag,
            @Nullable Long timeLagMillis, String status, int samples) {
    }

}
