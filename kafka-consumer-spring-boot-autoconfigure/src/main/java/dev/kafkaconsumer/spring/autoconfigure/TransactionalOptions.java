package dev.kafkaconsumer.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerFactory.Level;
import dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerProperties.Container;

/**
 * What makes a container transactional, and the checks that go with it: whether it is ({@code @RecordHandler
 * (transactional)}, over which {@code kafka.consumer.containers.<id>.transactional} wins), the topic of its returned
 * values ({@code sendTo}, {@code send-to}), its producer ({@code kafka.consumer.producer.*}, else
 * {@code spring.kafka.producer.*}, connected as the consumers are) and when it commits (its {@code transaction.*}
 * options, merged as every option is).
 *
 * <p>A transactional container commits its offsets in its transactions alone, so {@code commit-mode} and
 * {@code commit-interval} do not apply to it: set on the container itself (its entry or its attributes) they fail
 * startup, naming {@code transaction.commit-interval}; set for every container, they are meant for the others, and
 * the transactional container ignores them (logged once). Nor can it be a batch or a share handler. The other way
 * round, {@code transaction.*} set on a container that is not transactional fails startup.
 */
final class TransactionalOptions {

    private static final Logger log = LoggerFactory.getLogger(TransactionalOptions.class);

    private static final String PRODUCER = "kafka.consumer.producer.";

    /** The end of the default transactional id prefix, after the application's name. */
    static final String DEFAULT_PREFIX_END = "-tx-";

    /** The transactional id prefix of an application without a name. */
    static final String DEFAULT_PREFIX = "kafka-consumer" + DEFAULT_PREFIX_END;

    private TransactionalOptions() {
    }

    /**
     * Returns whether the handler is transactional, and checks what goes with it: a transactional handler is neither a
     * batch nor a share handler, and its own levels set no commit mode or interval; {@code sendTo} belongs to a
     * transactional handler.
     *
     * @param handler    the handler's attributes
     * @param entry      its {@code kafka.consumer.containers.<id>} entry
     * @param shareGroup its share group, or {@code null}
     * @param own        the container's own levels: its entry, then its attributes
     * @return whether the container is transactional
     * @throws RecordHandlerDefinitionException for a combination that cannot be
     */
    static boolean check(HandlerAttributes handler, Container entry, @Nullable String shareGroup, List<Level> own) {
        boolean transactional = (entry.getTransactional() != null) ? entry.getTransactional() : handler.transactional();
        String sendTo = sendTo(handler, entry);
        String id = handler.id();
        String action = "Set " + ConsumerContainerFactory.containerKey(id, "transactional") + "=true, or "
                + "@RecordHandler(transactional = true), to write outputs in transactions; or remove what only a "
                + "transactional handler takes.";
        if (!transactional) {
            if (sendTo != null) {
                throw new RecordHandlerDefinitionException(handler.source(), "sends to '" + sendTo + "', but is not "
                        + "transactional: sendTo names the topic of a transactional handler's returned values", action);
            }
            // a share container's own transaction options are refused with the others that do not apply to it
            for (Level level : (shareGroup == null) ? own : List.<Level>of()) {
                ContainerOptions.Transaction transaction = level.options().getTransaction();
                if (transaction.getCommitInterval() != null || transaction.getMaxRecords() != null) {
                    throw new RecordHandlerDefinitionException(handler.source(), level.prefix() + "transaction."
                            + ((transaction.getCommitInterval() != null) ? "commit-interval" : "max-records")
                            + " applies to transactional handlers only, and this one is not transactional", action);
                }
            }
            return false;
        }
        String prefix = "is transactional, and ";
        if (handler.batch()) {
            throw new RecordHandlerDefinitionException(handler.source(), prefix + "a transactional handler takes one record "
                    + "at a time, each record's outputs committed with its offset: remove batch = true");
        }
        if (shareGroup != null) {
            throw new RecordHandlerDefinitionException(handler.source(), prefix + "reads as share group '" + shareGroup
                    + "', which has no offsets to commit in a transaction: remove the share group, or transactional");
        }
        for (Level level : own) {
            String named = level.isAnnotation() ? "@RecordHandler" : level.prefix();
            if (level.options().getCommitMode() != null) {
                throw new RecordHandlerDefinitionException(handler.source(), prefix + named + "commit-mode does not "
                        + "apply to it: its offsets are committed in its transactions only; remove it",
                        "Remove commit-mode from the container's own configuration; set "
                                + ConsumerContainerFactory.containerKey(id, "transaction.commit-interval")
                                + " for how often its transactions commit.");
            }
            if (level.options().getCommitInterval() != null) {
                throw new RecordHandlerDefinitionException(handler.source(), prefix + named + "commit-interval does not "
                        + "apply to it: set " + ConsumerContainerFactory.containerKey(id, "transaction.commit-interval")
                        + " instead, how often its transactions commit");
            }
        }
        return true;
    }

    /**
     * Logs, once for a transactional container, the commit options set for every container that it ignores.
     *
     * @param id     the container id
     * @param shared the levels of every container
     */
    static void logIgnored(String id, List<Level> shared) {
        List<String> ignored = new ArrayList<>();
        for (Level level : shared) {
            if (level.options().getCommitMode() != null) {
                ignored.add(level.prefix() + "commit-mode");
            }
            if (level.options().getCommitInterval() != null) {
                ignored.add(level.prefix() + "commit-interval");
            }
        }
        if (!ignored.isEmpty()) {
            log.info("Container {} is transactional: it commits its offsets in its transactions, on "
                    + "transaction.commit-interval, and ignores {}", id, String.join(", ", ignored));
        }
    }

