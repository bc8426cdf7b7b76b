package dev.kafkaconsumer.spring.autoconfigure;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Every container of the application, by id: look one up, start, stop, pause or resume it. Consumer-group
 * containers ({@link ConsumerContainerLifecycle}) and share containers ({@link ShareConsumerContainerLifecycle})
 * share one space of ids; {@link #all()} and {@link #find} see the first kind, {@link #shareContainers()} and
 * {@link #findShare} the second, and {@link #start}, {@link #stop} and {@link #ids()} both.
 */
public class ConsumerContainerRegistry {

    private final ObjectProvider<ConsumerContainerLifecycle> containers;

    private final ObjectProvider<ShareConsumerContainerLifecycle> shareContainers;

    /**
     * Creates a registry over the consumer-group container beans, without share containers.
     *
     * @param containers the container beans, looked up on each call
     */
    public ConsumerContainerRegistry(ObjectProvider<ConsumerContainerLifecycle> containers) {
        this(containers, new EmptyProvider<>());
    }

    /**
     * Creates a registry over the container beans of both kinds.
     *
     * @param containers      the consumer-group container beans, looked up on each call
     * @param shareContainers the share container beans, looked up on each call
     */
    public ConsumerContainerRegistry(ObjectProvider<ConsumerContainerLifecycle> containers,
            ObjectProvider<ShareConsumerContainerLifecycle> shareContainers) {
        this.containers = containers;
        this.shareContainers = shareContainers;
    }

    /**
     * Returns every consumer-group container, in id order.
     *
     * @return the containers
     */
    public List<ConsumerContainerLifecycle> all() {
        return this.containers.stream().sorted(Comparator.comparing(ConsumerContainerLifecycle::id)).toList();
    }

    /**
     * Returns every share container, in id order.
     *
     * @return the share containers
     */
    public List<ShareConsumerContainerLifecycle> shareContainers() {
        return this.shareContainers.stream().sorted(Comparator.comparing(ShareConsumerContainerLifecycle::id)).toList();
    }

    /**
     * Returns the ids of every container of both kinds, sorted.
     *
     * @return the ids
     */
    public List<String> ids() {
        return Stream.concat(this.containers.stream().map(ConsumerContainerLifecycle::id),
                this.shareContainers.stream().map(ShareConsumerContainerLifecycle::id)).sorted().toList();
    }

    /**
     * Finds a consumer-group container.
     *
     * @param id the container id
     * @return the container, or empty when there is none with that id (or it is a share container)
     */
    public Optional<ConsumerContainerLifecycle> find(String id) {
        return this.containers.stream().filter((container) -> container.id().equals(id)).findFirst();
    }

    /**
     * Finds a share container.
     *
     * @param id the container id
     * @return the share container, or empty when there is none with that id (or it is a consumer-group container)
     */
    public Optional<ShareConsumerContainerLifecycle> findShare(String id) {
        return this.shareContainers.stream().filter((container) -> container.id().equals(id)).findFirst();
    }

    /**
     * Returns a consumer-group container.
     *
     * @param id the container id
     * @return the container
     * @throws IllegalArgumentException when there is none with that id, or it is a share container
     */
    public ConsumerContainerLifecycle get(String id) {
        return find(id).orElseThrow(() -> unknown(id, "share container; use getShare"));
    }

    /**
     * Returns a share container.
     *
     * @param id the container id
     * @return the share container
     * @throws IllegalArgumentException when there is none with that id, or it is a consumer-group container
     */
    public ShareConsumerContainerLifecycle getShare(String id) {
        return findShare(id).orElseThrow(() -> unknown(id, "consumer-group container; use get"));
    }

    private IllegalArgumentException unknown(String id, String otherKind) {
        if (ids().contains(id)) {
            return new IllegalArgumentException("Container '" + id + "' is a " + otherKind);
        }
        return new IllegalArgumentException("No consumer container with id '" + id + "'; known: " + ids());
    }

    /**
     * Starts a container of either kind (again, after a stop).
     *
     * @param id the container id
     */
    public void start(String id) {
        Optional<ShareConsumerContainerLifecycle> share = findShare(id);
        if (share.isPresent()) {
            share.get().start();
        }
        else {
            get(id).start();
        }
    }

    /**
     * Stops a container of either kind gracefully.
     *
     * @param id the container id
     */
    public void stop(String id) {
        Optional<ShareConsumerContainerLifecycle> share = findShare(id);
        if (share.isPresent()) {
            share.get().stop();
        }
        else {
            get(id).stop();
        }
    }

    /**
     * Pauses a consumer-group container.
     *
     * @param id the container id
     * @throws IllegalArgumentException for a share container, which cannot pause
     */
    public void pause(String id) {
        get(id).pause();
    }

    /**
     * Resumes a consumer-group container.
     *
     * @param id the container id
     * @throws IllegalArgumentException for a share container, which cannot pause
     */
    public void resume(String id) {
        get(id).resume();
    }

    /** The share containers of a registry made with the constructor of before them: none. */
    private static final class EmptyProvider<T> implements ObjectProvider<T> {

        @Override
        public T getObject() {
            throw new org.springframework.beans.factory.NoSuchBeanDefinitionException(Object.class);
        }

        @Override
        public Stream<T> stream() {
            return Stream.empty();
        }

        @Override
        public Stream<T> orderedStream() {
            return Stream.empty();
        }

    }

}
