package dev.kafkaconsumer.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.ContainerSnapshot;
import dev.kafkaconsumer.core.ContainerState;

/**
 * One container as a Spring bean: started with the application (unless its auto-startup is off), and
 * stopped gracefully, each container on its own thread, in {@link #PHASE}. The container is built when first
 * started (so one that never starts holds no client), and built anew when started after a stop or a
 * failure, since a core container starts only once.
 *
 * <p>A running container keeps the JVM alive (its dispatcher thread is not a daemon), and so does the
 * drain on stop; a worker application also stays alive while all its containers are stopped, until its
 * context closes (see {@code ContainerKeepAlive}).
 */
public final class ConsumerContainerLifecycle implements SmartLifecycle, DisposableBean {

    /**
     * The phase containers start and stop in: the phase of the web server's graceful shutdown, so that
     * records in flight drain while requests in flight do, and both finish before the server stops.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private static final Logger log = LoggerFactory.getLogger(ConsumerContainerLifecycle.class);

    private final ContainerSettings settings;

    private final Supplier<ConsumerContainer<Object, Object>> factory;

    private final Duration shutdownTimeout;

    private volatile @Nullable ConsumerContainer<Object, Object> container;

    ConsumerContainerLifecycle(ContainerSettings settings, Supplier<ConsumerContainer<Object, Object>> factory,
            Duration shutdownTimeout) {
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
    public Optional<ConsumerContainer<?, ?>> container() {
        return Optional.ofNullable(this.container);
    }

    /**
     * Returns the container's state; {@link ContainerState#NEW} before the first start.
     *
     * @return the state
     */
    public ContainerState state() {
        ConsumerContainer<Object, Object> current = this.container;
        return (current != null) ? current.state() : ContainerState.NEW;
    }

    /**
     * Returns the container's snapshot; one without partitions before the first start.
     *
     * @return the snapshot
     */
    public ContainerSnapshot snapshot() {
        ConsumerContainer<Object, Object> current = this.container;
        if (current == null) {
            return new ContainerSnapshot(id(), String.valueOf(this.settings.consumerProperties().get("group.id")),
                    ContainerState.NEW, Set.copyOf(this.settings.topics()), List.of(), Optional.empty());
        }
        return current.snapshot();
    }

    /**
     * Returns whether the container was started and has neither stopped nor failed: also while it is still
     * joining its group, so that a container waiting for the broker is stopped with the application, and
     * while it stops.
     *
     * @return true between a start and the end of a stop
     */
    @Override
    public boolean isRunning() {
        return isRunning(state());
    }

    private static boolean isRunning(ContainerState state) {
        return state != ContainerState.NEW && state != ContainerState.STOPPED && state != ContainerState.FAILED;
    }

    /**
     * Pauses the container; see {@link ConsumerContainer#pause()}.
     *
     * @throws IllegalStateException when the container is not running
     */
    public void pause() {
        running("pause").pause();
    }

    /**
     * Resumes the container; see {@link ConsumerContainer#resume()}.
     *
     * @throws IllegalStateException when the container is not running
     */
    public void resume() {
        running("resume").resume();
    }

    private ConsumerContainer<Object, Object> running(String action) {
        ConsumerContainer<Object, Object> current = this.container;
        if (current == null || !isRunning()) {
            throw new IllegalStateException("Cannot " + action + " container '" + id() + "': it is " + state());
        }
        return current;
    }

    @Override
    public synchronized void start() {
        ConsumerContainer<Object, Object> current = this.container;
        if (current != null && isRunning(current.state())) {
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
        ConsumerContainer<Object, Object> current = this.container;
        if (current != null && current.state() != ContainerState.NEW) {
            current.stop(this.shutdownTimeout);
        }
    }

    @Override
    public void stop(Runnable callback) {
        // Each container drains on its own thread, so that containers of one phase drain together.
        Thread stopper = new Thread(() -> {
            try {
                stop();
            }
            finally {
                callback.run();
            }
        }, "kafka-consumer-stop-" + id());
        // not a daemon, whatever the closing thread is: the JVM waits for the final commit
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
