package dev.kafkaconsumer.spring.actuate.health;

import java.util.function.Supplier;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.ShareContainerSnapshot;
import dev.kafkaconsumer.spring.autoconfigure.ShareConsumerContainerLifecycle;

/**
 * The health of one share container, from its local snapshot (no request to the broker): DOWN when it failed, with
 * the reason; UP otherwise, also when it was stopped on purpose (the state is in the details), as for a consumer-group
 * container. The details say what it holds (records acquired, in flight) and how many acquisition locks expired.
 */
public class ShareConsumerHealthIndicator extends AbstractHealthIndicator {

    private final Supplier<ShareContainerSnapshot> snapshots;

    /**
     * Creates an indicator.
     *
     * @param container the share container
     */
    public ShareConsumerHealthIndicator(ShareConsumerContainerLifecycle container) {
        this(container::snapshot);
    }

    ShareConsumerHealthIndicator(Supplier<ShareContainerSnapshot> snapshots) {
        super("Kafka share consumer container health check failed");
        this.snapshots = snapshots;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        ShareContainerSnapshot snapshot = this.snapshots.get();
        builder.withDetail("kind", "share")
            .withDetail("state", snapshot.state().name())
            .withDetail("groupId", snapshot.groupId())
            .withDetail("acquired", snapshot.acquired())
            .withDetail("inFlight", snapshot.inFlight())
            .withDetail("lockExpirations", snapshot.lockExpirations());
        if (snapshot.state() == ContainerState.FAILED) {
            builder.down().withDetail("failure", snapshot.failure().orElse("unknown"));
            return;
        }
        builder.up();
    }

}
