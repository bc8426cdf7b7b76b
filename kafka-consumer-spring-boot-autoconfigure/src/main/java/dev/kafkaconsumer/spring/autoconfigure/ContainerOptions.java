package dev.kafkaconsumer.spring.autoconfigure;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.unit.DataSize;

import dev.kafkaconsumer.core.CommitMode;
import dev.kafkaconsumer.core.DeadLetterHeaders;
import dev.kafkaconsumer.core.Ordering;

/**
 * What can be set for the consumer containers, under the same names at both levels: for every container under
 * {@code kafka.consumer.*} ({@link KafkaConsumerProperties} extends this class), and for one container under
 * {@code kafka.consumer.containers.<id>.*} ({@link KafkaConsumerProperties.Container} does too). A {@code null} value
 * is unset: a lower level decides, and where none does, the core's (or Kafka's) default applies.
 *
 * <p>A container's options are its entry under {@code kafka.consumer.containers.<id>}, over its
 * {@code @RecordHandler}'s attributes, over {@code kafka.consumer.*}, over {@code spring.kafka.*}, merged by one rule
 * ({@link #merge}): a value comes from the highest level that sets it; a map ({@link #getProperties()}) holds the
 * entries of every level, a higher level's winning; a list ({@code retry.not-retryable}, {@code retry.retryable})
 * holds the elements of every level.
 */
public class ContainerOptions {

    /**
     * Consumer group that the containers join.
     */
    private @Nullable String groupId;

    /**
     * Client id of the consumer. Under kafka.consumer, the prefix of every container's client id, to which each adds
     * "-" and its own id; under kafka.consumer.containers.<id>, the container's whole client id.
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
    private @Nullable Duration commitInterval;

    /**
     * When processed offsets are committed: in the background every commit interval (time), after each batch
     * (batch), or what the handler acknowledged (manual).
     */
    private @Nullable CommitMode commitMode;

    /**
     * How many records (or batches) a container handles at once.
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
     * Whether handlers run on virtual threads (Java 21 and later). Follows spring.threads.virtual.enabled when
     * unset.
     */
    private @Nullable Boolean virtualThreads;

    /**
     * Whether a container starts with the application.
     */
    private @Nullable Boolean autoStartup;

    /**
     * How long a container may take to finish the records in flight when it stops. When the application stops, no
     * longer than what spring.lifecycle.timeout-per-shutdown-phase leaves after 3 s kept for the final commit and
     * leaving the group.
     */
    private @Nullable Duration shutdownTimeout;

    /**
     * Longest a handler call may take before it is reported and its worker interrupted once (it then goes through
     * the retries); no limit when unset.
     */
    private @Nullable Duration processingTimeout;

    /**
     * Most records a container has taken and not yet finished. Unset, it moves with the handling between 4 and 16
     * times max.poll.records (about 50 ms of handling; at least 4 times the concurrency, a share container keeps 4
     * times), within what buffer.max-bytes holds of the records taken lately; set, it stays and bounds records only.
     */
    private @Nullable Integer maxInFlight;

    /**
     * How long the records being handled for revoked partitions may take before the revocation goes on.
     */
    private @Nullable Duration revocationTimeout;

    /**
     * Deliveries of a record to a share group's consumers, the first included, after which a record that still
     * fails goes to the recoverer and is rejected. Share containers only (a handler with a share group).
     */
    private @Nullable Integer maxDeliveries;

    /**
     * Share consumers (members of the share group) of a share container, at most its concurrency: with two, one fetches
     * while the other's records are handled, which pays for fast handlers; each holds up to max-poll-records records
     * away from the group's other members. Share containers only (a handler with a share group).
     */
    private @Nullable Integer shareConsumers;

    private final Buffer buffer = new Buffer();

    private final Retry retry = new Retry();

    private final DeadLetter deadLetter = new DeadLetter();

    private final Transaction transaction = new Transaction();

    /**
     * Additional kafka-clients consumer properties, under the options that set one (group-id, client-id,
     * auto-offset-reset, isolation-level, max-poll-records). A container's entries add to those of its
     * @RecordHandler and of kafka.consumer, and win over them.
     */
    private final Map<String, String> properties = new LinkedHashMap<>();

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

    public @Nullable Boolean getAutoStartup() {
        return this.autoStartup;
    }

