package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataGroup;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataProperty;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepository;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataSource;
import org.springframework.boot.configurationmetadata.Deprecation;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerProperties.Container;
import dev.kafkaconsumer.spring.autoconfigure.OptionPaths.Option;

/**
 * {@link ContainerOptions}, the one shape of the containers' options: one merge rule for every option, and the same
 * names for every container ({@code kafka.consumer.*}) and for one ({@code kafka.consumer.containers.<id>.*}), in
 * binding and in the metadata. Every option is found by reflection ({@link OptionPaths}), so that one added later is
 * covered, and one added to a single level fails here.
 */
class ContainerOptionsTests {

    /** What is set for every container alone: where and how the consumers connect. */
    private static final Set<String> EVERY_CONTAINER_ONLY = Set.of("bootstrap-servers", "security.protocol",
            "ssl.bundle", "ssl.key-password", "ssl.key-store-location", "ssl.key-store-password", "ssl.key-store-type",
            "ssl.protocol", "ssl.trust-store-location", "ssl.trust-store-password", "ssl.trust-store-type",
            "sasl.jaas-config", "sasl.mechanism", "containers", "producer.key-serializer", "producer.value-serializer",
            "producer.transaction-id-prefix", "producer.properties");

    /** What is set for one container alone: its subscription, and what kind of container it is. */
    private static final Set<String> ONE_CONTAINER_ONLY = Set.of("topics", "topic-pattern", "share-group", "transactional",
            "send-to");

    @Test
    void aValueComesFromTheHighestLevelThatSetsIt() {
        for (Option option : OptionPaths.options()) {
            if (option.isMap() || option.isList()) {
                continue;
            }
            ContainerOptions high = new ContainerOptions();
            option.write(high, sample(option, true));
            ContainerOptions low = new ContainerOptions();
            option.write(low, sample(option, false));
            assertThat(option.read(ContainerOptions.merge(high, low))).as(option.path()).isEqualTo(sample(option, true));
            assertThat(option.read(ContainerOptions.merge(new ContainerOptions(), low))).as(option.path())
                .isEqualTo(sample(option, false));
            assertThat(option.read(ContainerOptions.merge(high, new ContainerOptions()))).as(option.path())
                .isEqualTo(sample(option, true));
            assertThat(option.read(ContainerOptions.merge(new ContainerOptions(), new ContainerOptions())))
                .as(option.path())
                .isNull();
        }
    }

    @Test
    void aListTakesTheElementsOfEveryLevelTheLowerOnesFirst() {
        List<Option> lists = OptionPaths.options().stream().filter(Option::isList).toList();
        assertThat(lists).extracting(Option::path).containsExactly("retry.not-retryable", "retry.retryable");
        for (Option option : lists) {
            ContainerOptions high = new ContainerOptions();
            option.write(high, List.of(ArithmeticException.class, IllegalStateException.class));
            ContainerOptions low = new ContainerOptions();
            option.write(low, List.of(IllegalStateException.class, IllegalArgumentException.class));
            assertThat(option.read(ContainerOptions.merge(high, new ContainerOptions(), low))).as(option.path())
                .isEqualTo(List.of(IllegalStateException.class, IllegalArgumentException.class, ArithmeticException.class));
        }
    }

    @Test
    void aMapTakesTheEntriesOfEveryLevelAHigherLevelsWinning() {
        ContainerOptions high = new ContainerOptions();
        high.getProperties().put("fetch.min.bytes", "2");
        ContainerOptions middle = new ContainerOptions();
        middle.getProperties().putAll(Map.of("fetch.min.bytes", "1", "fetch.max.wait.ms", "9"));
        ContainerOptions low = new ContainerOptions();
        low.getProperties().putAll(Map.of("fetch.max.wait.ms", "8", "receive.buffer.bytes", "7"));
        assertThat(ContainerOptions.merge(high, middle, low).getProperties()).containsOnly(
                Map.entry("fetch.min.bytes", "2"), Map.entry("fetch.max.wait.ms", "9"),
                Map.entry("receive.buffer.bytes", "7"));
        assertThat(OptionPaths.options().stream().filter(Option::isMap)).extracting(Option::path)
            .containsExactly("properties");
    }

