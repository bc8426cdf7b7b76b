package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataProperty;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepository;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.test.util.ReflectionTestUtils;

import dev.kafkaconsumer.spring.RecordHandler;
import dev.kafkaconsumer.spring.actuate.autoconfigure.KafkaConsumersHealthContributorAutoConfiguration;
import dev.kafkaconsumer.spring.actuate.autoconfigure.LagTrackerAutoConfiguration;
import dev.kafkaconsumer.spring.actuate.observation.KafkaConsumerObservationAutoConfiguration;

/**
 * R20, hostile operator input through Spring binding: every {@code kafka.consumer.*} property of the generated
 * metadata, and every option of one container ({@code kafka.consumer.containers.<id>.*}), given a value of the wrong
 * type, a negative, a huge and an empty value, as far as each makes sense for the property's type. Each case either
 * starts (and its containers build) because the value is valid, as {@link #ACCEPTED} says why, or fails startup with
 * a failure analysis, by the analyzers Spring Boot runs, that names the property, and no
 * {@link NullPointerException} in the cause chain. The properties come from the metadata and {@link OptionPaths}, so
 * that a property added later is tried too.
 */
class HostilePropertyValuesTests {

    private static final String PREFIX = "kafka.consumer.";

    /** The container whose own options are tried, by the kind of container an option applies to. */
    private static final String PLAIN = "orders";

    private static final String TRANSACTIONAL = "invoices";

    private static final String SHARE = "jobs";

    private static final String HUGE_TEXT = "x".repeat(10_000);

    /** The types of the options that the core's builders check too. */
    private static final java.util.Set<String> BUILT_TYPES = java.util.Set.of("java.lang.Integer", "java.lang.Double",
            "java.time.Duration", "org.springframework.util.unit.DataSize");

    /**
     * Values that are valid, so the context starts: by property (a suffix after {@code kafka.consumer.} or
     * {@code kafka.consumer.containers.<id>.}, or {@code *} for any) and value, with the reason.
     */
    private static final Map<String, String> ACCEPTED = new LinkedHashMap<>();

