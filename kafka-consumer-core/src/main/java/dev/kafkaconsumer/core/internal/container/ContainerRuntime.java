package dev.kafkaconsumer.core.internal.container;

import java.time.Duration;

import dev.kafkaconsumer.core.ContainerSnapshot;
import dev.kafkaconsumer.core.ContainerState;

/** API placeholder on the container-api branch only; the implementation lands on main. */
public final class ContainerRuntime<K, V> {
    private final ContainerConfig<K, V> config;

    public ContainerRuntime(ContainerConfig<K, V> config) {
        this.config = config;
    }

    public String name() {
        return config.name();
    }

    public void start() {
        throw new UnsupportedOperationException("not on this branch");
    }

    public void stop(Duration timeout) {
        throw new UnsupportedOperationException("not on this branch");
    }

    public ContainerState state() {
        return ContainerState.STARTING;
    }

    public void pause() {
        throw new UnsupportedOperationException("not on this branch");
    }

    public void resume() {
        throw new UnsupportedOperationException("not on this branch");
    }

    public ContainerSnapshot snapshot() {
        throw new UnsupportedOperationException("not on this branch");
    }
}
