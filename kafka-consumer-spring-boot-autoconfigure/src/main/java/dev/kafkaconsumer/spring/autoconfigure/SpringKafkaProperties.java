package dev.kafkaconsumer.spring.autoconfigure;

import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.io.ApplicationResourceLoader;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

/**
 * {@code spring.kafka.*}, read the way Spring Boot's {@code KafkaProperties#buildConsumerProperties} reads it, so
 * that an application moving from Spring for Apache Kafka keeps its connection settings: the common settings
 * ({@code ssl.*}, {@code security.*}, {@code properties.*}), {@code jaas.*} and {@code consumer.*} (with its own
 * {@code ssl.*}, {@code security.*} and {@code properties.*}, which win). {@link ConsumerConnection} decides whether
 * it is used; when it is, everything here becomes a default under {@code kafka.consumer.*}.
 * <p>
 * Read from the {@link Environment} rather than from Boot's {@code KafkaProperties}, whose class needs spring-kafka:
 * an application that swapped Spring for Apache Kafka for this starter has {@code spring.kafka.*} in its
 * configuration but neither on its class path.
 */
final class SpringKafkaProperties {

    /** Nothing of {@code spring.kafka.*}: what {@link ConsumerConnection} hands out when kafka.consumer.* sets the connection. */
    static final SpringKafkaProperties NONE = new SpringKafkaProperties(List.of(), null, null, null, null, null, null,
            Map.of(), Producer.NONE);

    private static final String PREFIX = "spring.kafka.";

    private static final String CONSUMER = PREFIX + "consumer.";

    private static final String PRODUCER = PREFIX + "producer.";

    /** Boot's default login module and control flag ({@code KafkaProperties.Jaas}). */
    private static final String DEFAULT_LOGIN_MODULE = "com.sun.security.auth.module.Krb5LoginModule";

    private static final Set<String> CONTROL_FLAGS = Set.of("required", "requisite", "sufficient", "optional");

    private final List<String> bootstrapServers;

    private final @Nullable String clientId;

    private final @Nullable String groupId;

    private final @Nullable Class<?> keyDeserializer;

    private final @Nullable Class<?> valueDeserializer;

    private final @Nullable String sslBundle;

    private final @Nullable String sslBundleProperty;

    private final Map<String, Object> consumerProperties;

    private final Producer producer;

    private SpringKafkaProperties(List<String> bootstrapServers, @Nullable String clientId, @Nullable String groupId,
            @Nullable Class<?> keyDeserializer, @Nullable Class<?> valueDeserializer, @Nullable String sslBundle,
            @Nullable String sslBundleProperty, Map<String, Object> consumerProperties, Producer producer) {
        this.bootstrapServers = List.copyOf(bootstrapServers);
        this.clientId = clientId;
        this.groupId = groupId;
        this.keyDeserializer = keyDeserializer;
        this.valueDeserializer = valueDeserializer;
        this.sslBundle = sslBundle;
        this.sslBundleProperty = sslBundleProperty;
        this.consumerProperties = Collections.unmodifiableMap(new LinkedHashMap<>(consumerProperties));
        this.producer = producer;
    }

