package dev.kafkaconsumer.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.springframework.context.SmartLifecycle;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.ContainerSnapshot;
import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.TransactionStats;

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
public final class ConsumerContainerLifecycle extends ContainerBeanLifecycle<ConsumerContainer<Object, Object>> {

    /**
     * The phase containers start and stop in: the phase of the web server's graceful shutdown, so that
     * records in flight drain while requests in flight do, and both finish before the server stops.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    ConsumerContainerLifecycle(ContainerSettings settings, Supplier<ConsumerContainer<Object, Object>> factory,
            Duration shutdownTimeout, ShutdownPhase shutdownPhase) {
        super(settings, factory, shutdownTimeout, shutdownPhase);
    }

    @Override
    ContainerState stateOf(ConsumerContainer<Object, Object> container) {
        return container.state();
    }

    @Override
    void start(ConsumerContainer<Object, Object> container) {
        container.start();
    }

    @Override
    void stop(ConsumerContainer<Object, Object> container, Duration timeout) {
        container.stop(timeout);
    }

    /**
     * Returns the current container: none before the first start, a new one after a restart.
     *
     * @return the container, or empty before the first start
     */
    public Optional<ConsumerContainer<?, ?>> container() {
        return Optional.ofNullable(current());
    }

    /**
     * Returns the container's snapshot; one without partitions (and, for a transactional container, without
     * transactions) before the first start.
     *
     * @return the snapshot
     */
    public ContainerSnapshot snapshot() {
        ConsumerContainer<Object, Object> current = current();
        if (current == null) {
            return new ContainerSnapshot(id(), String.valueOf(settings().consumerProperties().get("group.id")),
                    ContainerState.NEW, Set.copyOf(settings().topics()), List.of(), Optional.empty(), Optional.empty(),
                    settings().isTransactional() ? TransactionStats.NONE : null);
        }
        return current.snapshot();
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
        ConsumerContainer<Object, Object> current = current();
        if (current == null || !isRunning()) {
            throw new IllegalStateException("Cannot " + action + " container '" + id() + "': it is " + state());
        }
        return current;
    }

}
