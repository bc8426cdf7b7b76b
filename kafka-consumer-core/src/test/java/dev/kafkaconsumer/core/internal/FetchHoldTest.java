package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** How long a hold of caught-up partitions lasts, when the next may start, and which partitions count as caught up. */
class FetchHoldTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** A hold for {@code fetch.max.wait.ms} of 500 and I/O polls of 2,000 records. */
    private final FetchHold hold = new FetchHold(500 * MS, 2_000);

    @Test
    void aHoldLastsAtMostFetchMaxWaitAndAfterOneThatRanItsCourseNoneStartsForTenTimesThat() {
        assertThat(hold.mayHold(0)).isTrue();
        hold.planned(true, 0);
        assertThat(hold.nanosUntilRelease(200 * MS)).isEqualTo(300 * MS);

        assertThat(hold.mayHold(499 * MS)).as("still within its course").isTrue();
        hold.planned(true, 499 * MS);
        assertThat(hold.nanosUntilRelease(499 * MS)).as("the hold goes on from where it started").isEqualTo(MS);

        assertThat(hold.mayHold(500 * MS)).as("its course has run: this plan lets the held partitions be fetched").isFalse();
        hold.planned(false, 500 * MS);
        assertThat(hold.nanosUntilRelease(500 * MS)).isEqualTo(Long.MAX_VALUE);

        assertThat(hold.mayHold(5_499 * MS)).as("resting: the backlog drains slowly, holding would cost latency for nothing")
                .isFalse();
        assertThat(hold.mayHold(5_500 * MS)).isTrue();
        hold.planned(true, 5_500 * MS);
        assertThat(hold.nanosUntilRelease(5_500 * MS)).as("a new course").isEqualTo(500 * MS);
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
        assertThat(hold.nanosUntilRelease(11 * MS)).as("a new course").isEqualTo(500 * MS);
    }

    @Test
    void aPlanThatMayHoldButHoldsNothingStartsNoCourse() {
        assertThat(hold.mayHold(0)).isTrue();
        hold.planned(false, 0);

        assertThat(hold.nanosUntilRelease(0)).isEqualTo(Long.MAX_VALUE);
        assertThat(hold.mayHold(1_000 * MS)).isTrue();
    }

    @Test
    void aFetchMaxWaitUnderOneMillisecondHoldsNothing() {
        assertThat(new FetchHold(MS - 1, 2_000).mayHold(0)).isFalse();
        assertThat(new FetchHold(0, 2_000).mayHold(0)).isFalse();
        assertThat(new FetchHold(MS, 2_000).mayHold(0)).isTrue();
    }

    @Test
    void aPartitionCountsAsCaughtUpWithNoMoreRecordsAtTheBrokerThanOnePollHandsOut() {
        assertThat(hold.nearlyCaughtUp()).isEqualTo(2_000);
    }
}
