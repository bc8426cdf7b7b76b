package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class IdleClockTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final IdleClock clock = new IdleClock(now::get);

    @Test
    void theApplicationIsIdleForTheTimeSinceItWasLastActive() {
        now.addAndGet(300);

        assertThat(clock.idleNanos(now.get())).isEqualTo(300);
        assertThat(clock.idleNanos(900)).as("never negative").isZero();
    }

    @Test
    void aWaitingGetKeepsTheApplicationActiveAndItsEndRestartsTheClock() {
        clock.getStarted();
        clock.getStarted();
        now.addAndGet(500);
        assertThat(clock.idleNanos(now.get())).isZero();

        clock.getEnded();
        now.addAndGet(100);
        assertThat(clock.idleNanos(now.get())).as("one get still waits").isZero();

        clock.getEnded();
        now.addAndGet(40);
        assertThat(clock.idleNanos(now.get())).isEqualTo(40);
    }

    @Test
    void aTouchCountsAsActivity() {
        now.addAndGet(500);
        clock.touch();
        now.addAndGet(7);

        assertThat(clock.idleNanos(now.get())).isEqualTo(7);
    }
}
