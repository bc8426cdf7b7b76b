package dev.kafkaconsumer.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.thread.Threading;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.DeadLetterHeaders;
import dev.kafkaconsumer.core.Recoverer;
import dev.kafkaconsumer.core.Recoverers;
import dev.kafkaconsumer.core.RetryPolicy;
import dev.kafkaconsumer.core.ShareConsumerContainer;
import dev.kafkaconsumer.core.Transactions;
import dev.kafkaconsumer.spring.PayloadConversionException;
import dev.kafkaconsumer.spring.PayloadValidationException;
import dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerProperties.Container;

/**
 * The one place where configuration becomes containers. {@link #settings} merges a container's
 * {@link ContainerOptions} from its levels, highest first, by {@link ContainerOptions#merge}'s one rule:
 * <ol>
 * <li>{@code kafka.consumer.containers.<id>.*}, and just below it what the entry's deprecated spellings set;</li>
 * <li>the {@code @RecordHandler} attributes;</li>
 * <li>{@code kafka.consumer.*};</li>
 * <li>the {@code spring.kafka.*} defaults that {@link ConsumerConnection} hands out;</li>
 * <li>{@link #defaults}: what only this module decides (the deserializers, the start, the shutdown, the core's retry
 * and dead-letter defaults as options).</li>
 * </ol>
 * It makes the consumer properties from them (where a consumer connects, and how, is {@link ConsumerConnection}'s to
 * decide), and {@link #create} maps the merged options onto a {@link ConsumerContainer.Builder} with a
 * {@link PropertyMapper}, so that an option no level sets keeps the core's default; {@link #createShare} does the
 * same for a share container ({@link ShareConsumerContainer.Builder}), with the options that apply to one (see
 * {@link ShareOptions}).
 */
public class ConsumerContainerFactory {

    private static final Logger log = LoggerFactory.getLogger(ConsumerContainerFactory.class);

    private static final String PREFIX = "kafka.consumer.";

    private static final String SPRING_KAFKA_CONSUMER = "spring.kafka.consumer.";

    private static final String ANNOTATION = "@RecordHandler ";

    private final KafkaConsumerProperties properties;

    private final Environment environment;

    private final ConsumerConnection connection;

    private final ObjectProvider<ContainerCustomizer> customizers;

    private final ObjectProvider<ShareContainerCustomizer> shareCustomizers;

    private final ContainerBeans containerBeans;

    ConsumerContainerFactory(KafkaConsumerProperties properties, Environment environment,
            ConsumerConnection connection, ObjectProvider<ContainerCustomizer> customizers,
            ObjectProvider<ShareContainerCustomizer> shareCustomizers, ContainerBeans containerBeans) {
        this.properties = properties;
        this.environment = environment;
        this.connection = connection;
        this.customizers = customizers;
        this.shareCustomizers = shareCustomizers;
        this.containerBeans = containerBeans;
    }

    /**
     * Returns the lowest level of every container's options: what this module decides where the core has no default
     * (the deserializers, whether a container starts with the application, how long it may take to drain, whether its
     * handlers run on virtual threads, as {@code spring.threads.virtual.enabled} says), and the core's retry and
     * dead-letter defaults, which the core takes whole ({@link RetryPolicy#DEFAULT}) rather than option by option.
     *
     * @param environment the environment, for {@code spring.threads.virtual.enabled}
     * @return new options
     */
    static ContainerOptions defaults(Environment environment) {
        ContainerOptions defaults = new ContainerOptions();
        defaults.setKeyDeserializer(StringDeserializer.class);
        defaults.setValueDeserializer(StringDeserializer.class);
        defaults.setAutoStartup(true);
        defaults.setShutdownTimeout(Duration.ofSeconds(30));
        defaults.setVirtualThreads(Threading.VIRTUAL.isActive(environment));
        RetryPolicy retry = RetryPolicy.DEFAULT;
        defaults.getRetry().setMaxAttempts(retry.maxAttempts());
        defaults.getRetry().getBackoff().setInitial(retry.initialBackoff());
        defaults.getRetry().getBackoff().setMultiplier(retry.multiplier());
        defaults.getRetry().getBackoff().setMax(retry.maxBackoff());
        defaults.getDeadLetter().setEnabled(false);
        defaults.getDeadLetter().setTopicSuffix(Recoverers.DEFAULT_DEAD_LETTER_SUFFIX);
        defaults.getDeadLetter().setHeaders(DeadLetterHeaders.KAFKA_CONSUMER);
        return defaults;
    }

