package dev.kafkaconsumer.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.util.unit.DataSize;

import dev.kafkaconsumer.core.CommitMode;
import dev.kafkaconsumer.core.DeadLetterHeaders;
import dev.kafkaconsumer.core.Ordering;
import dev.kafkaconsumer.core.Recoverers;

/**
 * Configuration of the consumer containers, under {@code kafka.consumer}: defaults for every
 * {@code @RecordHandler} container, and overrides for one container under
 * {@code kafka.consumer.containers.<id>}. A {@code null} value means "Kafka's (or the core's) default".
 */
@ConfigurationProperties("kafka.consumer")
public class KafkaConsumerProperties {

    /**
     * Comma-separated list of host:port pairs of the Kafka brokers. A KafkaConnectionDetails bean
     * (@ServiceConnection) takes precedence; while this is unset, spring.kafka.* is used whole.
     */
    private @Nullable List<String> bootstrapServers;

    /**
     * Consumer group of every container that names none.
     */
    private @Nullable String groupId;

    /**
     * Prefix of the client id; each container's consumer adds its own id.
     */
    private @Nullable String clientId;

    /**
     * Where a group without a committed offset starts: earliest, latest or none.
     */
    private @Nullable String autoOffsetReset;

    /**
     * Whether transactional records are read only once committed (read_committed) or at once
     * (read_uncommitted).
     */
    private @Nullable String isolationLevel;

    /**
     * Most records returned by one poll of the broker.
     */
    private @Nullable Integer maxPollRecords;

    /**
     * How often processed offsets are committed, in the time and manual commit modes.
     */
    private Duration commitInterval = Duration.ofSeconds(5);

    /**
     * When processed offsets are committed: in the background every commit interval (time), after
     * each batch (batch), or what the handler acknowledged (manual).
     */
    private CommitMode commitMode = CommitMode.TIME;

    /**
     * How many records (or batches) each container handles at once.
     */
    private int concurrency = 1;

    /**
     * Order in which records are handled: partition, key or unordered.
     */
    private Ordering ordering = Ordering.PARTITION;

    /**
     * Deserializer class of record keys.
     */
    private Class<?> keyDeserializer = StringDeserializer.class;

    /**
     * Deserializer class of record values.
     */
    private Class<?> valueDeserializer = StringDeserializer.class;

    /**
     * Whether handlers run on virtual threads (Java 21 and later). Follows
     * spring.threads.virtual.enabled when unset.
     */
    private @Nullable Boolean virtualThreads;

    /**
     * Whether containers start with the application.
     */
    private boolean autoStartup = true;

    /**
     * How long a container may take to finish the records in flight when the application stops.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    /**
     * Longest a handler call may take before it is reported and its worker interrupted once (it then goes
     * through the retries); no limit when unset.
     */
    private @Nullable Duration processingTimeout;

    /**
     * Most records each container has taken and not yet finished; by default 4 times the concurrency, and at
     * least 4 times max.poll.records up to 10000.
     */
    private @Nullable Integer maxInFlight;

    /**
     * How long the records being handled for revoked partitions may take before the revocation goes on.
     */
    private Duration revocationTimeout = Duration.ofSeconds(30);

    private final Buffer buffer = new Buffer();

    /**
     * Additional kafka-clients consumer properties, applied before the ones above.
     */
    private final Map<String, String> properties = new LinkedHashMap<>();

    private final Security security = new Security();

    private final Ssl ssl = new Ssl();

    private final Sasl sasl = new Sasl();

    private final Retry retry = new Retry();

    private final DeadLetter deadLetter = new DeadLetter();

    /**
     * Overrides for single containers, by container id.
     */
    private final Map<String, Container> containers = new LinkedHashMap<>();

    public @Nullable List<String> getBootstrapServers() {
        return this.bootstrapServers;
    }