    public void setAutoStartup(@Nullable Boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    public @Nullable Duration getShutdownTimeout() {
        return this.shutdownTimeout;
    }

    public void setShutdownTimeout(@Nullable Duration shutdownTimeout) {
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

    public @Nullable Duration getRevocationTimeout() {
        return this.revocationTimeout;
    }

    public void setRevocationTimeout(@Nullable Duration revocationTimeout) {
        this.revocationTimeout = revocationTimeout;
    }

    public @Nullable Integer getMaxDeliveries() {
        return this.maxDeliveries;
    }

    public void setMaxDeliveries(@Nullable Integer maxDeliveries) {
        this.maxDeliveries = maxDeliveries;
    }

    public @Nullable Integer getShareConsumers() {
        return this.shareConsumers;
    }

    public void setShareConsumers(@Nullable Integer shareConsumers) {
        this.shareConsumers = shareConsumers;
    }

    public Buffer getBuffer() {
        return this.buffer;
    }

    public Retry getRetry() {
        return this.retry;
    }

    public DeadLetter getDeadLetter() {
        return this.deadLetter;
    }

    public Transaction getTransaction() {
        return this.transaction;
    }

    public Map<String, String> getProperties() {
        return this.properties;
    }

    /**
     * Merges levels of options into new options, by one rule for every option: a value comes from the highest level
     * that sets it; a map takes the entries of every level, a higher level's winning; a list takes the elements of
     * every level, a lower level's first. Only the options of this class count (not what a subclass adds, nor a
     * {@code @Deprecated} spelling), so a new option is merged as soon as it is declared here.
     *
     * @param levels the levels, highest first
     * @return new options; the levels are not changed
     */
    static ContainerOptions merge(ContainerOptions... levels) {
        ContainerOptions merged = new ContainerOptions();
        for (int i = levels.length - 1; i >= 0; i--) {
            overlay(levels[i], merged, ContainerOptions.class);
        }
        return merged;
    }

    /** Sets onto {@code target} what {@code level} sets: read-only properties are maps or groups of options. */
    @SuppressWarnings("unchecked")
    private static void overlay(Object level, Object target, Class<?> type) {
        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
            Method getter = property.getReadMethod();
            if (getter == null || getter.getDeclaringClass() == Object.class
                    || getter.isAnnotationPresent(Deprecated.class)) {
                continue;
            }
            Object value = ReflectionUtils.invokeMethod(getter, level);
            if (value == null) {
                continue;
            }
            Object current = ReflectionUtils.invokeMethod(getter, target);
            Method setter = property.getWriteMethod();
            if (value instanceof Map<?, ?> entries && current instanceof Map<?, ?> merged) {
                ((Map<Object, Object>) merged).putAll(entries);
            }
            else if (setter == null) {
                overlay(value, current, property.getPropertyType());
            }
            else if (value instanceof List<?> elements) {
                List<Object> merged = (current instanceof List<?> below) ? new ArrayList<>(below) : new ArrayList<>();
                elements.stream().filter((element) -> !merged.contains(element)).forEach(merged::add);
                ReflectionUtils.invokeMethod(setter, target, merged);
            }
            else {
                ReflectionUtils.invokeMethod(setter, target, value);
            }
        }
    }

    /**
     * The records a container's engine holds fetched and not yet taken, in serialized key and value bytes; beyond a
     * bound, fetching pauses until records are taken.
     */
    public static class Buffer {

        /**
         * Most bytes buffered for one partition.
         */
        private @Nullable DataSize maxBytesPerPartition;

        /**
         * Most bytes buffered for all partitions of a container together.
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

    /**
     * How a failing handler is retried before its record goes to the recoverer.
     */
    public static class Retry {

        /**
         * Calls of the handler in all, the first included; 1 means no retry.
         */
        private @Nullable Integer maxAttempts;

        private final Backoff backoff = new Backoff();

        /**
         * Exception classes that go to the recoverer without a retry, besides those no retry can cure (a payload that
         * cannot be converted or fails validation, a deserialization failure, a ClassCastException). An exception
         * matches when it, or one of its causes, is an instance. A container's list adds to that of kafka.consumer.
         */
        private @Nullable List<Class<?>> notRetryable;

        /**
         * Exception classes that are retried even where a not-retryable class also matches (to retry a
         * ClassCastException, say). A container's list adds to that of kafka.consumer.
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
         * Pauses between the attempts.
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
     * Publication of records that could not be handled to a dead-letter topic.
     */
    public static class DeadLetter {

        /**
         * Whether records that could not be handled (or deserialized) are published to a dead-letter topic;
         * otherwise they are logged and skipped.
         */
        private @Nullable Boolean enabled;

        /**
         * Suffix appended to a record's topic to name its dead-letter topic.
         */
        private @Nullable String topicSuffix;

        /**
         * Headers that say why and where a record failed: kafka-consumer (readable text, with the attempt count) or
         * spring-kafka (Spring for Apache Kafka's kafka_dlt-* names and binary numbers, for tools built for its
         * dead-letter topics).
         */
        private @Nullable DeadLetterHeaders headers;

        public @Nullable Boolean getEnabled() {
            return this.enabled;
        }

        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable String getTopicSuffix() {
            return this.topicSuffix;
        }

        public void setTopicSuffix(@Nullable String topicSuffix) {
            this.topicSuffix = topicSuffix;
        }

        public @Nullable DeadLetterHeaders getHeaders() {
            return this.headers;
        }

        public void setHeaders(@Nullable DeadLetterHeaders headers) {
            this.headers = headers;
        }

    }

    /**
     * When a transactional container (a @RecordHandler with transactional = true) commits a transaction: every commit
     * interval, or sooner once enough records are done. Transactional containers only: on another container itself
     * these options fail startup.
     */
    public static class Transaction {

        /**
         * How often a transactional container commits the outputs and offsets of the records done, in one
         * transaction. Shorter makes outputs visible to read_committed readers sooner, at the cost of more
         * transactions.
         */
        private @Nullable Duration commitInterval;

        /**
         * Most input records whose outputs and offsets one transaction carries; a transaction commits as soon as
         * that many are done.
         */
        private @Nullable Integer maxRecords;

        public @Nullable Duration getCommitInterval() {
            return this.commitInterval;
        }

        public void setCommitInterval(@Nullable Duration commitInterval) {
            this.commitInterval = commitInterval;
        }

        public @Nullable Integer getMaxRecords() {
            return this.maxRecords;
        }

        public void setMaxRecords(@Nullable Integer maxRecords) {
            this.maxRecords = maxRecords;
        }

    }

}
