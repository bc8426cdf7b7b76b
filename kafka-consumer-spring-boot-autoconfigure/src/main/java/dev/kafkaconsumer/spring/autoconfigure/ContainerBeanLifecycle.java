package dev.kafkaconsumer.spring.autoconfigure;

import java.time.Duration;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

import dev.kafkaconsumer.core.ContainerState;

/**
 * What the two kinds of container bean share: a core container started and stopped as a {@link SmartLifecycle}
 * in {@link ConsumerContainerLifecycle#PHASE}, built when first started (so that one that never starts holds no
 * client) and built anew when started after a stop or a failure, since a core container starts only once; stopped
 * gracefully within the shutdown timeout, each container on its own thread (not a daemon: the JVM waits for the
 * final commit or acknowledgements), so that the containers of one phase drain together. A stop by the phase leaves
 * room in the phase's timeout for the final commit ({@link ShutdownPhase}).
 *
 * <p>Threads: {@code start} is synchronized (the context's and the registry's starts); {@code stop} may run on any
 * thread, and on {@code kafka-consumer-stop-<id>} when the context stops.
 *
 * @param <C> the core container type
 */
abstract class ContainerBeanLifecycle<C> implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ContainerBeanLifecycle.class);

    private final ContainerSettings settings;

    private final Supplier<C> factory;

    private final Duration shutdownTimeout;

    private final Duration phaseDrainTimeout;

    private volatile @Nullable C container;

    ContainerBeanLifecycle(ContainerSettings settings, Supplier<C> factory, Duration shutdownTimeout,
            ShutdownPhase shutdownPhase) {
        this.settings = settings;
        this.factory = factory;
        this.shutdownTimeout = shutdownTimeout;
        this.phaseDrainTimeout = shutdownPhase.drainTimeout(shutdownTimeout);
        if (shutdownPhase.shorterThan(shutdownTimeout)) {
            log.warn("Container {} lets the records being handled finish for at most {} ms when the application stops, not "
                    + "its shutdown-timeout's {} ms: {} ({} ms) bounds the shutdown phase, and {} ms of it are kept for the "
                    + "final commit and leaving the group; raise {} to at least the shutdown-timeout plus {} ms to keep it",
                    id(), this.phaseDrainTimeout.toMillis(), shutdownTimeout.toMillis(), ShutdownPhase.TIMEOUT_PROPERTY,
                    shutdownPhase.timeout().toMillis(), ShutdownPhase.FINAL_COMMIT_RESERVE.toMillis(),
                    ShutdownPhase.TIMEOUT_PROPERTY, ShutdownPhase.FINAL_COMMIT_RESERVE.toMillis());
        }
    }

    /** The state of a container of this kind. */
    abstract ContainerState stateOf(C container);

    /** Starts a container of this kind. */
    abstract void start(C container);

    /** Stops a container of this kind within the timeout. */
    abstract void stop(C container, Duration timeout);

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

    /** The current container, or null before the first start. */
    final @Nullable C current() {
        return this.container;
    }

    /**
     * Returns the container's state; {@link ContainerState#NEW} before the first start.
     *
     * @return the state
     */
    public ContainerState state() {
        C current = this.container;
        return (current != null) ? stateOf(current) : ContainerState.NEW;
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
        ContainerState state = state();
        return state != ContainerState.NEW && state != ContainerState.STOPPED && state != ContainerState.FAILED;
    }

    @Override
    public synchronized void start() {
        C current = this.container;
        if (current != null && isRunning()) {
            return;
        }
        if (current == null || stateOf(current) != ContainerState.NEW) {
            // a core container starts once: one that stopped or failed is replaced
            current = this.factory.get();
            this.container = current;
        }
        start(current);
    }

    /** Stops the container, its records in flight given the whole shutdown timeout (a stop asked for by the registry). */
    @Override
    public void stop() {
        stop(this.shutdownTimeout);
    }

    private void stop(Duration drainTimeout) {
        C current = this.container;
        if (current != null && stateOf(current) != ContainerState.NEW) {
            stop(current, drainTimeout);
        }
    }

    /**
     * Returns how long the records in flight get when the context's shutdown phase stops the container: the shutdown
     * timeout, cut so that the final commit fits in the phase ({@link ShutdownPhase}).
     *
     * @return the drain timeout of a stop by the phase
     */
    Duration phaseDrainTimeout() {
        return this.phaseDrainTimeout;
    }

    /**
     * The stop of the context's shutdown phase, on a thread of its own: its records in flight get
     * {@link #phaseDrainTimeout()}, so that the final commit and the group leave are made before the phase's timeout
     * lets the context, and a JVM ended by a signal, go on without them.
     */
    @Override
    public void stop(Runnable callback) {
        Thread stopper = new Thread(() -> {
            try {
                stop(this.phaseDrainTimeout);
            }
            finally {
                callback.run();
            }
        }, "kafka-consumer-stop-" + id());
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
        return ConsumerContainerLifecycle.PHASE;
    }

    /** Stops a container that the lifecycle did not stop (one started after the context's own stop). */
    @Override
    public void destroy() {
        if (isRunning()) {
            stop();
        }
    }

}
