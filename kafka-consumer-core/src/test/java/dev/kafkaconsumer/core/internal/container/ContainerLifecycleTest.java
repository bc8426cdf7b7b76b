package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.internal.container.ContainerLifecycle.Event;
import dev.kafkaconsumer.core.internal.container.ContainerLifecycle.Stop;

/** Every state against every event, and the races that used to lose a FAILED or a pause; no broker. */
class ContainerLifecycleTest {

    private static final int RACES = 2_000;

    private final ExecutorService racers = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopRacers() {
        racers.shutdownNow();
    }

    /** A lifecycle brought to a state by its own events, as a container gets there. */
    private static ContainerLifecycle in(ContainerState state) {
        ContainerLifecycle lifecycle = new ContainerLifecycle("c");
        switch (state) {
            case NEW -> { }
            case STARTING -> lifecycle.start();
            case RUNNING -> {
                lifecycle.start();
                lifecycle.joined();
            }
            case PAUSED -> {
                lifecycle.start();
                lifecycle.joined();
                lifecycle.pause();
            }
            case STOPPING -> {
                lifecycle.start();
                lifecycle.joined();
                lifecycle.stop();
            }
            case STOPPED -> {
                lifecycle.start();
                lifecycle.joined();
                lifecycle.stop();
                lifecycle.stopped();
            }
            case FAILED -> {
                lifecycle.start();
                lifecycle.fail("first");
            }
        }
        assertThat(lifecycle.state()).isEqualTo(state);
        return lifecycle;
    }

    private static void apply(ContainerLifecycle lifecycle, Event event) {
        switch (event) {
            case START -> lifecycle.start();
            case JOINED -> lifecycle.joined();
            case PAUSE -> lifecycle.pause();
            case RESUME -> lifecycle.resume();
            case FAIL -> lifecycle.fail("second");
            case STOP -> lifecycle.stop();
            case STOPPED -> lifecycle.stopped();
        }
    }

