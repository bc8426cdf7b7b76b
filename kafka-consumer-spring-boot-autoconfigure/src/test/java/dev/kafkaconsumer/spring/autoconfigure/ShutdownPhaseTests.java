package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * How long a container's records in flight get when the shutdown phase stops it: what is left of the phase after the
 * final commit's reserve, never more than the container's shutdown timeout, never negative.
 */
class ShutdownPhaseTests {

    @Test
    void springBootsDefaultPhaseLeavesADefaultShutdownTimeoutAllButTheFinalCommitsReserve() {
        ShutdownPhase phase = ShutdownPhase.of(new MockEnvironment());

        assertThat(phase.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(phase.drainTimeout(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(27));
        assertThat(phase.shorterThan(Duration.ofSeconds(30))).isFalse();
    }

    @Test
    void aShutdownTimeoutThatFitsInThePhaseIsKeptWhole() {
        ShutdownPhase phase = ShutdownPhase.of(new MockEnvironment().withProperty(ShutdownPhase.TIMEOUT_PROPERTY, "1m"));

        assertThat(phase.drainTimeout(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
        assertThat(phase.drainTimeout(Duration.ofSeconds(57))).isEqualTo(Duration.ofSeconds(57));
        assertThat(phase.drainTimeout(Duration.ofSeconds(58))).isEqualTo(Duration.ofSeconds(57));
    }

    @Test
    void aPhaseShorterThanTheShutdownTimeoutCutsTheDrainAndIsWorthAWarning() {
        ShutdownPhase phase = ShutdownPhase.of(new MockEnvironment().withProperty(ShutdownPhase.TIMEOUT_PROPERTY, "5s"));

        assertThat(phase.drainTimeout(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(2));
        assertThat(phase.shorterThan(Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void aPhaseShorterThanTheReserveLeavesTheRecordsInFlightNoTimeAtAll() {
        ShutdownPhase phase = new ShutdownPhase(Duration.ofMillis(1));

        assertThat(phase.drainTimeout(Duration.ofSeconds(30))).isEqualTo(Duration.ZERO);
    }

}