    /**
     * Returns the shutdown phase the container beans stop in, as {@code spring.lifecycle.timeout-per-shutdown-phase}
     * configures it: what bounds their drain when the context closes.
     *
     * @return the phase
     */
    ShutdownPhase shutdownPhase() {
        return ShutdownPhase.of(this.environment);
    }

    /**
     * Merges the options of one container and makes and validates its consumer properties.
     *
     * @param handler the handler's attributes
     * @return the settings
     * @throws MissingBootstrapServersException when no bootstrap servers are configured anywhere
     * @throws RecordHandlerDefinitionException when the container subscribes to nothing or has no group
     * @throws InvalidDeserializerException when a deserializer class is none
     * @throws InvalidExceptionClassException when a retry property names a class that is no exception
     * @throws org.apache.kafka.common.config.ConfigException for a bad consumer property
     */
    ContainerSettings settings(HandlerAttributes handler) {
        String id = handler.id();
        Container entry = this.properties.getContainers().getOrDefault(id, new Container());
        entry.deprecatedSpellingsInUse().forEach((deprecated, replacement) -> log.warn(
                "{} is deprecated and will be removed; set {} instead", containerKey(id, deprecated),
                containerKey(id, replacement)));
        SpringKafkaProperties springKafka = this.connection.springKafka();
        List<Level> levels = List.of(new Level(entry, containerKey(id, ""), false),
                new Level(entry.deprecatedSpellings(), containerKey(id, ""), false),
                new Level(handler.options(), ANNOTATION, false),
                new Level(this.properties, PREFIX, true), new Level(springKafka.options(), SPRING_KAFKA_CONSUMER, true),
                new Level(defaults(this.environment), PREFIX, true));
        OptionChecks.check(levels);
        this.connection.checkNoBlankText();
        OptionChecks.checkNoBlankText(PREFIX + "producer.", this.properties.getProducer());
        ContainerOptions options = ContainerOptions
            .merge(levels.stream().map(Level::options).toArray(ContainerOptions[]::new));
        List<String> topics = handler.topics();
        String topicPattern = handler.topicPattern();
        boolean ownSubscription = entry.getTopics() != null || entry.getTopicPattern() != null;
        if (ownSubscription) {
            topics = (entry.getTopics() != null) ? entry.getTopics() : List.of();
            topicPattern = entry.getTopicPattern();
        }
        if (topics.isEmpty() == (topicPattern == null)) {
            throw new RecordHandlerDefinitionException(handler.source(), topics.isEmpty()
                    ? "subscribes to nothing; set topics or topicPattern, or " + containerKey(id, "topics")
                    : "names both topics and a topicPattern; keep one");
        }
        OptionChecks.checkTopics(ownSubscription ? containerKey(id, "topics") : ANNOTATION + "topics", topics);
        if (topicPattern != null) {
            compile(ownSubscription ? containerKey(id, "topic-pattern") : ANNOTATION + "topicPattern", topicPattern);
        }
        String shareGroup = (entry.getShareGroup() != null) ? entry.getShareGroup() : handler.shareGroup();
        shareGroup = StringUtils.hasText(shareGroup) ? shareGroup.trim() : null;
        List<Level> own = levels.stream().filter((level) -> !level.shared()).toList();
        boolean transactional = TransactionalOptions.check(handler, entry, shareGroup, own);
        if (transactional) {
            TransactionalOptions.logIgnored(id, levels.stream().filter(Level::shared).toList());
        }
        if (shareGroup != null) {
            ShareOptions.check(handler, shareGroup, topicPattern, own);
            ShareOptions.checkConsumers(levels, options);
            ShareOptions.logIgnored(id, levels.stream().filter(Level::shared).toList());
        }
        else {
            ShareOptions.checkConsumerContainer(handler, own);
            if (options.getGroupId() == null) {
                throw new RecordHandlerDefinitionException(handler.source(), "has no consumer group; set " + PREFIX
                        + "group-id, " + containerKey(id, "group-id") + " or @RecordHandler(groupId)");
            }
        }
        checkDeserializer(levels, "key-deserializer", ContainerOptions::getKeyDeserializer);
        checkDeserializer(levels, "value-deserializer", ContainerOptions::getValueDeserializer);
        for (Level level : levels) {
            checkExceptionClasses(level.prefix() + "retry.not-retryable", level.options().getRetry().getNotRetryable());
            checkExceptionClasses(level.prefix() + "retry.retryable", level.options().getRetry().getRetryable());
        }
        Map<String, Object> consumer = consumerProperties(id, options, levels, springKafka, shareGroup);
        ContainerSettings.Transaction transaction = transactional ? TransactionalOptions.settings(handler, entry,
                options, this.properties, springKafka, consumer, this.environment) : null;
        return new ContainerSettings(id, topics, topicPattern, handler.batch(), options, consumer, shareGroup,
                transaction);
    }

