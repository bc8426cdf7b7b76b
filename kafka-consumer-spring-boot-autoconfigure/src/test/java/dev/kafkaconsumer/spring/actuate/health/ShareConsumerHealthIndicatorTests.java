package dev.kafkaconsumer.spring.actuate.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.ShareContainerSnapshot;

/**
 * The health of a share container, from its snapshot: DOWN when it failed, UP otherwise, a stop on purpose included.
 */
class ShareConsumerHealthIndicatorTests {

    @Test
    void aFailedShareContainerIsDownWithTheReasonAndAStoppedOneIsUp() {
        Health failed = new ShareConsumerHealthIndicator(() -> snapshot(ContainerState.FAILED,
                Optional.of("its engine stopped: the broker went away"))).health();
        assertThat(failed.getStatus()).isEqualTo(Status.DOWN);
        assertThat(failed.getDetails()).containsEntry("kind", "share")
            .containsEntry("state", "FAILED")
            .containsEntry("failure", "its engine stopped: the broker went away")
            .containsEntry("acquired", 3)
            .containsEntry("inFlight", 2)
            .containsEntry("lockExpirations", 1L);
        Health stopped = new ShareConsumerHealthIndicator(() -> snapshot(ContainerState.STOPPED, Optional.empty()))
            .health();
        assertThat(stopped.getStatus()).isEqualTo(Status.UP);
        assertThat(stopped.getDetails()).containsEntry("state", "STOPPED").doesNotContainKey("failure");
    }

    private static ShareContainerSnapshot snapshot(ContainerState state, Optional<String> failure) {
        return new ShareContainerSnapshot("jobs", "workers", state, Set.of("jobs"), 3, 2, Map.of(), Map.of(1, 5L), 1, 0,
                failure);
    }

}
