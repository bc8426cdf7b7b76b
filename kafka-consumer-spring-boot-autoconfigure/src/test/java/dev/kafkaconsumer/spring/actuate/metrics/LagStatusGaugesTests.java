package dev.kafkaconsumer.spring.actuate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.ContainerSnapshot;
import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.PartitionSnapshot;
import dev.kafkaconsumer.spring.actuate.lag.LagTracker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** {@code kafka.consumer.lag.status} over a tracker fed by hand: one 0/1 gauge per status and partition. */
class LagStatusGaugesTests {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final LagTracker tracker = new LagTracker(3);

    @Test
    void eachPartitionHasOneGaugePerStatusAndOnlyTheCurrentOneIsOne() {
        new LagStatusGauges(this.registry, this.tracker);
        this.tracker.sample(snapshot(100, 200, 5), 10_000);

        assertThat(statuses()).containsOnly(Map.entry("ok", 1.0), Map.entry("held", 0.0), Map.entry("warn", 0.0),
                Map.entry("stall", 0.0),
                Map.entry("stop", 0.0), Map.entry("rewind", 0.0));
        assertThat(this.registry.get("kafka.consumer.lag.status").tags("container", "orders-app", "topic", "orders",
                "partition", "0", "status", "ok").gauge().getId().getDescription()).isNotBlank();
    }

    @Test
    void aCommittedOffsetThatStandsStillWhileRecordsAreInFlightTurnsTheStallGaugeOn() {
        new LagStatusGauges(this.registry, this.tracker);
        this.tracker.sample(snapshot(100, 200, 5), 10_000);
        this.tracker.sample(snapshot(100, 200, 5), 11_000);
        this.tracker.sample(snapshot(100, 200, 5), 12_000);

        assertThat(statuses()).containsEntry("stall", 1.0).containsEntry("ok", 0.0);
        assertThat(statuses().values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(1.0);
    }

    @Test
    void theGaugesGoWithTheirPartition() {
        new LagStatusGauges(this.registry, this.tracker);
        this.tracker.sample(snapshot(100, 100, 0), 10_000);
        assertThat(this.registry.find("kafka.consumer.lag.status").gauges()).hasSize(6);
        this.tracker.sample(new ContainerSnapshot("orders-app", "orders", ContainerState.RUNNING, Set.of("orders"),
                List.of(), Optional.empty()), 11_000);
        assertThat(this.registry.find("kafka.consumer.lag.status").meters()).isEmpty();
    }

    private Map<String, Double> statuses() {
        return this.registry.find("kafka.consumer.lag.status").tags("container", "orders-app", "partition", "0")
            .gauges().stream()
            .collect(Collectors.toMap((gauge) -> gauge.getId().getTag("status"), Gauge::value));
    }

    private static ContainerSnapshot snapshot(long committed, long end, int inFlight) {
        PartitionSnapshot partition = new PartitionSnapshot(ORDERS_0, OptionalLong.of(end), OptionalLong.of(committed),
                OptionalLong.of(end), OptionalLong.of(end), OptionalLong.of(end - committed), OptionalLong.empty(),
                inFlight);
        return new ContainerSnapshot("orders-app", "orders", ContainerState.RUNNING, Set.of("orders"), List.of(partition),
                Optional.empty());
    }

}
