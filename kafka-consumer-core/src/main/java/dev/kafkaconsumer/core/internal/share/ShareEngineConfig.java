package dev.kafkaconsumer.core.internal.share;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;

import dev.kafkaconsumer.core.internal.QuietConsumerConfig;

/**
 * The share engine's immutable configuration: kafka-clients share consumer properties, read once, and the engine's
 * own options. The share consumer validates the properties itself when it is created; this class reads the few the
 * engine acts on and refuses, with a message that says what to do, what a share engine cannot honour.
 *
 * <p>Threads: immutable; read by any thread.
 */
public final class ShareEngineConfig {

    /** Default of {@code lockRenewal}. */
    public static final boolean DEFAULT_LOCK_RENEWAL = true;

    /** Default of {@code maxLockRenewal}: a stuck handler holds a record at most this long. */
    public static final Duration DEFAULT_MAX_LOCK_RENEWAL = Duration.ofMinutes(5);

    /** Default of {@code acknowledgementInterval}. */
    public static final Duration DEFAULT_ACKNOWLEDGEMENT_INTERVAL = Duration.ofMillis(100);

    private static final String EXPLICIT = "explicit";

    private static final AtomicInteger CLIENT_SEQUENCE = new AtomicInteger();

    private final Map<String, Object> consumerProperties;
    private final String clientId;
    private final String groupId;
    private final Duration defaultApiTimeout;
    private final Duration retryBackoff;
    private final Duration retryBackoffMax;
    private final boolean lockRenewal;
    private final Duration maxLockRenewal;
    private final Duration acknowledgementInterval;

    /**
     * Reads and checks the configuration.
     *
     * @param properties              kafka-clients share consumer properties
     * @param keyDeserializer         the key deserializer, used to parse the properties
     * @param valueDeserializer       the value deserializer, used to parse the properties
     * @param lockRenewal             whether the I/O thread renews the locks of records not yet acknowledged
     * @param maxLockRenewal          how long after its acquisition a record is still renewed
     * @param acknowledgementInterval how long acknowledgements may wait to be sent together
     * @throws ConfigException when a property is missing or cannot be honoured
     */
    public ShareEngineConfig(Map<String, Object> properties, Deserializer<?> keyDeserializer, Deserializer<?> valueDeserializer,
            boolean lockRenewal, Duration maxLockRenewal, Duration acknowledgementInterval) {
        Objects.requireNonNull(properties, "properties");
        if (!properties.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new ConfigException("bootstrap.servers is not set; call bootstrapServers(\"host:port\") on the builder");
        }
        Object group = properties.get(ConsumerConfig.GROUP_ID_CONFIG);
        if (group == null || group.toString().isBlank()) {
            throw new ConfigException("group.id is not set; call groupId(\"...\") on the builder: a share consumer always "
                    + "reads as a member of a share group");
        }
        if (properties.containsKey(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)) {
            throw new ConfigException("auto.offset.reset cannot be set on a share consumer: where a share group starts "
                    + "reading is the group config share.auto.offset.reset (default latest), set with "
                    + "Admin.incrementalAlterConfigs on ConfigResource.Type.GROUP");
        }
        Object mode = properties.get(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG);
        if (mode != null && !EXPLICIT.equals(mode.toString().toLowerCase(Locale.ROOT))) {
            throw new ConfigException("share.acknowledgement.mode=" + mode + " is not supported: the engine acknowledges "
                    + "each record as the application says (explicit mode); leave the property unset");
        }
        if (maxLockRenewal == null || maxLockRenewal.isNegative() || maxLockRenewal.isZero()) {
            throw new ConfigException("maxLockRenewal must be positive, was " + maxLockRenewal);
        }
        if (acknowledgementInterval == null || acknowledgementInterval.isNegative()) {
            throw new ConfigException("acknowledgementInterval must not be negative, was " + acknowledgementInterval);
        }
        Map<String, Object> consumer = new HashMap<>(properties);
        String id = (String) consumer.get(ConsumerConfig.CLIENT_ID_CONFIG);
        if (id == null || id.isBlank()) {
            id = "kafka-consumer-share-" + group + "-" + CLIENT_SEQUENCE.incrementAndGet();
            consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, id);
        }
        consumer.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, EXPLICIT);
        // ConsumerConfig refuses the share consumer's own properties under either group protocol, which a share
        // consumer has not: they are read here, and the share consumer checks them when it is created
        Map<String, Object> parseable = new HashMap<>(consumer);
        parseable.remove(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG);
        parseable.remove(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG);
        ConsumerConfig parsed = new QuietConsumerConfig(
                ConsumerConfig.appendDeserializerToConfig(parseable, keyDeserializer, valueDeserializer));
        this.clientId = id;
        this.groupId = group.toString();
        this.defaultApiTimeout = Duration.ofMillis(parsed.getInt(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG));
        this.retryBackoff = Duration.ofMillis(Math.max(1, parsed.getLong(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG)));
        this.retryBackoffMax = Duration.ofMillis(Math.max(retryBackoff.toMillis(),
                parsed.getLong(ConsumerConfig.RETRY_BACKOFF_MAX_MS_CONFIG)));
        this.lockRenewal = lockRenewal;
        this.maxLockRenewal = maxLockRenewal;
        this.acknowledgementInterval = acknowledgementInterval;
        this.consumerProperties = Map.copyOf(consumer);
    }

    /** Properties for the underlying {@code KafkaShareConsumer}, in explicit acknowledgement mode. */
    public Map<String, Object> consumerProperties() {
        return consumerProperties;
    }

    public String clientId() {
        return clientId;
    }

    public String groupId() {
        return groupId;
    }

    /** How long {@code start}, {@code subscribe} and {@code unsubscribe} wait for the I/O thread. */
    public Duration defaultApiTimeout() {
        return defaultApiTimeout;
    }

    /** The first back-off after a failed poll ({@code retry.backoff.ms}). */
    public Duration retryBackoff() {
        return retryBackoff;
    }

    /** The longest back-off after failed polls ({@code retry.backoff.max.ms}). */
    public Duration retryBackoffMax() {
        return retryBackoffMax;
    }

    public boolean lockRenewal() {
        return lockRenewal;
    }

    public Duration maxLockRenewal() {
        return maxLockRenewal;
    }

    public Duration acknowledgementInterval() {
        return acknowledgementInterval;
    }
}
