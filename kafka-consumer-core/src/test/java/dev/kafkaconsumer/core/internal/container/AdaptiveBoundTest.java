package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A container's default in-flight bound: it follows the handling rate and the records' size; no threads. */
class AdaptiveBoundTest {

    private static final long MIB = 1024 * 1024;
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final AdaptiveBound bound = new AdaptiveBound(2000, 8000, 6, 32 * MIB);

    private long handledInAll;

    /** Handles {@code perTake} records every {@code everyMillis} for a second of the clock from {@code startMillis}. */
    private int handleFor(long startMillis, int perTake, long everyMillis) {
        int now = bound.handled(handledInAll, startMillis * MS);
        for (long at = startMillis + everyMillis; at <= startMillis + 1000; at += everyMillis) {
            handledInAll += perTake;
            now = bound.handled(handledInAll, at * MS);
        }
        return now;
    }

    @Test
    void itHoldsTheLowEndUntilARateIsMeasured() {
        assertThat(bound.initial()).isEqualTo(2000);
        assertThat(bound.handled(0, 0)).isEqualTo(2000);
        assertThat(bound.handled(500, 5 * MS)).as("5 ms: too short a measure").isEqualTo(2000);
    }

    @Test
    void fastHandlingRaisesItToTheHighEndAndSlowHandlingKeepsItAtTheLowEnd() {
        // a first take fills the bound at once; what counts is what was handled
        assertThat(handleFor(0, 4000, 5)).as("800,000 records a second: 40,000 in 50 ms, at most 8,000").isEqualTo(8000);

        AdaptiveBound slow = new AdaptiveBound(2000, 8000, 100, 32 * MIB);
        int now = slow.handled(0, 0);
        for (long at = 20; at <= 1000; at += 20) {
            now = slow.handled(at * 35, at * MS);
        }
        assertThat(now).as("35,000 records a second: 1,750 in 50 ms").isEqualTo(2000);
    }

    @Test
    void inBetweenItHoldsAboutFiftyMillisecondsOfHandling() {
        assertThat(handleFor(0, 1000, 10)).as("100,000 records a second").isEqualTo(5000);
    }

    @Test
    void itFollowsTheRateDownAgain() {
        handleFor(0, 4000, 5);

        assertThat(handleFor(2000, 500, 10)).as("50,000 records a second now: 2,500").isBetween(2500, 2600);
    }

    @Test
    void largeRecordsLowerItToWhatItsBytesHoldButNeverBelowTheConcurrency() {
        handleFor(0, 4000, 5);

        assertThat(bound.sampled(MIB)).as("32 MiB of records of 1 MiB").isEqualTo(32);
        assertThat(bound.sampled(100 * MIB)).as("one record a worker, however large").isEqualTo(6);
        for (int take = 0; take < 200; take++) {
            bound.sampled(100);
        }
        assertThat(bound.sampled(100)).as("small records again").isEqualTo(8000);
        assertThat(new AdaptiveBound(2000, 8000, 6, 0).sampled(100 * MIB)).as("no bound of bytes").isEqualTo(2000);
    }
}
