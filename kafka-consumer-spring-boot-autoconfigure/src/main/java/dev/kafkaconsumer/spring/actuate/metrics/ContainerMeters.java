package dev.kafkaconsumer.spring.actuate.metrics;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.FailedRecord;
import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.PartitionSnapshot;
import dev.kafkaconsumer.core.ShareConsumerContainer;
import dev.kafkaconsumer.core.ShareContainerSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
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
 * <li>{@code kafka.consumer.handler} (timer; container, topic, outcome): handler calls, with a percentile histogram
 * from 1 ms to 1 minute;</li>
 * <li>{@code kafka.consumer.retries} (counter; container, topic): failed calls that will be retried;</li>
 * <li>{@code kafka.consumer.recovered} (counter; container, topic, recoverer): records given to the
 * recoverer, {@code recoverer=dead-letter} for dead-lettered ones;</li>
 * <li>{@code kafka.consumer.commits} (counter; container, outcome = success or failure): both outcomes from the
 * container's first commit on, so that the share of failed commits is 0, not absent, until a commit fails;</li>
 * <li>{@code kafka.consumer.transactions} (counter; container, outcome = committed or aborted): the transactions of a
 * transactional container, which makes no commits of the line above; and {@code kafka.consumer.transaction.records}
 * (counter; container): the input records whose outputs and offsets committed transactions carried;</li>
 * <li>{@code kafka.consumer.rebalances} (counter; container, kind = assigned, revoked or lost);</li>
 * <li>{@code kafka.consumer.lag} (gauge; container, topic, partition): records not yet committed, from the
 * container's snapshot, registered when the partition is assigned and removed when it goes;</li>
 * <li>{@code kafka.consumer.records.in.flight} (gauge; container): records taken from the engine and not yet done,
 * from the container's snapshot, from its start to its stop;</li>
 * <li>the kafka-clients metrics of each container's consumer, bound with {@link KafkaClientMetrics} and
 * tagged with the container, refreshed for all containers by one scheduler: a daemon thread named
 * {@code kafka-consumer-client-metrics}, or the caller's.</li>
 * </ul>
 * Share containers ({@link ShareConsumerContainer}) have the records, handler, retries and recovered meters and their
 * kafka-clients metrics too (no commits, rebalances nor lag: a share group has none), and these:
 * <ul>
 * <li>{@code kafka.consumer.acknowledgements} (counter; container, type = accept, release, reject or renew):
 * acknowledgements the broker confirmed;</li>
 * <li>{@code kafka.consumer.deliveries} (function counter; container, delivery): records received, by delivery
 * count ({@code delivery=1} for first deliveries), from the container's snapshot, one counter per delivery count
 * seen, registered within a second of its first record (on the scheduler of the kafka-clients meters);</li>
 * <li>{@code kafka.consumer.lock.expirations} (counter; container, topic): records whose acquisition lock expired
 * before they were acknowledged;</li>
 * <li>{@code kafka.consumer.records.acquired} and {@code kafka.consumer.records.in.flight} (gauges; container):
 * records the container's share consumer holds, and those of them being handled, from its snapshot.</li>
 * </ul>
 * The meters of one started share container are removed when it stops.
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
    private final Map<String, Meter> inFlightGauges = new ConcurrentHashMap<>();
    private final Map<MeterKey, Counter> counters = new ConcurrentHashMap<>();
    private final Map<MeterKey, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, ShareConsumerContainer<?, ?>> shareContainers = new ConcurrentHashMap<>();
    private final Map<String, CachedShareSnapshot> shareSnapshots = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Meter>> shareMeters = new ConcurrentHashMap<>();

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
        String name = container.name();
        inFlightGauges.computeIfAbsent(name, key -> Gauge.builder("kafka.consumer.records.in.flight",
                        () -> partitions(name).stream().mapToInt(PartitionSnapshot::inFlight).sum())
                .description("Records taken for handling and not yet done")
                .tags("container", name).register(registry));
    }

    @Override
    public void stopped(ConsumerContainer<?, ?> container) {
        closeClientMeters(container.name());
        Meter inFlight = inFlightGauges.remove(container.name());
        if (inFlight != null) {
            registry.remove(inFlight);
        }
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
    public void started(ShareConsumerContainer<?, ?> container) {
        String name = container.name();
        shareContainers.put(name, container);
        closeClientMeters(name);
        removeShareMeters(name);
        ClientMetricsScheduler.Lease lease = scheduler.lease();
        KafkaClientMetrics metrics = new KafkaClientMetrics(MetricsOnlyConsumer.of(container::metrics),
                Tags.of("container", name), lease);
        metrics.bindTo(registry);
        clientMetrics.put(name, new ClientMeters(metrics, lease));
        Map<String, Meter> meters = shareMeters.computeIfAbsent(name, key -> new ConcurrentHashMap<>());
        // a delivery count first seen is counted from the next refresh on, at the latest a second later
        lease.scheduleWithFixedDelay(() -> registerDeliveryCounters(name), 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        meters.put("acquired", Gauge.builder("kafka.consumer.records.acquired", () -> shareSnapshot(name,
                        ShareContainerSnapshot::acquired))
                .description("Records the share consumer holds: fetched and not yet finally acknowledged")
                .tags("container", name).register(registry));
        meters.put("inFlight", Gauge.builder("kafka.consumer.records.in.flight", () -> shareSnapshot(name,
                        ShareContainerSnapshot::inFlight))
                .description("Records taken for handling and not yet acknowledged")
                .tags("container", name).register(registry));
    }

    @Override
    public void stopped(ShareConsumerContainer<?, ?> container) {
        String name = container.name();
        closeClientMeters(name);
        removeShareMeters(name);
        shareContainers.remove(name, container);
        shareSnapshots.remove(name);
    }

    @Override
    public void recordsTaken(String container, TopicPartition partition, int count) {
        counter("kafka.consumer.records", "Records taken for handling", container, Tags.of("topic", partition.topic()))
                .increment(count);
        if (shareContainers.containsKey(container)) {
            registerDeliveryCounters(container);
        }
    }

    @Override
    public void acknowledged(String container, TopicPartition partition, AcknowledgeType type, int count) {
        counter("kafka.consumer.acknowledgements", "Acknowledgements of share-group records that the broker confirmed",
                container, Tags.of("type", type.name().toLowerCase(java.util.Locale.ROOT))).increment(count);
        if (shareContainers.containsKey(container)) {
            registerDeliveryCounters(container);
        }
    }

    @Override
    public void lockExpired(String container, TopicPartition partition, long offset, int deliveryCount) {
        counter("kafka.consumer.lock.expirations", "Share-group records whose acquisition lock expired before they "
                + "were acknowledged", container, Tags.of("topic", partition.topic())).increment();
    }

    @Override
    public void handled(String container, TopicPartition partition, int records, Duration duration, Outcome outcome) {
        MeterKey key = new MeterKey("kafka.consumer.handler", container,
                Tags.of("topic", partition.topic(), "outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)));
        // with a histogram, so that a dashboard can show p50 and p99 over all instances (histogram_quantile);
        // management.metrics.distribution.percentiles-histogram.kafka.consumer.handler=false turns it off
        timers.computeIfAbsent(key, k -> Timer.builder(k.name()).description("Handler calls")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1))
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
        // both outcomes at once: Prometheus's advice for series known in advance, and what a failure ratio needs
        Counter succeeded = counter("kafka.consumer.commits", "Offset commits", container, Tags.of("outcome", "success"));
        Counter failed = counter("kafka.consumer.commits", "Offset commits", container, Tags.of("outcome", "failure"));
        (failure == null ? succeeded : failed).increment();
    }

    @Override
    public void transactionCommitted(String container, Map<TopicPartition, OffsetAndMetadata> offsets, int records) {
        counter("kafka.consumer.transactions", "Transactions of a transactional container", container,
                Tags.of("outcome", "committed")).increment();
        counter("kafka.consumer.transaction.records", "Input records whose outputs and offsets committed transactions "
                + "carried", container, Tags.empty()).increment(records);
    }

    @Override
    public void transactionAborted(String container, Throwable cause) {
        counter("kafka.consumer.transactions", "Transactions of a transactional container", container,
                Tags.of("outcome", "aborted")).increment();
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

    /** A counter per delivery count that the share container's snapshot shows and that has none yet. */
    private void registerDeliveryCounters(String container) {
        Map<String, Meter> meters = shareMeters.get(container);
        if (meters == null) {
            return;
        }
        for (Integer delivery : shareSnapshot(container).deliveryCounts().keySet()) {
            meters.computeIfAbsent("delivery-" + delivery, key -> FunctionCounter.builder("kafka.consumer.deliveries",
                            this, self -> self.deliveries(container, delivery))
                    .description("Records received by a share container, by delivery count (1 for first deliveries)")
                    .tags("container", container, "delivery", String.valueOf(delivery))
                    .register(registry));
        }
        if (shareMeters.get(container) != meters) {
            // the container stopped meanwhile: what was just registered goes with the rest
            meters.values().forEach(registry::remove);
        }
    }

    private double deliveries(String container, int delivery) {
        Long count = shareSnapshot(container).deliveryCounts().get(delivery);
        return (count != null) ? count : 0;
    }

    private double shareSnapshot(String container, java.util.function.ToIntFunction<ShareContainerSnapshot> value) {
        return shareContainers.containsKey(container) ? value.applyAsInt(shareSnapshot(container)) : Double.NaN;
    }

    /** The share container's snapshot, at most a second old, so that scraping its meters costs one snapshot. */
    private ShareContainerSnapshot shareSnapshot(String container) {
        ShareConsumerContainer<?, ?> current = shareContainers.get(container);
        if (current == null) {
            CachedShareSnapshot last = shareSnapshots.get(container);
            return (last != null) ? last.snapshot() : new ShareContainerSnapshot(container, "", ContainerState.STOPPED,
                    Set.of(), 0, 0, Map.of(), Map.of(), 0, 0, java.util.Optional.empty());
        }
        return shareSnapshots.compute(container, (name, cached) ->
                cached != null && System.nanoTime() - cached.takenAt() < SNAPSHOT_MAX_AGE_NANOS ? cached
                        : new CachedShareSnapshot(System.nanoTime(), current.snapshot())).snapshot();
    }

    private void removeShareMeters(String container) {
        Map<String, Meter> meters = shareMeters.remove(container);
        if (meters != null) {
            meters.values().forEach(registry::remove);
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

    /** The partition's lag from a snapshot at most a second old. */
    private double lag(PartitionKey key) {
        for (PartitionSnapshot partition : partitions(key.container())) {
            if (partition.partition().equals(key.partition())) {
                return partition.lag().isPresent() ? partition.lag().getAsLong() : Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** The container's partitions from a snapshot at most a second old, so that scraping many gauges costs one snapshot. */
    private java.util.List<PartitionSnapshot> partitions(String name) {
        ConsumerContainer<?, ?> container = containers.get(name);
        if (container == null) {
            return java.util.List.of();
        }
        return snapshots.compute(name, (key, current) ->
                current != null && System.nanoTime() - current.takenAt() < SNAPSHOT_MAX_AGE_NANOS ? current
                        : new CachedSnapshot(System.nanoTime(), container.snapshot().partitions())).partitions();
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

    private record CachedShareSnapshot(long takenAt, ShareContainerSnapshot snapshot) {
    }
}
