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
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;

import dev.kafkaconsumer.core.BatchProcessor;
import dev.kafkaconsumer.core.CommitMode;
import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.HandlerInterceptor;
import dev.kafkaconsumer.core.Ordering;
import dev.kafkaconsumer.core.RecordProcessor;
import dev.kafkaconsumer.core.Recoverer;
import dev.kafkaconsumer.core.Recoverers;
import dev.kafkaconsumer.core.RetryPolicy;
import dev.kafkaconsumer.core.TransactionalRecordHandler;
import dev.kafkaconsumer.core.Transactions;
import dev.kafkaconsumer.core.internal.EngineConfig;

/**
 * Everything a container was built with, immutable, made by its {@link Builder}. Exactly one of
 * {@code topics}, {@code pattern} and {@code partitions} is set, and exactly one of
 * {@code recordProcessor} and {@code batchProcessor}; {@code processingTimeout} is {@code null} when
 * handler calls have no time limit. The buffer bounds are the engine's
 * ({@code ConsumerEngine.Builder#maxBufferedBytesPerPartition} and {@code #maxBufferedBytes}). The
 * defaults here are those the public container documents (its {@code DEFAULT_*} constants are these).
 * Immutable, so any thread reads it; the builder is used by the one thread that builds the container.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ContainerConfig<K, V> {

    /** Records (or batches) handled at once by default. */
    public static final int DEFAULT_CONCURRENCY = 1;
    /** The ordering by default. */
    public static final Ordering DEFAULT_ORDERING = Ordering.PARTITION;
    /** The commit mode by default. */
    public static final CommitMode DEFAULT_COMMIT_MODE = CommitMode.TIME;
    /** How often TIME and MANUAL modes commit by default. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(5);
    /** How long records of revoked partitions may take by default. */
    public static final Duration DEFAULT_REVOCATION_TIMEOUT = Duration.ofSeconds(30);
    /** The most that {@code max.poll.records} raises the default in-flight bound to. */
    public static final int MAX_DEFAULT_IN_FLIGHT = 10_000;
    /**
     * How many polls' worth of records ({@code max.poll.records} each) a container has in flight by default, at most
     * (8,000 records at kafka-clients' default of 500): the default bound follows the handling rate between
     * {@link #DEFAULT_SHARE_POLLS_IN_FLIGHT} and this many polls (see {@code AdaptiveBound}).
     */
    static final int DEFAULT_POLLS_IN_FLIGHT = 16;
    /**
     * How many polls' worth of records a share container has in flight by default, and a container at the least, while
     * its handling is slow (2,000 records at kafka-clients' default of 500).
     */
    static final int DEFAULT_SHARE_POLLS_IN_FLIGHT = 4;

    private final String name;
    private final Map<String, Object> consumerProperties;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final Set<String> topics;
    private final Pattern pattern;
    private final Set<TopicPartition> partitions;
    private final List<ConsumerRebalanceListener> rebalanceListeners;
    private final RecordProcessor<K, V> recordProcessor;
    private final BatchProcessor<K, V> batchProcessor;
    private final int concurrency;
    private final Ordering ordering;
    private final boolean virtualThreads;
    private final CommitMode commitMode;
    private final Duration commitInterval;
    private final RetryPolicy retryPolicy;
    private final Recoverer<K, V> recoverer;
    private final int maxInFlight;
    private final int minInFlight;
    private final long maxInFlightBytes;
    private final Duration revocationTimeout;
    private final List<ContainerListener> listeners;
    private final List<HandlerInterceptor> interceptors;
    private final Duration processingTimeout;
    private final long maxBufferedBytesPerPartition;
    private final long maxBufferedBytes;
    private final Transactions<?, ?> transactions;
    private final TransactionalRecordHandler<K, V, ?, ?> transactionalHandler;

    private ContainerConfig(Builder<K, V> builder, int minInFlight, int maxInFlight, RecordProcessor<K, V> recordProcessor) {
        this.name = builder.name;
        this.consumerProperties = Map.copyOf(builder.consumerProperties);
        this.keyDeserializer = builder.keyDeserializer;
        this.valueDeserializer = builder.valueDeserializer;
        this.topics = builder.topics == null ? null : Set.copyOf(builder.topics);
        this.pattern = builder.pattern;
        this.partitions = builder.partitions == null ? null : Set.copyOf(builder.partitions);
        this.rebalanceListeners = List.copyOf(builder.rebalanceListeners);
        this.recordProcessor = recordProcessor;
        this.batchProcessor = builder.batchProcessor;
        this.concurrency = builder.concurrency;
        this.ordering = builder.ordering;
        this.virtualThreads = builder.virtualThreads;
        this.commitMode = builder.commitMode;
        this.commitInterval = builder.commitInterval;
        this.retryPolicy = builder.retryPolicy;
        this.recoverer = builder.recoverer;
        this.maxInFlight = maxInFlight;
        this.minInFlight = minInFlight;
        // the default bound is also one of bytes; a bound the application set is a bound of records only
        this.maxInFlightBytes = builder.maxInFlight == null ? builder.maxBufferedBytes : 0;
        this.revocationTimeout = builder.revocationTimeout;
        this.listeners = List.copyOf(builder.listeners);
        this.interceptors = List.copyOf(builder.interceptors);
        this.processingTimeout = builder.processingTimeout;
        this.maxBufferedBytesPerPartition = builder.maxBufferedBytesPerPartition;
        this.maxBufferedBytes = builder.maxBufferedBytes;
        this.transactions = builder.transactions;
        this.transactionalHandler = builder.transactionalHandler;
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
    public Pattern pattern() { return pattern; }
    public Set<TopicPartition> partitions() { return partitions; }
    public List<ConsumerRebalanceListener> rebalanceListeners() { return rebalanceListeners; }
    public RecordProcessor<K, V> recordProcessor() { return recordProcessor; }
    public BatchProcessor<K, V> batchProcessor() { return batchProcessor; }
    public int concurrency() { return concurrency; }
    public Ordering ordering() { return ordering; }
    public boolean virtualThreads() { return virtualThreads; }
    public CommitMode commitMode() { return commitMode; }
    public Duration commitInterval() { return commitInterval; }
    public RetryPolicy retryPolicy() { return retryPolicy; }
    public Recoverer<K, V> recoverer() { return recoverer; }
    /** The most records in flight: the bound the application set, or the most the default bound grows to. */
    public int maxInFlight() { return maxInFlight; }
    /** The least the default bound falls to for slow handling; {@link #maxInFlight()} when the application set it. */
    public int minInFlight() { return minInFlight; }
    /**
     * The most key and value bytes in flight, as estimated from the records taken: the engine's {@link #maxBufferedBytes()}
     * when {@code maxInFlight} is the default, so that large records do not bring its thousands of records into memory;
     * 0 (no bound by bytes) when the application set {@code maxInFlight}.
     */
    public long maxInFlightBytes() { return maxInFlightBytes; }
    public Duration revocationTimeout() { return revocationTimeout; }
    public List<ContainerListener> listeners() { return listeners; }
    public List<HandlerInterceptor> interceptors() { return interceptors; }
    public Duration processingTimeout() { return processingTimeout; }
    public long maxBufferedBytesPerPartition() { return maxBufferedBytesPerPartition; }
    public long maxBufferedBytes() { return maxBufferedBytes; }
    /** The transactional producer's configuration, or {@code null} for a container that is not transactional. */
    public Transactions<?, ?> transactions() { return transactions; }
    /** The transactional handler, or {@code null} for a container that is not transactional. */
    public TransactionalRecordHandler<K, V, ?, ?> transactionalHandler() { return transactionalHandler; }
    /** Whether the container writes its outputs and commits its offsets in transactions. */
    public boolean transactional() { return transactions != null; }

    /** What the container's runner runs and how. */
    Handling<K, V> handling() {
        return new Handling<>(name, keyDeserializer, valueDeserializer, recordProcessor, batchProcessor, interceptors,
                retryPolicy, concurrency, !listeners.isEmpty());
    }

    /**
     * Builds a {@link ContainerConfig}: a setter per setting, each checked by the public container's builder
     * before it gets here; {@link #build()} checks the settings together. Not thread-safe.
     *
     * @param <K> the key type
     * @param <V> the value type
     */
    public static final class Builder<K, V> {

        private final String name;
        private final Deserializer<K> keyDeserializer;
        private final Deserializer<V> valueDeserializer;
        private final Map<String, Object> consumerProperties = new LinkedHashMap<>();
        private final List<ConsumerRebalanceListener> rebalanceListeners = new ArrayList<>();
        private final List<ContainerListener> listeners = new ArrayList<>();
        private final List<HandlerInterceptor> interceptors = new ArrayList<>();
        private Set<String> topics;
        private Pattern pattern;
        private Set<TopicPartition> partitions;
        private RecordProcessor<K, V> recordProcessor;
        private BatchProcessor<K, V> batchProcessor;
        private int concurrency = DEFAULT_CONCURRENCY;
        private Ordering ordering = DEFAULT_ORDERING;
        private boolean virtualThreads;
        private CommitMode commitMode = DEFAULT_COMMIT_MODE;
        private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private Recoverer<K, V> recoverer = Recoverers.logAndSkip();
        private Integer maxInFlight;
        private Duration revocationTimeout = DEFAULT_REVOCATION_TIMEOUT;
        private Duration processingTimeout;
        private long maxBufferedBytesPerPartition = EngineConfig.DEFAULT_MAX_BUFFERED_BYTES_PER_PARTITION;
        private long maxBufferedBytes = EngineConfig.DEFAULT_MAX_BUFFERED_BYTES;
        private Transactions<?, ?> transactions;
        private TransactionalRecordHandler<K, V, ?, ?> transactionalHandler;
        private boolean commitModeSet;
        private boolean commitIntervalSet;

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

        public Builder<K, V> pattern(Pattern topicPattern) {
            this.pattern = topicPattern;
            return this;
        }

        public Builder<K, V> partitions(Collection<TopicPartition> assigned) {
            this.partitions = new LinkedHashSet<>(assigned);
            return this;
        }

        public Builder<K, V> rebalanceListener(ConsumerRebalanceListener listener) {
            rebalanceListeners.add(listener);
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

        /** Handles one record at a time; replaces a batch processor. */
        public Builder<K, V> recordProcessor(RecordProcessor<K, V> processor) {
            this.recordProcessor = processor;
            this.batchProcessor = null;
            return this;
        }

        /** Handles batches; replaces a record processor. */
        public Builder<K, V> batchProcessor(BatchProcessor<K, V> processor) {
            this.batchProcessor = processor;
            this.recordProcessor = null;
            return this;
        }

        public Builder<K, V> concurrency(int count) {
            this.concurrency = count;
            return this;
        }

        public Builder<K, V> ordering(Ordering order) {
            this.ordering = order;
            return this;
        }

        public Builder<K, V> virtualThreads(boolean enabled) {
            this.virtualThreads = enabled;
            return this;
        }

        public Builder<K, V> commitMode(CommitMode mode) {
            this.commitMode = mode;
            this.commitModeSet = true;
            return this;
        }

        public Builder<K, V> commitInterval(Duration interval) {
            this.commitInterval = interval;
            this.commitIntervalSet = true;
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

        /**
         * The in-flight bound of all records; without it, {@link #build()} derives one from the concurrency and
         * {@code max.poll.records}. Each partition's bound follows from it and the partitions assigned (see
         * {@link InFlight}).
         */
        public Builder<K, V> maxInFlight(int records) {
            this.maxInFlight = records;
            return this;
        }

        public Builder<K, V> revocationTimeout(Duration timeout) {
            this.revocationTimeout = timeout;
            return this;
        }

        /** @param timeout the longest a handler call may take, or {@code null} for no limit */
        public Builder<K, V> processingTimeout(Duration timeout) {
            this.processingTimeout = timeout;
            return this;
        }

        public Builder<K, V> maxBufferedBytesPerPartition(long bytes) {
            this.maxBufferedBytesPerPartition = bytes;
            return this;
        }

        public Builder<K, V> maxBufferedBytes(long bytes) {
            this.maxBufferedBytes = bytes;
            return this;
        }

        /** Makes the container transactional, with this handler: see {@link TransactionalContainers}. */
        public <KO, VO> Builder<K, V> transactional(Transactions<KO, VO> config, TransactionalRecordHandler<K, V, KO, VO> handler) {
            this.transactions = config;
            this.transactionalHandler = handler;
            return this;
        }

        /**
         * Checks the settings together and builds the configuration.
         *
         * @return the configuration
         * @throws IllegalStateException when no subscription or no handler was given, or a subscription has no group
         * @throws ConfigException for a bad {@code max.poll.records}
         */
        public ContainerConfig<K, V> build() {
            int subscriptions = (topics != null ? 1 : 0) + (pattern != null ? 1 : 0) + (partitions != null ? 1 : 0);
            if (subscriptions != 1) {
                throw new IllegalStateException("Container " + name + " needs exactly one of topics, topicPattern or partitions; "
                        + subscriptions + " given");
            }
            if (topics != null && topics.isEmpty()) {
                throw new IllegalStateException("Container " + name + " has an empty topic list");
            }
            if (transactions != null) {
                TransactionalContainers.check(name, recordProcessor != null || batchProcessor != null, partitions != null,
                        commitModeSet, commitIntervalSet);
                consumerProperties.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            }
            RecordProcessor<K, V> processor = transactions != null ? TransactionalContainers.processor(transactionalHandler)
                    : recordProcessor;
            if (processor == null && batchProcessor == null) {
                throw new IllegalStateException("Container " + name + " has no handler; call handler(...) or batchHandler(...)");
            }
            if (partitions == null && consumerProperties.get(ConsumerConfig.GROUP_ID_CONFIG) == null) {
                throw new IllegalStateException("Container " + name + " subscribes to topics, which needs a group id; set groupId(...)");
            }
            if (maxInFlight != null) {
                return new ContainerConfig<>(this, maxInFlight, maxInFlight, processor);
            }
            return new ContainerConfig<>(this, defaultMaxInFlight(concurrency, consumerProperties, DEFAULT_SHARE_POLLS_IN_FLIGHT),
                    defaultMaxInFlight(concurrency, consumerProperties, DEFAULT_POLLS_IN_FLIGHT), processor);
        }
    }

    /**
     * The in-flight bound when none is given: 4 × concurrency, at least {@code polls} × {@code max.poll.records} but no
     * more than {@link #MAX_DEFAULT_IN_FLIGHT} for that ({@link #DEFAULT_POLLS_IN_FLIGHT} for a container,
     * {@link #DEFAULT_SHARE_POLLS_IN_FLIGHT} for a share container).
     *
     * @throws ConfigException for a bad {@code max.poll.records}
     */
    static int defaultMaxInFlight(int concurrency, Map<String, Object> consumerProperties, int polls) {
        int pollRecords = maxPollRecords(consumerProperties);
        return Math.max(4 * concurrency, (int) Math.min((long) polls * pollRecords, MAX_DEFAULT_IN_FLIGHT));
    }

    /** {@code max.poll.records}, checked here because the default in-flight bound is computed from it. */
    private static int maxPollRecords(Map<String, Object> consumerProperties) {
        Object value = consumerProperties.getOrDefault(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        int records;
        try {
            records = value instanceof Number number ? Math.toIntExact(number.longValue()) : Integer.parseInt(String.valueOf(value).trim());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, value, "must be a whole number from 1 to "
                    + Integer.MAX_VALUE);
        }
        if (records < 1) {
            throw new ConfigException(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, value, "must be at least 1");
        }
        return records;
    }
}
