package dev.kafkaconsumer.spring.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.thread.Threading;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.Recoverer;
import dev.kafkaconsumer.core.RetryPolicy;
import dev.kafkaconsumer.core.Recoverers;
import dev.kafkaconsumer.spring.PayloadConversionException;
import dev.kafkaconsumer.spring.PayloadValidationException;
import dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerProperties.Container;

/**
 * The one place where configuration becomes containers: {@link #settings} merges {@code kafka.consumer.*},
 * a handler's attributes and {@code kafka.consumer.containers.<id>.*} (in rising precedence, over the
 * {@code spring.kafka.*} defaults that {@link ConsumerConnection} hands out) into {@link ContainerSettings}, and
 * {@link #create} maps those onto a {@link ConsumerContainer.Builder}. Where a consumer connects, and how, is
 * {@link ConsumerConnection}'s to decide.
 */
public class ConsumerContainerFactory {

    private static final String PREFIX = "kafka.consumer.";

    private final KafkaConsumerProperties properties;

    private final Environment environment;

    private final ConsumerConnection connection;

    private final ObjectProvider<ContainerCustomizer> customizers;

    private final ContainerBeans containerBeans;

    ConsumerContainerFactory(KafkaConsumerProperties properties, Environment environment,
            ConsumerConnection connection, ObjectProvider<ContainerCustomizer> customizers,
            ContainerBeans containerBeans) {
        this.properties = properties;
        this.environment = environment;
        this.connection = connection;
        this.customizers = customizers;
        this.containerBeans = containerBeans;
    }

    /**
     * Merges the configuration of one container and validates its consumer properties.
     *
     * @param handler the handler's attributes
     * @return the settings
     * @throws MissingBootstrapServersException when no bootstrap servers are configured anywhere
     * @throws RecordHandlerDefinitionException when the container subscribes to nothing or has no group
     * @throws org.apache.kafka.common.config.ConfigException for a bad consumer property
     */
    ContainerSettings settings(HandlerAttributes handler) {
        String id = handler.id();
        Container override = this.properties.getContainers().getOrDefault(id, new Container());
        List<String> topics = handler.topics();
        String topicPattern = handler.topicPattern();
        if (override.getTopics() != null || override.getTopicPattern() != null) {
            topics = (override.getTopics() != null) ? override.getTopics() : List.of();
            topicPattern = override.getTopicPattern();
        }
        if (topics.isEmpty() == (topicPattern == null)) {
            throw new RecordHandlerDefinitionException(handler.source(), topics.isEmpty()
                    ? "subscribes to nothing; set topics or topicPattern, or " + containerKey(id, "topics")
                    : "names both topics and a topicPattern; keep one");
        }
        if (topicPattern != null) {
            Pattern.compile(topicPattern);
        }
        SpringKafkaProperties springKafka = this.connection.springKafka();
        String groupId = first(override.getGroupId(), handler.groupId(), this.properties.getGroupId(),
                springKafka.groupId());
        if (groupId == null) {
            throw new RecordHandlerDefinitionException(handler.source(), "has no consumer group; set " + PREFIX
                    + "group-id, " + containerKey(id, "group-id") + " or @RecordHandler(groupId)");
        }
        Class<?> keyDeserializer = deserializerClass(id, "key-deserializer", override.getKeyDeserializer(),
                this.properties.getKeyDeserializer(), springKafka.keyDeserializer());
        Class<?> valueDeserializer = deserializerClass(id, "value-deserializer", override.getValueDeserializer(),
                this.properties.getValueDeserializer(), springKafka.valueDeserializer());
        Map<String, Object> consumer = consumerProperties(id, handler, override, groupId, springKafka);
        RetryPolicy retryPolicy = retryPolicy(id, override);
        boolean deadLetter = first(override.getDeadLetterEnabled(), this.properties.getDeadLetter().isEnabled());
        return new ContainerSettings(id, topics, topicPattern,
                first(override.getAutoStartup(), handler.autoStartup(), this.properties.isAutoStartup()),
                handler.batch(), first(override.getConcurrency(), handler.concurrency(), this.properties.getConcurrency()),
                first(override.getOrdering(), handler.ordering(), this.properties.getOrdering()),
                first(override.getCommitMode(), this.properties.getCommitMode()),
                first(override.getCommitInterval(), this.properties.getCommitInterval()),
                first(override.getVirtualThreads(), this.properties.getVirtualThreads(),
                        Threading.VIRTUAL.isActive(this.environment)),
                retryPolicy, deadLetter ? this.properties.getDeadLetter().getTopicSuffix() : null, keyDeserializer,
                valueDeserializer, consumer, first(override.getProcessingTimeout(), this.properties.getProcessingTimeout()),
                first(override.getMaxInFlight(), this.properties.getMaxInFlight()),
                first(override.getRevocationTimeout(), this.properties.getRevocationTimeout()),
                first(override.getBuffer().getMaxBytesPerPartition(), this.properties.getBuffer().getMaxBytesPerPartition()),
                first(override.getBuffer().getMaxBytes(), this.properties.getBuffer().getMaxBytes()));
    }

