package dev.kafkaconsumer.core;

import static dev.kafkaconsumer.core.Arguments.requireMaxRecords;
import static dev.kafkaconsumer.core.Arguments.requireNonNegative;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Deserializer;

import dev.kafkaconsumer.core.internal.share.ShareEngineConfig;
import dev.kafkaconsumer.core.internal.share.ShareEngineCore;

/**
 * A share-group consumer (KIP-932, Kafka's queues) that any thread may call: the counterpart of
 * {@link ConsumerEngine} for share groups. Many consumers of one share group read the same partitions; the broker
 * hands each record to one of them at a time, under an acquisition lock, and each record is acknowledged on its own.
 * One I/O thread ({@code kafka-consumer-share-io-<client.id>}) owns the underlying
 * {@link org.apache.kafka.clients.consumer.KafkaShareConsumer}, in explicit acknowledgement mode; application
 * threads take {@link AcquiredRecord}s and acknowledge them from any thread, and the I/O thread sends the
 * acknowledgements, batched.
 *
 * <pre>{@code
 * try (ShareConsumerEngine<String, String> engine = ShareConsumerEngine.builder(new StringDeserializer(), new StringDeserializer())
 *         .bootstrapServers("127.0.0.1:9092")
 *         .groupId("orders-workers")                    // a share group
 *         .build()) {
 *     engine.subscribe(List.of("orders"));
 *     engine.start();
 *     while (running) {
 *         for (AcquiredRecord<String, String> acquired : engine.getMany(Duration.ofSeconds(1), 100)) {
 *             executor.execute(() -> {
 *                 process(acquired.record());
 *                 acquired.accept();                    // or release() to retry elsewhere, reject() to drop it
 *             });
 *         }
 *     }
 * }
 * }</pre>
 *
 * <h2>How records flow</h2>
 * The I/O thread polls only for the application: when a get call finds no record waiting to be taken, and while one
 * waits. What a poll returns waits in the engine, acquired, until a get call takes it; an engine nobody asks holds
 * nothing. In explicit acknowledgement mode a share consumer
 * may not poll again before every record of its last poll is acknowledged, so the engine fetches the next records once
 * the application has acknowledged (or the engine renewed) all it holds: one record held by a slow handler holds up
 * the engine's next poll. Run several engines (a container's concurrency) for parallelism, and keep
 * {@code max.poll.records} to what the application processes well within a lock duration
 * ({@code share.acquire.mode=record_limit} makes it a strict limit). Acknowledgements wait up to
 * {@code acknowledgementInterval} (default 100 ms) to be sent together in one {@code commitAsync}; they go at once when
 * no record of the last poll is left unacknowledged, riding on the next poll when the application wants more.
 *
 * <h2>Acquisition locks</h2>
 * The broker takes a record back when its lock ({@code share.record.lock.duration.ms}, a group config, default 30 s)
 * expires; the engine counts a lock from the moment the poll returned the record. With {@code lockRenewal(true)} (the
 * default) the I/O thread renews the lock of every record it holds and that is not acknowledged, handed out or
 * waiting to be taken, when half of it has passed, for at most {@code maxLockRenewal} (default 5 minutes) after the
 * record was acquired, so that a stuck handler does not hold a record forever. A record whose lock expires anyway is
 * counted, reported once to {@link ShareEngineListener#lockExpired} and logged at WARN, and released by the engine so
 * that the consumer may poll again; its later acknowledgement fails with {@link AcquisitionLockExpiredException} and
 * sends nothing, so no record is acknowledged twice. A record waiting to be taken whose lock expired is never handed
 * out.
 *
 * <h2>Errors</h2>
 * An error of a poll (authorization, say) is thrown by the next get call, once; the engine goes on, backing off. A
 * record whose key or value cannot be deserialized would fail on every delivery: the engine rejects it (the broker
 * never delivers it again) and the next get call throws the
 * {@link org.apache.kafka.common.errors.RecordDeserializationException}, which names it. Give a share engine
 * {@code byte[]} deserializers and deserialize on the worker to handle such records yourself.
 *
 * <h2>Semantics of standard properties</h2>
 * <ul>
 * <li>{@code share.acknowledgement.mode} is always {@code explicit}; {@code implicit} is refused.</li>
 * <li>{@code max.poll.records} (default 500): the most records one poll returns.</li>
 * <li>{@code max.poll.interval.ms} (default 300000): the longest the application may go without asking for records
 * before the member leaves the group; it rejoins at the next get call.</li>
 * <li>{@code default.api.timeout.ms} (default 60000): how long {@code start}, {@code subscribe} and
 * {@code unsubscribe} wait for the I/O thread.</li>
 * </ul>
 * Where a share group starts reading, how long its locks are and how many deliveries a record gets are group
 * configs set on the broker ({@code share.auto.offset.reset}, {@code share.record.lock.duration.ms},
 * {@code share.delivery.count.limit}), not consumer properties.
 *
 * <h2>Threads</h2>
 * Every method may be called from any thread. The futures the engine returns (of {@link #getManyAsync} and of
 * acknowledgements) complete, and the {@link ShareEngineListener} is called, on the engine's callback thread
 * ({@code kafka-consumer-callbacks-<client.id>}), never on the I/O thread: keep dependent stages short or move them
 * elsewhere.
 *
 * <h2>What a share consumer does not have</h2>
 * Partitions are not assigned to one member, so there is no assignment, position, seek, pause per partition,
 * rebalance listener or offset commit: the broker keeps each record's state, and acknowledgements are the commits.
 * Records of one partition go to several consumers, so there is no ordering across them.
 *
 * <h2>Stop</h2>
 * {@link #stop()} hands out nothing more, releases the records handed out and not acknowledged (so that other
 * consumers get them at once, rather than after their locks expire) and those never taken, sends the pending
 * acknowledgements with {@code commitSync}, and closes the consumer. A record whose renewal is on its way when the
 * engine stops cannot be released by it; the broker releases it as the consumer leaves the group. Acknowledgements
 * made after the stop fail with {@link ConsumerStoppedException}; those whose answer had not come fail with it too
 * (their outcome is unknown).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ShareConsumerEngine<K, V> implements AutoCloseable {

    private final ShareEngineCore<K, V> core;

    private ShareConsumerEngine(ShareEngineCore<K, V> core) {
        this.core = core;
    }

    /**
     * Starts building an engine. The deserializers become the engine's: it closes them on stop.
     *
     * @param keyDeserializer   the key deserializer
     * @param valueDeserializer the value deserializer
     * @param <K>               the key type
     * @param <V>               the value type
     * @return a builder
     */
    public static <K, V> Builder<K, V> builder(Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        return new Builder<>(Objects.requireNonNull(keyDeserializer, "keyDeserializer"),
                Objects.requireNonNull(valueDeserializer, "valueDeserializer"));
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Starts the I/O thread and hands it the subscription made before, if any. Returns once the subscription is
     * applied; the group is joined with the first poll, when the application first asks for records.
     *
     * @throws IllegalStateException    if already started
     * @throws ConsumerStoppedException if stopped
     */
    public void start() {
        core.start();
    }

    /**
     * Stops the engine within 30 seconds; see "Stop" above. Callers waiting in {@link #getOne()} get a
     * {@link ConsumerStoppedException}; callers waiting in {@code getMany} get an empty list. Idempotent.
     */
    public void stop() {
        stop(Duration.ofSeconds(30));
    }

    /**
     * Stops the engine, closing the consumer within {@code timeout}; see {@link #stop()}.
     *
     * @param timeout how long releasing, committing and closing may take
     */
    public void stop(Duration timeout) {
        core.stop(requireNonNegative(timeout, "timeout"));
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Returns whether the engine is started and its I/O thread is alive.
     *
     * @return true between {@link #start()} and {@link #stop()}
     */
    public boolean isRunning() {
        return core.isRunning();
    }

    /**
     * Returns the {@code client.id} of the underlying consumer, which also names the engine's threads.
     *
     * @return the client id, given or generated
     */
    public String clientId() {
        return core.config().clientId();
    }

    /**
     * Returns the share group.
     *
     * @return the {@code group.id}
     */
    public String groupId() {
        return core.config().groupId();
    }

    // ---------------------------------------------------------------- subscription

    /**
     * Subscribes to topics, replacing the previous subscription; an empty collection unsubscribes. May be called
     * before {@link #start()}. Records acquired under the previous subscription stay acquired until acknowledged.
     *
     * @param topics topic names
     * @throws IllegalArgumentException for a null or blank name
     * @throws ConsumerStoppedException if the engine was stopped
     */
    public void subscribe(Collection<String> topics) {
        core.subscribe(Arguments.topicNames(topics));
    }

    /** Drops the subscription. */
    public void unsubscribe() {
        core.subscribe(Set.of());
    }

    /**
     * Returns the subscribed topics.
     *
     * @return topic names, empty when not subscribed
     */
    public Set<String> subscription() {
        return core.subscription();
    }

    // ---------------------------------------------------------------- records

    /**
     * Waits for the next record.
     *
     * @return the record, acquired by this consumer until it is acknowledged or its lock expires
     * @throws ConsumerStoppedException if the engine stops while waiting, or was stopped
     * @throws IllegalStateException    if the engine is not started
     * @throws org.apache.kafka.common.errors.InterruptException if the thread is interrupted while waiting (its
     *         interrupt flag set again)
     */
    public AcquiredRecord<K, V> getOne() {
        return core.getOne(null);
    }

    /**
     * Waits up to {@code timeout} for the next record; see {@link #getOne()}.
     *
     * @param timeout how long to wait
     * @return the record, or empty when none came in time
     * @throws IllegalArgumentException if the timeout is negative
     */
    public Optional<AcquiredRecord<K, V>> getOne(Duration timeout) {
        return Optional.ofNullable(core.getOne(requireNonNegative(timeout, "timeout")));
    }

    /**
     * Returns up to {@code maxRecords} acquired records, waiting up to {@code timeout} for at least one.
     *
     * @param timeout    how long to wait when none is waiting; zero returns what is there now
     * @param maxRecords the most records to return, at least 1
     * @return records, in the order the consumer received them; empty when none came in time, or when the engine
     *         stopped while waiting
     * @throws IllegalArgumentException if {@code maxRecords < 1} or the timeout is negative
     * @throws IllegalStateException    if the engine is not started
     * @throws ConsumerStoppedException if the engine was stopped before the call
     */
    public List<AcquiredRecord<K, V>> getMany(Duration timeout, int maxRecords) {
        return core.getMany(requireNonNegative(timeout, "timeout"), requireMaxRecords(maxRecords));
    }

    /**
     * Asks for records without blocking; see {@link #getMany(Duration, int)}.
     *
     * @param timeout    how long to wait for at least one record
     * @param maxRecords the most records to return, at least 1
     * @return a future of the records, empty when none came in time or the engine stopped; it completes on the
     *         engine's callback thread
     * @throws IllegalArgumentException if {@code maxRecords < 1} or the timeout is negative
     */
    public CompletableFuture<List<AcquiredRecord<K, V>>> getManyAsync(Duration timeout, int maxRecords) {
        return core.getManyAsync(requireNonNegative(timeout, "timeout"), requireMaxRecords(maxRecords));
    }

    // ---------------------------------------------------------------- state

    /**
     * Returns the share group's acquisition lock duration, which the consumer learns with its first poll.
     *
     * @return the lock duration, or empty before the first poll
     */
    public Optional<Duration> acquisitionLockTimeout() {
        return core.acquisitionLockTimeout();
    }

    /**
     * Returns the engine's counters and the records it holds now.
     *
     * @return a snapshot
     */
    public ShareEngineSnapshot snapshot() {
        return core.snapshot();
    }

    /**
     * Returns the metrics of the underlying share consumer.
     *
     * @return metrics by name, read-only
     */
    public Map<MetricName, ? extends Metric> metrics() {
        return core.metrics();
    }

    /**
     * Builds a {@link ShareConsumerEngine}. Not thread-safe; each {@link #build()} makes a new engine.
     *
     * @param <K> the key type
     * @param <V> the value type
     */
    public static final class Builder<K, V> {

        private final Deserializer<K> keyDeserializer;
        private final Deserializer<V> valueDeserializer;
        private final Map<String, Object> properties = new LinkedHashMap<>();
        private boolean lockRenewal = ShareEngineConfig.DEFAULT_LOCK_RENEWAL;
        private Duration maxLockRenewal = ShareEngineConfig.DEFAULT_MAX_LOCK_RENEWAL;
        private Duration acknowledgementInterval = ShareEngineConfig.DEFAULT_ACKNOWLEDGEMENT_INTERVAL;
        private ShareEngineListener listener;

        private Builder(Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
            this.keyDeserializer = keyDeserializer;
            this.valueDeserializer = valueDeserializer;
        }

        /**
         * Sets {@code bootstrap.servers}.
         *
         * @param servers comma-separated {@code host:port} list
         * @return this builder
         */
        public Builder<K, V> bootstrapServers(String servers) {
            return property(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(servers, "servers"));
        }

        /**
         * Sets {@code group.id}, the share group; required.
         *
         * @param groupId the share group
         * @return this builder
         */
        public Builder<K, V> groupId(String groupId) {
            return property(ConsumerConfig.GROUP_ID_CONFIG, Objects.requireNonNull(groupId, "groupId"));
        }

        /**
         * Sets any kafka-clients share consumer property.
         *
         * @param name  the property name, as in {@link org.apache.kafka.clients.consumer.ShareConsumerConfig}
         * @param value its value
         * @return this builder
         */
        public Builder<K, V> property(String name, Object value) {
            properties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Sets kafka-clients share consumer properties.
         *
         * @param values properties by name
         * @return this builder
         */
        public Builder<K, V> properties(Map<String, ?> values) {
            Objects.requireNonNull(values, "values").forEach(this::property);
            return this;
        }

        /**
         * Sets whether the I/O thread renews the acquisition locks of the records it holds and that are not
         * acknowledged (handed out, or waiting to be taken) when half of a lock has passed. Default true. Without
         * renewal, a record not acknowledged within its lock is delivered again, and its acknowledgement fails.
         *
         * @param renew whether to renew
         * @return this builder
         */
        public Builder<K, V> lockRenewal(boolean renew) {
            this.lockRenewal = renew;
            return this;
        }

        /**
         * Bounds lock renewal: a record acquired longer ago than this is not renewed any more, so that a stuck
         * handler does not hold it forever. Default 5 minutes.
         *
         * @param max a positive duration
         * @return this builder
         */
        public Builder<K, V> maxLockRenewal(Duration max) {
            this.maxLockRenewal = Objects.requireNonNull(max, "max");
            return this;
        }

        /**
         * Sets how long acknowledgements may wait to be sent together in one {@code commitAsync}. Acknowledgements
         * that complete a poll's records go out at once. Default 100 ms; zero sends each as soon as the I/O thread
         * sees it.
         *
         * @param interval a duration, not negative
         * @return this builder
         */
        public Builder<K, V> acknowledgementInterval(Duration interval) {
            this.acknowledgementInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Sets the listener told of acknowledgements, renewals and expired locks.
         *
         * @param listener the listener, or {@code null} for none
         * @return this builder
         */
        public Builder<K, V> listener(ShareEngineListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * Validates the properties and creates the engine, not yet started.
         *
         * @return a new engine
         * @throws org.apache.kafka.common.config.ConfigException for a missing or bad property
         */
        public ShareConsumerEngine<K, V> build() {
            ShareEngineConfig config = new ShareEngineConfig(properties, keyDeserializer, valueDeserializer, lockRenewal,
                    maxLockRenewal, acknowledgementInterval);
            return new ShareConsumerEngine<>(new ShareEngineCore<>(config, keyDeserializer, valueDeserializer, listener,
                    AcquiredRecord::new));
        }
    }
}
