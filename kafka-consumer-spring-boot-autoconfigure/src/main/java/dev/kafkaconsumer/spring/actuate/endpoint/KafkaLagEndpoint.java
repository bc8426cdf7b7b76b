package dev.kafkaconsumer.spring.actuate.endpoint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import dev.kafkaconsumer.core.ContainerSnapshot;
import dev.kafkaconsumer.core.PartitionSnapshot;
import dev.kafkaconsumer.spring.actuate.lag.LagStatus;
import dev.kafkaconsumer.spring.actuate.lag.LagTracker;
import dev.kafkaconsumer.spring.actuate.lag.PartitionLag;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerLifecycle;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerRegistry;

/**
 * {@code /actuator/kafkalag}: the lag of every container, summed per container and per topic, and per
 * partition, with the estimated time lag and the {@link LagStatus}. The lag in records comes from each
 * container's live snapshot, so every assigned partition shows from the first request on, as in
 * {@code /actuator/kafkaconsumers}; the time lag and the status come from the {@link LagTracker}'s latest
 * sample and stay {@code null} (left out of the JSON) until it has sampled the partition. A sum covers the
 * partitions whose lag is known; a time lag and a status are the largest and the worst (latest in
 * {@link LagStatus}'s order) of the partitions below.
 */
@Endpoint(id = "kafkalag")
public class KafkaLagEndpoint {

    private final ConsumerContainerRegistry registry;

    private final LagTracker tracker;

    /**
     * Creates the endpoint.
     *
     * @param registry the containers
     * @param tracker  their lag over time
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
        ContainerSnapshot snapshot = container.snapshot();
        Map<String, List<PartitionLagDescriptor>> byTopic = new LinkedHashMap<>();
        Map<String, Map<String, PartitionLagDescriptor>> described = new LinkedHashMap<>();
        for (PartitionSnapshot partition : snapshot.partitions()) {
            String topic = partition.partition().topic();
            PartitionLagDescriptor lag = describe(partition,
                    sampled(this.tracker.partition(snapshot.name(), partition.partition())));
            byTopic.computeIfAbsent(topic, (name) -> new ArrayList<>()).add(lag);
            described.computeIfAbsent(topic, (name) -> new LinkedHashMap<>())
                .put(String.valueOf(partition.partition().partition()), lag);
        }
        Map<String, TopicLagDescriptor> topics = new LinkedHashMap<>();
        byTopic.forEach((topic, partitions) -> topics.put(topic, new TopicLagDescriptor(sum(partitions),
                maxTimeLag(partitions), worst(partitions), described.get(topic))));
        List<PartitionLagDescriptor> all = byTopic.values().stream().flatMap(List::stream).toList();
        return new ContainerLagDescriptor(snapshot.state().name(), sum(all), maxTimeLag(all), worst(all), topics);
    }

    /** The tracker's view of a partition once it has samples: before, it has judged nothing. */
    static Optional<PartitionLag> sampled(Optional<PartitionLag> lag) {
        return lag.filter((found) -> found.samples() > 0);
    }

    private static PartitionLagDescriptor describe(PartitionSnapshot partition, Optional<PartitionLag> sampled) {
        OptionalLong committed = partition.committed();
        OptionalLong lag = partition.lag();
        Long endOffset = (committed.isPresent() && lag.isPresent()) ? committed.getAsLong() + lag.getAsLong() : null;
        return new PartitionLagDescriptor(KafkaConsumersEndpoint.value(committed), endOffset,
                KafkaConsumersEndpoint.value(partition.highWatermark()), KafkaConsumersEndpoint.value(lag),
                sampled.map((found) -> KafkaConsumersEndpoint.value(found.timeLagMillis())).orElse(null),
                sampled.map((found) -> found.status().name()).orElse(null),
                sampled.map(PartitionLag::samples).orElse(0));
    }

    private static @Nullable Long sum(List<PartitionLagDescriptor> partitions) {
        List<Long> known = partitions.stream().map(PartitionLagDescriptor::lag).filter(Objects::nonNull).toList();
        return known.isEmpty() ? null : known.stream().mapToLong(Long::longValue).sum();
    }

    private static @Nullable Long maxTimeLag(List<PartitionLagDescriptor> partitions) {
        return partitions.stream()
            .map(PartitionLagDescriptor::timeLagMillis)
            .filter(Objects::nonNull)
            .max(Comparator.naturalOrder())
            .orElse(null);
    }

    private static @Nullable String worst(List<PartitionLagDescriptor> partitions) {
        return partitions.stream()
            .map(PartitionLagDescriptor::status)
            .filter(Objects::nonNull)
            .map(LagStatus::valueOf)
            .max(Comparator.naturalOrder())
            .map(LagStatus::name)
            .orElse(null);
    }

    /**
     * The lag of every container.
     *
     * @param containers by container id
     */
    public record LagDescriptor(Map<String, ContainerLagDescriptor> containers) implements OperationResponseBody {
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
            @Nullable String status, Map<String, TopicLagDescriptor> topics) implements OperationResponseBody {
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
     * The lag of one partition; {@code null} values are not known (yet).
     *
     * @param committed     the offset last committed, now
     * @param endOffset     the high-water mark, or the last stable offset under read_committed, now
     * @param highWatermark the high-water mark, now: under read_committed, records between {@code endOffset} and
     *                      it are held back by a transaction still open (status {@code HELD} when that lasts)
     * @param lag           records not yet committed, now
     * @param timeLagMillis how long ago the first record not yet committed was written (estimate), as of the
     *                      latest sample
     * @param status        how the partition keeps up over the window, as of the latest sample
     * @param samples       samples in the window; 0 before the first
     */
    public record PartitionLagDescriptor(@Nullable Long committed, @Nullable Long endOffset, @Nullable Long highWatermark,
            @Nullable Long lag,
            @Nullable Long timeLagMillis, @Nullable String status, int samples) {
    }

}
