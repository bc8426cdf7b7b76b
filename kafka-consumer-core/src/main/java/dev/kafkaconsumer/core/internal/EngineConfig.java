package dev.kafkaconsumer.core.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The engine's immutable configuration, read once from kafka-clients consumer properties.
 *
 * <p>The properties are validated by kafka-clients' own {@link ConsumerConfig}, so a bad value fails
 * at build time with Kafka's message. The engine takes over auto-commit ({@code enable.auto.commit}
 * is always false underneath) and gives {@code max.poll.records} and {@code max.poll.interval.ms}
 * the meaning they have in aiokafka: a default for {@code getMany}, and the longest the application
 * may go without asking for records.
 *
 * <p>Threads: immutable; read by any thread.
 */
public final class EngineConfig {

    /** Default bound of the records buffered for one partition, in serialized key and value bytes. */
    public static final long DEFAULT_MAX_BUFFERED_BYTES_PER_PARTITION = 2L * 1024 * 1024;

    /** Default bound of the records buffered for all partitions, in serialized key and value bytes. */
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 32L * 1024 * 1024;

    /**
     * The fewest records the I/O thread asks each poll for. The application's {@code max.poll.records}
     * sizes its {@code getMany} calls; underneath, larger polls mean fewer hand-overs between the I/O
     * thread and the application per record, which is what keeps the engine level with a plain
     * poll loop. Memory stays bounded by the fetch sizes: a poll returns records already fetched.
     */
    static final int MIN_RECORDS_PER_IO_POLL = 2000;

    private static final AtomicInteger CLIENT_SEQUENCE = new AtomicInteger();

    private final Map<String, Object> consumerProperties;
    private final String clientId;
    private final String groupId;
    private final boolean autoCommit;
    private final Duration autoCommitInterval;
    private final int maxPollRecords;
    private final Duration maxPollInterval;
    private final Duration defaultApiTimeout;
    private final Duration metadataMaxAge;
    private final boolean excludeInternalTopics;
    private final Duration retryBackoff;
    private final Duration retryBackoffMax;
    private final Duration fetchMaxWait;
    private final IsolationLevel isolationLevel;
    private final long maxBufferedBytesPerPartition;
    private final int recordsPerIoPoll;
    private final long maxBufferedBytes;