    /**
     * Builds a container, not started: maps the settings onto the builder (an unset option keeps the builder's
     * default), attaches the recoverer and the rebalance listeners for its id, lets {@code handler} install the
     * handler, then applies the customizers.
     *
     * @param settings the container's settings
     * @param handler  installs the handler on the builder
     * @return the container
     */
    ConsumerContainer<Object, Object> create(ContainerSettings settings,
            Consumer<ConsumerContainer.Builder<Object, Object>> handler) {
        ContainerOptions options = settings.options();
        Map<String, Object> consumer = settings.consumerProperties();
        ConsumerContainer.Builder<Object, Object> builder = ConsumerContainer.builder(settings.id(),
                deserializer(settings.keyDeserializer(), consumer, true),
                deserializer(settings.valueDeserializer(), consumer, false));
        builder.properties(consumer);
        PropertyMapper map = PropertyMapper.get();
        map.from(settings::topicPattern).as(Pattern::compile).to(builder::topicPattern);
        map.from(settings::topics).whenNot(List::isEmpty).to(builder::topics);
        map.from(options::getConcurrency).to(builder::concurrency);
        map.from(options::getOrdering).to(builder::ordering);
        if (!settings.isTransactional()) {
            // a transactional container commits in its transactions, on transaction.commit-interval
            map.from(options::getCommitMode).to(builder::commitMode);
            map.from(options::getCommitInterval).to(builder::commitInterval);
        }
        map.from(options::getVirtualThreads).to(builder::virtualThreads);
        map.from(options::getProcessingTimeout).to(builder::processingTimeout);
        map.from(options::getMaxInFlight).to(builder::maxInFlight);
        map.from(options::getRevocationTimeout).to(builder::revocationTimeout);
        map.from(options.getBuffer()::getMaxBytesPerPartition).as(DataSize::toBytes)
            .to(builder::maxBufferedBytesPerPartition);
        map.from(options.getBuffer()::getMaxBytes).as(DataSize::toBytes).to(builder::maxBufferedBytes);
        map.from(options::getRetry).as(ConsumerContainerFactory::retryPolicy).to(builder::retryPolicy);
        map.from(this.containerBeans.recoverer(settings.id()))
            .orFrom(() -> deadLetterRecoverer(options.getDeadLetter(), consumer))
            .to(builder::recoverer);
        this.containerBeans.rebalanceListeners(settings.id()).forEach(builder::rebalanceListener);
        handler.accept(builder);
        this.customizers.orderedStream().forEach((customizer) -> customizer.customize(settings.id(), builder));
        return builder.build();
    }

