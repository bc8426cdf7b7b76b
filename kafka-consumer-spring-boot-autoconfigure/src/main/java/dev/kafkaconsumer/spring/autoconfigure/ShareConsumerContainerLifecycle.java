package dev.kafkaconsumer.spring.autoconfigure;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.AcknowledgeType;

import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.ShareConsumerContainer;
import dev.kafkaconsumer.core.ShareContainerSnapshot;

/**
 * One share container (a {@code @RecordHandler} with a share group) as a Spring bean: the share-group counterpart
 * of {@link ConsumerContainerLifecycle}, started and stopped the same way, in the same {@link #PHASE}. It is built
 * when first started, and built anew when started after a stop or a failure. A share container has no partitions
 * of its own, so it cannot be paused, resumed or moved to an offset: start and stop are all there is.
 *
 * <p>On stop, the records being handled finish within {@code shutdown-timeout} and are acknowledged; those taken
 * and not handled are released at once, so that the group's other consumers get them without waiting for their
 * acquisition locks to expire.
 */
public final class ShareConsumerContainerLifecycle extends ContainerBeanLifecycle<ShareConsumerContainer<Object, Object>> {

    /** The phase share containers start and stop in: that of the consumer-group containers. */
    public static final int PHASE = ConsumerContainerLifecycle.PHASE;

    ShareConsumerContainerLifecycle(ContainerSettings settings, Supplier<ShareConsumerContainer<Object, Object>> factory,
            Duration shutdownTimeout, ShutdownPhase shutdownPhase) {
        super(requireShare(settings), factory, shutdownTimeout, shutdownPhase);
    }

    private static ContainerSettings requireShare(ContainerSettings settings) {
        if (!settings.isShare()) {
            throw new IllegalArgumentException("Container " + settings.id() + " has no share group");
        }
        return settings;
    }

    @Override
    ContainerState stateOf(ShareConsumerContainer<Object, Object> container) {
        return container.state();
    }

    @Override
    void start(ShareConsumerContainer<Object, Object> container) {
        container.start();
    }

    @Override
    void stop(ShareConsumerContainer<Object, Object> container, Duration timeout) {
        container.stop(timeout);
    }

    /**
     * Returns the share group the container joins.
     *
     * @return the share group's id
     */
    public String shareGroup() {
        return String.valueOf(settings().shareGroup());
    }

    /**
     * Returns the current container: none before the first start, a new one after a restart.
     *
     * @return the container, or empty before the first start
     */
    public Optional<ShareConsumerContainer<?, ?>> container() {
        return Optional.ofNullable(current());
    }

    /**
     * Returns the container's snapshot; one that counts nothing before the first start.
     *
     * @return the snapshot
     */
    public ShareContainerSnapshot snapshot() {
        ShareConsumerContainer<Object, Object> current = current();
        if (current == null) {
            Map<AcknowledgeType, Long> none = new EnumMap<>(AcknowledgeType.class);
            for (AcknowledgeType type : AcknowledgeType.values()) {
                none.put(type, 0L);
            }
            return new ShareContainerSnapshot(id(), shareGroup(), ContainerState.NEW, Set.copyOf(settings().topics()),
                    0, 0, none, Map.of(), 0, 0, Optional.empty());
        }
        return current.snapshot();
    }

}