    static {
        accept("*", "", "an empty value of a typed option (number, duration, size, boolean, enum, class, list) binds "
                + "to null: unset, so the lower level's or the default applies");
        accept("*", "2147483647", "Integer.MAX_VALUE is a valid bound (attempts, records, concurrency is a cap)");
        accept("*", "9223372036854775807ms", "the longest duration is a valid timeout (no limit in practice)");
        accept("*", "1e400", "1e400 binds to Infinity, which is a valid back-off multiplier (the back-off max caps it)");
        accept("*", "8388607TB", "the largest data size is a valid buffer bound (no limit in practice)");
        accept("retry.backoff.initial", "0s", "no pause before a retry");
        accept("retry.backoff.max", "0s", "no pause between retries");
        accept("revocation-timeout", "0s", "no wait for the records of revoked partitions");
        accept("shutdown-timeout", "0s", "no drain when the application stops");
        accept("bootstrap-servers", "", null);
        // not a cap: more share consumers than the concurrency is refused, naming the property
        accept("share-consumers", "2147483647", null);
        accept("lag.window", "", null);
        accept("client-id", HUGE_TEXT, "kafka-clients takes any client id");
        accept("group-id", HUGE_TEXT, "the broker, not the client, limits group ids");
        accept("share-group", HUGE_TEXT, "the broker, not the client, limits group ids");
        accept("share-group", "", "an empty share group is unset (as the attribute's default is): a consumer-group "
                + "container");
        accept("share-group", "   ", "a blank share group is unset (as the attribute's default is): a consumer-group "
                + "container");
        accept("send-to", "", null);
        accept("send-to", "   ", null);
        accept("topics", "", null);
        accept("topic-pattern", HUGE_TEXT, "any regular expression is a valid subscription");
        accept("producer.properties.linger.ms", "99999999999", "linger.ms is a long");
        accept("lag.enabled", "perhaps", "read by Boot's @ConditionalOnBooleanProperty, which takes any value but "
                + "true as false, as for Boot's own *.enabled properties");
        accept("observation.enabled", "perhaps", "read by Boot's @ConditionalOnBooleanProperty, which takes any value "
                + "but true as false, as for Boot's own *.enabled properties");
        for (String secret : List.of("ssl.key-password", "ssl.key-store-password", "ssl.trust-store-password",
                "ssl.key-store-location", "ssl.trust-store-location", "ssl.key-store-type", "ssl.trust-store-type",
                "ssl.protocol", "sasl.jaas-config", "sasl.mechanism", "producer.transaction-id-prefix")) {
            accept(secret, HUGE_TEXT, "kafka-clients reads it only when it connects with TLS or SASL (or, for the "
                    + "prefix, the broker limits transactional ids)");
        }
    }

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class))
        .withPropertyValues("kafka.consumer.auto-startup=false", "kafka.consumer.bootstrap-servers=localhost:9092",
                "kafka.consumer.group-id=app");

    /** With the actuator's auto-configurations whose properties are under kafka.consumer.*. */
    private final ApplicationContextRunner actuatorRunner = this.contextRunner
        .withConfiguration(AutoConfigurations.of(LagTrackerAutoConfiguration.class,
                KafkaConsumersHealthContributorAutoConfiguration.class,
                KafkaConsumerObservationAutoConfiguration.class))
        .withUserConfiguration(PlainHandler.class);

    private final List<FailureAnalyzer> analyzers = bootsAnalyzers();

    @Test
    void everyPropertyGivenAWrongNegativeHugeOrEmptyValueStartsOnlyWhenValidAndOtherwiseFailsNamingIt()
            throws IOException {
        this.actuatorRunner.withUserConfiguration(TransactionalHandler.class, ShareHandler.class)
            .run((context) -> assertThat(context).hasNotFailed());
        Map<String, Integer> counts = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        StringBuilder example = new StringBuilder();
        List<Case> cases = cases();
        for (Case tried : cases) {
            runner(tried).withPropertyValues(tried.property() + "=" + tried.value())
                .run((context) -> {
                    String outcome = outcome(tried, context);
                    if (tried.property().equals(PREFIX + "containers." + PLAIN + ".concurrency")
                            && tried.value().equals("-1")) {
                        FailureAnalysis analysis = analyze(context.getStartupFailure());
                        example.append(analysis.getDescription()).append(System.lineSeparator())
                            .append(analysis.getAction()).append(System.lineSeparator());
                    }
                    counts.merge(outcome.startsWith("problem") ? "problem" : outcome, 1, Integer::sum);
                    if (outcome.startsWith("problem")) {
                        problems.add(tried.property() + "=" + abbreviated(tried.value()) + ": " + outcome);
                    }
                });
        }
        counts.put("properties", (int) cases.stream().map(Case::property).distinct().count());
        counts.put("cases", cases.size());
        Files.writeString(Path.of("target", "r20-binding.txt"),
                counts.toString() + System.lineSeparator() + example);
        assertThat(problems).as("cases that neither started as valid nor failed naming the property").isEmpty();
        assertThat(counts.get("refused")).isGreaterThan(cases.size() / 2);
    }

    /** A context with the one handler that the property applies to, which is what the case needs and is quicker. */
    private ApplicationContextRunner runner(Case tried) {
        if (tried.property().matches("kafka\\.consumer\\.(lag|health|observation)\\..*")) {
            return this.actuatorRunner;
        }
        Class<?> handler = switch (containerOf(tried)) {
            case TRANSACTIONAL -> TransactionalHandler.class;
            case SHARE -> ShareHandler.class;
            default -> PlainHandler.class;
        };
        return this.contextRunner.withUserConfiguration(handler);
    }

    /** The container that a property applies to. */
    private static String containerOf(Case tried) {
        String property = tried.property();
        if (property.startsWith(PREFIX + "containers.")) {
            return property.substring((PREFIX + "containers.").length()).split("\\.")[0];
        }
        return (property.contains("transaction.") || property.startsWith(PREFIX + "producer.")) ? TRANSACTIONAL
                : (property.endsWith("max-deliveries") || property.endsWith("share-consumers")) ? SHARE : PLAIN;
    }

    private String outcome(Case tried, AssertableApplicationContext context) {
        Throwable failure = context.getStartupFailure();
        String accepted = accepted(tried);
        if (failure == null) {
            try {
                buildTheContainer(tried, context);
            }
            catch (RuntimeException ex) {
                return "problem: started, but a container does not build: " + ex;
            }
            return (accepted != null) ? "accepted" : "problem: started, though no reason says the value is valid";
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof NullPointerException) {
                return "problem: a NullPointerException in the cause chain: " + cause;
            }
        }
        FailureAnalysis analysis = analyze(failure);
        if (analysis == null) {
            return "problem: no failure analysis for " + failure;
        }
        String text = analysis.getDescription() + " " + analysis.getAction();
        if (!text.contains(tried.property())) {
            return "problem: the analysis does not name the property: " + analysis.getDescription();
        }
        return (accepted != null) ? "problem: refused, though valid (" + accepted + "): " + analysis.getDescription()
                : "refused";
    }

    /**
     * Builds the container that a number, duration or size of every container applies to as its first start would,
     * without starting it, so that a value the core refuses fails here; the others are not built, since building
     * one creates its client, which takes time.
     */
    private static void buildTheContainer(Case tried, AssertableApplicationContext context) {
        if (tried.value().isEmpty() || !BUILT_TYPES.contains(tried.type())
                || tried.property().startsWith(PREFIX + "containers.")) {
            // a container's own value takes the same path into the builder as that of every container
            return;
        }
        String id = containerOf(tried);
        for (ContainerBeanLifecycle<?> lifecycle : context.getBeansOfType(ContainerBeanLifecycle.class).values()) {
            if (!lifecycle.id().equals(id)) {
                continue;
            }
            Supplier<?> factory = (Supplier<?>) ReflectionTestUtils.getField(lifecycle, "factory");
            Object container = factory.get();
            if (container instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
    }

    private @Nullable FailureAnalysis analyze(Throwable failure) {
        for (FailureAnalyzer analyzer : this.analyzers) {
            FailureAnalysis analysis = analyzer.analyze(failure);
            if (analysis != null) {
                return analysis;
            }
        }
        return null;
    }

    /** The analyzers that Spring Boot runs on a startup failure, in its order, ours among them. */
    private static List<FailureAnalyzer> bootsAnalyzers() {
        ArgumentResolver arguments = ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
            .and(Environment.class, new StandardEnvironment());
        return SpringFactoriesLoader.forDefaultResourceLocation(HostilePropertyValuesTests.class.getClassLoader())
            .load(FailureAnalyzer.class, arguments);
    }

    private static @Nullable String accepted(Case tried) {
        String suffix = tried.property().startsWith(PREFIX + "containers.")
                ? tried.property().substring(tried.property().indexOf('.', (PREFIX + "containers.").length()) + 1)
                : tried.property().substring(PREFIX.length());
        if (ACCEPTED.containsKey(suffix + "=" + tried.value())) {
            return ACCEPTED.get(suffix + "=" + tried.value());
        }
        boolean text = tried.type().equals("java.lang.String") || tried.type().equals("map entry");
        return text ? null : ACCEPTED.get("*=" + tried.value());
    }

    private static void accept(String property, String value, @Nullable String reason) {
        ACCEPTED.put(property + "=" + value, reason);
    }

    /** Every property of the metadata, and every option of one container, with the values its type takes. */
    private static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (ConfigurationMetadataProperty property : metadata().getAllProperties().values()) {
            String name = property.getId();
            if (!name.startsWith(PREFIX) || name.startsWith(PREFIX + "containers")) {
                continue;
            }
            addCases(cases, name, property.getType());
        }
        for (OptionPaths.Option option : OptionPaths.options()) {
            String container = option.path().startsWith("transaction.") ? TRANSACTIONAL
                    : (option.path().equals("max-deliveries") || option.path().equals("share-consumers")) ? SHARE : PLAIN;
            addCases(cases, PREFIX + "containers." + container + "." + option.path(), typeName(option));
        }
        for (String own : List.of("topics", "topic-pattern", "share-group", "transactional", "send-to")) {
            String type = switch (own) {
                case "topics" -> "java.util.List<java.lang.String>";
                case "transactional" -> "java.lang.Boolean";
                default -> "java.lang.String";
            };
            addCases(cases, PREFIX + "containers." + (own.equals("send-to") ? TRANSACTIONAL : PLAIN) + "." + own, type);
        }
        return cases;
    }

    private static String typeName(OptionPaths.Option option) {
        java.lang.reflect.Method getter = option.chain().get(option.chain().size() - 1).getReadMethod();
        return getter.getGenericReturnType().getTypeName();
    }

    private static void addCases(List<Case> cases, String name, @Nullable String type) {
        if (type == null) {
            return;
        }
        List<String> values = switch (type) {
            case "java.lang.Integer", "int" -> List.of("ten", "-1", "0", "2147483648", "2147483647", "");
            case "java.lang.Double" -> List.of("twice", "-1", "0.5", "NaN", "1e400", "");
            case "java.time.Duration" -> List.of("soon", "-1s", "0s", "106751991167301d", "9223372036854775807ms", "");
            case "org.springframework.util.unit.DataSize" -> List.of("lots", "-1MB", "0B", "99999999TB", "8388607TB", "");
            case "java.lang.Boolean", "boolean" -> List.of("perhaps", "");
            case "java.lang.String" -> List.of("", "   ", HUGE_TEXT);
            case "java.lang.Class<?>" -> List.of("com.example.NoSuchType", "java.lang.String", "");
            case "java.util.List<java.lang.String>" -> List.of("", "no port,", HUGE_TEXT);
            case "java.util.List<java.lang.Class<?>>" -> List.of("com.example.NoSuchType", "java.lang.String", "");
            case "java.util.Map<java.lang.String,java.lang.String>" -> List.of();
            default -> (type.startsWith("java.util.Set<") || type.startsWith("dev.kafkaconsumer."))
                    ? List.of("sideways", "") : List.of();
        };
        values.forEach((value) -> cases.add(new Case(name, value, type)));
        if (type.startsWith("java.util.Map<")) {
            String key = name.endsWith("producer.properties") ? "linger.ms" : "max.poll.records";
            for (String value : List.of("ten", "-1", "99999999999", "")) {
                cases.add(new Case(name + "." + key, value, "map entry"));
            }
        }
        if (values.isEmpty() && !type.startsWith("java.util.Map<")) {
            throw new IllegalStateException("No hostile values for " + name + " of type " + type + "; add them here");
        }
    }

    private static ConfigurationMetadataRepository metadata() throws IOException {
        try (InputStream json = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
            return ConfigurationMetadataRepositoryJsonBuilder.create(json).build();
        }
    }

    private static String abbreviated(String value) {
        return (value.length() > 20) ? value.substring(0, 20) + "...(" + value.length() + " chars)" : value;
    }

    /**
     * One property and one value tried.
     *
     * @param property the whole property name
     * @param value    the value
     * @param type     the property's type
     */
    record Case(String property, String value, String type) {
    }

    static class PlainHandler {

        @RecordHandler(id = PLAIN, topics = "orders")
        void onOrder(String order) {
        }

    }

    static class TransactionalHandler {

        @RecordHandler(id = TRANSACTIONAL, topics = "orders", transactional = true, sendTo = "invoices")
        String onInvoice(String order) {
            return "invoice for " + order;
        }

    }

    static class ShareHandler {

        @RecordHandler(id = SHARE, topics = "jobs", shareGroup = "workers")
        void onJob(String job) {
        }

    }

}
