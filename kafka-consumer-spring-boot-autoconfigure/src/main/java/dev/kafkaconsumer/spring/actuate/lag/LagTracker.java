package dev.kafkaconsumer.spring.actuate.lag;

import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.ContainerSnapshot;
import dev.kafkaconsumer.core.PartitionSnapshot;

/**
 * Keeps, for each partition assigned to each container, a sliding window of samples taken from
 * {@link ContainerSnapshot}s, and derives from it the partition's lag, its time lag and its
 * {@link LagStatus}. Everything is local: the snapshots are read without a request to the broker.
 *
 * <p>Time lag follows kafka-lag-exporter: each sample adds the partition's end offset and the time it was
 * seen to a small table; the time lag is how long ago the end offset passed the committed offset,
 * interpolated between the two table points around it. The status follows Burrow's rules over the
 * window (see {@link LagStatus}). A partition no longer in its container's snapshot is forgotten, with its
 * history, and listeners hear of it (meters use this to remove their gauges).
 *
 * <p>Feed it with {@link #sample(ContainerSnapshot)}, periodically (a {@link LagSampler} does); read it
 * from any thread. The results are computed when sampling, so reads are cheap and never block on a sample.
 */
public final class LagTracker {

    private static final Logger log = LoggerFactory.getLogger(LagTracker.class);

    private final int window;

    private final Clock clock;

    private final Map<String, Map<TopicPartition, Tracked>> containers = new ConcurrentHashMap<>();

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /**
     * Creates a tracker on the system clock.
     *
     * @param window samples kept per partition, at least 2
     */
    public LagTracker(int window) {
        this(window, Clock.systemUTC());
    }