    /** The expected outcome of every state and event: the state after, or null where the event throws. */
    static Stream<Arguments> everyStateAndEvent() {
        ContainerState[][] expected = {
            //            START     JOINED   PAUSE    RESUME   FAIL     STOP      STOPPED
            /* NEW */     {ContainerState.STARTING, ContainerState.NEW, ContainerState.NEW, ContainerState.NEW,
                    ContainerState.FAILED, ContainerState.STOPPED, ContainerState.NEW},
            /* STARTING */ {null, ContainerState.RUNNING, ContainerState.STARTING, ContainerState.STARTING,
                    ContainerState.FAILED, ContainerState.STOPPING, ContainerState.STARTING},
            /* RUNNING */ {null, ContainerState.RUNNING, ContainerState.PAUSED, ContainerState.RUNNING,
                    ContainerState.FAILED, ContainerState.STOPPING, ContainerState.RUNNING},
            /* PAUSED */  {null, ContainerState.PAUSED, ContainerState.PAUSED, ContainerState.RUNNING,
                    ContainerState.FAILED, ContainerState.STOPPING, ContainerState.PAUSED},
            /* STOPPING */ {null, ContainerState.STOPPING, ContainerState.STOPPING, ContainerState.STOPPING,
                    ContainerState.FAILED, ContainerState.STOPPING, ContainerState.STOPPED},
            /* STOPPED */ {null, ContainerState.STOPPED, ContainerState.STOPPED, ContainerState.STOPPED,
                    ContainerState.STOPPED, ContainerState.STOPPED, ContainerState.STOPPED},
            /* FAILED */  {null, ContainerState.FAILED, ContainerState.FAILED, ContainerState.FAILED,
                    ContainerState.FAILED, ContainerState.FAILED, ContainerState.FAILED},
        };
        List<Arguments> cases = new ArrayList<>();
        for (ContainerState from : ContainerState.values()) {
            for (Event event : Event.values()) {
                cases.add(Arguments.of(from, event, expected[from.ordinal()][event.ordinal()]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @MethodSource("everyStateAndEvent")
    void everyEventInEveryStateLeadsWhereTheTableSays(ContainerState from, Event event, ContainerState to) {
        ContainerLifecycle lifecycle = in(from);

        if (to == null) {
            assertThatIllegalStateException().isThrownBy(() -> apply(lifecycle, event))
                    .withMessage("Container c was started or stopped already; build a new one");
            assertThat(lifecycle.state()).isEqualTo(from);
        } else {
            assertThatNoException().isThrownBy(() -> apply(lifecycle, event));
            assertThat(lifecycle.state()).isEqualTo(to);
        }
    }

    @Test
    void theTableListsExactlyTheTransitionsThatChangeTheStateOrStart() {
        // the table above and the class's table say the same: every changing pair is a row, and no row is idle
        everyStateAndEvent().forEach(arguments -> {
            ContainerState from = (ContainerState) arguments.get()[0];
            Event event = (Event) arguments.get()[1];
            ContainerState to = (ContainerState) arguments.get()[2];
            ContainerState row = ContainerLifecycle.TRANSITIONS.get(from).get(event);
            if (to != null && to != from) {
                assertThat(row).as(from + " on " + event).isEqualTo(to);
            } else {
                assertThat(row).as(from + " on " + event).isNull();
            }
        });
    }

    @Test
    void theFirstFailureIsKeptAndOnlyAnActiveContainerAsksForItsStop() {
        ContainerLifecycle running = in(ContainerState.RUNNING);
        assertThat(running.fail("the recoverer threw")).isTrue();
        assertThat(running.fail("its engine stopped")).isFalse();
        assertThat(running.failure()).isEqualTo("the recoverer threw");

        ContainerLifecycle stopping = in(ContainerState.STOPPING);
        assertThat(stopping.fail("a dead letter failed while draining")).as("its stop is under way").isFalse();
        assertThat(stopping.state()).isEqualTo(ContainerState.FAILED);
        assertThat(stopping.failure()).isEqualTo("a dead letter failed while draining");

        assertThat(in(ContainerState.NEW).fail("never started")).isFalse();
        assertThat(in(ContainerState.STARTING).fail("its engine did not start")).isTrue();
        assertThat(in(ContainerState.PAUSED).fail("x")).isTrue();
        ContainerLifecycle stopped = in(ContainerState.STOPPED);
        assertThat(stopped.fail("too late")).isFalse();
        assertThat(stopped.failure()).isNull();
    }

    @Test
    void aStopSaysWhatItHasToDoByTheStateItBeganIn() {
        assertThat(in(ContainerState.NEW).stop()).isEqualTo(Stop.RELEASE);
        assertThat(in(ContainerState.STARTING).stop()).isEqualTo(Stop.END_JOIN_AND_DRAIN);
        assertThat(in(ContainerState.RUNNING).stop()).isEqualTo(Stop.DRAIN);
        assertThat(in(ContainerState.PAUSED).stop()).isEqualTo(Stop.DRAIN);
        assertThat(in(ContainerState.STOPPING).stop()).isEqualTo(Stop.NOTHING);
        assertThat(in(ContainerState.STOPPED).stop()).isEqualTo(Stop.NOTHING);
        assertThat(in(ContainerState.FAILED).stop()).as("its stopper stops it").isEqualTo(Stop.NOTHING);
    }

    @Test
    void aFailedContainerStaysFailedWhenItsStopEnds() {
        ContainerLifecycle lifecycle = in(ContainerState.STOPPING);
        lifecycle.fail("while draining");
        lifecycle.stopped();

        assertThat(lifecycle.state()).isEqualTo(ContainerState.FAILED);
    }

    @Test
    void aPauseAskedForWhileJoiningHoldsOnceJoinedAndAResumeBeforeTheJoinCancelsIt() {
        ContainerLifecycle paused = in(ContainerState.STARTING);
        assertThat(paused.pause()).as("partitions assigned by hand are paused at once").isTrue();
        assertThat(paused.joined()).isTrue();
        assertThat(paused.state()).isEqualTo(ContainerState.PAUSED);
        assertThat(paused.pauseRequested()).isTrue();

        ContainerLifecycle resumed = in(ContainerState.STARTING);
        resumed.pause();
        assertThat(resumed.resume()).isTrue();
        resumed.joined();
        assertThat(resumed.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(resumed.pauseRequested()).isFalse();
    }

    @Test
    void aPauseBeforeTheStartHoldsOnceJoinedButTouchesNoPartitionYet() {
        ContainerLifecycle lifecycle = in(ContainerState.NEW);

        assertThat(lifecycle.pause()).as("nothing to pause on the engine before the start").isFalse();
        lifecycle.start();
        lifecycle.joined();

        assertThat(lifecycle.state()).isEqualTo(ContainerState.PAUSED);
    }

    @Test
    void pauseAndResumeTouchTheEngineOnlyWhileTheContainerIsActive() {
        for (ContainerState state : ContainerState.values()) {
            boolean active = state == ContainerState.STARTING || state == ContainerState.RUNNING
                    || state == ContainerState.PAUSED;
            assertThat(in(state).isActive()).as(state.name()).isEqualTo(active);
            assertThat(in(state).pause()).as("pause in " + state).isEqualTo(active);
            assertThat(in(state).resume()).as("resume in " + state).isEqualTo(active);
        }
    }

    @Test
    void aJoinAfterTheStopBeganOrAFailureSaysTheDispatcherHasNothingToRun() {
        assertThat(in(ContainerState.STOPPING).joined()).isFalse();
        assertThat(in(ContainerState.FAILED).joined()).isFalse();
        assertThat(in(ContainerState.STARTING).joined()).isTrue();
    }

    @Test
    void aPauseRacingAFailureNeverOverwritesFailed() throws Exception {
        for (int i = 0; i < RACES; i++) {
            ContainerLifecycle lifecycle = in(ContainerState.RUNNING);
            race(lifecycle, ContainerLifecycle::pause, it -> it.fail("lost"));
            assertThat(lifecycle.state()).as("race " + i).isEqualTo(ContainerState.FAILED);
            assertThat(lifecycle.failure()).isEqualTo("lost");
        }
    }

    @Test
    void aResumeRacingAFailureNeverOverwritesFailed() throws Exception {
        for (int i = 0; i < RACES; i++) {
            ContainerLifecycle lifecycle = in(ContainerState.PAUSED);
            race(lifecycle, ContainerLifecycle::resume, it -> it.fail("lost"));
            assertThat(lifecycle.state()).as("race " + i).isEqualTo(ContainerState.FAILED);
        }
    }

    @Test
    void aPauseRacingTheJoinHoldsOnceRunning() throws Exception {
        for (int i = 0; i < RACES; i++) {
            ContainerLifecycle lifecycle = in(ContainerState.STARTING);
            race(lifecycle, ContainerLifecycle::pause, ContainerLifecycle::joined);
            assertThat(lifecycle.state()).as("race " + i).isEqualTo(ContainerState.PAUSED);
        }
    }

    @Test
    void aStartRacingAPauseEndsPausedOnceJoined() throws Exception {
        for (int i = 0; i < RACES; i++) {
            ContainerLifecycle lifecycle = in(ContainerState.NEW);
            race(lifecycle, ContainerLifecycle::start, ContainerLifecycle::pause);
            lifecycle.joined();
            assertThat(lifecycle.state()).as("race " + i).isEqualTo(ContainerState.PAUSED);
        }
    }

    @Test
    void aStopRacingAFailureEndsFailedOrStoppingAndOnlyOneOfThemStopsTheContainer() throws Exception {
        for (int i = 0; i < RACES; i++) {
            ContainerLifecycle lifecycle = in(ContainerState.RUNNING);
            Stop[] stop = new Stop[1];
            boolean[] stopIt = new boolean[1];
            race(lifecycle, it -> stop[0] = it.stop(), it -> stopIt[0] = it.fail("lost"));
            assertThat(lifecycle.state()).as("race " + i).isEqualTo(ContainerState.FAILED);
            assertThat(stop[0] == Stop.DRAIN ^ stopIt[0]).as("exactly one stops it, race " + i).isTrue();
        }
    }

    @Test
    void twoStartsRacingStartTheContainerOnce() throws Exception {
        for (int i = 0; i < RACES; i++) {
            ContainerLifecycle lifecycle = in(ContainerState.NEW);
            CyclicBarrier barrier = new CyclicBarrier(2);
            List<Future<Boolean>> starts = new ArrayList<>();
            for (int racer = 0; racer < 2; racer++) {
                starts.add(racers.submit(() -> {
                    barrier.await();
                    try {
                        lifecycle.start();
                        return true;
                    } catch (IllegalStateException e) {
                        return false;
                    }
                }));
            }
            int started = 0;
            for (Future<Boolean> start : starts) {
                started += start.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(started).as("race " + i).isEqualTo(1);
        }
    }

    /** Runs both at once on two threads, released together by a barrier. */
    private void race(ContainerLifecycle lifecycle, Consumer<ContainerLifecycle> one, Consumer<ContainerLifecycle> other)
            throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(2);
        Future<?> first = racers.submit(() -> {
            barrier.await();
            one.accept(lifecycle);
            return null;
        });
        Future<?> second = racers.submit(() -> {
            barrier.await();
            other.accept(lifecycle);
            return null;
        });
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
    }
}
