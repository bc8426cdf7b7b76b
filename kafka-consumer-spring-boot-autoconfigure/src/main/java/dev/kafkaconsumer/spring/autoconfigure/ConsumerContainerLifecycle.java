package dev.kafkaconsumer.spring.autoconfigure;

import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.ContainerSnapshot;
import dev.kafkaconsumer.core.ContainerState;

/**
 * One container as a Spring bean: started with the application (unless its auto-startup is off), and
 * stopped gracefully, each container on its own thread, in {@link #PHASE}. A container that stopped or
 * failed is built anew from its settings when started again, since a core container starts only once.
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

    private volatile ConsumerContainer<Object, Object> container;

    ConsumerContainerLifecycle(ContainerSettings settings, Supplier<ConsumerContainer<Object, Object>> factory,
            Duration shutdownTimeout) {
        this.settings = settings;
        this.factory = factory;
        this.shutdownTimeout = shutdownTimeout;
        this.container = factory.get();
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
     * Returns the current container; a new one after a restart.
     *
     * @return the container
     */
    public ConsumerContainer<?, ?> container() {
        return this.container;
    }

    /**
     * Returns the container's state.
     *
     * @return the state
     */
    public ContainerState state() {
        return this.container.state();
    }

    /**
     * Returns the container's snapshot.
     *
     * @return the snapshot
     */
    public ContainerSnapshot snapshot() {
        return this.container.snapshot();
    }

    /** Pauses the container; see {@link ConsumerContainer#pause()}. */
    public void pause() {
        this.container.pause();
    }

    /** Resumes the container; see {@link ConsumerContainer#resume()}. */
    public void resume() {
        this.container.resume();
    }

    @Override
    public synchronized void start() {
        if (this.container.isRunning()) {
            return;
        }
        ContainerState state = this.container.state();
        if (state == ContainerState.STOPPED || state == ContainerState.FAILED) {
            this.container = this.factory.get();
        }
        this.container.start();
    }

    @Override
    public void stop() {
        this.container.stop(this.shutdownTimeout);
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
        stopper.setUncaughtExceptionHandler((thread, ex) -> log.error("Container {} did not stop cleanly", id(), ex));
        stopper.start();
    }

    @Override
    public boolean isRunning() {
        return this.container.isRunning();
    }

    @Override
    public boolean isAutoStartup() {
        return this.settings.autoStartup();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Releases what a container that never ran holds (its dead-letter producer); idempotent. */
    @Override
    public void destroy() {
        ContainerState state = this.container.state();
        if (state != ContainerState.STOPPED && state != ContainerState.FAILED) {
            this.container.stop(this.shutdownTimeout);
        }
    }

}