    /**
     * Reads and validates the configuration.
     *
     * @param properties                   kafka-clients consumer properties
     * @param keyDeserializer              the key deserializer, used to validate the properties
     * @param valueDeserializer            the value deserializer, used to validate the properties
     * @param maxBufferedBytesPerPartition bound of one partition's buffer
     * @param maxBufferedBytes             bound of all buffers together
     * @throws ConfigException when a property is missing or has a bad value
     */
    public EngineConfig(Map<String, Object> properties, Deserializer<?> keyDeserializer, Deserializer<?> valueDeserializer,
            long maxBufferedBytesPerPartition, long maxBufferedBytes) {
        Objects.requireNonNull(properties, "properties");
        if (!properties.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new ConfigException("bootstrap.servers is not set; call bootstrapServers(\"host:port\") on the builder");
        }
        if (maxBufferedBytesPerPartition < 1 || maxBufferedBytes < 1) {
            throw new ConfigException("Buffer bounds must be positive, were " + maxBufferedBytesPerPartition
                    + " per partition and " + maxBufferedBytes + " in total");
        }
        Map<String, Object> consumer = new HashMap<>(properties);
        String id = (String) consumer.get(ConsumerConfig.CLIENT_ID_CONFIG);
        if (id == null || id.isBlank()) {
            Object group = consumer.get(ConsumerConfig.GROUP_ID_CONFIG);
            id = "kafka-consumer-" + (group == null ? "" : group + "-") + CLIENT_SEQUENCE.incrementAndGet();
            consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, id);
        }
        ConsumerConfig parsed = new QuietConsumerConfig(
                ConsumerConfig.appendDeserializerToConfig(new HashMap<>(consumer), keyDeserializer, valueDeserializer));
        this.clientId = id;
        this.groupId = parsed.getString(ConsumerConfig.GROUP_ID_CONFIG);
        this.autoCommit = groupId != null && parsed.getBoolean(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
        this.autoCommitInterval = Duration.ofMillis(parsed.getInt(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG));
        this.maxPollRecords = parsed.getInt(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
        this.maxPollInterval = Duration.ofMillis(parsed.getInt(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG));
        this.defaultApiTimeout = Duration.ofMillis(parsed.getInt(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG));
        this.metadataMaxAge = Duration.ofMillis(Math.max(1, parsed.getLong(ConsumerConfig.METADATA_MAX_AGE_CONFIG)));
        this.excludeInternalTopics = parsed.getBoolean(ConsumerConfig.EXCLUDE_INTERNAL_TOPICS_CONFIG);
        this.fetchMaxWait = Duration.ofMillis(parsed.getInt(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG));
        this.retryBackoff = Duration.ofMillis(Math.max(1, parsed.getLong(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG)));
        this.retryBackoffMax = Duration.ofMillis(Math.max(retryBackoff.toMillis(),
                parsed.getLong(ConsumerConfig.RETRY_BACKOFF_MAX_MS_CONFIG)));
        this.isolationLevel = IsolationLevel.valueOf(
                parsed.getString(ConsumerConfig.ISOLATION_LEVEL_CONFIG).toUpperCase(Locale.ROOT));
        this.maxBufferedBytesPerPartition = maxBufferedBytesPerPartition;
        this.maxBufferedBytes = maxBufferedBytes;
        // the engine commits; kafka-clients must not commit positions of records only prefetched
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.recordsPerIoPoll = Math.max(maxPollRecords, MIN_RECORDS_PER_IO_POLL);
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, recordsPerIoPoll);
        this.consumerProperties = Map.copyOf(consumer);
    }

    /** Properties for the underlying {@code KafkaConsumer}, auto-commit off. */
    public Map<String, Object> consumerProperties() {
        return consumerProperties;
    }

    public String clientId() {
        return clientId;
    }

    /** The group id, or {@code null} without a group. */
    public String groupId() {
        return groupId;
    }

    /** Whether the engine commits consumed positions by time; false without a group. */
    public boolean autoCommit() {
        return autoCommit;
    }

    public Duration autoCommitInterval() {
        return autoCommitInterval;
    }

    public int maxPollRecords() {
        return maxPollRecords;
    }

    /** The most records one poll of the I/O thread hands out: {@code max.poll.records}, at least {@link #MIN_RECORDS_PER_IO_POLL}. */
    public int recordsPerIoPoll() {
        return recordsPerIoPoll;
    }

    public Duration maxPollInterval() {
        return maxPollInterval;
    }

    public Duration defaultApiTimeout() {
        return defaultApiTimeout;
    }

    /** How often the cluster's metadata is read again ({@code metadata.max.age.ms}). */
    public Duration metadataMaxAge() {
        return metadataMaxAge;
    }

    /** Whether a pattern leaves Kafka's internal topics out ({@code exclude.internal.topics}). */
    public boolean excludeInternalTopics() {
        return excludeInternalTopics;
    }

    public Duration retryBackoff() {
        return retryBackoff;
    }

    /** {@code fetch.max.wait.ms}: how long the broker may keep a fetch that finds too few records. */
    public Duration fetchMaxWait() {
        return fetchMaxWait;
    }

    public Duration retryBackoffMax() {
        return retryBackoffMax;
    }

    public IsolationLevel isolationLevel() {
        return isolationLevel;
    }

    public long maxBufferedBytesPerPartition() {
        return maxBufferedBytesPerPartition;
    }

    public long maxBufferedBytes() {
        return maxBufferedBytes;
    }
}
