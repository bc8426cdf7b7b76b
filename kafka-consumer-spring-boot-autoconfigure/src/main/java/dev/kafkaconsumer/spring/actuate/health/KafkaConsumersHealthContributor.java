package dev.kafkaconsumer.spring.actuate.health;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;

import dev.kafkaconsumer.spring.actuate.lag.LagStatus;
import dev.kafkaconsumer.spring.actuate.lag.LagTracker;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerLifecycle;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerRegistry;

/**
 * The {@code kafkaConsumers} health contributor: one {@link KafkaConsumerHealthIndicator} per container, and one
 * {@link ShareConsumerHealthIndicator} per share container, by container id, looked up in the registry on each probe.
 */
public class KafkaConsumersHealthContributor implements CompositeHealthContributor {

    private final ConsumerContainerRegistry registry;

    private final @Nullable LagTracker tracker;

    private final Set<LagStatus> downOnLagStatus;

    /**
     * Creates the contributor.
     *
     * @param registry        the containers
     * @param tracker         their lag, or {@code null} when lag is not tracked
     * @param downOnLagStatus the lag statuses that make a running container DOWN
     */
    public KafkaConsumersHealthContributor(ConsumerContainerRegistry registry, @Nullable LagTracker tracker,
            Set<LagStatus> downOnLagStatus) {
        this.registry = registry;
        this.tracker = tracker;
        this.downOnLagStatus = Set.copyOf(downOnLagStatus);
    }

    @Override
    public @Nullable HealthContributor getContributor(String name) {
        HealthContributor share = this.registry.findShare(name).map(ShareConsumerHealthIndicator::new).orElse(null);
        return (share != null) ? share : this.registry.find(name).map(this::indicator).orElse(null);
    }

    @Override
    public Stream<HealthContributors.Entry> stream() {
        Map<String, HealthContributor> contributors = new TreeMap<>();
        this.registry.all().forEach((container) -> contributors.put(container.id(), indicator(container)));
        this.registry.shareContainers()
            .forEach((container) -> contributors.put(container.id(), new ShareConsumerHealthIndicator(container)));
        return contributors.entrySet().stream().map((entry) -> new HealthContributors.Entry(entry.getKey(),
                entry.getValue()));
    }

    private KafkaConsumerHealthIndicator indicator(ConsumerContainerLifecycle container) {
        return new KafkaConsumerHealthIndicator(container, this.tracker, this.downOnLagStatus);
    }

}