    @Test
    void mergingChangesNoLevel() {
        ContainerOptions high = new ContainerOptions();
        high.getRetry().setNotRetryable(List.of(ArithmeticException.class));
        high.getProperties().put("fetch.min.bytes", "2");
        ContainerOptions low = new ContainerOptions();
        low.getRetry().setNotRetryable(List.of(IllegalStateException.class));
        low.getProperties().put("fetch.min.bytes", "1");
        low.setConcurrency(3);
        ContainerOptions merged = ContainerOptions.merge(high, low);
        merged.getProperties().put("other", "x");
        assertThat(high.getRetry().getNotRetryable()).containsExactly(ArithmeticException.class);
        assertThat(low.getRetry().getNotRetryable()).containsExactly(IllegalStateException.class);
        assertThat(high.getProperties()).containsOnlyKeys("fetch.min.bytes");
        assertThat(low.getProperties()).containsEntry("fetch.min.bytes", "1").hasSize(1);
        assertThat(high.getConcurrency()).isNull();
    }

    @Test
    void everyOptionBindsUnderTheSameNameForEveryContainerAndForOne() {
        Map<String, String> source = new LinkedHashMap<>();
        for (Option option : OptionPaths.options()) {
            String name = option.isMap() ? option.path() + ".some.kafka.property" : option.path();
            source.put("kafka.consumer." + name, text(option, true));
            source.put("kafka.consumer.containers.orders." + name, text(option, false));
        }
        KafkaConsumerProperties properties = new Binder(new MapConfigurationPropertySource(source))
            .bind("kafka.consumer", Bindable.of(KafkaConsumerProperties.class))
            .get();
        Container orders = properties.getContainers().get("orders");
        for (Option option : OptionPaths.options()) {
            Object everyContainer = option.read(properties);
            Object oneContainer = option.read(orders);
            assertThat(everyContainer).as("kafka.consumer." + option.path()).isNotNull();
            assertThat(oneContainer).as("kafka.consumer.containers.orders." + option.path()).isNotNull();
            assertThat(oneContainer).as(option.path()).isNotEqualTo(everyContainer);
        }
    }

