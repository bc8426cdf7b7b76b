package dev.kafkaconsumer.core.internal.container;

import static dev.kafkaconsumer.core.ContainerState.FAILED;
import static dev.kafkaconsumer.core.ContainerState.NEW;
import static dev.kafkaconsumer.core.ContainerState.PAUSED;
import static dev.kafkaconsumer.core.ContainerState.RUNNING;
import static dev.kafkaconsumer.core.ContainerState.STARTING;
import static dev.kafkaconsumer.core.ContainerState.STOPPED;
import static dev.kafkaconsumer.core.ContainerState.STOPPING;

import java.util.EnumMap;
import java.util.Map;

import dev.kafkaconsumer.core.ContainerState;

/**
 * The one owner of a container's {@link ContainerState}: every change of state is one of the transitions
 * of {@link #TRANSITIONS}, made under this object's monitor. An event that the table does not list for the
 * current state is ignored (a pause of a stopped container, a second stop, a failure after the first),
 * except {@link Event#START}, which throws outside {@link ContainerState#NEW}: a container starts once.
 *
 * <p>Besides the state it keeps the user's pause request, which outlives the states it is made in: a
 * pause asked for while the container is {@code STARTING} (joining its group) holds once it has joined,
 * and the runtime pauses partitions assigned later while it is set.
 *
 * <p>Threads: the application's (start, stop, pause, resume), the dispatcher's (joined, fail), workers
 * and the engine's callback thread (fail), the stopper of a failed container (stopped), and any thread
 * reading the state. The monitor is a leaf lock: nothing is called while it is held, so it may be taken
 * under any other lock of the container.
 */
final class ContainerLifecycle {

    /** What happens to a container. */
    enum Event {
        /** {@code start()}: the container begins joining its group. */
        START,
        /** The engine started: the group was joined (or the engine goes on trying in the background). */
        JOINED,
        /** {@code pause()}. */
        PAUSE,
        /** {@code resume()}. */
        RESUME,
        /** Something failed: the container stops, in FAILED. */
        FAIL,
        /** {@code stop()}. */
        STOP,
        /** The stop finished: the final commit is made and every thread is released. */
        STOPPED
    }

    /** What a stop has to do, by the state it began in. */
    enum Stop {
        /** Nothing: the container is stopping, stopped or failed already (a failed container is stopped by its stopper). */
        NOTHING,
        /** The container never started: only its resources are released. */
        RELEASE,
        /** The container is joining its group: end the join, then drain and commit. */
        END_JOIN_AND_DRAIN,
        /** The container is running or paused: drain and commit. */
        DRAIN
    }

    /** Every legal transition: from a state, on an event, to a state. */
    static final Map<ContainerState, Map<Event, ContainerState>> TRANSITIONS = new Table()
            // from      on              to
            .row(NEW, Event.START, STARTING)
            .row(NEW, Event.STOP, STOPPED)
            .row(NEW, Event.FAIL, FAILED)
            .row(STARTING, Event.JOINED, RUNNING)
            .row(STARTING, Event.STOP, STOPPING)
            .row(STARTING, Event.FAIL, FAILED)
            .row(RUNNING, Event.PAUSE, PAUSED)
            .row(RUNNING, Event.STOP, STOPPING)
            .row(RUNNING, Event.FAIL, FAILED)
            .row(PAUSED, Event.RESUME, RUNNING)
            .row(PAUSED, Event.STOP, STOPPING)
            .row(PAUSED, Event.FAIL, FAILED)
            .row(STOPPING, Event.STOPPED, STOPPED)
            .row(STOPPING, Event.FAIL, FAILED)
            .build();

    private final String name;
    private volatile ContainerState state = NEW;
    private volatile boolean pauseRequested;
    private volatile String failure;

    /** @param name the container's name, for messages */
    ContainerLifecycle(String name) {
        this.name = name;
    }

