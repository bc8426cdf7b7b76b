package dev.kafkaconsumer.core.internal.container;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.kafkaconsumer.core.internal.Durations;

/**
 * A container's part in its group's rebalances: before partitions are revoked, the records being handled
 * for them finish (within the revocation timeout) and are committed, while those taken but not started are
 * left to the next owner; lost partitions are dropped at once; assigned ones start a new progress, paused
 * when the user paused the container. The user's rebalance listeners run after, each one's exception
 * logged.
 *
 * <p>Threads: the engine's I/O thread, which calls every method (and on which the engine allows calls back
 * into it). It takes the dispatch lock briefly through the {@link Dispatcher}, never while it waits.
 */
final class RebalanceHandler implements ConsumerRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(RebalanceHandler.class);

    private final String name;
    private final Duration revocationTimeout;
    private final List<ConsumerRebalanceListener> userListeners;
    private final ContainerLifecycle lifecycle;
    private final ContainerEngine engine;
    private final Dispatcher dispatcher;
    private final Commits committer;
    private final OffsetTracker tracker;
    private final Listeners listeners;

    RebalanceHandler(ContainerConfig<?, ?> config, ContainerLifecycle lifecycle, ContainerEngine engine, Dispatcher dispatcher,
            Commits committer, OffsetTracker tracker, Listeners listeners) {
        this.name = config.name();
        this.revocationTimeout = config.revocationTimeout();
        this.userListeners = config.rebalanceListeners();
        this.lifecycle = lifecycle;
        this.engine = engine;
        this.dispatcher = dispatcher;
        this.committer = committer;
        this.tracker = tracker;
        this.listeners = listeners;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            committer.rebalanced();
            // the engine froze them before calling this: records taken but not yet tracked never run
            OffsetTracker.Closed closed = dispatcher.revoked(partitions);
            // without the dispatch lock, so that the partitions that stay keep flowing meanwhile; when the
            // container stops, the stop has waited already
            boolean active = lifecycle.isActive();
            long deadline = System.nanoTime() + (active ? Durations.nanos(revocationTimeout) : 0);
            awaitIdle(name, closed, deadline, active ? "after the revocation timeout (" + revocationTimeout + ")"
                    : "when the stop's drain ended (its shutdown timeout)", "they are not committed");
            committer.commitRevoked(partitions);
            tracker.remove(partitions);
            listeners.unassigned(name, partitions, false);
        }
        userListeners.forEach(listener -> call("onPartitionsRevoked", () -> listener.onPartitionsRevoked(partitions)));
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        dispatcher.lost(partitions);
        listeners.unassigned(name, partitions, true);
        userListeners.forEach(listener -> call("onPartitionsLost", () -> listener.onPartitionsLost(partitions)));
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        committer.rebalanced();
        dispatcher.opened(partitions); // in the group again: whatever kept the consumer out is cured
        if (lifecycle.pauseRequested() && !partitions.isEmpty()) {
            engine.pause(partitions.toArray(new TopicPartition[0]));
        }
        if (!partitions.isEmpty()) {
            listeners.assigned(name, partitions);
        }
        userListeners.forEach(listener -> call("onPartitionsAssigned", () -> listener.onPartitionsAssigned(partitions)));
    }

    private void call(String callback, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("Container {}: a rebalance listener threw from {}", name, callback, e);
        }
    }

    /**
     * Waits until no record of the closed partitions is in flight, or the deadline passes (logged with what
     * that means).
     *
     * @param waited what the deadline was, as the log line says it: "after the revocation timeout (PT30S)"
     *
     * @return false when interrupted, with the interrupt flag set again
     */
    static boolean awaitIdle(String container, OffsetTracker.Closed closed, long deadline, String waited,
            String consequence) {
        try {
            for (TopicPartition busy : closed.awaitIdle(deadline)) {
                log.warn("Container {}: records of {} still in flight {}; {}", container, busy, waited, consequence);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
