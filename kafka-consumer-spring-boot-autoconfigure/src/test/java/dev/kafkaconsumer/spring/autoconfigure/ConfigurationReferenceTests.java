package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataProperty;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepository;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;
import org.springframework.boot.configurationmetadata.Deprecation;

/**
 * The configuration reference, {@code docs/configuration-reference.md}, is generated from the metadata
 * that the configuration processor writes at compile time, so it is never written by hand twice. This
 * test fails when the committed reference is stale; run it with {@code -Dkafka-consumer.update-reference=true}
 * to write it anew.
 */
class ConfigurationReferenceTests {

    private static final Path REFERENCE = Path.of("..", "docs", "configuration-reference.md");

    @Test
    void theCommittedReferenceMatchesTheConfigurationMetadata() throws IOException {
        String generated = render(load());
        if (Boolean.getBoolean("kafka-consumer.update-reference")) {
            Files.createDirectories(REFERENCE.getParent());
            Files.writeString(REFERENCE, generated, StandardCharsets.UTF_8);
        }
        assertThat(REFERENCE).as("docs/configuration-reference.md is stale: run mvn -pl "
                + "kafka-consumer-spring-boot-autoconfigure -am test -Dtest=ConfigurationReferenceTests "
                + "-Dsurefire.failIfNoSpecifiedTests=false -Dkafka-consumer.update-reference=true").exists();
        assertThat(Files.readString(REFERENCE, StandardCharsets.UTF_8)).isEqualTo(generated);
    }

    private static ConfigurationMetadataRepository load() throws IOException {
        // the processor has merged the additional metadata into this file; read again on its own, an entry that
        // only adds a default or a hint to a property would hide the property's type and description
        ConfigurationMetadataRepositoryJsonBuilder builder = ConfigurationMetadataRepositoryJsonBuilder.create();
        try (InputStream in = ConfigurationReferenceTests.class.getClassLoader()
            .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            if (in != null) {
                builder.withJsonResource(in);
            }
        }
        return builder.build();
    }

    private static String render(ConfigurationMetadataRepository repository) {
        StringBuilder out = new StringBuilder();
        Set<String> options = OptionPaths.paths().stream().map((path) -> "kafka.consumer." + path)
            .collect(Collectors.toSet());
        out.append("# Configuration reference\n\n")
            .append("Generated from the configuration metadata by `ConfigurationReferenceTests`; do not edit by hand.\n\n")
            .append("A property marked *per container* is an option of every container under `kafka.consumer.`, and of one\n")
            .append("container under the same name below `kafka.consumer.containers.<id>.`: `kafka.consumer.retry.max-attempts`\n")
            .append("and `kafka.consumer.containers.orders.retry.max-attempts`. A container takes each option from the highest\n")
            .append("level that sets it: its entry, its `@RecordHandler` attributes, `kafka.consumer.*`, then `spring.kafka.*`;\n")
            .append("a map (`properties`) or a list (`retry.not-retryable`, `retry.retryable`) adds to the levels below. The\n")
            .append("others are set for every container alone (where and how the consumers connect, and the actuator), besides\n")
            .append("`kafka.consumer.containers.<id>.topics` and `topic-pattern`, which replace the `@RecordHandler`'s subscription,\n")
            .append("and `kafka.consumer.containers.<id>.share-group`, which replaces its `shareGroup` and makes the container a share\n")
            .append("container (the options that do not apply to one are refused on it: see the README's share groups section),\n")
            .append("and `kafka.consumer.containers.<id>.transactional` and `send-to`, which make the container transactional and\n")
            .append("name the topic of its returned values (see the README's exactly-once section); the transactional containers'\n")
            .append("producer, `kafka.consumer.producer.*`, connects as the consumers do and is set for all of them alone.\n\n")
            .append("| property | type | default | per container | description |\n")
            .append("|---|---|---|---|---|\n");
        repository.getAllProperties().values().stream()
            .filter((property) -> property.getId().startsWith("kafka.consumer."))
            .sorted(Comparator.comparing(ConfigurationMetadataProperty::getId))
            .forEach((property) -> out.append("| `").append(property.getId()).append("` | ")
                .append(cell(shortType(property.getType()))).append(" | ")
                .append(cell(property.getDefaultValue() == null ? "" : "`" + defaultValue(property.getDefaultValue()) + "`"))
                .append(" | ").append(options.contains(property.getId()) ? "yes" : "")
                .append(" | ").append(cell(description(property)))
                .append(" |\n"));
        return out.toString();
    }

    private static String description(ConfigurationMetadataProperty property) {
        String description = (property.getDescription() != null) ? property.getDescription() : "";
        Deprecation deprecation = property.getDeprecation();
        if (deprecation == null) {
            return description;
        }
        return "**Deprecated**" + ((deprecation.getReplacement() != null)
                ? ": use `" + deprecation.getReplacement() + "`. " : ". ")
                + ((deprecation.getReason() != null) ? deprecation.getReason() + " " : "") + description;
    }

    private static String defaultValue(Object value) {
        return (value instanceof Object[] array) ? String.join(",", java.util.Arrays.stream(array).map(String::valueOf).toList())
                : String.valueOf(value);
    }

    private static String shortType(String type) {
        return (type == null) ? "" : type.replaceAll("([a-z]\\w*\\.)+", "").replace("$", ".");
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
