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
 * {@link ConsumerContainer}. Work in progress: the runtime methods throw {@link UnsupportedOperationException}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ShareConsumerContainer<K, V> implements AutoCloseable {

    /** Deliveries of a record before the recoverer takes it, unless {@link Builder#maxDeliveries(int)} says otherwise: the broker's default delivery count limit. */
    public static final int DEFAULT_MAX_DELIVERIES = ShareContainerConfig.DEFAULT_MAX_DELIVERIES;

    /** Records handled at once unless {@link Builder#concurrency(int)} says otherwise. */
    public static final int DEFAULT_CONCURRENCY = ShareContainerConfig.DEFAULT_CONCURRENCY;

    private final ShareContainerRuntime<K, V> runtime;

    private ShareConsumerContainer(ShareContainerConfig<K, V> config) {
        // the runtime knows its listeners, not this class: it hands each to these to be told of the start and stop
        this.runtime = new ShareContainerRuntime<>(config, listener -> listener.started(this), listener -> listener.stopped(this));
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

        /** Sets any kafka-clients share consumer property. @param name property @param value value @return this builder */
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

        /** Adds a listener. @param listener the listener @return this builder */
        public Builder<K, V> listener(ContainerListener listener) {
            config.listener(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Adds an interceptor around each handler call. @param interceptor the interceptor @return this builder */
        public Builder<K, V> interceptor(HandlerInterceptor interceptor) {
            config.interceptor(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /** Handles one record at a time, synchronously; success accepts. @param handler the handler @return this builder */
        public Builder<K, V> handler(RecordProcessor.SyncRecordHandler<K, V> handler) {
            return processor(RecordProcessor.of(Objects.requireNonNull(handler, "handler")));
        }

        /** Handles one record at a time, asynchronously; completion accepts. @param processor the processor @return this builder */
        public Builder<K, V> processor(RecordProcessor<K, V> processor) {
            config.recordProcessor(Objects.requireNonNull(processor, "processor"));
            return this;
        }

        /** Handles one record at a time and acknowledges it by hand. @param handler the handler @return this builder */
        public Builder<K, V> shareHandler(ShareRecordHandler<K, V> handler) {
            config.shareHandler(Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /** How many records may be handled at once. @param count at least 1 @return this builder */
        public Builder<K, V> concurrency(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + count);
            }
            config.concurrency(count);
            return this;
        }

        /** Whether workers are virtual threads (needs a Java 21+ runtime). @param enabled true for virtual threads @return this builder */
        public Builder<K, V> virtualThreads(boolean enabled) {
            config.virtualThreads(enabled);
            return this;
        }

        /** How a failing handler is retried in place. @param policy the policy @return this builder */
        public Builder<K, V> retryPolicy(RetryPolicy policy) {
            config.retryPolicy(Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /** What takes records at their last delivery. @param taker the recoverer, closed with the container @return this builder */
        public Builder<K, V> recoverer(Recoverer<K, V> taker) {
            config.recoverer(Objects.requireNonNull(taker, "taker"));
            return this;
        }

        /** The delivery at which a failing record goes to the recoverer. @param deliveries at least 1 @return this builder */
        public Builder<K, V> maxDeliveries(int deliveries) {
            if (deliveries < 1) {
                throw new IllegalArgumentException("maxDeliveries must be at least 1, was " + deliveries);
            }
            config.maxDeliveries(deliveries);
            return this;
        }

        /** The most records taken and not yet acknowledged. @param records at least 1 @return this builder */
        public Builder<K, V> maxInFlight(int records) {
            if (records < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1, was " + records);
            }
            config.maxInFlight(records);
            return this;
        }

        /** Whether the acquisition locks of records being handled are renewed. @param enabled true to renew @return this builder */
        public Builder<K, V> lockRenewal(boolean enabled) {
            config.lockRenewal(enabled);
            return this;
        }

        /** How long after its acquisition a record's lock is renewed at most. @param longest positive @return this builder */
        public Builder<K, V> maxLockRenewal(Duration longest) {
            if (Objects.requireNonNull(longest, "longest").isNegative() || longest.isZero()) {
                throw new IllegalArgumentException("maxLockRenewal must be positive, was " + longest);
            }
            config.maxLockRenewal(longest);
            return this;
        }

        /** Limits how long one handler call may take. @param timeout positive @return this builder */
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
         * @throws IllegalStateException when no topics, no handler or no group was given
         */
        public ShareConsumerContainer<K, V> build() {
            return new ShareConsumerContainer<>(config.build());
        }
    }
}
