package dev.kafkaconsumer.spring.actuate.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.TopicPartition;

import dev.kafkaconsumer.spring.actuate.lag.LagStatus;
import dev.kafkaconsumer.spring.actuate.lag.LagTracker;
import dev.kafkaconsumer.spring.actuate.lag.PartitionLag;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The gauge {@code kafka.consumer.lag.status} (container, topic, partition, status): for each partition the
 * {@link LagTracker} samples, one gauge per {@link LagStatus}, 1 for the partition's current status and 0 for the
 * others ({@code status} in lower case: {@code ok}, {@code held}, {@code warn}, {@code stall}, {@code stop},
 * {@code rewind}).
 * An enum as a set of 0/1 gauges is what an alert rule can hold "for" a while
 * ({@code kafka_consumer_lag_status{status="stall"} == 1}), which a gauge of ordinals could not say as plainly.
 * Registered when the tracker first samples a partition and removed when the partition goes.
 */
public final class LagStatusGauges implements LagTracker.Listener {

    private final MeterRegistry registry;
    private final LagTracker tracker;
    private final Map<Key, List<Meter>> gauges = new ConcurrentHashMap<>();

    /**
     * Creates the gauges and listens to the tracker.
     *
     * @param registry where the gauges go; its lifecycle is the caller's
     * @param tracker  where the statuses come from
     */
    public LagStatusGauges(MeterRegistry registry, LagTracker tracker) {
        this.registry = registry;
        this.tracker = tracker;
        tracker.addListener(this);
    }

    @Override
    public void partitionTracked(String container, TopicPartition partition) {
        gauges.computeIfAbsent(new Key(container, partition), key -> {
            List<Meter> meters = new ArrayList<>();
            for (LagStatus status : LagStatus.values()) {
                meters.add(Gauge.builder("kafka.consumer.lag.status", tracker,
                                source -> isCurrent(source, container, partition, status))
                        .description("1 for the partition's current lag status (Burrow-style, over the lag window), "
                                + "0 for the others")
                        .strongReference(true)
                        .tags("container", container, "topic", partition.topic(),
                                "partition", String.valueOf(partition.partition()),
                                "status", status.name().toLowerCase(Locale.ROOT))
                        .register(registry));
            }
            return List.copyOf(meters);
        });
    }

    @Override
    public void partitionForgotten(String container, TopicPartition partition) {
        List<Meter> meters = gauges.remove(new Key(container, partition));
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }

    private static double isCurrent(LagTracker tracker, String container, TopicPartition partition, LagStatus status) {
        return tracker.partition(container, partition).map(PartitionLag::status)
                .map(current -> current == status ? 1.0 : 0.0).orElse(Double.NaN);
    }

    private record Key(String container, TopicPartition partition) {
    }
}
