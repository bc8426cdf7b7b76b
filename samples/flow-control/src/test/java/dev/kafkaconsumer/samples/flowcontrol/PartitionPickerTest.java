package dev.kafkaconsumer.samples.flowcontrol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.samples.flowcontrol.PartitionPicker.PartitionState;

class PartitionPickerTest {

    private static final long NOW = 1_000_000;

    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);
    private static final TopicPartition P2 = new TopicPartition("orders", 2);

    private final PartitionPicker picker = new PartitionPicker(Duration.ofSeconds(3));

    @Test
    void picksThePartitionWhoseLagIsLargest() {
        assertThat(picker.pick(Map.of(
                P0, PartitionState.of(100, 300, NOW),
                P1, PartitionState.of(0, 5_000, NOW),
                P2, PartitionState.of(10, 20, NOW)), NOW)).contains(P1);
    }

    @Test
    void breaksATieInLagByTheLowestPartition() {
        assertThat(picker.pick(Map.of(
                P2, PartitionState.of(0, 50, NOW),
                P1, PartitionState.of(10, 60, NOW),
                P0, PartitionState.of(0, 10, NOW)), NOW)).contains(P1);
    }

    @Test
    void picksAPartitionNotFetchedForLongerThanTheStalenessBoundWhateverItsLag() {
        assertThat(picker.pick(Map.of(
                P0, PartitionState.of(0, 5_000, NOW),
                P1, PartitionState.of(0, 1, NOW - 3_001),
                P2, PartitionState.of(0, 1, NOW - 4_000)), NOW)).contains(P2);
        assertThat(picker.pick(Map.of(
                P0, PartitionState.of(0, 5_000, NOW),
                P1, PartitionState.of(0, 1, NOW - 3_000)), NOW)).contains(P0);
    }

    @Test
    void picksAPartitionWhoseStateIsNotKnownYetFirst() {
        assertThat(picker.pick(Map.of(
                P0, PartitionState.of(0, 5_000, NOW),
                P1, new PartitionState(OptionalLong.empty(), OptionalLong.of(10), OptionalLong.of(NOW))), NOW)).contains(P1);
        assertThat(picker.pick(Map.of(
                P0, PartitionState.of(0, 5_000, NOW),
                P2, new PartitionState(OptionalLong.of(0), OptionalLong.empty(), OptionalLong.empty())), NOW)).contains(P2);
    }

    @Test
    void picksNothingWhenNoPartitionLagsSoThatTheLoopAsksForAll() {
        assertThat(picker.pick(Map.of(
                P0, PartitionState.of(300, 300, NOW),
                P1, PartitionState.of(7, 7, NOW - 100)), NOW)).isEmpty();
    }
}