    /**
     * Makes the transactional settings of a container.
     *
     * @param handler     the handler's attributes
     * @param entry       its {@code kafka.consumer.containers.<id>} entry
     * @param options     its options, merged
     * @param properties  {@code kafka.consumer.*}
     * @param springKafka {@code spring.kafka.*}, or {@link SpringKafkaProperties#NONE}
     * @param consumer    the container's consumer properties, whose connection the producer takes
     * @param environment for {@code spring.application.name}
     * @return the settings
     */
    static ContainerSettings.Transaction settings(HandlerAttributes handler, Container entry,
            ContainerOptions options, KafkaConsumerProperties properties, SpringKafkaProperties springKafka,
            Map<String, Object> consumer, Environment environment) {
        KafkaConsumerProperties.Producer producer = properties.getProducer();
        SpringKafkaProperties.Producer inherited = springKafka.producer();
        Map<String, Object> producerProperties = new LinkedHashMap<>(inherited.properties());
        rejectOwnedProperties("spring.kafka.producer.properties", inherited.properties());
        rejectOwnedProperties(PRODUCER + "properties", producer.getProperties());
        producerProperties.putAll(producer.getProperties());
        producerProperties.putAll(ConsumerContainerFactory.connectionProperties(consumer));
        Object clientId = consumer.get(ConsumerConfig.CLIENT_ID_CONFIG);
        if (clientId != null) {
            producerProperties.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-producer");
        }
        OptionChecks.checkKafkaProperties(producerProperties, ProducerConfig.configDef(),
                (name) -> producer.getProperties().containsKey(name) ? PRODUCER + "properties." + name
                        : inherited.properties().containsKey(name) ? "spring.kafka.producer.properties." + name
                                : "the consumers' " + name);
        validate(producerProperties);
        Class<?> keySerializer = serializer(PRODUCER + "key-serializer", producer.getKeySerializer(),
                "spring.kafka.producer.key-serializer", inherited.keySerializer());
        Class<?> valueSerializer = serializer(PRODUCER + "value-serializer", producer.getValueSerializer(),
                "spring.kafka.producer.value-serializer", inherited.valueSerializer());
        String prefix = first(producer.getTransactionIdPrefix(), inherited.transactionIdPrefix());
        if (prefix == null) {
            String application = environment.getProperty("spring.application.name");
            prefix = StringUtils.hasText(application) ? application.trim() + DEFAULT_PREFIX_END : DEFAULT_PREFIX;
        }
        // OptionChecks checked both on every level, naming the property of a bad one
        Duration commitInterval = options.getTransaction().getCommitInterval();
        Integer maxRecords = options.getTransaction().getMaxRecords();
        String sendTo = sendTo(handler, entry);
        if (sendTo != null) {
            OptionChecks.checkTopics((entry.getSendTo() != null)
                    ? ConsumerContainerFactory.containerKey(handler.id(), "send-to") : "@RecordHandler sendTo",
                    List.of(sendTo));
        }
        return new ContainerSettings.Transaction(sendTo, producerProperties, keySerializer,
                valueSerializer, prefix, commitInterval, maxRecords);
    }

    private static @Nullable String sendTo(HandlerAttributes handler, Container entry) {
        String sendTo = (entry.getSendTo() != null) ? entry.getSendTo() : handler.sendTo();
        return StringUtils.hasText(sendTo) ? sendTo.trim() : null;
    }

    /** The container decides the transactional id and takes the serializers as classes of their own. */
    private static void rejectOwnedProperties(String property, Map<String, ?> properties) {
        if (properties.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
            throw new InvalidConfigurationPropertyValueException(property + "." + ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                    properties.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG), property + " sets "
                    + ProducerConfig.TRANSACTIONAL_ID_CONFIG + "; remove it "
                    + "and set " + PRODUCER + "transaction-id-prefix, to which each container appends its id and a "
                    + "unique suffix");
        }
        for (String serializer : List.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG)) {
            if (properties.containsKey(serializer)) {
                throw new InvalidConfigurationPropertyValueException(property + "." + serializer,
                        properties.get(serializer), property + " sets " + serializer + "; remove it and set " + PRODUCER
                        + serializer.replace(".class", "").replace('.', '-'));
            }
        }
    }

    /** Checks types and allowed values the way the producer will, at startup, without creating one. */
    private static void validate(Map<String, Object> producer) {
        Map<String, Object> checked = new HashMap<>(producer);
        checked.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        checked.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        ProducerConfig.configDef().parse(checked);
    }

    private static Class<?> serializer(String property, @Nullable Class<?> type, String inheritedProperty,
            @Nullable Class<?> inherited) {
        String named = (type != null) ? property : inheritedProperty;
        Class<?> chosen = (type != null) ? type : (inherited != null) ? inherited : StringSerializer.class;
        if (!Serializer.class.isAssignableFrom(chosen) || !ClassUtils.hasConstructor(chosen)) {
            throw new InvalidConfigurationPropertyValueException(named, chosen.getName(), named + " names "
                    + chosen.getName() + ", which does not implement "
                    + "org.apache.kafka.common.serialization.Serializer with a public no-argument constructor; set "
                    + property + " to one");
        }
        return chosen;
    }

    private static @Nullable String first(@Nullable String value, @Nullable String fallback) {
        if (StringUtils.hasText(value)) {
            return value.trim();
        }
        return StringUtils.hasText(fallback) ? fallback.trim() : null;
    }

}
