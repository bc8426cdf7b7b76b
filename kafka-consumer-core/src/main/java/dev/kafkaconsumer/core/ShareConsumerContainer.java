package dev.kafkaconsumer.core;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Deserializer;

import dev.kafkaconsumer.core.internal.container.ShareContainerConfig;
import dev.kafkaconsumer.core.internal.container.ShareContainerRuntime;

/**
 * Runs a handler over a share group (KIP-932, Kafka's queues): the share-group counterpart of
 * {@link ConsumerContainer}. It takes records from its own {@link ShareConsumerEngine}, hands them to the handler
 * on worker threads, and acknowledges each to the group as its handling ends. The group's consumers all read the
 * same partitions and the broker hands each record to one of them at a time, so records of one partition are
 * handled by several containers, and by several workers of each, at once.
 *
 * <pre>{@code
 * ShareConsumerContainer<String, String> jobs = ShareConsumerContainer.builder("jobs", new StringDeserializer(), new StringDeserializer())
 *         .bootstrapServers("127.0.0.1:9092")
 *         .groupId("workers")                       // a share group
 *         .topics(List.of("jobs"))
 *         .concurrency(8)
 *         .retryPolicy(RetryPolicy.fixed(3, Duration.ofMillis(100)))
 *         .recoverer(Recoverers.deadLetterTopic(Map.of("bootstrap.servers", "127.0.0.1:9092")))
 *         .handler(record -> work(record.value()))
 *         .build();
 * jobs.start();
 * }</pre>
 *
 * <h2>What becomes of a record</h2>
 * <ul>
 * <li>Its handler completes (a {@link RecordProcessor}'s stage, when it completes): the record is <b>accepted</b>.</li>
 * <li>It fails: it is retried in place as the {@link RetryPolicy} says (a retry waits without holding a worker; the
 * record's acquisition lock is renewed meanwhile). Once the retries are spent, while its
 * {@linkplain org.apache.kafka.clients.consumer.ConsumerRecord#deliveryCount() delivery count} is below
 * {@link Builder#maxDeliveries(int) maxDeliveries} and the failure is {@linkplain RetryPolicy#isRetryable retryable},
 * it is <b>released</b>: the broker delivers it again, to this container or another, one delivery higher.</li>
 * <li>On delivery {@code maxDeliveries} or later, after a failure no retry can cure, or when the record cannot be
 * deserialized (the container deserializes on its workers, so the recoverer gets the original bytes), the
 * {@link Recoverer} takes it and it is <b>rejected</b>: never delivered again. Rejected rather than accepted: both
 * are final, but a reject says the record failed, so the group's acknowledgements by type count failures apart from
 * successes; and it is sent only once the recoverer is done (for {@link Recoverers#deadLetterTopic}, once the broker
 * confirmed the dead letter), so nothing is lost in between. The dead letter carries
 * {@link Recoverers#DELIVERY_COUNT_HEADER} besides the usual headers.</li>
 * <li>The recoverer fails: the record is <b>released</b> and the failure logged at ERROR; the broker archives the
 * record itself once the group's {@code share.delivery.count.limit} is reached. {@link Recoverers#stopContainer()}
 * is refused: a shared record has no position to stop at.</li>
 * </ul>
 * Keep {@code maxDeliveries} at or below the group's {@code share.delivery.count.limit} (a group config on the broker,
 * default 5, the default here too): the broker archives a record after that many deliveries on its own, before a
 * higher {@code maxDeliveries} would give it to the recoverer.
 *
 * <p>A {@link Builder#shareHandler(ShareRecordHandler) share handler} acknowledges each record itself, through a
 * {@link ShareAcknowledgement}; a record it returns without acknowledging stays acquired, and counted in flight,
 * until it does or the record's lock expires ({@link ContainerListener#lockExpired}).
 *
 * <h2>What does not apply</h2>
 * No ordering ({@link Ordering} has no meaning here: a partition's records go to several consumers, and a record
 * released comes back after later ones); no offsets, so no commits, {@link CommitMode}, seeks or pauses; topics
 * only (no pattern, no partitions assigned by hand) and no rebalance listener (a share group assigns partitions to
 * every member); one record per handler call (no batch handlers).
 *
 * <h2>Threads, and what keeps the JVM alive</h2>
 * As for {@link ConsumerContainer}: the dispatcher, {@code kafka-consumer-dispatch-<name>-1}, is not a daemon, from
 * {@link #start()} until the container stops or fails. Records do not pass through it: the workers take them from
 * the engine themselves (the one that made room in flight, or one woken by the engine's I/O thread when a poll
 * returned records), so a record goes from the I/O thread to the worker that handles it in one hand-over; the
 * dispatcher starts the engine and takes every 100 ms as a safety net. The workers
 * ({@code kafka-consumer-worker-<name>-<n>}), the
 * retry timer, the processing watchdog and the engine's threads ({@code kafka-consumer-share-io-<client.id>}, the
 * client id being the container's name unless set) are daemons. A JVM ended by SIGTERM waits for none of them: stop
 * the container in a shutdown hook, so that the records it holds are released at once rather than when their locks
 * expire.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ShareConsumerContainer<K, V> implements AutoCloseable {

    /** Deliveries of a record before the recoverer takes it, unless {@link Builder#maxDeliveries(int)} says otherwise: the broker's default delivery count limit. */
    public static final int DEFAULT_MAX_DELIVERIES = ShareContainerConfig.DEFAULT_MAX_DELIVERIES;

    /** Records handled at once unless {@link Builder#concurrency(int)} says otherwise. */
    public static final int DEFAULT_CONCURRENCY = ShareContainerConfig.DEFAULT_CONCURRENCY;

    /** Share consumers per container unless {@link Builder#consumers(int)} says otherwise. */
    public static final int DEFAULT_CONSUMERS = ShareContainerConfig.DEFAULT_CONSUMERS;

    private final ShareContainerRuntime<K, V> runtime;

    private ShareConsumerContainer(ShareContainerConfig<K, V> config) {
        // the runtime knows its listeners, not this class: it hands each to these to be told of the start and stop
        this.runtime = ShareContainerRuntime.overNewEngine(config, AcquiredRecord::new, listener -> listener.started(this),
                listener -> listener.stopped(this));
    }

    /**
     * Starts building a share container.
     *
     * @param name              the container's name: it names its threads and identifies it in snapshots
     * @param keyDeserializer   deserializes keys on the worker threads
     * @param valueDeserializer deserializes values on the worker threads
     * @param <K>               the key type
     * @param <V>               the value type
     * @return a builder
     */
    public static <K, V> Builder<K, V> builder(String name, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        return new Builder<>(name, keyDeserializer, valueDeserializer);
    }

    /**
     * Returns the container's name.
     *
     * @return the name given to the builder
     */
    public String name() {
        return runtime.name();
    }

    /**
     * Starts consuming, without waiting for the broker: the container goes from {@link ContainerState#NEW} to
     * {@link ContainerState#STARTING} while its engine starts, then {@link ContainerState#RUNNING}. The share group
     * is joined with the first fetch. From now until it stops or fails, the container keeps the JVM alive.
     *
     * @throws IllegalStateException if the container was started or stopped before
     */
    public void start() {
        runtime.start();
    }

    /** Stops within 30 seconds; see {@link #stop(Duration)}. */
    public void stop() {
        stop(Duration.ofSeconds(30));
    }

    /**
     * Stops gracefully: takes no more records and starts none of those taken; lets the records being handled finish,
     * and waits for the acknowledgements of records held for a manual acknowledgement or a recovery, within
     * {@code timeout}; then stops the engine, which releases every record still acquired (so that the group's other
     * consumers get them at once, not after their locks expire), sends the acknowledgements it holds, and leaves the
     * group; then closes the recoverer. Idempotent: a second stop, or one while a stop is under way, returns at once.
     * A container stopped before its start goes to {@link ContainerState#STOPPED} without starting. A failed container
     * stops itself on {@code kafka-consumer-stop-<name>} and stays {@link ContainerState#FAILED}.
     *
     * @param timeout how long the records being handled may take
     */
    public void stop(Duration timeout) {
        runtime.stop(Objects.requireNonNull(timeout, "timeout"));
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Returns whether the container is running: started, and neither stopping, stopped nor failed.
     *
     * @return true while running
     */
    public boolean isRunning() {
        return state() == ContainerState.RUNNING;
    }

    /**
     * Returns the lifecycle state: {@link ContainerState#NEW}, {@link ContainerState#STARTING},
     * {@link ContainerState#RUNNING}, {@link ContainerState#STOPPING}, {@link ContainerState#STOPPED} or
     * {@link ContainerState#FAILED}; a share container is never {@link ContainerState#PAUSED}.
     *
     * @return the state now
     */
    public ContainerState state() {
        return runtime.state();
    }

    /**
     * Returns where the container stands, without a request to the broker.
     *
     * @return a snapshot
     */
    public ShareContainerSnapshot snapshot() {
        return runtime.snapshot();
    }

    /**
     * Returns the metrics of the container's underlying Kafka share consumer, as kafka-clients keeps them.
     *
     * @return the metrics
     */
    public Map<MetricName, ? extends Metric> metrics() {
        return runtime.metrics();
    }

    /**
     * Builds a {@link ShareConsumerContainer}. Not thread-safe.
     *
     * @param <K> the key type
     * @param <V> the value type
     */
    public static final class Builder<K, V> {

        private final ShareContainerConfig.Builder<K, V> config;

        private Builder(String name, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("A container needs a name");
            }
            this.config = ShareContainerConfig.builder(name, keyDeserializer, valueDeserializer);
        }

        /** Sets {@code bootstrap.servers}. @param servers host:port list @return this builder */
        public Builder<K, V> bootstrapServers(String servers) {
            return property(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(servers, "servers"));
        }

        /** Sets {@code group.id}: the share group. @param groupId the share group @return this builder */
        public Builder<K, V> groupId(String groupId) {
            return property(ConsumerConfig.GROUP_ID_CONFIG, Objects.requireNonNull(groupId, "groupId"));
        }

        /**
         * Sets any kafka-clients share consumer property (see {@link ShareConsumerEngine} for those the engine owns:
         * {@code share.acknowledgement.mode} is always {@code explicit}). {@code client.id} defaults to the
         * container's name.
         *
         * @param name  the property
         * @param value its value
         * @return this builder
         */
        public Builder<K, V> property(String name, Object value) {
            config.property(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Sets kafka-clients share consumer properties. @param values by name @return this builder */
        public Builder<K, V> properties(Map<String, ?> values) {
            Objects.requireNonNull(values, "values").forEach(this::property);
            return this;
        }

        /** Subscribes to topics. @param names topic names @return this builder */
        public Builder<K, V> topics(Collection<String> names) {
            config.topics(Objects.requireNonNull(names, "names"));
            return this;
        }

        /**
         * Adds a listener that hears what the container does, for metrics and tracing; see {@link ContainerListener}
         * for the events a share container reports.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder<K, V> listener(ContainerListener listener) {
            config.listener(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Adds an interceptor around each handler call. @param interceptor the interceptor @return this builder */
        public Builder<K, V> interceptor(HandlerInterceptor interceptor) {
            config.interceptor(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Handles one record at a time, synchronously: a record whose handler returns is accepted; one whose handler
         * throws is retried, released or recovered (see the class description). Replaces a processor or share handler.
         *
         * @param handler the handler
         * @return this builder
         */
        public Builder<K, V> handler(RecordProcessor.SyncRecordHandler<K, V> handler) {
            return processor(RecordProcessor.of(Objects.requireNonNull(handler, "handler")));
        }

        /**
         * Handles one record at a time, asynchronously: the record is accepted when the returned stage completes, and
         * fails as a handler does when it fails. The {@link Acknowledgement} it is given does nothing: for a record
         * acknowledged by hand, use a {@link #shareHandler(ShareRecordHandler) share handler}.
         * Replaces a handler or share handler.
         *
         * @param processor the processor
         * @return this builder
         */
        public Builder<K, V> processor(RecordProcessor<K, V> processor) {
            config.recordProcessor(Objects.requireNonNull(processor, "processor"));
            return this;
        }

        /**
         * Handles one record at a time and acknowledges it by hand, through the {@link ShareAcknowledgement} it is given.
         * Replaces a handler or processor.
         *
         * @param handler the handler
         * @return this builder
         */
        public Builder<K, V> shareHandler(ShareRecordHandler<K, V> handler) {
            config.shareHandler(Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /**
         * How many records may be handled at once, whatever their partitions; {@link #DEFAULT_CONCURRENCY} by default.
         *
         * @param count at least 1
         * @return this builder
         */
        public Builder<K, V> concurrency(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + count);
            }
            config.concurrency(count);
            return this;
        }

        /**
         * How many share consumers the container runs, each a member of the share group with its own engine (an I/O
         * thread, a connection per broker, {@code client.id} {@code <client.id>-1}, {@code -2}, ...);
         * {@link #DEFAULT_CONSUMERS} by default. The workers take from all of them.
         *
         * <p>When two pay: a share consumer polls again only once every record of its last poll is acknowledged, so
         * one consumer alternates between fetching and waiting for its records to be handled. With two, one fetches
         * while the other's records are handled: for handlers fast next to a fetch. B9 (1,000,000 records, 6
         * partitions, concurrency 6, a handler that only counts) drained at 1.00× the rate of a raw
         * {@code KafkaShareConsumer} poll loop with two, against 0.83× with one, in the same run.
         *
         * <p>What it costs: each consumer acquires up to {@code max.poll.records} records at a time (whole batches,
         * unless {@code share.acquire.mode=record_limit}), and a record acquired waits for a worker with its lock held
         * (and renewed), away from the group's other members. With slow handlers that costs the group: B9's slow case
         * (0–5 ms a record, one partition), three containers of concurrency 2 in one group took 18.4 s with two
         * consumers each against 16.8 s with one. Hence one by default.
         *
         * @param count at least 1, and no more than the {@linkplain #concurrency(int) concurrency} (checked by
         *              {@link #build()})
         * @return this builder
         */
        public Builder<K, V> consumers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("consumers must be at least 1, was " + count);
            }
            config.consumers(count);
            return this;
        }

        /** Whether workers are virtual threads (needs a Java 21+ runtime). @param enabled true for virtual threads @return this builder */
        public Builder<K, V> virtualThreads(boolean enabled) {
            config.virtualThreads(enabled);
            return this;
        }

        /**
         * How a failing handler is retried in place, on each delivery, before the record is released or recovered;
         * {@link RetryPolicy#DEFAULT} by default.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder<K, V> retryPolicy(RetryPolicy policy) {
            config.retryPolicy(Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * What takes a record that failed on its last delivery, that no retry can cure, or that cannot be deserialized;
         * the record is rejected once it took it, released if it fails. {@link Recoverers#logAndSkip()} by default;
         * {@link Recoverers#stopContainer()} is refused at {@link #build()}.
         *
         * @param taker the recoverer, closed with the container
         * @return this builder
         */
        public Builder<K, V> recoverer(Recoverer<K, V> taker) {
            config.recoverer(Objects.requireNonNull(taker, "taker"));
            return this;
        }

        /**
         * The delivery at which a failing record goes to the recoverer rather than being released again;
         * {@link #DEFAULT_MAX_DELIVERIES} by default. 1 recovers a record on its first failure. Keep it at or below the
         * group's {@code share.delivery.count.limit}.
         *
         * @param deliveries at least 1
         * @return this builder
         */
        public Builder<K, V> maxDeliveries(int deliveries) {
            if (deliveries < 1) {
                throw new IllegalArgumentException("maxDeliveries must be at least 1, was " + deliveries);
            }
            config.maxDeliveries(deliveries);
            return this;
        }

        /**
         * The most records taken from the engine and not yet acknowledged (or, for a share handler, not yet
         * acknowledged by it); by default 4 × concurrency, at least 4 × {@code max.poll.records} but no more than
         * {@link ConsumerContainer#MAX_DEFAULT_IN_FLIGHT} for that. It does not move with the handling as a
         * {@link ConsumerContainer}'s default does (up to 16 polls' worth): a share container's records are acquired,
         * locked away from the group's other consumers, while in flight.
         *
         * @param records at least 1
         * @return this builder
         */
        public Builder<K, V> maxInFlight(int records) {
            if (records < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1, was " + records);
            }
            config.maxInFlight(records);
            return this;
        }

        /**
         * Whether the engine renews the acquisition locks of records taken and not yet acknowledged, when half a lock has
         * passed; true by default. Without it, a record handled (or retried) for longer than the group's
         * {@code share.record.lock.duration.ms} is delivered again, and its acknowledgement is dropped.
         *
         * @param enabled true to renew
         * @return this builder
         */
        public Builder<K, V> lockRenewal(boolean enabled) {
            config.lockRenewal(enabled);
            return this;
        }

        /**
         * How long after its acquisition a record's lock is renewed at most, so that a stuck handler does not hold a
         * record forever; the engine's default (5 minutes) unless set.
         *
         * @param longest positive
         * @return this builder
         */
        public Builder<K, V> maxLockRenewal(Duration longest) {
            if (Objects.requireNonNull(longest, "longest").isNegative() || longest.isZero()) {
                throw new IllegalArgumentException("maxLockRenewal must be positive, was " + longest);
            }
            config.maxLockRenewal(longest);
            return this;
        }

        /**
         * Limits how long one handler call may take, as {@link ConsumerContainer.Builder#processingTimeout(Duration)}
         * does: a call over it is reported and its worker interrupted, and it fails like any other.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder<K, V> processingTimeout(Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("processingTimeout must be positive, was " + timeout
                        + "; leave it unset for no limit");
            }
            config.processingTimeout(timeout);
            return this;
        }

        /**
         * Validates and builds the container, not yet started.
         *
         * @return the container
         * @throws IllegalStateException when no topics, no handler or no group was given, the recoverer is
         *         {@link Recoverers#stopContainer()}, or there are more consumers than the concurrency
         * @throws org.apache.kafka.common.config.ConfigException for a bad {@code max.poll.records}, or a bad share
         *         consumer property
         */
        public ShareConsumerContainer<K, V> build() {
            return new ShareConsumerContainer<>(config.build());
        }
    }
}