    /**
     * Returns the configuration of a transactional container's producer, with new serializers (the container closes
     * them when it stops), configured with the producer properties. A container built anew after a stop gets new
     * ones.
     *
     * @param settings the settings of a transactional container
     * @return its transactions' configuration
     */
    Transactions<Object, Object> transactions(ContainerSettings settings) {
        ContainerSettings.Transaction transaction = Objects.requireNonNull(settings.transaction(),
                () -> "Container " + settings.id() + " is not transactional");
        Map<String, Object> producer = transaction.producerProperties();
        Transactions.Builder<Object, Object> builder = Transactions.builder(producer,
                serializer(transaction.keySerializer(), producer, true),
                serializer(transaction.valueSerializer(), producer, false));
        builder.transactionalIdPrefix(transaction.transactionIdPrefix());
        PropertyMapper map = PropertyMapper.get();
        map.from(transaction::commitInterval).to(builder::commitInterval);
        map.from(transaction::maxRecords).to(builder::maxRecordsPerTransaction);
        return builder.build();
    }

    /**
     * Builds a share container, not started: as {@link #create} does for a consumer-group container, with the options
     * that apply to a share container ({@link #settings} refused the others on the container's own levels, and the
     * consumer properties hold none of those of every level), then the {@link ShareContainerCustomizer}s.
     *
     * @param settings the container's settings, with a share group
     * @param handler  installs the handler on the builder
     * @return the share container
     */
    ShareConsumerContainer<Object, Object> createShare(ContainerSettings settings,
            Consumer<ShareConsumerContainer.Builder<Object, Object>> handler) {
        ContainerOptions options = settings.options();
        Map<String, Object> consumer = settings.consumerProperties();
        ShareConsumerContainer.Builder<Object, Object> builder = ShareConsumerContainer.builder(settings.id(),
                deserializer(settings.keyDeserializer(), consumer, true),
                deserializer(settings.valueDeserializer(), consumer, false));
        builder.properties(consumer);
        PropertyMapper map = PropertyMapper.get();
        map.from(settings::topics).to(builder::topics);
        map.from(options::getConcurrency).to(builder::concurrency);
        map.from(options::getVirtualThreads).to(builder::virtualThreads);
        map.from(options::getProcessingTimeout).to(builder::processingTimeout);
        map.from(options::getMaxInFlight).to(builder::maxInFlight);
        map.from(options::getMaxDeliveries).to(builder::maxDeliveries);
        map.from(options::getShareConsumers).to(builder::consumers);
        map.from(options::getRetry).as(ConsumerContainerFactory::retryPolicy).to(builder::retryPolicy);
        map.from(this.containerBeans.recoverer(settings.id()))
            .orFrom(() -> deadLetterRecoverer(options.getDeadLetter(), consumer))
            .to(builder::recoverer);
        handler.accept(builder);
        this.shareCustomizers.orderedStream().forEach((customizer) -> customizer.customize(settings.id(), builder));
        return builder.build();
    }

    /**
     * The container's retry policy: its attempts and back-off; failures no retry cures (a payload that cannot be
     * converted or fails validation, and the core's defaults) go to the recoverer at once, as do the
     * {@code not-retryable} exceptions of every level, unless a {@code retryable} one of any level says otherwise.
     */
    private static RetryPolicy retryPolicy(ContainerOptions.Retry retry) {
        ContainerOptions.Retry.Backoff backoff = retry.getBackoff();
        RetryPolicy policy = RetryPolicy.exponential(merged(retry.getMaxAttempts(), "retry.max-attempts"),
                merged(backoff.getInitial(), "retry.backoff.initial"),
                merged(backoff.getMultiplier(), "retry.backoff.multiplier"),
                merged(backoff.getMax(), "retry.backoff.max"));
        return policy.withNotRetryable(PayloadConversionException.class, PayloadValidationException.class,
                    ConversionException.class)
            .withNotRetryable(exceptionClasses(retry.getNotRetryable()))
            .withRetryable(exceptionClasses(retry.getRetryable()));
    }

