package dev.kafkaconsumer.spring.autoconfigure;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

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
public final class ShareConsumerContainerLifecycle implements SmartLifecycle, DisposableBean {

    /** The phase share containers start and stop in: that of the consumer-group containers. */
    public static final int PHASE = ConsumerContainerLifecycle.PHASE;

    private static final Logger log = LoggerFactory.getLogger(ShareConsumerContainerLifecycle.class);

    private final ContainerSettings settings;

    private final Supplier<ShareConsumerContainer<Object, Object>> factory;

    private final Duration shutdownTimeout;

    private volatile @Nullable ShareConsumerContainer<Object, Object> container;

    ShareConsumerContainerLifecycle(ContainerSettings settings, Supplier<ShareConsumerContainer<Object, Object>> factory,
            Duration shutdownTimeout) {
        if (!settings.isShare()) {
            throw new IllegalArgumentException("Container " + settings.id() + " has no share group");
        }
        this.settings = settings;
        this.factory = factory;
        this.shutdownTimeout = shutdownTimeout;
    }

    /**
     * Returns the container id.
     *
     * @return the id
     */
    public String id() {
        return this.settings.id();
    }

    /**
     * Returns the share group the container joins.
     *
     * @return the share group's id
     */
    public String shareGroup() {
        return String.valueOf(this.settings.shareGroup());
    }

    /**
     * Returns what the container was built with.
     *
     * @return the settings
     */
    public ContainerSettings settings() {
        return this.settings;
    }

    /**
     * Returns the current container: none before the first start, a new one after a restart.
     *
     * @return the container, or empty before the first start
     */
    public Optional<ShareConsumerContainer<?, ?>> container() {
        return Optional.ofNullable(this.container);
    }

    /**
     * Returns the container's state; {@link ContainerState#NEW} before the first start.
     *
     * @return the state
     */
    public ContainerState state() {
        ShareConsumerContainer<Object, Object> current = this.container;
        return (current != null) ? current.state() : ContainerState.NEW;
    }

    /**
     * Returns the container's snapshot; one that counts nothing before the first start.
     *
     * @return the snapshot
     */
    public ShareContainerSnapshot snapshot() {
        ShareConsumerContainer<Object, Object> current = this.container;
        if (current == null) {
            Map<AcknowledgeType, Long> none = new EnumMap<>(AcknowledgeType.class);
            for (AcknowledgeType type : AcknowledgeType.values()) {
                none.put(type, 0L);
            }
            return new ShareContainerSnapshot(id(), shareGroup(), ContainerState.NEW, Set.copyOf(this.settings.topics()),
                    0, 0, none, Map.of(), 0, 0, Optional.empty());
        }
        return current.snapshot();
    }

    /**
     * Returns whether the container was started and has neither stopped nor failed: also while it joins its share
     * group, and while it stops.
     *
     * @return true between a start and the end of a stop
     */
    @Override
    public boolean isRunning() {
        ContainerState state = state();
        return state != ContainerState.NEW && state != ContainerState.STOPPED && state != ContainerState.FAILED;
    }

    @Override
    public synchronized void start() {
        ShareConsumerContainer<Object, Object> current = this.container;
        if (current != null && isRunning()) {
            return;
        }
        if (current == null || current.state() != ContainerState.NEW) {
            // a core container starts once: one that stopped or failed is replaced
            current = this.factory.get();
            this.container = current;
        }
        current.start();
    }

    @Override
    public void stop() {
        ShareConsumerContainer<Object, Object> current = this.container;
        if (current != null && current.state() != ContainerState.NEW) {
            current.stop(this.shutdownTimeout);
        }
    }

    @Override
    public void stop(Runnable callback) {
        // each container drains on its own thread, so that the containers of one phase drain together
        Thread stopper = new Thread(() -> {
            try {
                stop();
            }
            finally {
                callback.run();
            }
        }, "kafka-consumer-stop-" + id());
        // not a daemon, whatever the closing thread is: the JVM waits for the last acknowledgements
        stopper.setDaemon(false);
        stopper.setUncaughtExceptionHandler((thread, ex) -> log.error("Container {} did not stop cleanly", id(), ex));
        stopper.start();
    }

    @Override
    public boolean isAutoStartup() {
        return this.settings.autoStartup();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Stops a container that the lifecycle did not stop (one started after the context's own stop). */
    @Override
    public void destroy() {
        if (isRunning()) {
            stop();
        }
    }

}
