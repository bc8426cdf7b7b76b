package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataProperty;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepository;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;
import org.springframework.boot.configurationmetadata.ValueHint;
import org.springframework.boot.configurationmetadata.ValueProvider;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.util.unit.DataSize;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.Recoverers;
import dev.kafkaconsumer.core.RetryPolicy;
import dev.kafkaconsumer.core.ShareConsumerContainer;
import dev.kafkaconsumer.core.Transactions;

/**
 * What the annotation processors write into the jar at compile time, as an IDE and Spring Boot read it: the
 * configuration metadata with its hints and defaults, and the auto-configuration metadata that lets Boot
 * filter our auto-configurations without loading their classes.
 */
class ConfigurationMetadataTests {

    private static final Path CLASSES = Path.of("target", "classes", "META-INF");

    @Test
    void enumerationsOfferTheirValuesAndDeserializersTheDeserializerClasses() throws IOException {
        Map<String, ConfigurationMetadataProperty> properties = generated().getAllProperties();
        assertThat(values(properties.get("kafka.consumer.auto-offset-reset"))).contains("earliest", "latest", "none");
        assertThat(properties.get("kafka.consumer.auto-offset-reset").getHints().getValueProviders())
            .extracting(ValueProvider::getName)
            .as("by_duration:<ISO-8601> too")
            .containsExactly("any");
        assertThat(values(properties.get("kafka.consumer.isolation-level"))).containsExactlyInAnyOrder("read_committed",
                "read_uncommitted");
        assertThat(values(properties.get("kafka.consumer.ordering"))).containsExactly("partition", "key", "unordered");
        assertThat(values(properties.get("kafka.consumer.commit-mode"))).containsExactly("time", "batch", "manual");
        assertThat(values(properties.get("kafka.consumer.health.down-on-lag-status"))).containsExactly("ok", "held",
                "warn", "stall", "stop", "rewind");
        for (String name : new String[] { "kafka.consumer.key-deserializer", "kafka.consumer.value-deserializer" }) {
            assertThat(properties.get(name).getHints().getValueProviders()).singleElement().satisfies((provider) -> {
                assertThat(provider.getName()).isEqualTo("class-reference");
                assertThat(provider.getParameters()).containsEntry("target",
                        "org.apache.kafka.common.serialization.Deserializer");
            });
        }
    }

    /**
     * Every option is unset until configured (so that the levels below can decide), which the processor cannot see a
     * default in: the defaults are written in the additional metadata, and are here what a container gets when no
     * level sets the option, from the core, Kafka or this module. An option added later fails here until its default
     * is documented, or it is listed as having none.
     */
    @Test
    void everyOptionsDocumentedDefaultIsWhatAContainerGetsWhenNothingSetsIt() throws IOException {
        Map<String, ConfigurationMetadataProperty> properties = generated().getAllProperties();
        ContainerOptions module = ConsumerContainerFactory.defaults(new StandardEnvironment());
        Map<String, Object> kafka = ConsumerConfig.configDef().defaultValues();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("auto-offset-reset", kafka.get("auto.offset.reset"));
        expected.put("isolation-level", kafka.get("isolation.level"));
        expected.put("max-poll-records", kafka.get("max.poll.records"));
        expected.put("concurrency", ConsumerContainer.DEFAULT_CONCURRENCY);
        expected.put("ordering", ConsumerContainer.DEFAULT_ORDERING);
        expected.put("commit-mode", ConsumerContainer.DEFAULT_COMMIT_MODE);
        expected.put("commit-interval", ConsumerContainer.DEFAULT_COMMIT_INTERVAL);
        expected.put("revocation-timeout", ConsumerContainer.DEFAULT_REVOCATION_TIMEOUT);
        expected.put("max-deliveries", ShareConsumerContainer.DEFAULT_MAX_DELIVERIES);
        expected.put("share-consumers", ShareConsumerContainer.DEFAULT_CONSUMERS);
        ConsumerContainer.Builder<String, String> core = ConsumerContainer.builder("defaults", new StringDeserializer(),
                new StringDeserializer());
        expected.put("buffer.max-bytes-per-partition",
                DataSize.ofBytes((long) ReflectionTestUtils.getField(ReflectionTestUtils.getField(core, "config"), "maxBufferedBytesPerPartition")));
        expected.put("buffer.max-bytes", DataSize.ofBytes((long) ReflectionTestUtils.getField(ReflectionTestUtils.getField(core, "config"), "maxBufferedBytes")));
        expected.put("retry.max-attempts", RetryPolicy.DEFAULT.maxAttempts());
        expected.put("retry.backoff.initial", RetryPolicy.DEFAULT.initialBackoff());
        expected.put("retry.backoff.multiplier", RetryPolicy.DEFAULT.multiplier());
        expected.put("retry.backoff.max", RetryPolicy.DEFAULT.maxBackoff());
        expected.put("dead-letter.topic-suffix", Recoverers.DEFAULT_DEAD_LETTER_SUFFIX);
        expected.put("dead-letter.headers", module.getDeadLetter().getHeaders());
        expected.put("dead-letter.enabled", module.getDeadLetter().getEnabled());
        expected.put("key-deserializer", module.getKeyDeserializer());
        expected.put("value-deserializer", module.getValueDeserializer());
        expected.put("auto-startup", module.getAutoStartup());
        expected.put("shutdown-timeout", module.getShutdownTimeout());
        expected.put("transaction.commit-interval", Transactions.DEFAULT_COMMIT_INTERVAL);
        expected.put("transaction.max-records", Transactions.DEFAULT_MAX_RECORDS_PER_TRANSACTION);
        List<String> withoutDefault = List.of("group-id", "client-id", "virtual-threads", "processing-timeout",
                "max-in-flight", "properties", "retry.not-retryable", "retry.retryable");
        assertThat(OptionPaths.paths()).as("every option has a documented default, or is listed as having none")
            .containsExactlyInAnyOrderElementsOf(java.util.stream.Stream
                .concat(expected.keySet().stream(), withoutDefault.stream()).toList());
        for (Map.Entry<String, Object> option : expected.entrySet()) {
            ConfigurationMetadataProperty property = properties.get("kafka.consumer." + option.getKey());
            assertThat(property.getDefaultValue()).as(property.getId()).isNotNull();
            if (option.getValue() instanceof Class<?> type) {
                assertThat(property.getDefaultValue()).as(property.getId()).isEqualTo(type.getName());
                continue;
            }
            Object documented = ApplicationConversionService.getSharedInstance()
                .convert(String.valueOf(property.getDefaultValue()), option.getValue().getClass());
            assertThat(documented).as(property.getId()).isEqualTo(option.getValue());
        }
        for (String option : withoutDefault) {
            assertThat(properties.get("kafka.consumer." + option).getDefaultValue()).as(option).isNull();
        }
    }