    public void setBootstrapServers(@Nullable List<String> bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public @Nullable String getGroupId() {
        return this.groupId;
    }

    public void setGroupId(@Nullable String groupId) {
        this.groupId = groupId;
    }

    public @Nullable String getClientId() {
        return this.clientId;
    }

    public void setClientId(@Nullable String clientId) {
        this.clientId = clientId;
    }

    public @Nullable String getAutoOffsetReset() {
        return this.autoOffsetReset;
    }

    public void setAutoOffsetReset(@Nullable String autoOffsetReset) {
        this.autoOffsetReset = autoOffsetReset;
    }

    public @Nullable String getIsolationLevel() {
        return this.isolationLevel;
    }

    public void setIsolationLevel(@Nullable String isolationLevel) {
        this.isolationLevel = isolationLevel;
    }

    public @Nullable Integer getMaxPollRecords() {
        return this.maxPollRecords;
    }

    public void setMaxPollRecords(@Nullable Integer maxPollRecords) {
        this.maxPollRecords = maxPollRecords;
    }

    public Duration getCommitInterval() {
        return this.commitInterval;
    }

    public void setCommitInterval(Duration commitInterval) {
        this.commitInterval = commitInterval;
    }

    public CommitMode getCommitMode() {
        return this.commitMode;
    }

    public void setCommitMode(CommitMode commitMode) {
        this.commitMode = commitMode;
    }

    public int getConcurrency() {
        return this.concurrency;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public Ordering getOrdering() {
        return this.ordering;
    }

    public void setOrdering(Ordering ordering) {
        this.ordering = ordering;
    }

    public Class<?> getKeyDeserializer() {
        return this.keyDeserializer;
    }

    public void setKeyDeserializer(Class<?> keyDeserializer) {
        this.keyDeserializer = keyDeserializer;
    }

    public Class<?> getValueDeserializer() {
        return this.valueDeserializer;
    }

    public void setValueDeserializer(Class<?> valueDeserializer) {
        this.valueDeserializer = valueDeserializer;
    }

    public @Nullable Boolean getVirtualThreads() {
        return this.virtualThreads;
    }

    public void setVirtualThreads(@Nullable Boolean virtualThreads) {
        this.virtualThreads = virtualThreads;
    }

    public boolean isAutoStartup() {
        return this.autoStartup;
    }

    public void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    public Duration getShutdownTimeout() {
        return this.shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public @Nullable Duration getProcessingTimeout() {
        return this.processingTimeout;
    }

    public void setProcessingTimeout(@Nullable Duration processingTimeout) {
        this.processingTimeout = processingTimeout;
    }

    public @Nullable Integer getMaxInFlight() {
        return this.maxInFlight;
    }

    public void setMaxInFlight(@Nullable Integer maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public Duration getRevocationTimeout() {
        return this.revocationTimeout;
    }

    public void setRevocationTimeout(Duration revocationTimeout) {
        this.revocationTimeout = revocationTimeout;
    }

    public Buffer getBuffer() {
        return this.buffer;
    }

    public Map<String, String> getProperties() {
        return this.properties;
    }

    public Security getSecurity() {
        return this.security;
    }

    public Ssl getSsl() {
        return this.ssl;
    }

    public Sasl getSasl() {
        return this.sasl;
    }

    public Retry getRetry() {
        return this.retry;
    }

    public DeadLetter getDeadLetter() {
        return this.deadLetter;
    }

    public Map<String, Container> getContainers() {
        return this.containers;
    }

    /**
     * Security settings shared by the consumers and the dead-letter producer.
     */
    public static class Security {

        /**
         * Protocol used to talk to the brokers: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.
         */
        private @Nullable String protocol;

        public @Nullable String getProtocol() {
            return this.protocol;
        }

        public void setProtocol(@Nullable String protocol) {
            this.protocol = protocol;
        }

    }

    /**
     * TLS settings, as kafka-clients' ssl.* properties, or an SSL bundle.
     */
    public static class Ssl {

        /**
         * Name of an SSL bundle (spring.ssl.bundle.jks.* or spring.ssl.bundle.pem.*) with the keys and trusted
         * certificates, instead of the key store and trust store properties.
         */
        private @Nullable String bundle;

        /**
         * Path of the key store file.
         */
        private @Nullable String keyStoreLocation;

        /**
         * Password of the key store file.
         */
        private @Nullable String keyStorePassword;

        /**
         * Type of the key store, such as PKCS12 or JKS.
         */
        private @Nullable String keyStoreType;

        /**
         * Password of the private key in the key store.
         */
        private @Nullable String keyPassword;

        /**
         * Path of the trust store file.
         */
        private @Nullable String trustStoreLocation;

        /**
         * Password of the trust store file.
         */
        private @Nullable String trustStorePassword;

        /**
         * Type of the trust store, such as PKCS12 or JKS.
         */
        private @Nullable String trustStoreType;

        /**
         * TLS protocol, such as TLSv1.3.
         */
        private @Nullable String protocol;

        public @Nullable String getBundle() {
            return this.bundle;
        }

        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
        }

        public @Nullable String getKeyStoreLocation() {
            return this.keyStoreLocation;
        }

        public void setKeyStoreLocation(@Nullable String keyStoreLocation) {
            this.keyStoreLocation = keyStoreLocation;
        }

        public @Nullable String getKeyStorePassword() {
            return this.keyStorePassword;
        }

        public void setKeyStorePassword(@Nullable String keyStorePassword) {
            this.keyStorePassword = keyStorePassword;
        }

        public @Nullable String getKeyStoreType() {
            return this.keyStoreType;
        }

        public void setKeyStoreType(@Nullable String keyStoreType) {
            this.keyStoreType = keyStoreType;
        }

        public @Nullable String getKeyPassword() {
            return this.keyPassword;
        }

        public void setKeyPassword(@Nullable String keyPassword) {
            this.keyPassword = keyPassword;
        }

        public @Nullable String getTrustStoreLocation() {
            return this.trustStoreLocation;
        }

        public void setTrustStoreLocation(@Nullable String trustStoreLocation) {
            this.trustStoreLocation = trustStoreLocation;
        }

        public @Nullable String getTrustStorePassword() {
            return this.trustStorePassword;
        }

        public void setTrustStorePassword(@Nullable String trustStorePassword) {
            this.trustStorePassword = trustStorePassword;
        }

        public @Nullable String getTrustStoreType() {
            return this.trustStoreType;
        }

        public void setTrustStoreType(@Nullable String trustStoreType) {
            this.trustStoreType = trustStoreType;
        }

        public @Nullable String getProtocol() {
            return this.protocol;
        }

        public void setProtocol(@Nullable String protocol) {
            this.protocol = protocol;
        }

    }

    /**
     * SASL settings, as kafka-clients' sasl.* properties.
     */
    public static class Sasl {

        /**
         * SASL mechanism, such as PLAIN, SCRAM-SHA-512 or OAUTHBEARER.
         */
        private @Nullable String mechanism;

        /**
         * JAAS login module configuration, in the format of a JAAS configuration file entry.
         */
        private @Nullable String jaasConfig;

        public @Nullable String getMechanism() {
            return this.mechanism;
        }

        public void setMechanism(@Nullable String mechanism) {
            this.mechanism = mechanism;
        }

        public @Nullable String getJaasConfig() {
            return this.jaasConfig;
        }

        public void setJaasConfig(@Nullable String jaasConfig) {
            this.jaasConfig = jaasConfig;
        }

    }

    /**
     * How a failing handler is retried before its record goes to the recoverer.
     */
    public static class Retry {

        /**
         * Calls of the handler in all, the first included; 1 means no retry.
         */
        private int maxAttempts = 3;

        private final Backoff backoff = new Backoff();

        /**
         * Exception classes that go to the recoverer without a retry, besides those no retry can cure (a payload
         * that cannot be converted or fails validation, a deserialization failure, a ClassCastException).
         * An exception matches when it, or one of its causes, is an instance.
         */
        private List<Class<?>> notRetryable = new ArrayList<>();

        /**
         * Exception classes that are retried even where a not-retryable class also matches (to retry a
         * ClassCastException, say).
         */
        private List<Class<?>> retryable = new ArrayList<>();

        public int getMaxAttempts() {
            return this.maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Backoff getBackoff() {
            return this.backoff;
        }

        public List<Class<?>> getNotRetryable() {
            return this.notRetryable;
        }

        public void setNotRetryable(List<Class<?>> notRetryable) {
            this.notRetryable = notRetryable;
        }

        public List<Class<?>> getRetryable() {
            return this.retryable;
        }

        public void setRetryable(List<Class<?>> retryable) {
            this.retryable = retryable;
        }

        /**
         * Pauses between the attempts.
         */
        public static class Backoff {

            /**
             * Pause before the first retry.
             */
            private Duration initial = Duration.ofMillis(100);

            /**
             * Factor by which each pause grows over the previous one; 1 for a fixed pause.
             */
            private double multiplier = 2.0;

            /**
             * Longest pause.
             */
            private Duration max = Duration.ofSeconds(5);

            public Duration getInitial() {
                return this.initial;
            }

            public void setInitial(Duration initial) {
                this.initial = initial;
            }

            public double getMultiplier() {
                return this.multiplier;
            }

            public void setMultiplier(double multiplier) {
                this.multiplier = multiplier;
            }

            public Duration getMax() {
                return this.max;
            }

            public void setMax(Duration max) {
                this.max = max;
            }

        }

    }

    /**
     * Publication of records that could not be handled to a dead-letter topic.
     */
    public static class DeadLetter {

        /**
         * Whether records that could not be handled (or deserialized) are published to a dead-letter
         * topic; otherwise they are logged and skipped.
         */
        private boolean enabled;

        /**
         * Suffix appended to a record's topic to name its dead-letter topic.
         */
        private String topicSuffix = Recoverers.DEFAULT_DEAD_LETTER_SUFFIX;

        /**
         * Headers that say why and where a record failed: kafka-consumer (readable text, with the attempt count)
         * or spring-kafka (Spring for Apache Kafka's kafka_dlt-* names and binary numbers, for tools built for
         * its dead-letter topics).
         */
        private DeadLetterHeaders headers = DeadLetterHeaders.KAFKA_CONSUMER;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getTopicSuffix() {
            return this.topicSuffix;
        }

        public void setTopicSuffix(String topicSuffix) {
            this.topicSuffix = topicSuffix;
        }

        public DeadLetterHeaders getHeaders() {
            return this.headers;
        }

        public void setHeaders(DeadLetterHeaders headers) {
            this.headers = headers;
        }

    }

    /**
     * Overrides for one container; an unset value keeps the container's @RecordHandler attribute, then
     * the kafka.consumer default.
     */
    public static class Container {

        /**
         * Topics to subscribe to, instead of those of the @RecordHandler.
         */
        private @Nullable List<String> topics;

        /**
         * Regular expression of the topics to subscribe to, instead of those of the @RecordHandler.
         */
        private @Nullable String topicPattern;

        /**
         * Whether the container starts with the application.
         */
        private @Nullable Boolean autoStartup;

        /**
         * Consumer group of the container.
         */
        private @Nullable String groupId;

        /**
         * Client id of the container's consumer.
         */
        private @Nullable String clientId;

        /**
         * Where the group starts without a committed offset: earliest, latest or none.
         */
        private @Nullable String autoOffsetReset;

        /**
         * Whether transactional records are read only once committed (read_committed) or at once
         * (read_uncommitted).
         */
        private @Nullable String isolationLevel;

        /**
         * Most records returned by one poll of the broker.
         */
        private @Nullable Integer maxPollRecords;

        /**
         * How often processed offsets are committed, in the time and manual commit modes.
         */
        private @Nullable Duration commitInterval;

        /**
         * When processed offsets are committed: time, batch or manual.
         */
        private @Nullable CommitMode commitMode;

        /**
         * How many records (or batches) the container handles at once.
         */
        private @Nullable Integer concurrency;

        /**
         * Order in which records are handled: partition, key or unordered.
         */
        private @Nullable Ordering ordering;

        /**
         * Deserializer class of record keys.
         */
        private @Nullable Class<?> keyDeserializer;

        /**
         * Deserializer class of record values.
         */
        private @Nullable Class<?> valueDeserializer;

        /**
         * Whether the container's handlers run on virtual threads.
         */
        private @Nullable Boolean virtualThreads;

        /**
         * Calls of the handler in all, the first included; 1 means no retry.
         */
        private @Nullable Integer maxAttempts;

        private final ContainerRetry retry = new ContainerRetry();

        /**
         * Longest a handler call of the container may take before it is reported and its worker interrupted once.
         */
        private @Nullable Duration processingTimeout;

        /**
         * Most records the container has taken and not yet finished.
         */
        private @Nullable Integer maxInFlight;

        /**
         * How long the container's records being handled for revoked partitions may take before the revocation
         * goes on.
         */
        private @Nullable Duration revocationTimeout;

        private final ContainerBuffer buffer = new ContainerBuffer();

        /**
         * Whether records that could not be handled are published to a dead-letter topic.
         */
        private @Nullable Boolean deadLetterEnabled;

        /**
         * Additional kafka-clients consumer properties of the container, applied over
         * kafka.consumer.properties and the @RecordHandler properties.
         */
        private final Map<String, String> properties = new LinkedHashMap<>();

        public @Nullable List<String> getTopics() {
            return this.topics;
        }

        public void setTopics(@Nullable List<String> topics) {
            this.topics = (topics != null) ? new ArrayList<>(topics) : null;
        }

        public @Nullable String getTopicPattern() {
            return this.topicPattern;
        }

        public void setTopicPattern(@Nullable String topicPattern) {
            this.topicPattern = topicPattern;
        }

        public @Nullable Boolean getAutoStartup() {
            return this.autoStartup;
        }

        public void setAutoStartup(@Nullable Boolean autoStartup) {
            this.autoStartup = autoStartup;
        }

        public @Nullable String getGroupId() {
            return this.groupId;
        }

        public void setGroupId(@Nullable String groupId) {
            this.groupId = groupId;
        }

        public @Nullable String getClientId() {
            return this.clientId;
        }

        public void setClientId(@Nullable String clientId) {
            this.clientId = clientId;
        }

        public @Nullable String getAutoOffsetReset() {
            return this.autoOffsetReset;
        }

        public void setAutoOffsetReset(@Nullable String autoOffsetReset) {
            this.autoOffsetReset = autoOffsetReset;
        }

        public @Nullable String getIsolationLevel() {
            return this.isolationLevel;
        }

        public void setIsolationLevel(@Nullable String isolationLevel) {
            this.isolationLevel = isolationLevel;
        }

        public @Nullable Integer getMaxPollRecords() {
            return this.maxPollRecords;
        }

        public void setMaxPollRecords(@Nullable Integer maxPollRecords) {
            this.maxPollRecords = maxPollRecords;
        }

        public @Nullable Duration getCommitInterval() {
            return this.commitInterval;
        }

        public void setCommitInterval(@Nullable Duration commitInterval) {
            this.commitInterval = commitInterval;
        }

        public @Nullable CommitMode getCommitMode() {
            return this.commitMode;
        }

        public void setCommitMode(@Nullable CommitMode commitMode) {
            this.commitMode = commitMode;
        }

        public @Nullable Integer getConcurrency() {
            return this.concurrency;
        }

        public void setConcurrency(@Nullable Integer concurrency) {
            this.concurrency = concurrency;
        }

        public @Nullable Ordering getOrdering() {
            return this.ordering;
        }

        public void setOrdering(@Nullable Ordering ordering) {
            this.ordering = ordering;
        }

        public @Nullable Class<?> getKeyDeserializer() {
            return this.keyDeserializer;
        }

        public void setKeyDeserializer(@Nullable Class<?> keyDeserializer) {
            this.keyDeserializer = keyDeserializer;
        }

        public @Nullable Class<?> getValueDeserializer() {
            return this.valueDeserializer;
        }

        public void setValueDeserializer(@Nullable Class<?> valueDeserializer) {
            this.valueDeserializer = valueDeserializer;
        }

        public @Nullable Boolean getVirtualThreads() {
            return this.virtualThreads;
        }

        public void setVirtualThreads(@Nullable Boolean virtualThreads) {
            this.virtualThreads = virtualThreads;
        }

        @DeprecatedConfigurationProperty(replacement = "kafka.consumer.containers.[id].retry.max-attempts",
                reason = "The container's retry settings are together under retry.*, as the defaults are", since = "0.1.0")
        @Deprecated(since = "0.1.0")
        public @Nullable Integer getMaxAttempts() {
            return this.maxAttempts;
        }

        @Deprecated(since = "0.1.0")
        public void setMaxAttempts(@Nullable Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public ContainerRetry getRetry() {
            return this.retry;
        }

        public @Nullable Duration getProcessingTimeout() {
            return this.processingTimeout;
        }

        public void setProcessingTimeout(@Nullable Duration processingTimeout) {
            this.processingTimeout = processingTimeout;
        }

        public @Nullable Integer getMaxInFlight() {
            return this.maxInFlight;
        }

        public void setMaxInFlight(@Nullable Integer maxInFlight) {
            this.maxInFlight = maxInFlight;
        }

        public @Nullable Duration getRevocationTimeout() {
            return this.revocationTimeout;
        }

        public void setRevocationTimeout(@Nullable Duration revocationTimeout) {
            this.revocationTimeout = revocationTimeout;
        }

        public ContainerBuffer getBuffer() {
            return this.buffer;
        }

        public @Nullable Boolean getDeadLetterEnabled() {
            return this.deadLetterEnabled;
        }

        public void setDeadLetterEnabled(@Nullable Boolean deadLetterEnabled) {
            this.deadLetterEnabled = deadLetterEnabled;
        }

        public Map<String, String> getProperties() {
            return this.properties;
        }

    }

    /**
     * How one container's failing handler is retried; an unset value keeps kafka.consumer.retry.*.
     */
    public static class ContainerRetry {

        /**
         * Calls of the handler in all, the first included; 1 means no retry.
         */
        private @Nullable Integer maxAttempts;

        private final Backoff backoff = new Backoff();

        /**
         * Exception classes that go to the recoverer without a retry, besides those of
         * kafka.consumer.retry.not-retryable.
         */
        private @Nullable List<Class<?>> notRetryable;

        /**
         * Exception classes that are retried even where a not-retryable class also matches, besides those of
         * kafka.consumer.retry.retryable.
         */
        private @Nullable List<Class<?>> retryable;

        public @Nullable Integer getMaxAttempts() {
            return this.maxAttempts;
        }

        public void setMaxAttempts(@Nullable Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Backoff getBackoff() {
            return this.backoff;
        }

        public @Nullable List<Class<?>> getNotRetryable() {
            return this.notRetryable;
        }

        public void setNotRetryable(@Nullable List<Class<?>> notRetryable) {
            this.notRetryable = notRetryable;
        }

        public @Nullable List<Class<?>> getRetryable() {
            return this.retryable;
        }

        public void setRetryable(@Nullable List<Class<?>> retryable) {
            this.retryable = retryable;
        }

        /**
         * Pauses between one container's attempts; an unset value keeps kafka.consumer.retry.backoff.*.
         */
        public static class Backoff {

            /**
             * Pause before the first retry.
             */
            private @Nullable Duration initial;

            /**
             * Factor by which each pause grows over the previous one; 1 for a fixed pause.
             */
            private @Nullable Double multiplier;

            /**
             * Longest pause.
             */
            private @Nullable Duration max;

            public @Nullable Duration getInitial() {
                return this.initial;
            }

            public void setInitial(@Nullable Duration initial) {
                this.initial = initial;
            }

            public @Nullable Double getMultiplier() {
                return this.multiplier;
            }

            public void setMultiplier(@Nullable Double multiplier) {
                this.multiplier = multiplier;
            }

            public @Nullable Duration getMax() {
                return this.max;
            }

            public void setMax(@Nullable Duration max) {
                this.max = max;
            }

        }

    }

    /**
     * The records a container's engine holds fetched and not yet taken, in serialized key and value bytes;
     * beyond a bound, fetching pauses until records are taken.
     */
    public static class Buffer {

        /**
         * Most bytes buffered for one partition.
         */
        private DataSize maxBytesPerPartition = DataSize.ofMegabytes(2);

        /**
         * Most bytes buffered for all partitions of a container together.
         */
        private DataSize maxBytes = DataSize.ofMegabytes(32);

        public DataSize getMaxBytesPerPartition() {
            return this.maxBytesPerPartition;
        }

        public void setMaxBytesPerPartition(DataSize maxBytesPerPartition) {
            this.maxBytesPerPartition = maxBytesPerPartition;
        }

        public DataSize getMaxBytes() {
            return this.maxBytes;
        }

        public void setMaxBytes(DataSize maxBytes) {
            this.maxBytes = maxBytes;
        }

    }

    /**
     * One container's buffer bounds; an unset value keeps kafka.consumer.buffer.*.
     */
    public static class ContainerBuffer {

        /**
         * Most bytes buffered for one partition.
         */
        private @Nullable DataSize maxBytesPerPartition;

        /**
         * Most bytes buffered for all partitions of the container together.
         */
        private @Nullable DataSize maxBytes;

        public @Nullable DataSize getMaxBytesPerPartition() {
            return this.maxBytesPerPartition;
        }

        public void setMaxBytesPerPartition(@Nullable DataSize maxBytesPerPartition) {
            this.maxBytesPerPartition = maxBytesPerPartition;
        }

        public @Nullable DataSize getMaxBytes() {
            return this.maxBytes;
        }

        public void setMaxBytes(@Nullable DataSize maxBytes) {
            this.maxBytes = maxBytes;
        }

    }

}