    /** The state now. */
    ContainerState state() {
        return state;
    }

    /** Why the container failed, or {@code null}: the first failure's reason. */
    String failure() {
        return failure;
    }

    /** Whether the user asked for a pause and has not resumed since. */
    boolean pauseRequested() {
        return pauseRequested;
    }

    /** Whether the container is started and neither stopping, stopped nor failed: STARTING, RUNNING or PAUSED. */
    boolean isActive() {
        ContainerState now = state;
        return now == STARTING || now == RUNNING || now == PAUSED;
    }

    /**
     * NEW to STARTING.
     *
     * @throws IllegalStateException in any other state
     */
    synchronized void start() {
        if (!apply(Event.START)) {
            throw new IllegalStateException("Container " + name + " was started or stopped already; build a new one");
        }
    }

    /**
     * The engine started: STARTING to RUNNING, or on to PAUSED when a pause was asked for meanwhile.
     *
     * @return whether the container runs now (or is paused); false when it stops or failed meanwhile
     */
    synchronized boolean joined() {
        if (!apply(Event.JOINED)) {
            return false;
        }
        if (pauseRequested) {
            apply(Event.PAUSE);
        }
        return true;
    }

    /**
     * Notes the user's pause, and RUNNING to PAUSED.
     *
     * @return whether the engine's partitions are to be paused now: the container is active
     */
    synchronized boolean pause() {
        pauseRequested = true;
        apply(Event.PAUSE);
        return isActive();
    }

    /**
     * Clears the user's pause, and PAUSED to RUNNING.
     *
     * @return whether the engine's partitions are to be resumed now: the container is active
     */
    synchronized boolean resume() {
        pauseRequested = false;
        apply(Event.RESUME);
        return isActive();
    }

    /**
     * Any state but STOPPED and FAILED to FAILED; the first reason is kept.
     *
     * @param reason why
     * @return whether the caller is to stop the container: it was active, so threads run and nobody stops it yet
     */
    synchronized boolean fail(String reason) {
        boolean active = isActive();
        if (!apply(Event.FAIL)) {
            return false;
        }
        failure = reason;
        return active;
    }

    /**
     * STARTING, RUNNING and PAUSED to STOPPING, NEW to STOPPED.
     *
     * @return what the stop has to do
     */
    synchronized Stop stop() {
        ContainerState before = state;
        if (!apply(Event.STOP)) {
            return Stop.NOTHING;
        }
        return before == NEW ? Stop.RELEASE : before == STARTING ? Stop.END_JOIN_AND_DRAIN : Stop.DRAIN;
    }

    /** The stop finished: STOPPING to STOPPED; a failed container stays FAILED. */
    synchronized void stopped() {
        apply(Event.STOPPED);
    }

    /** Makes the transition of the table, if there is one; the caller holds the monitor. */
    private boolean apply(Event event) {
        ContainerState next = TRANSITIONS.get(state).get(event);
        if (next == null) {
            return false;
        }
        state = next;
        return true;
    }

    /** Builds {@link #TRANSITIONS}, one row per transition. */
    private static final class Table {

        private final Map<ContainerState, Map<Event, ContainerState>> rows = new EnumMap<>(ContainerState.class);

        Table() {
            for (ContainerState from : ContainerState.values()) {
                rows.put(from, new EnumMap<>(Event.class));
            }
        }

        Table row(ContainerState from, Event on, ContainerState to) {
            if (rows.get(from).put(on, to) != null) {
                throw new IllegalStateException("Two transitions from " + from + " on " + on);
            }
            return this;
        }

        Map<ContainerState, Map<Event, ContainerState>> build() {
            Map<ContainerState, Map<Event, ContainerState>> table = new EnumMap<>(ContainerState.class);
            rows.forEach((from, transitions) -> table.put(from, Map.copyOf(transitions)));
            return java.util.Collections.unmodifiableMap(table);
        }
    }
}
