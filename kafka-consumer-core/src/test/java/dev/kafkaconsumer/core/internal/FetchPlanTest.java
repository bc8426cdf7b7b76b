package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules of what not to fetch, as a table: space, parking, user pause, seek, revocation, and their combinations. */
class FetchPlanTest {

    private static final FetchPlan.Bounds BOUNDS = new FetchPlan.Bounds(100, 1_000);
    private static final Demand ALL = new Demand(false, 3);
    private static final Demand CHOSEN = new Demand(true, 3);

    private final TopicPartition p0 = new TopicPartition("t", 0);
    private final TopicPartition p1 = new TopicPartition("t", 1);
    private final TopicPartition p2 = new TopicPartition("t", 2);

    /**
     * A partition's state as a row of the table; {@code unasked} means it holds records nobody asked for, {@code lag} how
     * many records the broker has beyond its fetch position (-1: unknown).
     */
    record State(TopicPartition partition, long bufferedBytes, boolean unasked, boolean pausedByUser,
            boolean awaitingSeek, boolean frozen, long lag) implements FetchPlan.PartitionState {

        static State of(TopicPartition partition, long bytes) {
            return new State(partition, bytes, false, false, false, false, -1);
        }

        @Override
        public boolean caughtUp(long within) {
            return lag >= 0 && lag <= within;
        }

        State lagging(long records) {
            return new State(partition, bufferedBytes, unasked, pausedByUser, awaitingSeek, frozen, records);
        }

        @Override
        public boolean holdsUnaskedRecords(long asksForAll) {
            return unasked && asksForAll == 3;
        }

        State withUnaskedRecords() {
            return new State(partition, bufferedBytes, true, pausedByUser, awaitingSeek, frozen, lag);
        }

        State caughtUpAtBroker() {
            return lagging(0);
        }

        State pausedByTheApplication() {
            return new State(partition, bufferedBytes, unasked, true, awaitingSeek, frozen, lag);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # rule                                            | bytes | total | unasked | chose | user  | seek  | frozen | paused | space | parked
            nothing buffered: fetched                         |     0 |     0 | false   | false | false | false | false  | false  | false | false
            below its own bound: fetched                      |    99 |   999 | false   | false | false | false | false  | false  | false | false
            at its own bound: paused for space                |   100 |   100 | false   | false | false | false | false  | true   | true  | false
            above its own bound: paused for space             |   150 |   150 | false   | false | false | false | false  | true   | true  | false
            all buffers at their bound: paused for space      |     0 | 1_000 | false   | false | false | false | false  | true   | true  | false
            all buffers just below their bound: fetched       |     0 |   999 | false   | false | false | false | false  | false  | false | false
            unasked while the caller chooses: parked          |    10 |    10 | true    | true  | false | false | false  | true   | false | true
            unasked while the caller takes all: fetched       |    10 |    10 | true    | false | false | false | false  | false  | false | false
            asked for while the caller chooses: fetched       |    10 |    10 | false   | true  | false | false | false  | false  | false | false
            paused by the application                         |     0 |     0 | false   | false | true  | false | false  | true   | false | false
            waiting for a seek                                |     0 |     0 | false   | false | false | true  | false  | true   | false | false
            frozen for a revocation: left to the revocation   |     0 |     0 | false   | false | false | false | true   | false  | false | false
            frozen and full: paused for space                 |   100 |   100 | false   | false | false | false | true   | true   | true  | false
            full and parked: both reasons are kept            |   100 |   100 | true    | true  | false | false | false  | true   | true  | true
            paused by the application and full               |   100 |   100 | false   | false | true  | false | false  | true   | true  | false
            paused by the application and parked              |    10 |    10 | true    | true  | true  | false | false  | true   | false | true
            waiting for a seek while all buffers are full     |     0 | 1_000 | false   | false | false | true  | false  | true   | true  | false
            every reason at once                              |   100 | 1_000 | true    | true  | true  | true  | true   | true   | true  | true
            """)
    void eachRuleAndTheirCombinationsDecideWhetherAPartitionIsFetched(String rule, long bytes, long total,
            boolean unasked, boolean chose, boolean user, boolean seek, boolean frozen, boolean paused,
            boolean space, boolean parked) {
        FetchPlan plan = FetchPlan.decide(BOUNDS, total, chose ? CHOSEN : ALL,
                List.of(new State(p0, bytes, unasked, user, seek, frozen, -1)));

        assertThat(plan.notToFetch().contains(p0)).as("paused").isEqualTo(paused);
        assertThat(plan.pausedForSpace().contains(p0)).as("paused for space").isEqualTo(space);
        assertThat(plan.parked().contains(p0)).as("parked").isEqualTo(parked);
        assertThat(plan.totalFull()).as("all buffers full").isEqualTo(total >= BOUNDS.maxTotal());
    }

    static Stream<Arguments> everyCombination() {
        return IntStream.range(0, 1 << 7).mapToObj(bits -> Arguments.of(IntStream.range(0, 7)
                .mapToObj(i -> (bits & 1 << i) != 0).toArray()));
    }

    @ParameterizedTest(name = "own bound {0}, total bound {1}, unasked {2}, chose {3}, user {4}, seek {5}, frozen {6}")
    @MethodSource("everyCombination")
    void aPartitionIsPausedExactlyWhenOneOfTheRulesHoldsWhateverTheOthersSay(boolean ownFull, boolean totalFull,
            boolean unasked, boolean chose, boolean user, boolean seek, boolean frozen) {
        State state = new State(p0, ownFull ? 100 : 99, unasked, user, seek, frozen, -1);

        FetchPlan plan = FetchPlan.decide(BOUNDS, totalFull ? 1_000 : 999, chose ? CHOSEN : ALL, List.of(state));

        boolean parked = unasked && chose;
        assertThat(plan.notToFetch().contains(p0)).isEqualTo(ownFull || totalFull || parked || user || seek);
        assertThat(plan.pausedForSpace().contains(p0)).isEqualTo(ownFull || totalFull);
        assertThat(plan.parked().contains(p0)).isEqualTo(parked);
    }

    @Test
    void allBuffersFullPauseEveryPartitionEvenAnEmptyOneThatTheApplicationAsksFor() {
        FetchPlan plan = FetchPlan.decide(BOUNDS, 1_000, CHOSEN,
                List.of(State.of(p0, 0), State.of(p1, 600).withUnaskedRecords(), State.of(p2, 400).withUnaskedRecords()));

        assertThat(plan.notToFetch()).containsExactlyInAnyOrder(p0, p1, p2);
        assertThat(plan.parked()).containsExactlyInAnyOrder(p1, p2);
    }

    @Test
    void onlyThePartitionsThatAreFullOrParkedArePaused() {
        FetchPlan plan = FetchPlan.decide(BOUNDS, 160, CHOSEN,
                List.of(State.of(p0, 120), State.of(p1, 40).withUnaskedRecords(), State.of(p2, 0)));

        assertThat(plan.notToFetch()).containsExactlyInAnyOrder(p0, p1);
        assertThat(plan.pausedForSpace()).containsExactly(p0);
        assertThat(plan.parked()).containsExactly(p1);
        assertThat(plan.totalFull()).isFalse();
    }

    @Test
    void thePlanBeforeTheFirstPausesNothingAndNothingInItMayBeResumed() {
        FetchPlan plan = FetchPlan.NOTHING_PAUSED;

        assertThat(plan.notToFetch()).isEmpty();
        assertThat(plan.mayFetchMore(BOUNDS, 0, ALL, Map.of(p0, State.of(p0, 0))::get)).isFalse();
    }

    private static Function<TopicPartition, State> now(State... states) {
        return Stream.of(states).collect(Collectors.toMap(State::partition, s -> s))::get;
    }

    @Test
    void aPartitionPausedForItsOwnBoundMayBeFetchedOnceItIsBelowIt() {
        FetchPlan plan = FetchPlan.decide(BOUNDS, 100, ALL, List.of(State.of(p0, 100), State.of(p1, 0)));

        assertThat(plan.mayFetchMore(BOUNDS, 100, ALL, now(State.of(p0, 100), State.of(p1, 0)))).isFalse();
        assertThat(plan.mayFetchMore(BOUNDS, 99, ALL, now(State.of(p0, 99), State.of(p1, 0)))).isTrue();
    }

    @Test
    void partitionsPausedBecauseAllBuffersWereFullMayBeFetchedOnceTheTotalIsBelowItsBound() {
        FetchPlan plan = FetchPlan.decide(BOUNDS, 1_000, ALL, List.of(State.of(p0, 500), State.of(p1, 500)));

        assertThat(plan.mayFetchMore(BOUNDS, 999, ALL, now(State.of(p0, 499), State.of(p1, 500)))).isTrue();
    }

    @Test
    void whileAllBuffersTogetherStayFullNoPartitionMayBeFetchedWhateverItsOwnState() {
        State parked = State.of(p1, 10).withUnaskedRecords();
        FetchPlan plan = FetchPlan.decide(BOUNDS, 1_000, CHOSEN, List.of(State.of(p0, 990), parked, State.of(p2, 0)));

        assertThat(plan.mayFetchMore(BOUNDS, 1_000, ALL, now(State.of(p0, 990), State.of(p1, 10), State.of(p2, 0))))
                .as("p2 is below its own bound and p1 no longer parked, but the total is still at its bound").isFalse();
    }

    @Test
    void aParkedPartitionMayBeFetchedOnceAskedForOrOnceTheApplicationTakesFromAll() {
        State parked = State.of(p0, 10).withUnaskedRecords();
        FetchPlan plan = FetchPlan.decide(BOUNDS, 10, CHOSEN, List.of(parked));

        assertThat(plan.mayFetchMore(BOUNDS, 10, CHOSEN, now(parked))).as("still nobody asks").isFalse();
        assertThat(plan.mayFetchMore(BOUNDS, 10, CHOSEN, now(State.of(p0, 10)))).as("asked for").isTrue();
        assertThat(plan.mayFetchMore(BOUNDS, 10, ALL, now(parked))).as("all are asked for").isTrue();
    }

    @Test
    void aPartitionNoLongerAssignedIsNoReasonToFetchMore() {
        FetchPlan plan = FetchPlan.decide(BOUNDS, 100, CHOSEN, List.of(State.of(p0, 100), State.of(p1, 10).withUnaskedRecords()));

        assertThat(plan.mayFetchMore(BOUNDS, 0, ALL, now())).isFalse();
    }

    @Test
    void aPlanWithoutRevokedPartitionsForgetsWhyItPausedThem() {
        FetchPlan plan = FetchPlan.decide(BOUNDS, 110, CHOSEN,
                List.of(State.of(p0, 100), State.of(p1, 10).withUnaskedRecords(), State.of(p2, 0)));

        FetchPlan rest = plan.without(List.of(p0, p1));

        assertThat(rest.notToFetch()).isEmpty();
        assertThat(rest.pausedForSpace()).isEmpty();
        assertThat(rest.parked()).isEmpty();
        assertThat(rest.mayFetchMore(BOUNDS, 0, ALL, now(State.of(p0, 0), State.of(p1, 0)))).isFalse();
        assertThat(plan.without(List.of(p2))).isEqualTo(plan);
    }

    @Test
    void theConsumerPausesWhatThePlanStopsAndResumesWhatItNoLongerStops() {
        FetchPlan plan = FetchPlan.decide(BOUNDS, 100, ALL, List.of(State.of(p0, 100), State.of(p1, 0), State.of(p2, 0)));

        FetchPlan.Changes changes = plan.changes(Set.of(p0, p1, p2), Set.of(p1));

        assertThat(changes.pause()).containsExactly(p0);
        assertThat(changes.resume()).containsExactly(p1);
    }

    @Test
    void theConsumerChangesNothingForPartitionsAlreadyAsPlannedOrNotAssigned() {
        TopicPartition gone = new TopicPartition("t", 9);
        FetchPlan plan = new FetchPlan(Set.of(p0, gone), false, Set.of(p0, gone), Set.of(), Set.of());

        FetchPlan.Changes changes = plan.changes(Set.of(p0, p1), Set.of(p0, new TopicPartition("t", 8)));

        assertThat(changes.pause()).as("p0 is paused already, 'gone' is not assigned").isEmpty();
        assertThat(changes.resume()).as("t-8 is not assigned").isEmpty();
    }

    @Test
    void aPlanCannotBeChangedAfterTheFact() {
        Set<TopicPartition> mutable = new HashSet<>(Set.of(p0));
        FetchPlan plan = new FetchPlan(mutable, false, mutable, mutable, mutable);
        mutable.add(p1);

        assertThat(plan.notToFetch()).containsExactly(p0);
        assertThat(plan.pausedForSpace()).containsExactly(p0);
        assertThat(plan.parked()).containsExactly(p0);
        assertThat(plan.held()).containsExactly(p0);
        List<Set<TopicPartition>> sets = new ArrayList<>(List.of(plan.notToFetch(), plan.pausedForSpace(), plan.parked(),
                plan.held()));
        FetchPlan.Changes changes = plan.changes(Set.of(p0), Set.of());
        sets.add(changes.pause());
        sets.add(changes.resume());
        sets.forEach(set -> assertThatThrownBy(() -> set.add(p2))
                .isInstanceOf(UnsupportedOperationException.class));
    }

    /** Records one poll of the I/O thread hands out, in these tests: a partition with no more at the broker counts as caught up. */
    private static final long ONE_POLL = 5;

    @Test
    void caughtUpPartitionsAreHeldWhileABackloggedPartitionIsPausedForSpaceSoThatNoFetchWaitsAtTheBroker() {
        List<State> states = List.of(State.of(p0, 100).lagging(50), State.of(p1, 0).caughtUpAtBroker(),
                State.of(p2, 10).caughtUpAtBroker());

        FetchPlan plan = FetchPlan.decide(BOUNDS, 110, ALL, states, true, ONE_POLL);

        assertThat(plan.held()).containsExactlyInAnyOrder(p1, p2);
        assertThat(plan.notToFetch()).containsExactlyInAnyOrder(p0, p1, p2);
        assertThat(FetchPlan.decide(BOUNDS, 110, ALL, states, false, ONE_POLL).notToFetch()).as("while no hold is allowed")
                .containsExactly(p0);
    }

    @Test
    void caughtUpPartitionsAreHeldBesidePartitionsLeftToFetchWithRecordsAtTheBrokerWhichAreFetched() {
        // kafka-clients leaves out of a fetch the partitions it holds fetched records of: p2 may not be in the next one
        List<State> states = List.of(State.of(p0, 100).lagging(50), State.of(p1, 0).caughtUpAtBroker(),
                State.of(p2, 10).lagging(40));

        FetchPlan plan = FetchPlan.decide(BOUNDS, 110, ALL, states, true, ONE_POLL);

        assertThat(plan.held()).containsExactly(p1);
        assertThat(plan.notToFetch()).containsExactlyInAnyOrder(p0, p1);
    }

    @Test
    void aPartitionWithNoMoreRecordsAtTheBrokerThanOnePollHandsOutIsHeldAsCaughtUp() {
        // the fetch kafka-clients sends from inside poll comes after the poll hands out such a partition's last records
        List<State> nearlyDone = List.of(State.of(p0, 100).lagging(50), State.of(p1, 0).lagging(ONE_POLL));
        List<State> moreToCome = List.of(State.of(p0, 100).lagging(50), State.of(p1, 0).lagging(ONE_POLL + 1));

        assertThat(FetchPlan.decide(BOUNDS, 100, ALL, nearlyDone, true, ONE_POLL).held()).containsExactly(p1);
        assertThat(FetchPlan.decide(BOUNDS, 100, ALL, moreToCome, true, ONE_POLL).held()).isEmpty();
    }

    @Test
    void aBacklogOfFewerRecordsThanOnePollHandsOutHoldsTheOthersAsALargeOneDoes() {
        // each refill of its buffer would wait for a fetch of the others as long: 3,000 records of 1 KB in 16 KiB refills
        List<State> states = List.of(State.of(p0, 100).lagging(1), State.of(p1, 0).caughtUpAtBroker());

        assertThat(FetchPlan.decide(BOUNDS, 100, ALL, states, true, ONE_POLL).held()).containsExactly(p1);
    }

    @Test
    void aPartitionWhoseLagIsUnknownIsNeverHeldButPausedForSpaceItHoldsTheOthers() {
        List<State> unknownLeftToFetch = List.of(State.of(p0, 100).lagging(50), State.of(p1, 0));
        List<State> unknownPausedForSpace = List.of(State.of(p0, 100), State.of(p1, 0).caughtUpAtBroker());

        assertThat(FetchPlan.decide(BOUNDS, 100, ALL, unknownLeftToFetch, true, ONE_POLL).held()).isEmpty();
        assertThat(FetchPlan.decide(BOUNDS, 100, ALL, unknownPausedForSpace, true, ONE_POLL).held()).containsExactly(p1);
    }

    @Test
    void nothingIsHeldWhenThePartitionPausedForSpaceIsCaughtUpItselfOrPausedForAnotherReason() {
        List<State> fullButCaughtUp = List.of(State.of(p0, 100).caughtUpAtBroker(), State.of(p1, 0).caughtUpAtBroker());
        List<State> pausedByTheApplication = List.of(State.of(p0, 0).pausedByTheApplication().lagging(50),
                State.of(p1, 0).caughtUpAtBroker());
        List<State> parked = List.of(State.of(p0, 10).withUnaskedRecords().lagging(50), State.of(p1, 0).caughtUpAtBroker());
        List<State> allFull = List.of(State.of(p0, 600).lagging(50), State.of(p1, 400).caughtUpAtBroker());

        assertThat(FetchPlan.decide(BOUNDS, 100, ALL, fullButCaughtUp, true, ONE_POLL).held()).isEmpty();
        assertThat(FetchPlan.decide(BOUNDS, 0, ALL, pausedByTheApplication, true, ONE_POLL).held()).isEmpty();
        assertThat(FetchPlan.decide(BOUNDS, 10, CHOSEN, parked, true, ONE_POLL).held()).isEmpty();
        assertThat(FetchPlan.decide(BOUNDS, 1_000, ALL, allFull, true, ONE_POLL).held()).as("all paused for space already")
                .isEmpty();
    }

    @Test
    void aTakeThatFreesTheBackloggedPartitionsSpaceEndsTheHoldAtTheNextPlan() {
        State backlogged = State.of(p0, 100).lagging(50);
        State caughtUp = State.of(p1, 0).caughtUpAtBroker();
        FetchPlan held = FetchPlan.decide(BOUNDS, 100, ALL, List.of(backlogged, caughtUp), true, ONE_POLL);
        State drained = State.of(p0, 0).lagging(50);
        Map<TopicPartition, State> now = Map.of(p0, drained, p1, caughtUp);

        assertThat(held.mayFetchMore(BOUNDS, 0, ALL, now::get)).isTrue();
        FetchPlan next = FetchPlan.decide(BOUNDS, 0, ALL, List.of(drained, caughtUp), true, ONE_POLL);
        assertThat(next.notToFetch()).isEmpty();
        assertThat(held.without(List.of(p1)).held()).isEmpty();
    }
}
