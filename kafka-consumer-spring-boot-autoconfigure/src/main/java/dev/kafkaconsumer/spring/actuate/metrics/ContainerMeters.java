package dev.kafkaconsumer.spring.actuate.metrics;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.FailedRecord;
import dev.kafkaconsumer.core.PartitionSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * Micrometer meters for every container it listens to, by Micrometer's conventions (dotted names under
 * {@code kafka.consumer}, low-cardinality tags):
 * <ul>
 * <li>{@code kafka.consumer.records} (counter; container, topic): records taken for handling;</li>
 * <li>{@code kafka.consumer.handler} (timer; container, topic, outcome): handler calls;</li>
 * <li>{@code kafka.consumer.retries} (counter; container, topic): failed calls that will be retried;</li>
 * <li>{@code kafka.consumer.recovered} (counter; container, topic, recoverer): records given to the
 * recoverer, {@code recoverer=dead-letter} for dead-lettered ones;</li>
 * <li>{@code kafka.consumer.commits} (counter; container, outcome);</li>
 * <li>{@code kafka.consumer.rebalances} (counter; container, kind = assigned, revoked or lost);</li>
 * <li>{@code kafka.consumer.lag} (gauge; container, topic, partition): records not yet committed, from the
 * container's snapshot, registered when the partition is assigned and removed when it goes;</li>
 * <li>the kafka-clients metrics of each container's consumer, bound with {@link KafkaClientMetrics} and
 * tagged with the container, refreshed for all containers by one scheduler: a daemon thread named
 * {@code kafka-consumer-client-metrics}, or the caller's.</li>
 * </ul>
 * The registry is the caller's; this class removes only the meters it registered. {@link #close()} shuts
 * down the scheduler this class created, never one passed to it.
 */
public final class ContainerMeters implements ContainerListener, AutoCloseable {

    private static final long SNAPSHOT_MAX_AGE_NANOS = Duration.ofSeconds(1).toNanos();

    private final MeterRegistry registry;
    private final Map<String, ConsumerContainer<?, ?>> containers = new ConcurrentHashMap<>();
    private final ClientMetricsScheduler scheduler;
    private final Map<String, ClientMeters> clientMetrics = new ConcurrentHashMap<>();
    private final Map<String, CachedSnapshot> snapshots = new ConcurrentHashMap<>();
    private final Map<PartitionKey, Meter> lagGauges = new ConcurrentHashMap<>();
    private final Map<MeterKey, Counter> counters = new ConcurrentHashMap<>();
    private final Map<MeterKey, Timer> timers = new ConcurrentHashMap<>();

    /**
     * Creates the meters' owner, refreshing the kafka-clients meters of every container on a thread of its
     * own, named {@code kafka-consumer-client-metrics}, started with the first container and ended by
     * {@link #close()}.
     *
     * @param registry where meters are registered; its lifecycle is the caller's
     */
    public ContainerMeters(MeterRegistry registry) {
        this(registry, ClientMetricsScheduler.create());
    }

    /**
     * Creates the meters' owner, refreshing the kafka-clients meters of every container on the given
     * scheduler.
     *
     * @param registry  where meters are registered; its lifecycle is the caller's
     * @param scheduler where the kafka-clients meters are refreshed; its lifecycle is the caller's
     */
    public ContainerMeters(MeterRegistry registry, ScheduledExecutorService scheduler) {
        this(registry, ClientMetricsScheduler.over(scheduler));
    }

    private ContainerMeters(MeterRegistry registry, ClientMetricsScheduler scheduler) {
        this.registry = registry;
        this.scheduler = scheduler;
    }

    @Override
    public void started(ConsumerContainer<?, ?> container) {
        containers.put(container.name(), container);
        // a restart without a stop in between: the old binding goes first, or closing it would remove the new meters
        closeClientMeters(container.name());
        ClientMetricsScheduler.Lease lease = scheduler.lease();
        KafkaClientMetrics metrics = new KafkaClientMetrics(MetricsOnlyConsumer.of(container::metrics),
                Tags.of("container", container.name()), lease);
        metrics.bindTo(registry);
        clientMetrics.put(container.name(), new ClientMeters(metrics, lease));
    }

    @Override
    public void stopped(ConsumerContainer<?, ?> container) {
        closeClientMeters(container.name());
        lagGauges.keySet().removeIf(key -> {
            if (key.container().equals(container.name())) {
                registry.remove(lagGauges.get(key));
                return true;
            }
            return false;
        });
        containers.remove(container.name(), container);
        snapshots.remove(container.name());
    }

