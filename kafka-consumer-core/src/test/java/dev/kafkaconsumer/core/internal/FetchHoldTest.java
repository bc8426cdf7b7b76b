package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** How long a hold of caught-up partitions lasts, and when the next may start. */
class FetchHoldTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** A hold for {@code fetch.max.wait.ms} of 500: at most 50 ms, then a rest of 500 ms after one that ran its course. */
    private final FetchHold hold = new FetchHold(500 * MS);

    @Test
    void aHoldLastsATenthOfFetchMaxWaitAndTheNextStartsOnlyAWholeFetchMaxWaitAfterOneThatRanItsCourse() {
        assertThat(hold.mayHold(0)).isTrue();
        hold.planned(true, 0);
        assertThat(hold.nanosUntilRelease(20 * MS)).isEqualTo(30 * MS);

        assertThat(hold.mayHold(49 * MS)).as("still within its course").isTrue();
        hold.planned(true, 49 * MS);
        assertThat(hold.nanosUntilRelease(49 * MS)).as("the hold goes on from where it started").isEqualTo(MS);

        assertThat(hold.mayHold(50 * MS)).as("its course has run").isFalse();
        hold.planned(false, 50 * MS);
        assertThat(hold.nanosUntilRelease(50 * MS)).isEqualTo(Long.MAX_VALUE);
        assertThat(hold.mayHold(549 * MS)).as("resting").isFalse();
        assertThat(hold.mayHold(550 * MS)).isTrue();
    }

    @Test
    void aHoldEndedBeforeItsCourseByAPlanWithoutOneLetsTheNextStartAtOnce() {
        assertThat(hold.mayHold(0)).isTrue();
        hold.planned(true, 0);
        assertThat(hold.mayHold(10 * MS)).isTrue();
        hold.planned(false, 10 * MS);

        assertThat(hold.nanosUntilRelease(10 * MS)).isEqualTo(Long.MAX_VALUE);
        assertThat(hold.mayHold(11 * MS)).isTrue();
        hold.planned(true, 11 * MS);
        assertThat(hold.nanosUntilRelease(11 * MS)).as("a new course").isEqualTo(50 * MS);
    }

    @Test
    void aPlanThatMayHoldButHoldsNothingStartsNoCourse() {
        assertThat(hold.mayHold(0)).isTrue();
        hold.planned(false, 0);

        assertThat(hold.nanosUntilRelease(0)).isEqualTo(Long.MAX_VALUE);
        assertThat(hold.mayHold(1_000 * MS)).isTrue();
    }

    @Test
    void aFetchMaxWaitUnderTenMillisecondsHoldsNothing() {
        assertThat(new FetchHold(9 * MS).mayHold(0)).isFalse();
        assertThat(new FetchHold(0).mayHold(0)).isFalse();
        assertThat(new FetchHold(10 * MS).mayHold(0)).isTrue();
    }
}