    /**
     * Creates a tracker.
     *
     * @param window samples kept per partition, at least 2
     * @param clock  what sample times are read from
     */
    public LagTracker(int window, Clock clock) {
        if (window < 2) {
            throw new IllegalArgumentException("The lag window needs at least 2 samples, was " + window
                    + "; set kafka.consumer.lag.window to 2 or more");
        }
        this.window = window;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Returns how many samples are kept per partition.
     *
     * @return the window size
     */
    public int window() {
        return this.window;
    }

    /**
     * Samples a container now: adds a sample for each partition in the snapshot and forgets the container's
     * partitions that are not in it.
     *
     * @param snapshot the container's snapshot
     */
    public void sample(ContainerSnapshot snapshot) {
        sample(snapshot, this.clock.millis());
    }

    /**
     * Samples a container at a given time; see {@link #sample(ContainerSnapshot)}. Samples of a partition
     * must come in time order.
     *
     * @param snapshot    the container's snapshot
     * @param epochMillis the time of the sample
     */
    public synchronized void sample(ContainerSnapshot snapshot, long epochMillis) {
        String container = snapshot.name();
        Map<TopicPartition, Tracked> partitions = this.containers.computeIfAbsent(container,
                (name) -> new ConcurrentHashMap<>());
        Set<TopicPartition> assigned = snapshot.partitions().stream()
            .map(PartitionSnapshot::partition)
            .collect(Collectors.toSet());
        for (TopicPartition gone : Set.copyOf(partitions.keySet())) {
            if (!assigned.contains(gone)) {
                partitions.remove(gone);
                notify(container, gone, false);
            }
        }
        for (PartitionSnapshot partition : snapshot.partitions()) {
            Tracked tracked = partitions.get(partition.partition());
            boolean added = tracked == null;
            if (added) {
                tracked = new Tracked(new PartitionHistory(this.window));
            }
            tracked.latest = tracked.history.add(container, partition, epochMillis);
            if (added) {
                partitions.put(partition.partition(), tracked);
                notify(container, partition.partition(), true);
            }
        }
    }

    /**
     * Forgets every container but these, with their partitions.
     *
     * @param names the containers to keep
     */
    public synchronized void retain(Collection<String> names) {
        for (String container : Set.copyOf(this.containers.keySet())) {
            if (!names.contains(container)) {
                forget(container);
            }
        }
    }

    /**
     * Forgets a container and its partitions.
     *
     * @param container the container's name
     */
    public synchronized void forget(String container) {
        Map<TopicPartition, Tracked> partitions = this.containers.remove(container);
        if (partitions != null) {
            partitions.keySet().forEach((partition) -> notify(container, partition, false));
        }
    }

    /**
     * Returns the containers sampled and not forgotten.
     *
     * @return container names
     */
    public Set<String> containers() {
        return Set.copyOf(this.containers.keySet());
    }

    /**
     * Returns the lag of each partition of a container, by topic and partition.
     *
     * @param container the container's name
     * @return the partitions tracked, empty for an unknown container
     */
    public List<PartitionLag> partitions(String container) {
        Map<TopicPartition, Tracked> partitions = this.containers.getOrDefault(container, Map.of());
        return partitions.values()
            .stream()
            .map((tracked) -> tracked.latest)
            .sorted(Comparator.comparing((PartitionLag lag) -> lag.partition().topic())
                .thenComparingInt((lag) -> lag.partition().partition()))
            .toList();
    }

    /**
     * Returns the lag of one partition of a container.
     *
     * @param container the container's name
     * @param partition the partition
     * @return its lag, or empty when it is not tracked
     */
    public Optional<PartitionLag> partition(String container, TopicPartition partition) {
        Tracked tracked = this.containers.getOrDefault(container, Map.of()).get(partition);
        return Optional.ofNullable(tracked).map((found) -> found.latest);
    }

    /**
     * Returns the lag in records of a partition, for a gauge.
     *
     * @param container the container's name
     * @param partition the partition
     * @return the lag, or {@code NaN} when unknown or not tracked
     */
    public double lagOrNaN(String container, TopicPartition partition) {
        return orNaN(partition(container, partition).map(PartitionLag::lag));
    }

    /**
     * Returns the estimated time lag of a partition in milliseconds, for a gauge.
     *
     * @param container the container's name
     * @param partition the partition
     * @return the time lag, or {@code NaN} when unknown or not tracked
     */
    public double timeLagMillisOrNaN(String container, TopicPartition partition) {
        return orNaN(partition(container, partition).map(PartitionLag::timeLagMillis));
    }

    private static double orNaN(Optional<OptionalLong> value) {
        return value.filter(OptionalLong::isPresent).map((present) -> (double) present.getAsLong()).orElse(Double.NaN);
    }

    /**
     * Adds a listener, told when a partition starts and stops being tracked.
     *
     * @param listener the listener, called on the sampling thread; it must not block
     */
    public void addListener(Listener listener) {
        this.listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private void notify(String container, TopicPartition partition, boolean tracked) {
        for (Listener listener : this.listeners) {
            try {
                if (tracked) {
                    listener.partitionTracked(container, partition);
                }
                else {
                    listener.partitionForgotten(container, partition);
                }
            }
            catch (RuntimeException ex) {
                log.warn("A lag listener failed for {} of container {}", partition, container, ex);
            }
        }
    }

    /** Hears when partitions start and stop being tracked: to add and remove per-partition gauges, say. */
    public interface Listener {

        /**
         * A partition was sampled for the first time since it was assigned.
         *
         * @param container the container's name
         * @param partition the partition
         */
        default void partitionTracked(String container, TopicPartition partition) {
        }

        /**
         * A partition is no longer assigned (or its container was forgotten); its history is gone.
         *
         * @param container the container's name
         * @param partition the partition
         */
        default void partitionForgotten(String container, TopicPartition partition) {
        }

    }

    /** A partition's history and its latest evaluation, read without locking. */
    private static final class Tracked {

        private final PartitionHistory history;

        private volatile PartitionLag latest;

        Tracked(PartitionHistory history) {
            this.history = history;
        }

    }

}
