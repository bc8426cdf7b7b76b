package dev.kafkaconsumer.spring.actuate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.ContainerSnapshot;
import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.PartitionSnapshot;
import dev.kafkaconsumer.spring.actuate.lag.LagTracker;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** {@code kafka.consumer.lag.time} over a tracker fed by hand: a time gauge, in each registry's base time unit. */
class TimeLagGaugesTests {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final LagTracker tracker = new LagTracker(3);

    @Test
    void theTimeLagIsATimeGaugeInSecondsWhereTheRegistryCountsInSeconds() {
        new TimeLagGauges(this.registry, this.tracker);
        // the end offset passed the committed offset 100 at 10 s and stood at 200 at 12 s: 4 s behind at 14 s
        this.tracker.sample(snapshot(100, 100), 10_000);
        this.tracker.sample(snapshot(100, 200), 12_000);
        this.tracker.sample(snapshot(100, 200), 14_000);

        Meter meter = this.registry.get("kafka.consumer.lag.time")
            .tags("container", "orders-app", "topic", "orders", "partition", "0")
            .meter();
        assertThat(meter).isInstanceOf(TimeGauge.class);
        TimeGauge gauge = (TimeGauge) meter;
        assertThat(meter.getId().getType()).isEqualTo(Meter.Type.GAUGE);
        assertThat(gauge.baseTimeUnit()).isEqualTo(TimeUnit.SECONDS);
        assertThat(meter.getId().getBaseUnit()).as("Prometheus names it kafka_consumer_lag_time_seconds")
            .isEqualTo("seconds");
        assertThat(gauge.value()).isCloseTo(4.0, within(0.001));
        assertThat(gauge.value(TimeUnit.MILLISECONDS)).isCloseTo(4000.0, within(0.001));
        assertThat(this.tracker.timeLagMillisOrNaN("orders-app", ORDERS_0)).isEqualTo(4000.0);
    }

    @Test
    void theGaugeGoesWithItsPartition() {
        new TimeLagGauges(this.registry, this.tracker);
        this.tracker.sample(snapshot(100, 100), 10_000);
        assertThat(this.registry.find("kafka.consumer.lag.time").timeGauges()).hasSize(1);
        this.tracker.sample(new ContainerSnapshot("orders-app", "orders", ContainerState.RUNNING, Set.of("orders"),
                List.of(), Optional.empty()), 11_000);
        assertThat(this.registry.find("kafka.consumer.lag.time").meters()).isEmpty();
    }

    private static ContainerSnapshot snapshot(long committed, long end) {
        PartitionSnapshot partition = new PartitionSnapshot(ORDERS_0, OptionalLong.of(end), OptionalLong.of(committed),
                OptionalLong.of(end), OptionalLong.of(end), OptionalLong.of(end - committed), OptionalLong.empty(), 0);
        return new ContainerSnapshot("orders-app", "orders", ContainerState.RUNNING, Set.of("orders"), List.of(partition),
                Optional.empty());
    }

}