    /**
     * Builds a container, not started: maps the settings onto the builder, attaches the rebalance
     * listeners for its id, lets {@code handler} install the handler, then applies the customizers.
     *
     * @param settings the container's settings
     * @param handler  installs the handler on the builder
     * @return the container
     */
    ConsumerContainer<Object, Object> create(ContainerSettings settings,
            Consumer<ConsumerContainer.Builder<Object, Object>> handler) {
        Map<String, Object> consumer = settings.consumerProperties();
        ConsumerContainer.Builder<Object, Object> builder = ConsumerContainer.builder(settings.id(),
                deserializer(settings.keyDeserializer(), consumer, true),
                deserializer(settings.valueDeserializer(), consumer, false));
        builder.properties(consumer)
            .concurrency(settings.concurrency())
            .ordering(settings.ordering())
            .commitMode(settings.commitMode())
            .commitInterval(settings.commitInterval())
            .virtualThreads(settings.virtualThreads())
            .retryPolicy(settings.retryPolicy())
            .revocationTimeout(settings.revocationTimeout())
            .maxBufferedBytesPerPartition(settings.maxBufferedBytesPerPartition().toBytes())
            .maxBufferedBytes(settings.maxBufferedBytes().toBytes());
        if (settings.processingTimeout() != null) {
            builder.processingTimeout(settings.processingTimeout());
        }
        if (settings.maxInFlight() != null) {
            builder.maxInFlight(settings.maxInFlight());
        }
        if (settings.topicPattern() != null) {
            builder.topicPattern(Pattern.compile(settings.topicPattern()));
        }
        else {
            builder.topics(settings.topics());
        }
        Recoverer<Object, Object> recoverer = this.containerBeans.recoverer(settings.id());
        String suffix = settings.deadLetterTopicSuffix();
        if (recoverer != null) {
            builder.recoverer(recoverer);
        }
        else if (suffix != null) {
            builder.recoverer(Recoverers.deadLetterTopic(producerProperties(consumer),
                    (failed) -> failed.raw().topic() + suffix, this.properties.getDeadLetter().getHeaders()));
        }
        this.containerBeans.rebalanceListeners(settings.id()).forEach(builder::rebalanceListener);
        handler.accept(builder);
        this.customizers.orderedStream().forEach((customizer) -> customizer.customize(settings.id(), builder));
        return builder.build();
    }

