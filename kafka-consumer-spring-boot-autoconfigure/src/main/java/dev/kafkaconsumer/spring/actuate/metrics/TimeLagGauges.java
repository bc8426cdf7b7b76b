package dev.kafkaconsumer.spring.actuate.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;

import dev.kafkaconsumer.spring.actuate.lag.LagTracker;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;

/**
 * The time gauge {@code kafka.consumer.lag.time} (container, topic, partition): how long ago the high-water
 * mark passed the committed offset, as the {@link LagTracker} estimates it from its samples. A
 * {@link TimeGauge}, so each registry shows it in its own base time unit: seconds on Prometheus
 * ({@code kafka_consumer_lag_time_seconds}). Registered when the tracker first samples a partition and
 * removed when the partition goes.
 */
public final class TimeLagGauges implements LagTracker.Listener {

    private final MeterRegistry registry;
    private final LagTracker tracker;
    private final Map<Key, Meter> gauges = new ConcurrentHashMap<>();

    /**
     * Creates the gauges and listens to the tracker.
     *
     * @param registry where the gauges go
     * @param tracker  where the time lag comes from
     */
    public TimeLagGauges(MeterRegistry registry, LagTracker tracker) {
        this.registry = registry;
        this.tracker = tracker;
        tracker.addListener(this);
    }

    @Override
    public void partitionTracked(String container, TopicPartition partition) {
        gauges.computeIfAbsent(new Key(container, partition), key -> TimeGauge
                .builder("kafka.consumer.lag.time", tracker, TimeUnit.MILLISECONDS,
                        (source) -> source.timeLagMillisOrNaN(container, partition))
                .description("Estimated time since the high-water mark passed the committed offset")
                .strongReference(true)
                .tags("container", container, "topic", partition.topic(), "partition", String.valueOf(partition.partition()))
                .register(registry));
    }

    @Override
    public void partitionForgotten(String container, TopicPartition partition) {
        Meter gauge = gauges.remove(new Key(container, partition));
        if (gauge != null) {
            registry.remove(gauge);
        }
    }

    private record Key(String container, TopicPartition partition) {
    }
}
