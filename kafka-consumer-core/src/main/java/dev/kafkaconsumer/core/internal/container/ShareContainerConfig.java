package dev.kafkaconsumer.core.internal.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;

import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.HandlerInterceptor;
import dev.kafkaconsumer.core.RecordProcessor;
import dev.kafkaconsumer.core.Recoverer;
import dev.kafkaconsumer.core.Recoverers;
import dev.kafkaconsumer.core.RetryPolicy;
import dev.kafkaconsumer.core.ShareRecordHandler;

/**
 * Everything a share container was built with, immutable, made by its {@link Builder}: the share-group
 * counterpart of {@link ContainerConfig}, without what a share group has no use for (ordering, commits,
 * patterns, assigned partitions, rebalance listeners). Exactly one of {@code recordProcessor} and
 * {@code shareHandler} is set; {@code processingTimeout} is {@code null} for no limit and
 * {@code maxLockRenewal} {@code null} for the engine's default. Immutable, so any thread reads it.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ShareContainerConfig<K, V> {

    /** Deliveries of a record before the recoverer takes it, by default: the broker's default delivery count limit. */
    public static final int DEFAULT_MAX_DELIVERIES = 5;
    /** Records handled at once by default. */
    public static final int DEFAULT_CONCURRENCY = ContainerConfig.DEFAULT_CONCURRENCY;
    /** Share consumers (members of the share group) per container by default. */
    public static final int DEFAULT_CONSUMERS = 1;

    private final String name;
    private final Map<String, Object> consumerProperties;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final Set<String> topics;
    private final RecordProcessor<K, V> recordProcessor;
    private final ShareRecordHandler<K, V> shareHandler;
    private final int concurrency;
    private final int consumers;
    private final boolean virtualThreads;
    private final RetryPolicy retryPolicy;
    private final Recoverer<K, V> recoverer;
    private final int maxDeliveries;
    private final int maxInFlight;
    private final boolean lockRenewal;
    private final Duration maxLockRenewal;
    private final Duration processingTimeout;
    private final List<ContainerListener> listeners;
    private final List<HandlerInterceptor> interceptors;

    private ShareContainerConfig(Builder<K, V> builder, int maxInFlight) {
        this.name = builder.name;
        this.consumerProperties = Map.copyOf(builder.consumerProperties);
        this.keyDeserializer = builder.keyDeserializer;
        this.valueDeserializer = builder.valueDeserializer;
        this.topics = Set.copyOf(builder.topics);
        this.recordProcessor = builder.recordProcessor;
        this.shareHandler = builder.shareHandler;
        this.concurrency = builder.concurrency;
        this.consumers = builder.consumers;
        this.virtualThreads = builder.virtualThreads;
        this.retryPolicy = builder.retryPolicy;
        this.recoverer = builder.recoverer;
        this.maxDeliveries = builder.maxDeliveries;
        this.maxInFlight = maxInFlight;
        this.lockRenewal = builder.lockRenewal;
        this.maxLockRenewal = builder.maxLockRenewal;
        this.processingTimeout = builder.processingTimeout;
        this.listeners = List.copyOf(builder.listeners);
        this.interceptors = List.copyOf(builder.interceptors);
    }

    /**
     * Starts a configuration with every default.
     *
     * @param name              the container's name
     * @param keyDeserializer   deserializes keys
     * @param valueDeserializer deserializes values
     * @param <K>               the key type
     * @param <V>               the value type
     * @return a builder
     */
    public static <K, V> Builder<K, V> builder(String name, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        return new Builder<>(name, keyDeserializer, valueDeserializer);
    }

    public String name() { return name; }
    public Map<String, Object> consumerProperties() { return consumerProperties; }
    public Deserializer<K> keyDeserializer() { return keyDeserializer; }
    public Deserializer<V> valueDeserializer() { return valueDeserializer; }
    public Set<String> topics() { return topics; }
    public RecordProcessor<K, V> recordProcessor() { return recordProcessor; }
    public ShareRecordHandler<K, V> shareHandler() { return shareHandler; }
    public int concurrency() { return concurrency; }
    public int consumers() { return consumers; }
    public boolean virtualThreads() { return virtualThreads; }
    public RetryPolicy retryPolicy() { return retryPolicy; }
    public Recoverer<K, V> recoverer() { return recoverer; }
    public int maxDeliveries() { return maxDeliveries; }
    public int maxInFlight() { return maxInFlight; }
    public boolean lockRenewal() { return lockRenewal; }
    public Duration maxLockRenewal() { return maxLockRenewal; }
    public Duration processingTimeout() { return processingTimeout; }
    public List<ContainerListener> listeners() { return listeners; }
    public List<HandlerInterceptor> interceptors() { return interceptors; }

    /** The engine's properties: the container's, with its name as default {@code client.id} (it names the engine's threads). */
    Map<String, Object> engineProperties() {
        Map<String, Object> properties = new LinkedHashMap<>(consumerProperties);
        properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, name);
        return properties;
    }

    /**
     * The properties of the engine of one of several consumers: {@link #engineProperties()} with the consumer's number
     * after the {@code client.id} ({@code <client.id>-1}, {@code -2}, ...), so that each consumer's threads and
     * metrics are told apart.
     *
     * @param consumer the consumer's number, from 1
     */
    Map<String, Object> engineProperties(int consumer) {
        Map<String, Object> properties = engineProperties();
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, properties.get(ConsumerConfig.CLIENT_ID_CONFIG) + "-" + consumer);
        return properties;
    }

    /** The share group, from {@code group.id}. */
    public String groupId() {
        return (String) consumerProperties.get(ConsumerConfig.GROUP_ID_CONFIG);
    }

    /**
     * Builds a {@link ShareContainerConfig}: a setter per setting, each checked by the public container's
     * builder before it gets here; {@link #build()} checks the settings together. Not thread-safe.
     *
     * @param <K> the key type
     * @param <V> the value type
     */
    public static final class Builder<K, V> {

        private final String name;
        private final Deserializer<K> keyDeserializer;
        private final Deserializer<V> valueDeserializer;
        private final Map<String, Object> consumerProperties = new LinkedHashMap<>();
        private final List<ContainerListener> listeners = new ArrayList<>();
        private final List<HandlerInterceptor> interceptors = new ArrayList<>();
        private Set<String> topics;
        private RecordProcessor<K, V> recordProcessor;
        private ShareRecordHandler<K, V> shareHandler;
        private int concurrency = DEFAULT_CONCURRENCY;
        private int consumers = DEFAULT_CONSUMERS;
        private boolean virtualThreads;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private Recoverer<K, V> recoverer = Recoverers.logAndSkip();
        private int maxDeliveries = DEFAULT_MAX_DELIVERIES;
        private Integer maxInFlight;
        private boolean lockRenewal = true;
        private Duration maxLockRenewal;
        private Duration processingTimeout;

        private Builder(String name, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
            this.name = name;
            this.keyDeserializer = Objects.requireNonNull(keyDeserializer, "keyDeserializer");
            this.valueDeserializer = Objects.requireNonNull(valueDeserializer, "valueDeserializer");
        }

        public Builder<K, V> property(String property, Object value) {
            consumerProperties.put(property, value);
            return this;
        }

        public Builder<K, V> topics(Collection<String> names) {
            this.topics = new LinkedHashSet<>(names);
            return this;
        }

        public Builder<K, V> listener(ContainerListener listener) {
            listeners.add(listener);
            return this;
        }

        public Builder<K, V> interceptor(HandlerInterceptor interceptor) {
            interceptors.add(interceptor);
            return this;
        }

        /** Handles one record at a time, accepting it when it completes; replaces a share handler. */
        public Builder<K, V> recordProcessor(RecordProcessor<K, V> processor) {
            this.recordProcessor = processor;
            this.shareHandler = null;
            return this;
        }

        /** Handles one record at a time, acknowledging it by hand; replaces a record processor. */
        public Builder<K, V> shareHandler(ShareRecordHandler<K, V> handler) {
            this.shareHandler = handler;
            this.recordProcessor = null;
            return this;
        }

        public Builder<K, V> concurrency(int count) {
            this.concurrency = count;
            return this;
        }

        public Builder<K, V> consumers(int count) {
            this.consumers = count;
            return this;
        }

        public Builder<K, V> virtualThreads(boolean enabled) {
            this.virtualThreads = enabled;
            return this;
        }

        public Builder<K, V> retryPolicy(RetryPolicy policy) {
            this.retryPolicy = policy;
            return this;
        }

        public Builder<K, V> recoverer(Recoverer<K, V> taker) {
            this.recoverer = taker;
            return this;
        }

        public Builder<K, V> maxDeliveries(int deliveries) {
            this.maxDeliveries = deliveries;
            return this;
        }

        /** The in-flight bound; without it, {@link #build()} derives one as {@link ContainerConfig} does. */
        public Builder<K, V> maxInFlight(int records) {
            this.maxInFlight = records;
            return this;
        }

        public Builder<K, V> lockRenewal(boolean enabled) {
            this.lockRenewal = enabled;
            return this;
        }

        /** @param longest the longest a record's lock is renewed, or {@code null} for the engine's default */
        public Builder<K, V> maxLockRenewal(Duration longest) {
            this.maxLockRenewal = longest;
            return this;
        }

        /** @param timeout the longest a handler call may take, or {@code null} for no limit */
        public Builder<K, V> processingTimeout(Duration timeout) {
            this.processingTimeout = timeout;
            return this;
        }

        /**
         * Checks the settings together and builds the configuration.
         *
         * @return the configuration
         * @throws IllegalStateException when no topics, no handler or no group was given, the recoverer cannot apply, or
         *                               there are more consumers than records handled at once
         * @throws ConfigException for a bad {@code max.poll.records}
         */
        public ShareContainerConfig<K, V> build() {
            if (topics == null || topics.isEmpty()) {
                throw new IllegalStateException("Share container " + name + " has no topics; call topics(...)");
            }
            if (recordProcessor == null && shareHandler == null) {
                throw new IllegalStateException("Share container " + name
                        + " has no handler; call handler(...), processor(...) or shareHandler(...)");
            }
            if (consumerProperties.get(ConsumerConfig.GROUP_ID_CONFIG) == null) {
                throw new IllegalStateException("Share container " + name + " needs a share group; set groupId(...)");
            }
            if ("stop-container".equals(recoverer.kind())) {
                throw new IllegalStateException("Share container " + name + " cannot use Recoverers.stopContainer(): a share group "
                        + "has no position to stop at, its records go to other consumers; use logAndSkip(), deadLetterTopic(...) "
                        + "or a recoverer of your own");
            }
            if (consumers > concurrency) {
                throw new IllegalStateException("Share container " + name + " has " + consumers + " consumers for a "
                        + "concurrency of " + concurrency + ": a consumer may poll again only once every record of its "
                        + "last poll is acknowledged, so more consumers than workers would only hold records no worker "
                        + "can take; raise concurrency(...) or lower consumers(...)");
            }
            int inFlight = maxInFlight != null ? maxInFlight
                    : ContainerConfig.defaultMaxInFlight(concurrency, consumerProperties, ContainerConfig.DEFAULT_SHARE_POLLS_IN_FLIGHT);
            return new ShareContainerConfig<>(this, inFlight);
        }
    }
}
