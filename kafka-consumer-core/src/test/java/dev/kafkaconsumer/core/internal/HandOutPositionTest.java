package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

class HandOutPositionTest {

    private final HandOutPosition position = new HandOutPosition();

    @Test
    void anUnknownPositionIsNothingToCommit() {
        assertThat(position.known()).isFalse();
        assertThat(position.offset()).isEqualTo(PartitionBuffer.UNKNOWN);
        assertThat(position.uncommitted()).isNull();
        assertThat(position.consumed()).isNull();
    }

    @Test
    void aPositionIsCommittedWithItsEpochOnceUntilItMoves() {
        position.moveTo(5, Optional.of(2));
        assertThat(position.uncommitted()).isEqualTo(new OffsetAndMetadata(5, Optional.of(2), ""));

        position.markCommitted(5);
        assertThat(position.uncommitted()).isNull();
        assertThat(position.consumed()).isEqualTo(new OffsetAndMetadata(5, Optional.of(2), ""));

        position.moveTo(6, Optional.empty());
        assertThat(position.uncommitted()).isEqualTo(new OffsetAndMetadata(6));
    }
}
