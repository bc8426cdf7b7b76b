package dev.kafkaconsumer.spring.autoconfigure;

import java.beans.PropertyDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.unit.DataSize;

import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerFactory.Level;

/**
 * Checks the values of the options on every level, naming the property of the level that set a bad one, at startup:
 * the core's builders refuse the same values (a concurrency below 1, a negative timeout), but only when a container
 * is first started, and in the core's words ({@code concurrency must be at least 1}), which name no property. A bad
 * value fails with Boot's {@link InvalidConfigurationPropertyValueException}, which Boot's failure analyzer explains by
 * the property's name and origin. Kafka's own checks of the consumer and producer properties are run one property at
 * a time here too ({@link #checkKafkaProperties}), so that a rejected value names the {@code kafka.consumer.*}
 * property that made it rather than the kafka-clients name alone.
 */
final class OptionChecks {

    /** Characters of a topic name, and its longest length, as the broker allows them. */
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]+");

    private static final int MAX_TOPIC_LENGTH = 249;

    private static final String BLANK = "must not be blank; leave it unset for the default";

    private static final List<Rule> RULES = List.of(
            new Rule("group-id", ContainerOptions::getGroupId, OptionChecks::hasText, BLANK),
            new Rule("client-id", ContainerOptions::getClientId, OptionChecks::hasText, BLANK),
            new Rule("auto-offset-reset", ContainerOptions::getAutoOffsetReset, OptionChecks::hasText, BLANK),
            new Rule("isolation-level", ContainerOptions::getIsolationLevel, OptionChecks::hasText, BLANK),
            new Rule("max-poll-records", ContainerOptions::getMaxPollRecords, OptionChecks::atLeastOne,
                    "must be at least 1"),
            new Rule("concurrency", ContainerOptions::getConcurrency, OptionChecks::atLeastOne, "must be at least 1"),
            new Rule("max-in-flight", ContainerOptions::getMaxInFlight, OptionChecks::atLeastOne, "must be at least 1"),
            new Rule("max-deliveries", ContainerOptions::getMaxDeliveries, OptionChecks::atLeastOne,
                    "must be at least 1"),
            new Rule("share-consumers", ContainerOptions::getShareConsumers, OptionChecks::atLeastOne,
                    "must be at least 1"),
            new Rule("commit-interval", ContainerOptions::getCommitInterval, OptionChecks::positive,
                    "must be a positive duration"),
            new Rule("processing-timeout", ContainerOptions::getProcessingTimeout, OptionChecks::positive,
                    "must be a positive duration; leave it unset for no limit"),
            new Rule("revocation-timeout", ContainerOptions::getRevocationTimeout, OptionChecks::notNegative,
                    "must not be negative"),
            new Rule("shutdown-timeout", ContainerOptions::getShutdownTimeout, OptionChecks::notNegative,
                    "must not be negative"),
            new Rule("buffer.max-bytes-per-partition", (options) -> options.getBuffer().getMaxBytesPerPartition(),
                    OptionChecks::positiveSize, "must be at least 1B"),
            new Rule("buffer.max-bytes", (options) -> options.getBuffer().getMaxBytes(), OptionChecks::positiveSize,
                    "must be at least 1B"),
            new Rule("retry.max-attempts", (options) -> options.getRetry().getMaxAttempts(), OptionChecks::atLeastOne,
                    "must be at least 1 (the first call counts; 1 means no retry)"),
            new Rule("retry.backoff.initial", (options) -> options.getRetry().getBackoff().getInitial(),
                    OptionChecks::notNegative, "must not be negative"),
            new Rule("retry.backoff.max", (options) -> options.getRetry().getBackoff().getMax(),
                    OptionChecks::notNegative, "must not be negative"),
            new Rule("retry.backoff.multiplier", (options) -> options.getRetry().getBackoff().getMultiplier(),
                    (value) -> ((Double) value) >= 1.0, "must be a number of at least 1 (1 for a fixed pause)"),
            new Rule("dead-letter.topic-suffix", (options) -> options.getDeadLetter().getTopicSuffix(),
                    OptionChecks::topicSuffix, "must be 1 to " + (MAX_TOPIC_LENGTH - 1) + " of the characters a topic "
                            + "name takes (a-z, A-Z, 0-9, '.', '_', '-'), so that the dead-letter topic is another topic"),
            new Rule("transaction.commit-interval", (options) -> options.getTransaction().getCommitInterval(),
                    OptionChecks::positive, "must be a positive duration"),
            new Rule("transaction.max-records", (options) -> options.getTransaction().getMaxRecords(),
                    OptionChecks::atLeastOne, "must be at least 1"));

    /** The options that are consumer properties, by their kafka-clients name. */
    private static final Map<String, Rule> CONSUMER_OPTIONS = Map.of(ConsumerConfig.GROUP_ID_CONFIG, RULES.get(0),
            ConsumerConfig.CLIENT_ID_CONFIG, RULES.get(1), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, RULES.get(2),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, RULES.get(3), ConsumerConfig.MAX_POLL_RECORDS_CONFIG, RULES.get(4));

    private OptionChecks() {
    }

    /**
     * Checks the options of every level of one container.
     *
     * @param levels the levels, highest first
     * @throws InvalidConfigurationPropertyValueException naming the property of the first bad value
     */
    static void check(List<Level> levels) {
        for (Level level : levels) {
            for (Rule rule : RULES) {
                Object value = rule.option().apply(level.options());
                if (value != null && !rule.valid().test(value)) {
                    throw new InvalidConfigurationPropertyValueException(level.prefix() + rule.name(), value,
                            rule.reason());
                }
            }
        }
    }

    /**
     * Checks the topics a container subscribes to, as the broker names topics.
     *
     * @param property the property (or attribute) that set them
     * @param topics   the topics
     */
    static void checkTopics(String property, List<String> topics) {
        for (String topic : topics) {
            if (topic.length() > MAX_TOPIC_LENGTH || !TOPIC.matcher(topic).matches()) {
                throw new InvalidConfigurationPropertyValueException(property, topic, "a topic name is 1 to "
                        + MAX_TOPIC_LENGTH + " of a-z, A-Z, 0-9, '.', '_' and '-'");
            }
        }
    }

    /**
     * Refuses a blank text among the properties of a group of {@code kafka.consumer.*} properties, such as
     * {@code ssl.*}: an empty password or store type is a mistake, not a setting, and kafka-clients would find it
     * only when it connects. The value is not shown, since these hold secrets.
     *
     * @param prefix the group's prefix, such as {@code kafka.consumer.ssl.}
     * @param group  the group's bean
     */
    static void checkNoBlankText(String prefix, Object group) {
        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(group.getClass())) {
            if (property.getPropertyType() == String.class && property.getReadMethod() != null) {
                Object value = ReflectionUtils.invokeMethod(property.getReadMethod(), group);
                if (value != null && !hasText(value)) {
                    String name = property.getName().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
                    throw new InvalidConfigurationPropertyValueException(prefix + name, "(blank)",
                            "must not be blank; remove it, or set a value");
                }
            }
        }
    }

    /**
     * Checks kafka-clients properties one at a time, as kafka-clients will, naming the property that set a rejected
     * value. The value of a password is not shown.
     *
     * @param properties the client properties
     * @param definition the client's {@link ConfigDef}
     * @param origin     the property that set a kafka-clients property, by its kafka-clients name
     * @throws InvalidConfigurationPropertyValueException for a rejected value
     */
    static void checkKafkaProperties(Map<String, Object> properties, ConfigDef definition,
            Function<String, String> origin) {
        properties.forEach((name, value) -> {
            ConfigDef.ConfigKey key = definition.configKeys().get(name);
            if (key == null || value == null) {
                return;
            }
            try {
                Object parsed = ConfigDef.parseType(name, value, key.type);
                if (key.validator != null) {
                    key.validator.ensureValid(name, parsed);
                }
            }
            catch (ConfigException ex) {
                Object shown = (key.type == ConfigDef.Type.PASSWORD) ? "[hidden]" : value;
                // not the cause: its analyzer would speak of the kafka-clients name alone
                throw new InvalidConfigurationPropertyValueException(origin.apply(name), shown,
                        "kafka-clients rejects it as " + name + ": " + ex.getMessage());
            }
        });
    }

    /**
     * Returns the property that set a consumer property: the option, or the {@code properties} entry, of the highest
     * level that sets it.
     *
     * @param name   the kafka-clients name
     * @param levels the levels, highest first
     * @return the property's name, or {@code null} when no level sets it (the connection does)
     */
    static @Nullable String consumerOrigin(String name, List<Level> levels) {
        Rule option = CONSUMER_OPTIONS.get(name);
        for (Level level : levels) {
            if (option != null && option.option().apply(level.options()) != null) {
                return level.prefix() + option.name();
            }
            if (level.options().getProperties().containsKey(name)) {
                return level.prefix() + "properties." + name;
            }
        }
        return null;
    }

    private static boolean hasText(Object value) {
        return !value.toString().isBlank();
    }

    private static boolean atLeastOne(Object value) {
        return ((Integer) value) >= 1;
    }

    private static boolean positive(Object value) {
        Duration duration = (Duration) value;
        return !duration.isNegative() && !duration.isZero();
    }

    private static boolean notNegative(Object value) {
        return !((Duration) value).isNegative();
    }

    private static boolean positiveSize(Object value) {
        return ((DataSize) value).toBytes() >= 1;
    }

    private static boolean topicSuffix(Object value) {
        String suffix = value.toString();
        return suffix.length() < MAX_TOPIC_LENGTH && TOPIC.matcher(suffix).matches();
    }

    /**
     * One check of one option.
     *
     * @param name   the option's name under a level's prefix
     * @param option reads the option
     * @param valid  whether a set value is valid
     * @param reason what a valid value is
     */
    private record Rule(String name, Function<ContainerOptions, @Nullable Object> option, Predicate<Object> valid,
            String reason) {
    }

}