    @Override
    public void recordsTaken(String container, TopicPartition partition, int count) {
        counter("kafka.consumer.records", "Records taken for handling", container, Tags.of("topic", partition.topic()))
                .increment(count);
    }

    @Override
    public void handled(String container, TopicPartition partition, int records, Duration duration, Outcome outcome) {
        MeterKey key = new MeterKey("kafka.consumer.handler", container,
                Tags.of("topic", partition.topic(), "outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)));
        timers.computeIfAbsent(key, k -> Timer.builder(k.name()).description("Handler calls")
                .tags(k.tags().and("container", container)).register(registry)).record(duration);
    }

    @Override
    public void retrying(String container, TopicPartition partition, int attempt) {
        counter("kafka.consumer.retries", "Failed handler calls to be retried", container,
                Tags.of("topic", partition.topic())).increment();
    }

    @Override
    public void recovered(String container, FailedRecord<?, ?> failed, String recoverer) {
        counter("kafka.consumer.recovered", "Records given to the recoverer", container,
                Tags.of("topic", failed.partition().topic(), "recoverer", recoverer)).increment();
    }

    @Override
    public void committed(String container, Map<TopicPartition, OffsetAndMetadata> offsets, Throwable failure) {
        counter("kafka.consumer.commits", "Offset commits", container,
                Tags.of("outcome", failure == null ? "success" : "failure")).increment();
    }

    @Override
    public void assigned(String container, Collection<TopicPartition> partitions) {
        counter("kafka.consumer.rebalances", "Partitions assigned, revoked or lost", container, Tags.of("kind", "assigned"))
                .increment();
        for (TopicPartition partition : partitions) {
            PartitionKey key = new PartitionKey(container, partition);
            lagGauges.computeIfAbsent(key, k -> Gauge.builder("kafka.consumer.lag", () -> lag(k))
                    .description("Records not yet committed: high-water mark (or last stable offset) minus committed offset")
                    .baseUnit("records")
                    .tags("container", container, "topic", partition.topic(), "partition", String.valueOf(partition.partition()))
                    .register(registry));
        }
    }

    @Override
    public void unassigned(String container, Collection<TopicPartition> partitions, boolean lost) {
        counter("kafka.consumer.rebalances", "Partitions assigned, revoked or lost", container,
                Tags.of("kind", lost ? "lost" : "revoked")).increment();
        for (TopicPartition partition : partitions) {
            Meter gauge = lagGauges.remove(new PartitionKey(container, partition));
            if (gauge != null) {
                registry.remove(gauge);
            }
        }
    }

    /** Removes the kafka-clients meters of every container and shuts down the scheduler this class created. */
    @Override
    public void close() {
        Set.copyOf(clientMetrics.keySet()).forEach(this::closeClientMeters);
        scheduler.close();
    }

    private void closeClientMeters(String container) {
        ClientMeters meters = clientMetrics.remove(container);
        if (meters != null) {
            meters.close();
        }
    }

    private Counter counter(String name, String description, String container, Tags tags) {
        return counters.computeIfAbsent(new MeterKey(name, container, tags), key -> Counter.builder(name)
                .description(description).tags(tags.and("container", container)).register(registry));
    }

    /** The partition's lag from a snapshot at most a second old, so that scraping many gauges costs one snapshot. */
    private double lag(PartitionKey key) {
        ConsumerContainer<?, ?> container = containers.get(key.container());
        if (container == null) {
            return Double.NaN;
        }
        CachedSnapshot cached = snapshots.compute(key.container(), (name, current) ->
                current != null && System.nanoTime() - current.takenAt() < SNAPSHOT_MAX_AGE_NANOS ? current
                        : new CachedSnapshot(System.nanoTime(), container.snapshot().partitions()));
        for (PartitionSnapshot partition : cached.partitions()) {
            if (partition.partition().equals(key.partition())) {
                return partition.lag().isPresent() ? partition.lag().getAsLong() : Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** One container's kafka-clients meters and the lease their refresh runs on. */
    private record ClientMeters(KafkaClientMetrics metrics, ClientMetricsScheduler.Lease lease) {

        void close() {
            // the refresh first, so that it cannot register again what close() removes
            lease.shutdown();
            metrics.close();
        }
    }

    private record MeterKey(String name, String container, Tags tags) {
    }

    private record PartitionKey(String container, TopicPartition partition) {
    }

    private record CachedSnapshot(long takenAt, java.util.List<PartitionSnapshot> partitions) {
    }
}