    /** A dead-letter recoverer when the merged options enable it, publishing with the same connection. */
    private @Nullable Recoverer<Object, Object> deadLetterRecoverer(ContainerOptions.DeadLetter deadLetter,
            Map<String, Object> consumer) {
        if (!Boolean.TRUE.equals(deadLetter.getEnabled())) {
            return null;
        }
        String suffix = merged(deadLetter.getTopicSuffix(), "dead-letter.topic-suffix");
        return Recoverers.deadLetterTopic(producerProperties(consumer), (failed) -> failed.raw().topic() + suffix,
                merged(deadLetter.getHeaders(), "dead-letter.headers"));
    }

    /** A value that {@link #defaults} sets, so that the merged options always hold it. */
    private static <T> T merged(@Nullable T value, String option) {
        return Objects.requireNonNull(value,
                () -> option + " is unset; the settings were not merged over the defaults");
    }

    private static void checkExceptionClasses(String property, @Nullable List<Class<?>> types) {
        if (types != null) {
            types.stream().filter((type) -> !Throwable.class.isAssignableFrom(type)).findFirst().ifPresent((type) -> {
                throw new InvalidExceptionClassException(property, type);
            });
        }
    }

    /** Classes that {@link #settings} checked. */
    @SuppressWarnings({ "unchecked", "rawtypes" }) // an array of a generic type is made raw
    private static Class<? extends Throwable>[] exceptionClasses(@Nullable List<Class<?>> types) {
        return (types != null) ? types.toArray(new Class[0]) : new Class[0];
    }