    /**
     * The container's retry policy: attempts and back-off, each from the container's own
     * {@code retry.*}, else {@code kafka.consumer.retry.*}; failures no retry cures (a payload that cannot be
     * converted or fails validation, and the core's defaults) go to the recoverer at once, as do the
     * {@code not-retryable} exceptions of both levels, unless a {@code retryable} one of either says otherwise.
     */
    @SuppressWarnings("deprecation") // containers.<id>.max-attempts, still honoured below retry.max-attempts
    private RetryPolicy retryPolicy(String id, Container override) {
        KafkaConsumerProperties.Retry retry = this.properties.getRetry();
        KafkaConsumerProperties.ContainerRetry own = override.getRetry();
        KafkaConsumerProperties.ContainerRetry.Backoff backoff = own.getBackoff();
        RetryPolicy policy = RetryPolicy.exponential(
                first(own.getMaxAttempts(), override.getMaxAttempts(), retry.getMaxAttempts()),
                first(backoff.getInitial(), retry.getBackoff().getInitial()),
                first(backoff.getMultiplier(), retry.getBackoff().getMultiplier()),
                first(backoff.getMax(), retry.getBackoff().getMax()));
        return policy.withNotRetryable(PayloadConversionException.class, PayloadValidationException.class,
                    ConversionException.class)
            .withNotRetryable(throwables(PREFIX + "retry.not-retryable", retry.getNotRetryable()))
            .withNotRetryable(throwables(containerKey(id, "retry.not-retryable"), own.getNotRetryable()))
            .withRetryable(throwables(PREFIX + "retry.retryable", retry.getRetryable()))
            .withRetryable(throwables(containerKey(id, "retry.retryable"), own.getRetryable()));
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Throwable>[] throwables(String property, @Nullable List<Class<?>> types) {
        if (types == null) {
            return new Class[0];
        }
        for (Class<?> type : types) {
            if (!Throwable.class.isAssignableFrom(type)) {
                throw new InvalidExceptionClassException(property, type);
            }
        }
        return types.toArray(new Class[0]);
    }

    /**
     * Returns how long a container may take to drain when the application stops.
     *
     * @return the shutdown timeout
     */
    java.time.Duration shutdownTimeout() {
        return this.properties.getShutdownTimeout();
    }

    private Map<String, Object> consumerProperties(String id, HandlerAttributes handler, Container override,
            String groupId, SpringKafkaProperties springKafka) {
        Map<String, Object> consumer = new LinkedHashMap<>(springKafka.consumerProperties());
        consumer.putAll(this.properties.getProperties());
        consumer.putAll(handler.properties());
        consumer.putAll(override.getProperties());
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        String clientIdPrefix = first(this.properties.getClientId(), springKafka.clientId());
        String clientId = (override.getClientId() != null) ? override.getClientId()
                : (clientIdPrefix != null) ? clientIdPrefix + "-" + id : null;
        putIfSet(consumer, ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        putIfSet(consumer, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                first(override.getAutoOffsetReset(), this.properties.getAutoOffsetReset()));
        putIfSet(consumer, ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                first(override.getIsolationLevel(), this.properties.getIsolationLevel()));
        putIfSet(consumer, ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                first(override.getMaxPollRecords(), this.properties.getMaxPollRecords()));
        this.connection.applyTo(consumer, id, springKafka);
        validate(consumer);
        return consumer;
    }

    /**
     * Checks types, allowed values and the form of the addresses the way the consumer will, at startup, without
     * creating one (a container builds its client when it starts) and without resolving the addresses.
     */
    private static void validate(Map<String, Object> consumer) {
        Map<String, Object> checked = new HashMap<>(consumer);
        checked.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        checked.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        Map<String, Object> parsed = ConsumerConfig.configDef().parse(checked);
        @SuppressWarnings("unchecked")
        List<String> servers = (List<String>) parsed.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        for (String server : servers) {
            if (Utils.getHost(server) == null || Utils.getPort(server) == null) {
                throw new ConfigException(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, server, "not a host:port pair");
            }
        }
    }

    /** The dead-letter producer talks to the same cluster, the same way, as the consumer. */
    static Map<String, Object> producerProperties(Map<String, Object> consumer) {
        List<String> shared = new ArrayList<>(Arrays.asList(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG, CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                SslBundleEngineFactory.SSL_BUNDLE_CONFIG));
        Map<String, Object> producer = new HashMap<>();
        consumer.forEach((name, value) -> {
            if (shared.contains(name) || name.startsWith("ssl.") || name.startsWith("sasl.")) {
                producer.put(name, value);
            }
        });
        Object clientId = consumer.get(ConsumerConfig.CLIENT_ID_CONFIG);
        if (clientId != null) {
            producer.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-dead-letter");
        }
        return producer;
    }

    /**
     * The container's deserializer, else kafka.consumer's when set, else spring.kafka.consumer's, else kafka.consumer's
     * default.
     */
    private Class<?> deserializerClass(String id, String name, @Nullable Class<?> override, Class<?> global,
            @Nullable Class<?> springKafka) {
        String property = PREFIX + name;
        Class<?> type = global;
        if (override != null) {
            type = override;
            property = containerKey(id, name);
        }
        else if (springKafka != null && !Binder.get(this.environment).bind(property, String.class).isBound()) {
            type = springKafka;
            property = "spring.kafka.consumer." + name;
        }
        if (!Deserializer.class.isAssignableFrom(type) || !ClassUtils.hasConstructor(type)) {
            throw new InvalidDeserializerException(property, type);
        }
        return type;
    }

    @SuppressWarnings("unchecked")
    private static Deserializer<Object> deserializer(Class<?> type, Map<String, Object> consumer, boolean key) {
        Deserializer<Object> deserializer = (Deserializer<Object>) BeanUtils.instantiateClass(type);
        deserializer.configure(consumer, key);
        return deserializer;
    }

    private static String containerKey(String id, String property) {
        return PREFIX + "containers." + id + "." + property;
    }

    private static void putIfSet(Map<String, Object> target, String name, @Nullable Object value) {
        if (value != null) {
            target.put(name, value);
        }
    }

    @SafeVarargs
    private static <T> T first(@Nullable T... candidates) {
        for (T candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }

}
