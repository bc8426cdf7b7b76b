package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataProperty;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepository;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;
import org.springframework.boot.configurationmetadata.ValueHint;
import org.springframework.boot.configurationmetadata.ValueProvider;

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
        assertThat(values(properties.get("kafka.consumer.health.down-on-lag-status"))).containsExactly("ok", "warn",
                "stall", "stop", "rewind");
        for (String name : new String[] { "kafka.consumer.key-deserializer", "kafka.consumer.value-deserializer" }) {
            assertThat(properties.get(name).getHints().getValueProviders()).singleElement().satisfies((provider) -> {
                assertThat(provider.getName()).isEqualTo("class-reference");
                assertThat(provider.getParameters()).containsEntry("target",
                        "org.apache.kafka.common.serialization.Deserializer");
            });
        }
    }

    @Test
    void defaultsThatTheProcessorCannotSeeAreGivenAndEqualWhatTheContainersUse() throws IOException {
        Map<String, ConfigurationMetadataProperty> properties = generated().getAllProperties();
        KafkaConsumerProperties defaults = new KafkaConsumerProperties();
        assertThat(properties.get("kafka.consumer.key-deserializer").getDefaultValue())
            .isEqualTo(defaults.getKeyDeserializer().getName());
        assertThat(properties.get("kafka.consumer.value-deserializer").getDefaultValue())
            .isEqualTo(defaults.getValueDeserializer().getName());
        assertThat(properties.get("kafka.consumer.dead-letter.topic-suffix").getDefaultValue())
            .isEqualTo(defaults.getDeadLetter().getTopicSuffix());
        // unset, these are Kafka's own defaults
        Map<String, Object> kafka = ConsumerConfig.configDef().defaultValues();
        assertThat(properties.get("kafka.consumer.auto-offset-reset").getDefaultValue())
            .isEqualTo(kafka.get("auto.offset.reset"));
        assertThat(properties.get("kafka.consumer.isolation-level").getDefaultValue())
            .isEqualTo(kafka.get("isolation.level"));
        assertThat(properties.get("kafka.consumer.max-poll-records").getDefaultValue())
            .isEqualTo(kafka.get("max.poll.records"));
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