    @Test
    void theMetadataDescribesEveryOptionForEveryContainerAndBesidesThemOnlyTheConnection() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (ConfigurationMetadataGroup group : repository().getAllGroups().values()) {
            for (ConfigurationMetadataSource source : group.getSources().values()) {
                if (source.getType().startsWith(KafkaConsumerProperties.class.getName())
                        || source.getType().startsWith(ContainerOptions.class.getName())) {
                    for (ConfigurationMetadataProperty property : source.getProperties().values()) {
                        assertThat(property.getDescription()).as(property.getId()).isNotBlank();
                        documented.add(property.getId().substring("kafka.consumer.".length()));
                    }
                }
            }
        }
        Set<String> expected = new TreeSet<>(OptionPaths.paths());
        expected.addAll(EVERY_CONTAINER_ONLY);
        assertThat(documented).as("an option belongs in ContainerOptions, where every container and each one has it; "
                + "only the connection, and the transactional producer that connects as the consumers do, are set for "
                + "every container alone").isEqualTo(expected);
    }

    @Test
    void aContainersEntryAddsOnlyItsSubscriptionItsKindAndDeprecatedSpellingsThatTheMetadataDeprecates() throws IOException {
        Set<String> own = OptionPaths.properties(Container.class).stream()
            .filter((property) -> property.getReadMethod().getDeclaringClass() == Container.class)
            .map((property) -> OptionPaths.kebab(property.getName()))
            .collect(Collectors.toSet());
        assertThat(own).isEqualTo(ONE_CONTAINER_ONLY);
        Map<String, ConfigurationMetadataProperty> metadata = metadata();
        Map<String, String> deprecated = new LinkedHashMap<>();
        for (PropertyDescriptor property : org.springframework.beans.BeanUtils.getPropertyDescriptors(Container.class)) {
            Method getter = property.getReadMethod();
            if (getter != null && getter.isAnnotationPresent(Deprecated.class)) {
                String name = "kafka.consumer.containers.[id]." + OptionPaths.kebab(property.getName());
                String replacement = getter.getAnnotation(DeprecatedConfigurationProperty.class).replacement();
                deprecated.put(name, replacement);
                assertThat(metadata).as(name).containsKey(name);
                Deprecation deprecation = metadata.get(name).getDeprecation();
                assertThat(deprecation).as(name).isNotNull();
                assertThat(deprecation.getLevel()).isEqualTo(Deprecation.Level.WARNING);
                assertThat(deprecation.getReplacement()).isEqualTo(replacement);
                assertThat(replacement).startsWith("kafka.consumer.containers.[id].");
                assertThat(OptionPaths.paths()).as("the replacement is an option")
                    .contains(replacement.substring("kafka.consumer.containers.[id].".length()));
            }
        }
        assertThat(deprecated).containsOnly(
                Map.entry("kafka.consumer.containers.[id].max-attempts", "kafka.consumer.containers.[id].retry.max-attempts"),
                Map.entry("kafka.consumer.containers.[id].dead-letter-enabled",
                        "kafka.consumer.containers.[id].dead-letter.enabled"));
        assertThat(metadata.keySet().stream().filter((name) -> name.startsWith("kafka.consumer.containers.")))
            .as("every spelling of a container's option that the metadata names is a deprecated one")
            .containsExactlyInAnyOrderElementsOf(deprecated.keySet());
    }

    @Test
    void theDeprecatedSpellingsOfAContainerAreTheLevelJustBelowItsOwnNames() {
        Container container = new Container();
        setDeprecated(container, 7, true);
        ContainerOptions spellings = container.deprecatedSpellings();
        assertThat(spellings.getRetry().getMaxAttempts()).isEqualTo(7);
        assertThat(spellings.getDeadLetter().getEnabled()).isTrue();
        assertThat(container.deprecatedSpellingsInUse()).containsOnly(Map.entry("max-attempts", "retry.max-attempts"),
                Map.entry("dead-letter-enabled", "dead-letter.enabled"));
        container.getRetry().setMaxAttempts(2);
        container.getDeadLetter().setEnabled(false);
        ContainerOptions merged = ContainerOptions.merge(container, container.deprecatedSpellings());
        assertThat(merged.getRetry().getMaxAttempts()).isEqualTo(2);
        assertThat(merged.getDeadLetter().getEnabled()).isFalse();
        assertThat(new Container().deprecatedSpellingsInUse()).isEmpty();
    }

    @SuppressWarnings("deprecation")
    private static void setDeprecated(Container container, int maxAttempts, boolean deadLetterEnabled) {
        container.setMaxAttempts(maxAttempts);
        container.setDeadLetterEnabled(deadLetterEnabled);
    }

    private static Map<String, ConfigurationMetadataProperty> metadata() throws IOException {
        return repository().getAllProperties();
    }

    private static ConfigurationMetadataRepository repository() throws IOException {
        try (InputStream in = Files.newInputStream(
                Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json"))) {
            return ConfigurationMetadataRepositoryJsonBuilder.create(in).build();
        }
    }

    /** Two different values of an option's type; a new type of option fails here until it has its samples. */
    static Object sample(Option option, boolean first) {
        Class<?> type = option.type();
        if (type == String.class) {
            return first ? "high" : "low";
        }
        if (type == Integer.class) {
            return first ? 7 : 3;
        }
        if (type == Double.class) {
            return first ? 1.5 : 2.5;
        }
        if (type == Boolean.class) {
            return first;
        }
        if (type == Duration.class) {
            return first ? Duration.ofSeconds(7) : Duration.ofSeconds(3);
        }
        if (type == DataSize.class) {
            return first ? DataSize.ofMegabytes(7) : DataSize.ofMegabytes(3);
        }
        if (type == Class.class) {
            return first ? String.class : Integer.class;
        }
        if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            return first ? constants[0] : constants[constants.length - 1];
        }
        throw new AssertionError("No sample value for " + option.path() + " of " + type + "; add one");
    }

    /** {@link #sample} as it is written in configuration. */
    private static String text(Option option, boolean first) {
        if (option.isMap()) {
            return first ? "1" : "2";
        }
        if (option.isList()) {
            return first ? "java.lang.IllegalStateException" : "java.lang.ArithmeticException";
        }
        Object sample = sample(option, first);
        if (sample instanceof Class<?> type) {
            return type.getName();
        }
        if (sample instanceof Enum<?> constant) {
            return constant.name();
        }
        if (sample instanceof DataSize size) {
            return size.toMegabytes() + "MB";
        }
        return String.valueOf(sample);
    }

}