    /**
     * The consumer properties: those of {@code spring.kafka.*} (when it is used), then the merged {@code properties},
     * then the options that are consumer properties, then the connection.
     */
    private Map<String, Object> consumerProperties(String id, ContainerOptions options, List<Level> levels,
            SpringKafkaProperties springKafka, @Nullable String shareGroup) {
        Map<String, Object> consumer = new LinkedHashMap<>(springKafka.consumerProperties());
        consumer.putAll(options.getProperties());
        PropertyMapper map = PropertyMapper.get();
        if (shareGroup != null) {
            // what a share consumer refuses can only come from a level of every container here (the container's own
            // levels were checked): it is meant for the consumer-group containers
            consumer.keySet().removeAll(ShareOptions.UNSUPPORTED_CONSUMER_PROPERTIES);
            consumer.put(ConsumerConfig.GROUP_ID_CONFIG, shareGroup);
        }
        else {
            map.from(options::getGroupId).to(put(consumer, ConsumerConfig.GROUP_ID_CONFIG));
            map.from(options::getAutoOffsetReset).to(put(consumer, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));
            map.from(options::getIsolationLevel).to(put(consumer, ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        }
        map.from(clientId(id, levels)).to(put(consumer, ConsumerConfig.CLIENT_ID_CONFIG));
        map.from(options::getMaxPollRecords).to(put(consumer, ConsumerConfig.MAX_POLL_RECORDS_CONFIG));
        this.connection.applyTo(consumer, id, springKafka);
        OptionChecks.checkKafkaProperties(consumer, ConsumerConfig.configDef(), (name) -> {
            String origin = OptionChecks.consumerOrigin(name, levels);
            return (origin != null) ? origin : this.connection.origin(name);
        });
        validate(consumer, this.connection.origin(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
        return consumer;
    }

    private static Pattern compile(String property, String pattern) {
        if (pattern.isBlank()) {
            throw new InvalidConfigurationPropertyValueException(property, pattern,
                    "must not be blank: a blank pattern matches no topic");
        }
        try {
            return Pattern.compile(pattern);
        }
        catch (PatternSyntaxException ex) {
            throw new InvalidConfigurationPropertyValueException(property, pattern,
                    "not a regular expression: " + ex.getDescription(), ex);
        }
    }

    /**
     * The client id, which is the option merged like any other, except that a level shared by every container
     * ({@code kafka.consumer.client-id}, {@code spring.kafka.*}) gives a prefix, to which the container adds its id.
     */
    private static @Nullable String clientId(String id, List<Level> levels) {
        Level level = origin(levels, ContainerOptions::getClientId);
        if (level == null) {
            return null;
        }
        String clientId = level.options().getClientId();
        return level.shared() ? clientId + "-" + id : clientId;
    }

    private static Consumer<Object> put(Map<String, Object> target, String name) {
        return (value) -> target.put(name, value);
    }

    /**
     * Checks types, allowed values and the form of the addresses the way the consumer will, at startup, without
     * creating one (a container builds its client when it starts) and without resolving the addresses.
     */
    private static void validate(Map<String, Object> consumer, String serversProperty) {
        Map<String, Object> checked = new HashMap<>(consumer);
        checked.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        checked.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        Map<String, Object> parsed = ConsumerConfig.configDef().parse(checked);
        @SuppressWarnings("unchecked")
        List<String> servers = (List<String>) parsed.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        for (String server : servers) {
            if (Utils.getHost(server) == null || Utils.getPort(server) == null) {
                throw new InvalidConfigurationPropertyValueException(serversProperty, server, "not a host:port pair");
            }
        }
    }

    /** The dead-letter producer talks to the same cluster, the same way, as the consumer. */
    static Map<String, Object> producerProperties(Map<String, Object> consumer) {
        Map<String, Object> producer = connectionProperties(consumer);
        Object clientId = consumer.get(ConsumerConfig.CLIENT_ID_CONFIG);
        if (clientId != null) {
            producer.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-dead-letter");
        }
        return producer;
    }

    /** Where and how a client of the same cluster connects, as the consumer does. */
    static Map<String, Object> connectionProperties(Map<String, Object> consumer) {
        List<String> shared = new ArrayList<>(Arrays.asList(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG, CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                SslBundleEngineFactory.SSL_BUNDLE_CONFIG));
        Map<String, Object> connection = new HashMap<>();
        consumer.forEach((name, value) -> {
            if (shared.contains(name) || name.startsWith("ssl.") || name.startsWith("sasl.")) {
                connection.put(name, value);
            }
        });
        return connection;
    }

    /**
     * Checks the merged deserializer class, naming the property of the level it comes from when it is none.
     */
    private static void checkDeserializer(List<Level> levels, String name,
            Function<ContainerOptions, @Nullable Class<?>> option) {
        Level level = Objects.requireNonNull(origin(levels, option), name);
        Class<?> type = Objects.requireNonNull(option.apply(level.options()));
        if (!Deserializer.class.isAssignableFrom(type) || !ClassUtils.hasConstructor(type)) {
            throw new InvalidDeserializerException(level.prefix() + name, type);
        }
    }

    /** The highest level that sets an option, or {@code null} when none does. */
    private static @Nullable Level origin(List<Level> levels, Function<ContainerOptions, ?> option) {
        return levels.stream().filter((level) -> option.apply(level.options()) != null).findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static Deserializer<Object> deserializer(Class<?> type, Map<String, Object> consumer, boolean key) {
        Deserializer<Object> deserializer = (Deserializer<Object>) BeanUtils.instantiateClass(type);
        deserializer.configure(consumer, key);
        return deserializer;
    }

    @SuppressWarnings("unchecked")
    private static Serializer<Object> serializer(Class<?> type, Map<String, Object> producer, boolean key) {
        Serializer<Object> serializer = (Serializer<Object>) BeanUtils.instantiateClass(type);
        serializer.configure(producer, key);
        return serializer;
    }

    static String containerKey(String id, String property) {
        return PREFIX + "containers." + id + "." + property;
    }

    /**
     * One level of a container's options.
     *
     * @param options the options the level sets
     * @param prefix  the prefix of the level's property names, for messages
     * @param shared  whether the level is that of every container rather than the container's own
     */
    record Level(ContainerOptions options, String prefix, boolean shared) {

        /**
         * Returns whether this is the level of the {@code @RecordHandler}'s attributes.
         *
         * @return true for the attributes' level
         */
        boolean isAnnotation() {
            return this.prefix.startsWith("@");
        }

    }

}
