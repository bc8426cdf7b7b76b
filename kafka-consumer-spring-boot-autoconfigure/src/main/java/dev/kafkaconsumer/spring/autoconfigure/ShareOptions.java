package dev.kafkaconsumer.spring.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import dev.kafkaconsumer.core.ShareConsumerContainer;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerFactory.Level;

/**
 * Which {@link ContainerOptions} apply to a share container (a handler with a share group) and which do not, and the
 * checks that follow: an option that does not apply, set on a share container itself (its
 * {@code kafka.consumer.containers.<id>} entry or its {@code @RecordHandler} attributes), fails startup with a message
 * naming it; set for every container ({@code kafka.consumer.*}, {@code spring.kafka.*}), it is meant for the
 * consumer-group containers, and the share container ignores it (logged once). {@code max-deliveries} and
 * {@code share-consumers} are the other way round: set on a consumer-group container itself, either fails startup.
 */
final class ShareOptions {

    /**
     * Consumer properties that kafka-clients refuses for a share consumer (its {@code ShareConsumerConfig}), and the
     * acknowledgement mode, which the container decides.
     */
    static final Set<String> UNSUPPORTED_CONSUMER_PROPERTIES = Set.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, ConsumerConfig.GROUP_PROTOCOL_CONFIG,
            ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG);

    private static final String NO_OFFSETS = "a share group keeps each record's acknowledgement; there are no offsets "
            + "to commit";

    private static final String BROKER = " (kafka-configs.sh --entity-type groups, or Admin#incrementalAlterConfigs)";

    /** The options that do not apply to a share container, each with the reason; every other option applies. */
    private static final List<NotApplicable> NOT_APPLICABLE = List.of(
            new NotApplicable("group-id", ContainerOptions::getGroupId,
                    "the share group is the container's group; set share-group alone"),
            new NotApplicable("ordering", ContainerOptions::getOrdering,
                    "the records of a partition are handed to several consumers at once, so no order holds"),
            new NotApplicable("commit-mode", ContainerOptions::getCommitMode, NO_OFFSETS),
            new NotApplicable("commit-interval", ContainerOptions::getCommitInterval, NO_OFFSETS),
            new NotApplicable("revocation-timeout", ContainerOptions::getRevocationTimeout,
                    "a share group does not revoke partitions from a consumer; a record stays acquired until it is "
                            + "acknowledged or its lock expires"),
            new NotApplicable("auto-offset-reset", ContainerOptions::getAutoOffsetReset,
                    "where a share group starts reading is its group config share.auto.offset.reset, set on the "
                            + "broker" + BROKER),
            new NotApplicable("isolation-level", ContainerOptions::getIsolationLevel,
                    "a share group's isolation level is its group config share.isolation.level, set on the broker"
                            + BROKER),
            new NotApplicable("buffer.max-bytes-per-partition", (options) -> options.getBuffer().getMaxBytesPerPartition(),
                    "a share consumer holds only the records it acquired; max-poll-records bounds them"),
            new NotApplicable("buffer.max-bytes", (options) -> options.getBuffer().getMaxBytes(),
                    "a share consumer holds only the records it acquired; max-poll-records bounds them"),
            new NotApplicable("transaction.commit-interval", (options) -> options.getTransaction().getCommitInterval(),
                    "a share group has no offsets to commit in a transaction"),
            new NotApplicable("transaction.max-records", (options) -> options.getTransaction().getMaxRecords(),
                    "a share group has no offsets to commit in a transaction"));

    private static final Logger log = LoggerFactory.getLogger(ShareOptions.class);

    /** What to do about an option set where it does not apply. */
    private static final String ACTION = "Remove the option named above from the container's own configuration (its "
            + "kafka.consumer.containers.<id> entry or its @RecordHandler attributes). An option set for every container "
            + "under kafka.consumer.* is left to the containers it applies to. A share container takes the share group, "
            + "topics, concurrency, share-consumers, virtual threads, processing timeout, max-in-flight, max-deliveries, "
            + "retry and dead-letter options, the deserializers, client-id, max-poll-records, auto-startup, "
            + "shutdown-timeout and properties.";

    private ShareOptions() {
    }

    /**
     * Returns the paths of the options that do not apply to a share container.
     *
     * @return paths such as {@code ordering} and {@code buffer.max-bytes}
     */
    static Set<String> notApplicable() {
        Set<String> paths = new LinkedHashSet<>();
        NOT_APPLICABLE.forEach((option) -> paths.add(option.path()));
        return paths;
    }

    /**
     * Checks a share handler: its shape, and the options its own levels set.
     *
     * @param handler      the handler's attributes
     * @param shareGroup   its share group
     * @param topicPattern its topic pattern, or {@code null}
     * @param own          the container's own levels: its entry, then its attributes
     * @throws RecordHandlerDefinitionException for what does not apply to a share container
     */
    static void check(HandlerAttributes handler, String shareGroup, @Nullable String topicPattern, List<Level> own) {
        String share = "is a share handler (share group '" + shareGroup + "'), and ";
        if (handler.batch()) {
            throw new RecordHandlerDefinitionException(handler.source(), share + "a share consumer hands records out "
                    + "one by one, each acknowledged on its own: remove batch = true");
        }
        if (topicPattern != null) {
            throw new RecordHandlerDefinitionException(handler.source(), share + "a share consumer subscribes to named "
                    + "topics only: name them in topics, or " + ConsumerContainerFactory.containerKey(handler.id(), "topics")
                    + ", instead of a topic pattern");
        }
        for (Level level : own) {
            for (NotApplicable option : NOT_APPLICABLE) {
                if (option.value().apply(level.options()) != null) {
                    throw new RecordHandlerDefinitionException(handler.source(), share + name(level, option.path())
                            + " does not apply to it: " + option.reason() + "; remove it", ACTION);
                }
            }
            for (String property : level.options().getProperties().keySet()) {
                if (UNSUPPORTED_CONSUMER_PROPERTIES.contains(property)) {
                    throw new RecordHandlerDefinitionException(handler.source(), share + name(level, "properties")
                            + " sets " + property + ", which a share consumer does not take; remove it", ACTION);
                }
            }
        }
    }

    /**
     * Checks a consumer-group handler's own levels for what applies to share containers only.
     *
     * @param handler the handler's attributes
     * @param own     the container's own levels: its entry, then its attributes
     * @throws RecordHandlerDefinitionException when one sets {@code max-deliveries} or {@code share-consumers}
     */
    static void checkConsumerContainer(HandlerAttributes handler, List<Level> own) {
        for (Level level : own) {
            if (level.options().getMaxDeliveries() != null) {
                throw shareOnly(handler, level, "max-deliveries");
            }
            if (level.options().getShareConsumers() != null) {
                throw shareOnly(handler, level, "share-consumers");
            }
        }
    }

    /**
     * Refuses more share consumers than the container's concurrency, naming the property that set them: the core
     * refuses them too, but only when the container is built, in words that name no property.
     *
     * @param levels the container's levels, highest first
     * @param merged its options, merged
     * @throws InvalidConfigurationPropertyValueException when {@code share-consumers} exceeds the concurrency
     */
    static void checkConsumers(List<Level> levels, ContainerOptions merged) {
        Integer consumers = merged.getShareConsumers();
        int concurrency = (merged.getConcurrency() != null) ? merged.getConcurrency()
                : ShareConsumerContainer.DEFAULT_CONCURRENCY;
        if (consumers == null || consumers <= concurrency) {
            return;
        }
        Level level = levels.stream().filter((candidate) -> candidate.options().getShareConsumers() != null).findFirst()
            .orElseThrow();
        throw new InvalidConfigurationPropertyValueException(level.prefix() + "share-consumers", consumers,
                "must be at most the container's concurrency (" + concurrency + "): a share consumer polls again only "
                        + "once every record of its last poll is acknowledged, so more consumers than workers would "
                        + "hold records no worker can take; raise concurrency or lower share-consumers");
    }

    private static RecordHandlerDefinitionException shareOnly(HandlerAttributes handler, Level level, String option) {
        return new RecordHandlerDefinitionException(handler.source(), name(level, option)
                + " applies to share handlers only, and this one reads as a consumer group; set a share group "
                + "(@RecordHandler(shareGroup) or " + ConsumerContainerFactory.containerKey(handler.id(), "share-group")
                + ") or remove it", ACTION);
    }

    /**
     * Logs, once for a share container, the options set for every container that it ignores; a group id is not
     * mentioned, since one is set for the consumer-group containers of most applications.
     *
     * @param id     the container id
     * @param shared the levels of every container
     */
    static void logIgnored(String id, List<Level> shared) {
        List<String> ignored = new ArrayList<>();
        for (Level level : shared) {
            for (NotApplicable option : NOT_APPLICABLE) {
                if (!option.path().equals("group-id") && option.value().apply(level.options()) != null) {
                    ignored.add(level.prefix() + option.path());
                }
            }
            level.options().getProperties().keySet().stream().filter(UNSUPPORTED_CONSUMER_PROPERTIES::contains)
                .forEach((property) -> ignored.add(level.prefix() + "properties." + property));
        }
        if (!ignored.isEmpty()) {
            log.info("Container {} is a share container: {} {} not apply to it and {} ignored", id,
                    String.join(", ", ignored), (ignored.size() == 1) ? "does" : "do",
                    (ignored.size() == 1) ? "is" : "are");
        }
    }

    /** How a level names an option: a property, or an attribute of the annotation. */
    private static String name(Level level, String path) {
        if (!level.isAnnotation()) {
            return level.prefix() + path;
        }
        StringBuilder attribute = new StringBuilder();
        boolean upper = false;
        for (char c : path.toCharArray()) {
            if (c == '-') {
                upper = true;
                continue;
            }
            attribute.append(upper ? Character.toUpperCase(c) : c);
            upper = false;
        }
        return "@RecordHandler(" + attribute + ")";
    }

    /**
     * An option that does not apply to share containers.
     *
     * @param path   its path under {@code kafka.consumer.}
     * @param value  reads it from one level
     * @param reason why it does not apply
     */
    private record NotApplicable(String path, Function<ContainerOptions, @Nullable Object> value, String reason) {

        NotApplicable {
            Objects.requireNonNull(path, "path");
        }

    }

}
