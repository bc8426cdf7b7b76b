package dev.kafkaconsumer.spring.autoconfigure;

import java.util.List;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Every container of the application, by id: look one up, start, stop, pause or resume it.
 */
public class ConsumerContainerRegistry {

    private final ObjectProvider<ConsumerContainerLifecycle> containers;

    /**
     * Creates a registry over the container beans.
     *
     * @param containers the container beans, looked up on each call
     */
    public ConsumerContainerRegistry(ObjectProvider<ConsumerContainerLifecycle> containers) {
        this.containers = containers;
    }

    /**
     * Returns every container, in id order.
     *
     * @return the containers
     */
    public List<ConsumerContainerLifecycle> all() {
        return this.containers.stream()
            .sorted(java.util.Comparator.comparing(ConsumerContainerLifecycle::id))
            .toList();
    }

    /**
     * Finds a container.
     *
     * @param id the container id
     * @return the container, or empty when there is none with that id
     */
    public Optional<ConsumerContainerLifecycle> find(String id) {
        return this.containers.stream().filter((container) -> container.id().equals(id)).findFirst();
    }

    /**
     * Returns a container.
     *
     * @param id the container id
     * @return the container
     * @throws IllegalArgumentException when there is none with that id
     */
    public ConsumerContainerLifecycle get(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("No consumer container with id '" + id
                + "'; known: " + all().stream().map(ConsumerContainerLifecycle::id).toList()));
    }

    /**
     * Starts a container (again, after a stop).
     *
     * @param id the container id
     */
    public void start(String id) {
        get(id).start();
    }

    /**
     * Stops a container gracefully.
     *
     * @param id the container id
     */
    public void stop(String id) {
        get(id).stop();
    }

    /**
     * Pauses a container.
     *
     * @param id the container id
     */
    public void pause(String id) {
        get(id).pause();
    }

    /**
     * Resumes a container.
     *
     * @param id the container id
     */
    public void resume(String id) {
        get(id).resume();
    }

}