    @Test
    void theTransactionalProducersDocumentedSerializersAreWhatItGetsWhenNothingSetsThemAndItsPrefixIsDescribed() throws IOException {
        Map<String, ConfigurationMetadataProperty> properties = generated().getAllProperties();
        for (String name : new String[] { "kafka.consumer.producer.key-serializer",
                "kafka.consumer.producer.value-serializer" }) {
            assertThat(properties.get(name).getDefaultValue()).as(name).isEqualTo(StringSerializer.class.getName());
            assertThat(properties.get(name).getHints().getValueProviders()).singleElement()
                .satisfies((provider) -> assertThat(provider.getParameters()).containsEntry("target",
                        "org.apache.kafka.common.serialization.Serializer"));
        }
        assertThat(properties.get("kafka.consumer.producer.transaction-id-prefix").getDefaultValue())
            .as("computed from spring.application.name, and described").isNull();
        assertThat(properties.get("kafka.consumer.producer.transaction-id-prefix").getDescription())
            .contains(TransactionalOptions.DEFAULT_PREFIX_END, TransactionalOptions.DEFAULT_PREFIX);
    }

    @Test
    void theHealthContributorsSwitchIsDescribed() throws IOException {
        ConfigurationMetadataProperty enabled = generated().getAllProperties().get("management.health.kafkaconsumers.enabled");
        assertThat(enabled).isNotNull();
        assertThat(enabled.getType()).isEqualTo("java.lang.Boolean");
        assertThat(enabled.getDefaultValue()).isEqualTo(true);
        assertThat(enabled.getDescription()).startsWith("Whether");
    }

    @Test
    void theAutoConfigurationConditionsAreWrittenForBootToFilterWithoutLoadingClasses() throws IOException {
        Properties metadata = new Properties();
        try (InputStream in = Files.newInputStream(CLASSES.resolve("spring-autoconfigure-metadata.properties"))) {
            metadata.load(in);
        }
        assertThat(metadata).containsEntry(
                "dev.kafkaconsumer.spring.actuate.metrics.KafkaConsumerMetricsAutoConfiguration.ConditionalOnClass",
                "dev.kafkaconsumer.core.ConsumerContainer,io.micrometer.core.instrument.MeterRegistry");
        assertThat(metadata).containsKey("dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerAutoConfiguration");
    }

    private static ConfigurationMetadataRepository generated() throws IOException {
        try (InputStream in = Files.newInputStream(CLASSES.resolve("spring-configuration-metadata.json"))) {
            return ConfigurationMetadataRepositoryJsonBuilder.create(in).build();
        }
    }

    private static List<Object> values(ConfigurationMetadataProperty property) {
        return property.getHints().getValueHints().stream().map(ValueHint::getValue).toList();
    }

}
