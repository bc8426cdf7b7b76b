package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.test.util.ReflectionTestUtils;

import dev.kafkaconsumer.core.Acknowledgement;
import dev.kafkaconsumer.core.CommitMode;
import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.DeadLetterHeaders;
import dev.kafkaconsumer.core.FailedRecord;
import dev.kafkaconsumer.core.Ordering;
import dev.kafkaconsumer.core.Recoverers;
import dev.kafkaconsumer.core.RetryPolicy;
import dev.kafkaconsumer.core.ShareConsumerContainer;
import dev.kafkaconsumer.spring.RecordHandler;

/**
 * Every option of {@link ContainerOptions} reaches what a container is built with (the core's builder, its consumer
 * properties, its lifecycle bean), set for every container, and set for one over the {@code @RecordHandler}
 * attributes, which win over what is set for every container; and every option that applies to a share container
 * (all but {@link ShareOptions#notApplicable()}) reaches a share container's builder the same way. The options come
 * from {@link OptionPaths}: one without a row here fails {@link #everyOptionHasARow()}. No broker: containers are
 * built, never started.
 */
@ExtendWith(OutputCaptureExtension.class)
class ContainerOptionsMappingTests {

    /** A container that started would try to connect: no level here sets auto-startup to true for "orders". */
    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class))
        .withPropertyValues("kafka.consumer.bootstrap-servers=localhost:9092", "kafka.consumer.group-id=app",
                "kafka.consumer.auto-startup=false");

    /**
     * One row per option: its value for every container ({@code top}), for the container ({@code own}), what the
     * container is built with then, and the value for every container in the run that sets the container's too
     * ({@code under}, where {@code top} would not differ from {@code own} or would start the container).
     */
    private static final Map<String, Row> ROWS = rows(
            row("group-id", "shop", "special", consumer("group.id"), "shop", "special"),
            row("client-id", "shop-client", "mine", consumer("client.id"), "shop-client-orders", "mine"),
            row("auto-offset-reset", "earliest", "none", consumer("auto.offset.reset"), "earliest", "none"),
            row("isolation-level", "read_committed", "read_uncommitted", consumer("isolation.level"), "read_committed",
                    "read_uncommitted"),
            row("max-poll-records", "42", "43", consumer("max.poll.records"), 42, 43),
            row("commit-interval", "2s", "3s", builder("commitInterval"), Duration.ofSeconds(2), Duration.ofSeconds(3)),
            row("commit-mode", "manual", "batch", builder("commitMode"), CommitMode.MANUAL, CommitMode.BATCH),
            row("concurrency", "4", "8", builder("concurrency"), 4, 8),
            row("ordering", "key", "unordered", builder("ordering"), Ordering.KEY, Ordering.UNORDERED),
            row("key-deserializer", ByteArrayDeserializer.class.getName(), ByteBufferDeserializer.class.getName(),
                    builder("keyDeserializer").andThen(Object::getClass), ByteArrayDeserializer.class,
                    ByteBufferDeserializer.class),
            row("value-deserializer", ByteArrayDeserializer.class.getName(), ByteBufferDeserializer.class.getName(),
                    builder("valueDeserializer").andThen(Object::getClass), ByteArrayDeserializer.class,
                    ByteBufferDeserializer.class),
            row("virtual-threads", "true", "false", builder("virtualThreads"), true, false),
            row("auto-startup", "false", "false", (built) -> built.settings().autoStartup(), false, false).under("true"),
            row("shutdown-timeout", "11s", "12s", (built) -> built.settings().shutdownTimeout(),
                    Duration.ofSeconds(11), Duration.ofSeconds(12)),
            row("processing-timeout", "90s", "5s", builder("processingTimeout"), Duration.ofSeconds(90),
                    Duration.ofSeconds(5)),
            row("max-in-flight", "300", "50", builder("maxInFlight"), 300, 50),
            row("revocation-timeout", "12s", "3s", builder("revocationTimeout"), Duration.ofSeconds(12),
                    Duration.ofSeconds(3)),
            row("max-deliveries", "3", "4", builder("maxDeliveries"), 3, 4),
            row("share-consumers", "2", "1", builder("consumers"), 2, 1),
            row("buffer.max-bytes-per-partition", "1MB", "3MB", builder("maxBufferedBytesPerPartition"), 1024L * 1024,
                    3L * 1024 * 1024),
            row("buffer.max-bytes", "8MB", "4MB", builder("maxBufferedBytes"), 8L * 1024 * 1024, 4L * 1024 * 1024),
            row("retry.max-attempts", "5", "9", retry(RetryPolicy::maxAttempts), 5, 9),
            row("retry.backoff.initial", "10ms", "250ms", retry(RetryPolicy::initialBackoff), Duration.ofMillis(10),
                    Duration.ofMillis(250)),
            row("retry.backoff.multiplier", "3", "1.5", retry(RetryPolicy::multiplier), 3.0, 1.5),
            row("retry.backoff.max", "1s", "2s", retry(RetryPolicy::maxBackoff), Duration.ofSeconds(1),
                    Duration.ofSeconds(2)),
            // a container's list adds to that of every container
            row("retry.not-retryable", IllegalArgumentException.class.getName(), ArithmeticException.class.getName(),
                    retry((policy) -> List.of(policy.isRetryable(new IllegalArgumentException()),
                            policy.isRetryable(new ArithmeticException()))),
                    List.of(false, true), List.of(false, false)),
            // ClassCastException is not retryable by default; NumberFormatException is an IllegalArgumentException
            row("retry.retryable", ClassCastException.class.getName(), NumberFormatException.class.getName(),
                    retry((policy) -> List.of(policy.isRetryable(new ClassCastException()),
                            policy.isRetryable(new NumberFormatException()))),
                    List.of(true, false), List.of(true, true)),
            row("dead-letter.enabled", "true", "true", builder("recoverer").andThen(ContainerOptionsMappingTests::isDeadLetter),
                    true, true).under("false"),
            row("dead-letter.topic-suffix", "-dead", "-letters", builder("recoverer").andThen(
                    ContainerOptionsMappingTests::deadLetterTopicOfOrders), "orders-dead", "orders-letters"),
            row("dead-letter.headers", "spring-kafka", "kafka-consumer", builder("recoverer").andThen(
                    ContainerOptionsMappingTests::deadLetterHeaders), DeadLetterHeaders.SPRING_KAFKA,
                    DeadLetterHeaders.KAFKA_CONSUMER),
            row("properties", "fetch.min.bytes=1024", "fetch.min.bytes=2048", consumer("fetch.min.bytes"), "1024", "2048"),
            row("transaction.commit-interval", "2s", "3s", (built) -> built.settings().transaction().commitInterval(),
                    Duration.ofSeconds(2), Duration.ofSeconds(3)),
            row("transaction.max-records", "40", "50", (built) -> built.settings().transaction().maxRecords(), 40, 50));

    /** Options of share containers only, which a consumer-group container's own level refuses. */
    private static final Set<String> SHARE_ONLY = Set.of("max-deliveries", "share-consumers");

    /** Options of transactional containers only, which another container's own level refuses. */
    private static final Set<String> TRANSACTIONAL_ONLY = Set.of("transaction.commit-interval",
            "transaction.max-records");

    @Test
    void everyOptionHasARow() {
        assertThat(ROWS.keySet()).as("a row for every option of ContainerOptions")
            .containsExactlyInAnyOrderElementsOf(OptionPaths.paths());
    }

    @Test
    void everyOptionSetForEveryContainerReachesTheContainer() {
        List<String> values = new ArrayList<>();
        ROWS.values().forEach((row) -> values.add(row.property("kafka.consumer.", row.top())));
        this.contextRunner.withUserConfiguration(OrdersHandler.class)
            .withPropertyValues(values.toArray(String[]::new))
            .run((context) -> {
                Map<String, Object> built = built(context, "orders", consumerOptions());
                consumerOptions().forEach((path) -> assertThat(built.get(path)).as("kafka.consumer." + path)
                    .isEqualTo(ROWS.get(path).expectedTop()));
            });
    }

    @Test
    void everyOptionSetForOneContainerWinsOverWhatIsSetForEveryContainer() {
        List<String> values = new ArrayList<>();
        ROWS.values().forEach((row) -> values.add(row.property("kafka.consumer.", row.under())));
        consumerOptions().forEach((path) -> values.add(ROWS.get(path).property("kafka.consumer.containers.orders.",
                ROWS.get(path).own())));
        this.contextRunner.withUserConfiguration(OrdersHandler.class)
            .withPropertyValues(values.toArray(String[]::new))
            .run((context) -> {
                Map<String, Object> built = built(context, "orders", consumerOptions());
                consumerOptions().forEach((path) -> assertThat(built.get(path))
                    .as("kafka.consumer.containers.orders." + path)
                    .isEqualTo(ROWS.get(path).expectedOwn()));
            });
    }

    @Test
    void everyOptionThatAppliesToAShareContainerSetForEveryContainerReachesIt() {
        List<String> values = new ArrayList<>();
        // those that do not apply too: they are meant for the consumer-group containers, and ignored
        ROWS.values().forEach((row) -> values.add(row.property("kafka.consumer.", row.top())));
        this.contextRunner.withUserConfiguration(JobsHandler.class)
            .withPropertyValues(values.toArray(String[]::new))
            .run((context) -> {
                Map<String, Object> built = built(context, "jobs", shareOptions());
                shareOptions().forEach((path) -> assertThat(built.get(path)).as("kafka.consumer." + path)
                    .isEqualTo(path.equals("client-id") ? "shop-client-jobs" : ROWS.get(path).expectedTop()));
                assertThat(context.getBean(ConsumerContainerRegistry.class).getShare("jobs").settings().consumerProperties())
                    .containsEntry("group.id", "workers")
                    .doesNotContainKeys("auto.offset.reset", "isolation.level");
            });
    }

    @Test
    void everyOptionThatAppliesToAShareContainerSetForItWinsOverWhatIsSetForEveryContainer() {
        List<String> values = new ArrayList<>();
        shareOptions().forEach((path) -> {
            Row row = ROWS.get(path);
            values.add(row.property("kafka.consumer.", row.under()));
            values.add(row.property("kafka.consumer.containers.jobs.", row.own()));
        });
        this.contextRunner.withUserConfiguration(JobsHandler.class)
            .withPropertyValues(values.toArray(String[]::new))
            .run((context) -> {
                Map<String, Object> built = built(context, "jobs", shareOptions());
                shareOptions().forEach((path) -> assertThat(built.get(path)).as("kafka.consumer.containers.jobs." + path)
                    .isEqualTo(ROWS.get(path).expectedOwn()));
            });
    }

    @Test
    void aShareContainerThatNoLevelConfiguresIsBuiltWithTheCoresDefaults() {
        ShareConsumerContainer.Builder<String, String> core = ShareConsumerContainer.builder("defaults",
                new StringDeserializer(), new StringDeserializer());
        this.contextRunner.withUserConfiguration(JobsHandler.class).run((context) -> {
            Built jobs = builder(context, "jobs");
            jobs.container().close();
            Object built = jobs.builder();
            assertThat(built).isInstanceOf(ShareConsumerContainer.Builder.class);
            for (String field : List.of("concurrency", "virtualThreads", "maxInFlight", "processingTimeout",
                    "maxDeliveries", "lockRenewal", "maxLockRenewal")) {
                assertThat(builderField(built, field)).as(field).isEqualTo(builderField(core, field));
            }
            assertThat(builderField(built, "maxDeliveries")).isEqualTo(ShareConsumerContainer.DEFAULT_MAX_DELIVERIES);
            assertThat(builderField(built, "recoverer")).hasSameClassAs(Recoverers.logAndSkip());
            assertThat(consumer(context, "jobs")).containsEntry("group.id", "workers")
                .doesNotContainKeys("client.id", "auto.offset.reset", "isolation.level", "max.poll.records");
        });
    }

    /** The options that a consumer-group container takes: all but those of share or transactional containers only. */
    private static List<String> consumerOptions() {
        return ROWS.keySet().stream().filter((path) -> !SHARE_ONLY.contains(path) && !TRANSACTIONAL_ONLY.contains(path))
            .toList();
    }

    @Test
    void everyTransactionOptionReachesATransactionalContainerFromEveryContainersOrFromItsOwn() {
        List<String> top = new ArrayList<>();
        List<String> own = new ArrayList<>();
        TRANSACTIONAL_ONLY.forEach((path) -> {
            Row row = ROWS.get(path);
            top.add(row.property("kafka.consumer.", row.top()));
            own.add(row.property("kafka.consumer.", row.under()));
            own.add(row.property("kafka.consumer.containers.invoices.", row.own()));
        });
        this.contextRunner.withUserConfiguration(InvoicesHandler.class)
            .withPropertyValues(top.toArray(String[]::new))
            .run((context) -> {
                Map<String, Object> built = built(context, "invoices", List.copyOf(TRANSACTIONAL_ONLY));
                TRANSACTIONAL_ONLY.forEach((path) -> assertThat(built.get(path)).as("kafka.consumer." + path)
                    .isEqualTo(ROWS.get(path).expectedTop()));
            });
        this.contextRunner.withUserConfiguration(InvoicesHandler.class)
            .withPropertyValues(own.toArray(String[]::new))
            .run((context) -> {
                Map<String, Object> built = built(context, "invoices", List.copyOf(TRANSACTIONAL_ONLY));
                TRANSACTIONAL_ONLY.forEach((path) -> assertThat(built.get(path))
                    .as("kafka.consumer.containers.invoices." + path)
                    .isEqualTo(ROWS.get(path).expectedOwn()));
            });
        this.contextRunner.withUserConfiguration(OrdersHandler.class)
            .withPropertyValues("kafka.consumer.containers.orders.transaction.max-records=5")
            .run((context) -> assertThat(context).getFailure()
                .isInstanceOf(RecordHandlerDefinitionException.class)
                .hasMessageContaining("kafka.consumer.containers.orders.transaction.max-records applies to "
                        + "transactional handlers only"));
    }

    /** The options that a share container takes. */
    private static List<String> shareOptions() {
        return ROWS.keySet().stream().filter((path) -> !ShareOptions.notApplicable().contains(path)).toList();
    }

    @Test
    void theAnnotationsOptionsWinOverWhatIsSetForEveryContainerAndLoseToWhatIsSetForTheContainer() {
        this.contextRunner.withUserConfiguration(AnnotatedHandler.class)
            .withPropertyValues("kafka.consumer.group-id=shop", "kafka.consumer.concurrency=4",
                    "kafka.consumer.ordering=key", "kafka.consumer.auto-startup=true",
                    "kafka.consumer.properties.fetch.max.wait.ms=100", "app.group=from-annotation", "app.concurrency=6",
                    "app.ordering=PARTITION", "app.start=false", "app.wait=200")
            .run((context) -> {
                Map<String, Object> built = built(context, "annotated", consumerOptions());
                assertThat(built.get("group-id")).isEqualTo("from-annotation");
                assertThat(built.get("concurrency")).isEqualTo(6);
                assertThat(built.get("ordering")).isEqualTo(Ordering.PARTITION);
                assertThat(built.get("auto-startup")).isEqualTo(false);
                assertThat(consumer(context, "annotated")).containsEntry("fetch.max.wait.ms", "200");
            });
        this.contextRunner.withUserConfiguration(AnnotatedHandler.class)
            .withPropertyValues("kafka.consumer.group-id=shop", "kafka.consumer.concurrency=4",
                    "kafka.consumer.ordering=key", "kafka.consumer.properties.fetch.max.wait.ms=100",
                    "app.group=from-annotation", "app.concurrency=6", "app.ordering=PARTITION", "app.start=true",
                    "app.wait=200", "kafka.consumer.containers.annotated.group-id=special",
                    "kafka.consumer.containers.annotated.concurrency=8",
                    "kafka.consumer.containers.annotated.ordering=unordered",
                    "kafka.consumer.containers.annotated.auto-startup=false",
                    "kafka.consumer.containers.annotated.properties.fetch.max.wait.ms=300")
            .run((context) -> {
                Map<String, Object> built = built(context, "annotated", consumerOptions());
                assertThat(built.get("group-id")).isEqualTo("special");
                assertThat(built.get("concurrency")).isEqualTo(8);
                assertThat(built.get("ordering")).isEqualTo(Ordering.UNORDERED);
                assertThat(built.get("auto-startup")).isEqualTo(false);
                assertThat(consumer(context, "annotated")).containsEntry("fetch.max.wait.ms", "300");
            });
    }

    @Test
    void aContainerThatNoLevelConfiguresIsBuiltWithTheCoresDefaults() {
        ConsumerContainer.Builder<String, String> core = ConsumerContainer.builder("defaults", new StringDeserializer(),
                new StringDeserializer());
        this.contextRunner.withUserConfiguration(OrdersHandler.class).run((context) -> {
            Built orders = builder(context, "orders");
            orders.container().close();
            Object built = orders.builder();
            for (String field : List.of("concurrency", "ordering", "commitMode", "commitInterval", "virtualThreads",
                    "maxInFlight", "revocationTimeout", "processingTimeout", "maxBufferedBytesPerPartition",
                    "maxBufferedBytes")) {
                assertThat(builderField(built, field)).as(field)
                    .isEqualTo(builderField(core, field));
            }
            RetryPolicy retry = (RetryPolicy) builderField(built, "retryPolicy");
            assertThat(retry).isEqualTo(RetryPolicy.DEFAULT.withNotRetryable(
                    dev.kafkaconsumer.spring.PayloadConversionException.class,
                    dev.kafkaconsumer.spring.PayloadValidationException.class,
                    org.springframework.core.convert.ConversionException.class));
            assertThat(builderField(built, "recoverer")).hasSameClassAs(Recoverers.logAndSkip());
            assertThat(builderField(built, "keyDeserializer")).isInstanceOf(StringDeserializer.class);
            assertThat(builderField(built, "valueDeserializer")).isInstanceOf(StringDeserializer.class);
            assertThat(consumer(context, "orders")).doesNotContainKeys("client.id", "auto.offset.reset",
                    "isolation.level", "max.poll.records");
        });
    }

    @Test
    void theDeprecatedSpellingsOfAContainersOptionsStillWorkBelowTheirNewNamesAndAreLogged(CapturedOutput output) {
        this.contextRunner.withUserConfiguration(OrdersHandler.class)
            .withPropertyValues("kafka.consumer.containers.orders.max-attempts=7",
                    "kafka.consumer.containers.orders.dead-letter-enabled=true")
            .run((context) -> {
                Map<String, Object> built = built(context, "orders", consumerOptions());
                assertThat(built.get("retry.max-attempts")).isEqualTo(7);
                assertThat(built.get("dead-letter.enabled")).isEqualTo(true);
            });
        assertThat(output).contains("kafka.consumer.containers.orders.max-attempts is deprecated and will be removed; "
                + "set kafka.consumer.containers.orders.retry.max-attempts instead")
            .contains("kafka.consumer.containers.orders.dead-letter-enabled is deprecated and will be removed; "
                    + "set kafka.consumer.containers.orders.dead-letter.enabled instead");
        this.contextRunner.withUserConfiguration(OrdersHandler.class)
            .withPropertyValues("kafka.consumer.retry.max-attempts=5", "kafka.consumer.dead-letter.enabled=true",
                    "kafka.consumer.containers.orders.max-attempts=7",
                    "kafka.consumer.containers.orders.retry.max-attempts=2",
                    "kafka.consumer.containers.orders.dead-letter-enabled=true",
                    "kafka.consumer.containers.orders.dead-letter.enabled=false")
            .run((context) -> {
                Map<String, Object> built = built(context, "orders", consumerOptions());
                assertThat(built.get("retry.max-attempts")).isEqualTo(2);
                assertThat(built.get("dead-letter.enabled")).isEqualTo(false);
            });
        this.contextRunner.withUserConfiguration(OrdersHandler.class)
            .withPropertyValues("kafka.consumer.retry.max-attempts=5", "kafka.consumer.dead-letter.enabled=true",
                    "kafka.consumer.containers.orders.max-attempts=7",
                    "kafka.consumer.containers.orders.dead-letter-enabled=false")
            .run((context) -> {
                Map<String, Object> built = built(context, "orders", consumerOptions());
                assertThat(built.get("retry.max-attempts")).as("over every container's").isEqualTo(7);
                assertThat(built.get("dead-letter.enabled")).as("over every container's").isEqualTo(false);
            });
    }

    @Test
    void theModulesOwnDefaultsAreTheCoresWhereItHasThem() {
        ContainerOptions defaults = ConsumerContainerFactory.defaults(new StandardEnvironment());
        RetryPolicy retry = RetryPolicy.DEFAULT;
        assertThat(defaults.getRetry().getMaxAttempts()).isEqualTo(retry.maxAttempts());
        assertThat(defaults.getRetry().getBackoff().getInitial()).isEqualTo(retry.initialBackoff());
        assertThat(defaults.getRetry().getBackoff().getMultiplier()).isEqualTo(retry.multiplier());
        assertThat(defaults.getRetry().getBackoff().getMax()).isEqualTo(retry.maxBackoff());
        assertThat(defaults.getDeadLetter().getTopicSuffix()).isEqualTo(Recoverers.DEFAULT_DEAD_LETTER_SUFFIX);
        assertThat(defaults.getDeadLetter().getEnabled()).isFalse();
        assertThat(defaults.getDeadLetter().getHeaders()).isEqualTo(DeadLetterHeaders.KAFKA_CONSUMER);
        assertThat(defaults.getVirtualThreads()).isFalse();
        assertThat(defaults.getConcurrency()).as("the core decides").isNull();
        assertThat(ConsumerContainerFactory.defaults(new org.springframework.mock.env.MockEnvironment()
            .withProperty("spring.threads.virtual.enabled", "true")).getVirtualThreads())
            .isEqualTo(Runtime.version().feature() >= 21);
    }

    /** What the container is built with, by option path, as the rows observe it; the builder's resources closed. */
    private static Map<String, Object> built(AssertableApplicationContext context, String id, List<String> paths)
            throws Exception {
        Built built = builder(context, id);
        try {
            Map<String, Object> observed = new LinkedHashMap<>();
            paths.forEach((path) -> observed.put(path, ROWS.get(path).observe().apply(built)));
            return observed;
        }
        finally {
            built.container().close();
        }
    }

    /** Builds the container (of either kind) as its lifecycle bean would, capturing the builder. */
    private static Built builder(AssertableApplicationContext context, String id) {
        assertThat(context).hasNotFailed();
        ConsumerContainerRegistry registry = context.getBean(ConsumerContainerRegistry.class);
        ConsumerContainerFactory factory = context.getBean(ConsumerContainerFactory.class);
        AtomicReference<Object> captured = new AtomicReference<>();
        ContainerSettings settings;
        AutoCloseable container;
        if (registry.findShare(id).isPresent()) {
            settings = registry.getShare(id).settings();
            // a share container builds its share consumer with it: closed, never started
            container = factory.createShare(settings, (builder) -> {
                builder.handler((record) -> {
                });
                captured.set(builder);
            });
        }
        else {
            settings = registry.get(id).settings();
            factory.create(settings, (builder) -> {
                builder.handler((record) -> {
                });
                captured.set(builder);
            });
            Object recoverer = builderField(captured.get(), "recoverer");
            container = (recoverer instanceof AutoCloseable closeable) ? closeable : () -> {
            };
        }
        return new Built(settings, captured.get(), container);
    }

    private static Map<String, Object> consumer(AssertableApplicationContext context, String id) {
        ConsumerContainerRegistry registry = context.getBean(ConsumerContainerRegistry.class);
        return registry.findShare(id).map(ShareConsumerContainerLifecycle::settings)
            .orElseGet(() -> registry.get(id).settings())
            .consumerProperties();
    }

    private static Function<Built, Object> builder(String field) {
        return (built) -> builderField(built.builder(), field);
    }

    private static Function<Built, Object> consumer(String name) {
        return (built) -> built.settings().consumerProperties().get(name);
    }

    private static Function<Built, Object> retry(Function<RetryPolicy, Object> part) {
        return builder("retryPolicy").andThen((policy) -> part.apply((RetryPolicy) policy));
    }

    private static Object isDeadLetter(Object recoverer) {
        return recoverer.getClass().getSimpleName().equals("DeadLetterPublisher");
    }

    /** The set of headers of a dead-letter recoverer, {@code null} for another recoverer. */
    private static @Nullable Object deadLetterHeaders(Object recoverer) {
        return (boolean) isDeadLetter(recoverer) ? ReflectionTestUtils.getField(recoverer, "headerSet") : null;
    }

    /** Where a dead-letter recoverer publishes a failed record of topic "orders", {@code null} for another recoverer. */
    @SuppressWarnings("unchecked")
    private static @Nullable Object deadLetterTopicOfOrders(Object recoverer) {
        if (!(boolean) isDeadLetter(recoverer)) {
            return null;
        }
        Function<FailedRecord<Object, Object>, String> destination = (Function<FailedRecord<Object, Object>, String>) ReflectionTestUtils
            .getField(recoverer, "destination");
        ConsumerRecord<byte[], byte[]> raw = new ConsumerRecord<>("orders", 0, 0, null,
                "x".getBytes(StandardCharsets.UTF_8));
        return destination.apply(new FailedRecord<>(raw, null, new IllegalStateException(), 1));
    }

    private static Row row(String path, String top, String own, Function<Built, Object> observe, Object expectedTop,
            Object expectedOwn) {
        return new Row(path, top, own, top, observe, expectedTop, expectedOwn);
    }

    private static Map<String, Row> rows(Row... rows) {
        Map<String, Row> byPath = new LinkedHashMap<>();
        for (Row row : rows) {
            byPath.put(row.path(), row);
        }
        return byPath;
    }

    /**
     * A container as built: its settings, the core's builder (of either kind) it was built from, and what to close:
     * the share container, or the consumer-group container's recoverer (the container itself holds nothing before it
     * starts).
     */
    record Built(ContainerSettings settings, Object builder, AutoCloseable container) {
    }

    record Row(String path, String top, String own, String under, Function<Built, Object> observe, Object expectedTop,
            Object expectedOwn) {

        Row under(String value) {
            return new Row(this.path, this.top, this.own, value, this.observe, this.expectedTop, this.expectedOwn);
        }

        /** The property that sets the option under a prefix; a map option takes {@code name=value}. */
        String property(String prefix, String value) {
            return prefix + this.path + (this.path.equals("properties") ? "." : "=") + value;
        }

    }

    static class OrdersHandler {

        // takes the acknowledgement for commit-mode manual, and Strings from byte[] and ByteBuffer values
        @RecordHandler(id = "orders", topics = "orders")
        void onOrder(String value, Acknowledgement acknowledgement) {
        }

    }

    static class InvoicesHandler {

        @RecordHandler(id = "invoices", topics = "orders", transactional = true, sendTo = "invoices")
        String onOrder(String value) {
            return value;
        }

    }

    static class JobsHandler {

        @RecordHandler(id = "jobs", topics = "jobs", shareGroup = "workers")
        void onJob(String value) {
        }

    }

    static class AnnotatedHandler {

        @RecordHandler(id = "annotated", topics = "t", groupId = "${app.group}", concurrency = "${app.concurrency}",
                ordering = "${app.ordering}", autoStartup = "${app.start}", properties = "fetch.max.wait.ms=${app.wait}")
        void handle(String value) {
        }

    }


    /** A setting of a core builder (of either kind), which keeps them in its container configuration's builder. */
    private static Object builderField(Object builder, String field) {
        return ReflectionTestUtils.getField(ReflectionTestUtils.getField(builder, "config"), field);
    }

}