    /**
     * Reads {@code spring.kafka.*} from the environment.
     *
     * @param environment the environment
     * @return what is set there
     * @throws org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException
     *         when an SSL bundle and key or trust stores are both set, as Boot refuses them
     */
    static SpringKafkaProperties bind(Environment environment) {
        Binder binder = Binder.get(environment);
        Map<String, Object> consumer = new LinkedHashMap<>();
        // JAAS first: Boot installs it JVM-wide, where any sasl.jaas.config property overrides it
        String jaasConfig = jaasConfig(binder);
        if (jaasConfig != null) {
            consumer.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig);
        }
        putClientProperties(binder, PREFIX, consumer);
        putConsumerSettings(binder, consumer);
        putClientProperties(binder, CONSUMER, consumer);
        String sslBundleProperty = binder.bind(CONSUMER + "ssl.bundle", String.class).isBound() ? CONSUMER + "ssl.bundle"
                : binder.bind(PREFIX + "ssl.bundle", String.class).isBound() ? PREFIX + "ssl.bundle" : null;
        return new SpringKafkaProperties(
                first(binder, Bindable.listOf(String.class), List.of(), CONSUMER + "bootstrap-servers",
                        PREFIX + "bootstrap-servers"),
                first(binder, Bindable.of(String.class), null, CONSUMER + "client-id", PREFIX + "client-id"),
                binder.bind(CONSUMER + "group-id", String.class).orElse(null),
                type(binder, CONSUMER + "key-deserializer"), type(binder, CONSUMER + "value-deserializer"),
                (sslBundleProperty != null) ? binder.bind(sslBundleProperty, String.class).get() : null,
                sslBundleProperty, consumer, bindProducer(binder));
    }

    /**
     * The producer settings that a transactional container takes: Boot's {@code buildProducerProperties} without
     * what decides where and how to connect (a transactional producer connects as the consumers do, since it commits
     * their offsets) and without {@code acks} and {@code retries} (the container's transactional producer is
     * idempotent: {@code acks=all}, retried), and the serializers and the transaction id prefix on their own.
     */
    private static Producer bindProducer(Binder binder) {
        Map<String, Object> producer = new LinkedHashMap<>(
                binder.bind(PREFIX + "properties", Bindable.mapOf(String.class, String.class)).orElse(Map.of()));
        map(binder, PRODUCER + "batch-size", DataSize.class, (size) -> (int) size.toBytes(),
                ProducerConfig.BATCH_SIZE_CONFIG, producer);
        map(binder, PRODUCER + "buffer-memory", DataSize.class, DataSize::toBytes, ProducerConfig.BUFFER_MEMORY_CONFIG,
                producer);
        map(binder, PRODUCER + "compression-type", String.class, Function.identity(),
                ProducerConfig.COMPRESSION_TYPE_CONFIG, producer);
        map(binder, PRODUCER + "linger", Duration.class, SpringKafkaProperties::millis, ProducerConfig.LINGER_MS_CONFIG,
                producer);
        producer.putAll(binder.bind(PRODUCER + "properties", Bindable.mapOf(String.class, String.class)).orElse(Map.of()));
        return new Producer(type(binder, PRODUCER + "key-serializer", "Serializer"),
                type(binder, PRODUCER + "value-serializer", "Serializer"),
                binder.bind(PRODUCER + "transaction-id-prefix", String.class).orElse(null), producer);
    }

    /**
     * Returns {@code spring.kafka.consumer.bootstrap-servers}, else {@code spring.kafka.bootstrap-servers}.
     *
     * @return host:port pairs, empty when neither is set
     */
    List<String> bootstrapServers() {
        return this.bootstrapServers;
    }

    /**
     * Returns {@code spring.kafka.consumer.client-id}, else {@code spring.kafka.client-id}.
     *
     * @return the client id, or {@code null}
     */
    @Nullable String clientId() {
        return this.clientId;
    }

    /**
     * Returns {@code spring.kafka.consumer.group-id}.
     *
     * @return the group, or {@code null}
     */
    @Nullable String groupId() {
        return this.groupId;
    }

    /**
     * Returns {@code spring.kafka.consumer.key-deserializer}.
     *
     * @return the class, or {@code null} when unset
     */
    @Nullable Class<?> keyDeserializer() {
        return this.keyDeserializer;
    }

    /**
     * Returns {@code spring.kafka.consumer.value-deserializer}.
     *
     * @return the class, or {@code null} when unset
     */
    @Nullable Class<?> valueDeserializer() {
        return this.valueDeserializer;
    }

    /**
     * Returns the settings that are container options, as the level of every container's options below
     * {@code kafka.consumer.*}: the group, the client id (a prefix, as {@code kafka.consumer.client-id} is) and the
     * deserializers.
     *
     * @return new options
     */
    ContainerOptions options() {
        ContainerOptions options = new ContainerOptions();
        options.setGroupId(this.groupId);
        options.setClientId(this.clientId);
        options.setKeyDeserializer(this.keyDeserializer);
        options.setValueDeserializer(this.valueDeserializer);
        return options;
    }

    /**
     * Returns the name of the SSL bundle: {@code spring.kafka.consumer.ssl.bundle}, else {@code spring.kafka.ssl.bundle}.
     *
     * @return the bundle's name, or {@code null}
     */
    @Nullable String sslBundle() {
        return this.sslBundle;
    }

    /**
     * Returns the property that named {@link #sslBundle()}, for messages.
     *
     * @return the property, or {@code null} when no bundle is named
     */
    @Nullable String sslBundleProperty() {
        return this.sslBundleProperty;
    }

    /**
     * Returns everything else as kafka-clients consumer properties, in Boot's order (a later one wins): JAAS as
     * {@code sasl.jaas.config}, {@code spring.kafka.ssl.*}, {@code security.protocol}, {@code properties.*}, then the
     * {@code spring.kafka.consumer.*} settings, its {@code ssl.*}, {@code security.protocol} and {@code properties.*}.
     *
     * @return the properties, unmodifiable
     */
    Map<String, Object> consumerProperties() {
        return this.consumerProperties;
    }

    /**
     * Returns what {@code spring.kafka.producer.*} sets for a transactional container's producer.
     *
     * @return the producer settings, {@link Producer#NONE} when none are set
     */
    Producer producer() {
        return this.producer;
    }

    private static void putClientProperties(Binder binder, String prefix, Map<String, Object> target) {
        String ssl = prefix + "ssl.";
        ConsumerConnection.rejectBundleWithStores(ssl + "bundle", binder.bind(ssl + "bundle", String.class).orElse(null),
                Map.of(ssl + "key-store-key", isSet(binder, ssl + "key-store-key"), ssl + "key-store-location",
                        isSet(binder, ssl + "key-store-location"), ssl + "trust-store-certificates",
                        isSet(binder, ssl + "trust-store-certificates"), ssl + "trust-store-location",
                        isSet(binder, ssl + "trust-store-location")));
        // as in Boot, a bundle replaces the stores: they are not read at all
        if (!binder.bind(ssl + "bundle", String.class).isBound()) {
            map(binder, ssl + "key-password", String.class, Function.identity(), SslConfigs.SSL_KEY_PASSWORD_CONFIG, target);
            map(binder, ssl + "key-store-certificate-chain", String.class, Function.identity(),
                    SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, target);
            map(binder, ssl + "key-store-key", String.class, Function.identity(), SslConfigs.SSL_KEYSTORE_KEY_CONFIG,
                    target);
            map(binder, ssl + "key-store-location", String.class, (location) -> path(ssl + "key-store-location", location),
                    SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, target);
            map(binder, ssl + "key-store-password", String.class, Function.identity(),
                    SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, target);
            map(binder, ssl + "key-store-type", String.class, Function.identity(), SslConfigs.SSL_KEYSTORE_TYPE_CONFIG,
                    target);
            map(binder, ssl + "trust-store-certificates", String.class, Function.identity(),
                    SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, target);
            map(binder, ssl + "trust-store-location", String.class,
                    (location) -> path(ssl + "trust-store-location", location), SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
                    target);
            map(binder, ssl + "trust-store-password", String.class, Function.identity(),
                    SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, target);
            map(binder, ssl + "trust-store-type", String.class, Function.identity(),
                    SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, target);
            map(binder, ssl + "protocol", String.class, Function.identity(), SslConfigs.SSL_PROTOCOL_CONFIG, target);
        }
        map(binder, prefix + "security.protocol", String.class, Function.identity(),
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, target);
        target.putAll(binder.bind(prefix + "properties", Bindable.mapOf(String.class, String.class)).orElse(Map.of()));
    }

    /** The consumer settings of {@code KafkaProperties.Consumer}, but those that are kafka.consumer.* defaults of their own. */
    private static void putConsumerSettings(Binder binder, Map<String, Object> target) {
        map(binder, CONSUMER + "auto-commit-interval", Duration.class, SpringKafkaProperties::millis,
                ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, target);
        map(binder, CONSUMER + "auto-offset-reset", String.class, Function.identity(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, target);
        map(binder, CONSUMER + "enable-auto-commit", Boolean.class, Function.identity(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, target);
        map(binder, CONSUMER + "fetch-max-wait", Duration.class, SpringKafkaProperties::millis,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, target);
        map(binder, CONSUMER + "fetch-min-size", DataSize.class, (size) -> (int) size.toBytes(),
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG, target);
        map(binder, CONSUMER + "heartbeat-interval", Duration.class, SpringKafkaProperties::millis,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, target);
        map(binder, CONSUMER + "isolation-level", IsolationLevel.class, (level) -> level.name().toLowerCase(Locale.ROOT),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, target);
        map(binder, CONSUMER + "max-poll-records", Integer.class, Function.identity(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, target);
        map(binder, CONSUMER + "max-poll-interval", Duration.class, SpringKafkaProperties::millis,
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, target);
    }

    /**
     * Turns {@code spring.kafka.jaas.*}, which Boot installs JVM-wide for the {@code KafkaClient} login context,
     * into the same entry as one client's {@code sasl.jaas.config}.
     */
    private static @Nullable String jaasConfig(Binder binder) {
        if (!binder.bind(PREFIX + "jaas.enabled", Boolean.class).orElse(false)) {
            return null;
        }
        String module = binder.bind(PREFIX + "jaas.login-module", String.class).orElse(DEFAULT_LOGIN_MODULE);
        String flag = binder.bind(PREFIX + "jaas.control-flag", String.class).orElse("required").toLowerCase(Locale.ROOT);
        if (!CONTROL_FLAGS.contains(flag)) {
            throw new IllegalStateException(PREFIX + "jaas.control-flag is '" + flag + "'; set it to one of "
                    + "required, requisite, sufficient or optional");
        }
        StringBuilder config = new StringBuilder(module).append(' ').append(flag);
        binder.bind(PREFIX + "jaas.options", Bindable.mapOf(String.class, String.class))
            .orElse(Map.of())
            .forEach((name, value) -> config.append(' ').append(name).append("=\"").append(quoted(value)).append('"'));
        return config.append(';').toString();
    }

    /** Escapes what ends or escapes a quoted JAAS value: kafka-clients reads it with a {@code StreamTokenizer}. */
    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** As Boot, a store location is a resource (classpath: works) that must be a file. */
    private static String path(String property, String location) {
        try {
            return ApplicationResourceLoader.get().getResource(location).getFile().getAbsolutePath();
        }
        catch (IOException ex) {
            throw new IllegalStateException(property + " is '" + location + "', which is not a file on the file system",
                    ex);
        }
    }

    /** kafka-clients takes these as an int of milliseconds: a longer duration is refused, not wrapped to a negative. */
    private static int millis(Duration duration) {
        if (duration.isNegative() || duration.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("kafka-clients takes it as milliseconds from 0 to " + Integer.MAX_VALUE
                    + " (about 24.8 days)");
        }
        return (int) duration.toMillis();
    }

    private static boolean isSet(Binder binder, String property) {
        return binder.bind(property, String.class).isBound();
    }

    private static <T> void map(Binder binder, String property, Class<T> type, Function<T, ?> value, String key,
            Map<String, Object> target) {
        binder.bind(property, type).ifBound((bound) -> {
            try {
                target.put(key, value.apply(bound));
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidConfigurationPropertyValueException(property, bound, ex.getMessage());
            }
        });
    }

    private static @Nullable Class<?> type(Binder binder, String property) {
        return type(binder, property, "Deserializer");
    }

    private static @Nullable Class<?> type(Binder binder, String property, String kind) {
        String name = binder.bind(property, String.class).orElse(null);
        if (name == null) {
            return null;
        }
        try {
            return ClassUtils.forName(name.strip(), ClassUtils.getDefaultClassLoader());
        }
        catch (ClassNotFoundException | LinkageError ex) {
            throw new IllegalStateException(property + " names class " + name + ", which cannot be found; set it, or "
                    + "kafka.consumer." + property.substring(property.startsWith(CONSUMER) ? CONSUMER.length() : PREFIX.length())
                    + ", to a " + kind + " on the class path",
                    ex);
        }
    }

    private static <T> T first(Binder binder, Bindable<T> type, T fallback, String... properties) {
        for (String property : properties) {
            T value = binder.bind(property, type).orElse(null);
            if (value != null) {
                return value;
            }
        }
        return fallback;
    }

    /**
     * What {@code spring.kafka.producer.*} sets for a transactional container's producer.
     *
     * @param keySerializer       {@code spring.kafka.producer.key-serializer}, or {@code null}
     * @param valueSerializer     {@code spring.kafka.producer.value-serializer}, or {@code null}
     * @param transactionIdPrefix {@code spring.kafka.producer.transaction-id-prefix}, or {@code null}
     * @param properties          the other settings, as kafka-clients producer properties
     */
    record Producer(@Nullable Class<?> keySerializer, @Nullable Class<?> valueSerializer,
            @Nullable String transactionIdPrefix, Map<String, Object> properties) {

        static final Producer NONE = new Producer(null, null, null, Map.of());

        Producer {
            properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        }

    }

}
