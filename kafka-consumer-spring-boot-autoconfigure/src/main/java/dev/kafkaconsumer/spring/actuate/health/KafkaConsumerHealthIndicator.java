package dev.kafkaconsumer.spring.actuate.health;

import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.kafkaconsumer.core.ContainerSnapshot;
import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.spring.actuate.lag.LagStatus;
import dev.kafkaconsumer.spring.actuate.lag.LagTracker;
import dev.kafkaconsumer.spring.actuate.lag.PartitionLag;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerLifecycle;

/**
 * The health of one container, from its local snapshot (no request to the broker): DOWN when it failed,
 * with the reason; DOWN, with the error, while its consumer keeps failing (a wrong password, a missing
 * permission) and the group has not assigned it partitions since, or while no broker has answered it for longer
 * than {@code request.timeout.ms} ({@code no response from the brokers for N s}: a network partition, see
 * {@code ContainerSnapshot#error()}); DOWN when a partition's lag status is
 * one of those configured ({@code kafka.consumer.health.down-on-lag-status}, none by default) while the
 * container runs; UP otherwise, also when it was stopped or paused on purpose (the state is in the
 * details), because an operator's stop is not an outage and must not get the application restarted.
 */
public class KafkaConsumerHealthIndicator extends AbstractHealthIndicator {

    private final ConsumerContainerLifecycle container;

    private final @Nullable LagTracker tracker;

    private final Set<LagStatus> downOnLagStatus;

    /**
     * Creates an indicator.
     *
     * @param container       the container
     * @param tracker         its lag, or {@code null} when lag is not tracked
     * @param downOnLagStatus the lag statuses that make a running container DOWN
     */
    public KafkaConsumerHealthIndicator(ConsumerContainerLifecycle container, @Nullable LagTracker tracker,
            Set<LagStatus> downOnLagStatus) {
        super("Kafka consumer container health check failed");
        this.container = container;
        this.tracker = tracker;
        this.downOnLagStatus = Set.copyOf(downOnLagStatus);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        ContainerSnapshot snapshot = this.container.snapshot();
        builder.withDetail("state", snapshot.state().name());
        if (snapshot.groupId() != null) {
            builder.withDetail("groupId", snapshot.groupId());
        }
        builder.withDetail("partitions", snapshot.partitions().size()).withDetail("inFlight", snapshot.inFlight());
        if (snapshot.state() == ContainerState.FAILED) {
            builder.down().withDetail("failure", snapshot.failure().orElse("unknown"));
            return;
        }
        if (snapshot.error().isPresent() && snapshot.state() != ContainerState.STOPPED) {
            builder.down().withDetail("error", snapshot.error().get());
            return;
        }
        // the lag now, as the endpoints show it; the statuses need the tracker's window
        long lag = snapshot.partitions().stream().filter((partition) -> partition.lag().isPresent())
            .mapToLong((partition) -> partition.lag().getAsLong()).sum();
        builder.withDetail("lag", lag);
        List<PartitionLag> lags = (this.tracker != null) ? this.tracker.partitions(this.container.id()) : List.of();
        List<String> lagging = lags.stream()
            .filter((partition) -> this.downOnLagStatus.contains(partition.status()))
            .map((partition) -> partition.partition() + " " + partition.status())
            .toList();
        // a container paused on purpose falls behind on purpose
        if (!lagging.isEmpty() && snapshot.state() == ContainerState.RUNNING) {
            builder.down().withDetail("lagging", lagging);
            return;
        }
        builder.up();
    }

}
