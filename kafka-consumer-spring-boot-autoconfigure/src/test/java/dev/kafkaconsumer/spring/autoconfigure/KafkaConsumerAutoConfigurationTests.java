package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.util.unit.DataSize;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ClassPathResource;

import dev.kafkaconsumer.core.Acknowledgement;
import dev.kafkaconsumer.core.CommitMode;
import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.Ordering;
import dev.kafkaconsumer.core.RetryPolicy;
import dev.kafkaconsumer.core.Recoverers;
import dev.kafkaconsumer.spring.Header;
import dev.kafkaconsumer.spring.Key;
import dev.kafkaconsumer.spring.Offset;
import dev.kafkaconsumer.spring.PayloadConversionException;
import dev.kafkaconsumer.spring.PayloadValidationException;
import dev.kafkaconsumer.spring.RecordHandler;

/**
 * Conditions, binding and mapping of {@link KafkaConsumerAutoConfiguration}, without a broker: containers do
 * not start ({@code kafka.consumer.auto-startup=false}), and a container builds its client only when it starts.
 */
class KafkaConsumerAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class))
        .withPropertyValues("kafka.consumer.auto-startup=false");

    private final ApplicationContextRunner withServers = this.contextRunner
        .withPropertyValues("kafka.consumer.bootstrap-servers=localhost:9092", "kafka.consumer.group-id=app");

    @Test
    void definesTheRegistryAndNoContainerWithoutHandlers() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(ConsumerContainerRegistry.class);
            assertThat(context).doesNotHaveBean(ConsumerContainerLifecycle.class);
            assertThat(context.getBean(ConsumerContainerRegistry.class).all()).isEmpty();
        });
    }

    @Test
    void isListedInTheAutoConfigurationImports() {
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
            .contains(KafkaConsumerAutoConfiguration.class.getName());
    }

    @Test
    void registersTheFailureAnalyzers() {
        assertThat(org.springframework.core.io.support.SpringFactoriesLoader.forDefaultResourceLocation()
            .load(org.springframework.boot.diagnostics.FailureAnalyzer.class, null,
                    // Boot's own analyzers want constructor arguments that only an application gives.
                    org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler
                        .handleMessage((message, failure) -> {
                        })))
            .extracting((analyzer) -> (Object) analyzer.getClass())
            .contains(MissingBootstrapServersFailureAnalyzer.class, RecordHandlerFailureAnalyzer.class,
                    DeserializerFailureAnalyzer.class, KafkaPropertiesFailureAnalyzer.class);
    }

    @Test
    void generatesConfigurationMetadataWithDescriptions() throws Exception {
        String metadata = new ClassPathResource("META-INF/spring-configuration-metadata.json")
            .getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(metadata).contains("\"kafka.consumer.bootstrap-servers\"", "\"kafka.consumer.retry.backoff.initial\"",
                "\"kafka.consumer.dead-letter.topic-suffix\"", "Comma-separated list of host:port pairs");
    }

    @Test
    void propertyDefaultsEqualTheCoreDefaults() {
        KafkaConsumerProperties properties = new KafkaConsumerProperties();
        for (OptionPaths.Option option : OptionPaths.options()) {
            Object value = option.read(properties);
            assertThat((value instanceof java.util.Map<?, ?> map) ? (map.isEmpty() ? null : map) : value)
                .as("kafka.consumer.%s is unset until configured, so that spring.kafka.* and then the core's (or this "
                        + "module's) default apply", option.path())
                .isNull();
        }
        ConsumerContainer.Builder<String, String> core = ConsumerContainer.builder("defaults", new StringDeserializer(),
                new StringDeserializer());
        assertThat(core).extracting("config.concurrency").isEqualTo(ConsumerContainer.DEFAULT_CONCURRENCY);
        assertThat(core).extracting("config.ordering").isEqualTo(ConsumerContainer.DEFAULT_ORDERING);
        assertThat(core).extracting("config.commitMode").isEqualTo(ConsumerContainer.DEFAULT_COMMIT_MODE);
        assertThat(core).extracting("config.commitInterval").isEqualTo(ConsumerContainer.DEFAULT_COMMIT_INTERVAL);
        assertThat(core).extracting("config.revocationTimeout").isEqualTo(ConsumerContainer.DEFAULT_REVOCATION_TIMEOUT);
        assertThat(core).extracting("config.virtualThreads").isEqualTo(false);
        assertThat(core).extracting("config.retryPolicy").isEqualTo(RetryPolicy.DEFAULT);
        assertThat(core).extracting("config.processingTimeout").isNull();
        assertThat(core).extracting("config.maxBufferedBytesPerPartition").isEqualTo(DataSize.ofMegabytes(2).toBytes());
        assertThat(core).extracting("config.maxBufferedBytes").isEqualTo(DataSize.ofMegabytes(32).toBytes());
        ContainerOptions defaults = ConsumerContainerFactory.defaults(new org.springframework.core.env.StandardEnvironment());
        ContainerOptions.Retry retry = defaults.getRetry();
        assertThat(RetryPolicy.exponential(retry.getMaxAttempts(), retry.getBackoff().getInitial(),
                retry.getBackoff().getMultiplier(), retry.getBackoff().getMax())).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(defaults.getDeadLetter().getTopicSuffix()).isEqualTo(Recoverers.DEFAULT_DEAD_LETTER_SUFFIX);
        assertThat(defaults.getDeadLetter().getHeaders()).isEqualTo(dev.kafkaconsumer.core.DeadLetterHeaders.KAFKA_CONSUMER);
        assertThat(defaults.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.getAutoStartup()).isTrue();
    }

    @Test
    void mapsTheConnectionAndTheConsumerOptionsToTheConsumerProperties() {
        this.contextRunner.withUserConfiguration(OrdersHandler.class)
            .withPropertyValues("kafka.consumer.bootstrap-servers=a:9092,b:9092", "kafka.consumer.group-id=shop",
                    "kafka.consumer.client-id=shop-client", "kafka.consumer.auto-offset-reset=earliest",
                    "kafka.consumer.isolation-level=read_committed", "kafka.consumer.max-poll-records=42",
                    "kafka.consumer.security.protocol=SASL_SSL", "kafka.consumer.ssl.trust-store-location=/etc/trust.p12",
                    "kafka.consumer.ssl.trust-store-password=secret", "kafka.consumer.sasl.mechanism=PLAIN",
                    "kafka.consumer.sasl.jaas-config=jaas", "kafka.consumer.properties.fetch.min.bytes=1024",
                    "kafka.consumer.properties.max.poll.records=7")
            .run((context) -> {
                ContainerSettings settings = settings(context.getBean(ConsumerContainerRegistry.class), "orders");
                assertThat(settings.topics()).containsExactly("orders");
                assertThat(settings.autoStartup()).isFalse();
                assertThat(settings.consumerProperties()).containsEntry("bootstrap.servers", "a:9092,b:9092")
                    .containsEntry("group.id", "shop")
                    .containsEntry("client.id", "shop-client-orders")
                    .containsEntry("auto.offset.reset", "earliest")
                    .containsEntry("isolation.level", "read_committed")
                    .as("the option wins over properties.*")
                    .containsEntry("max.poll.records", 42)
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("ssl.truststore.location", "/etc/trust.p12")
                    .containsEntry("ssl.truststore.password", "secret")
                    .containsEntry("sasl.mechanism", "PLAIN")
                    .containsEntry("sasl.jaas.config", "jaas")
                    .containsEntry("fetch.min.bytes", "1024");
            });
    }

    @Test
    void followsSpringThreadsVirtualEnabledWhenVirtualThreadsIsUnset() {
        this.withServers.withUserConfiguration(OrdersHandler.class)
            .withPropertyValues("spring.threads.virtual.enabled=true")
            .run((context) -> assertThat(settings(context.getBean(ConsumerContainerRegistry.class), "orders").options()
                .getVirtualThreads()).isEqualTo(Runtime.version().feature() >= 21));
    }

    @Test
    void failsWithTheAnalyzersMessageWhenNoBootstrapServersAreSet() {
        this.contextRunner.withUserConfiguration(OrdersHandler.class)
            .withPropertyValues("kafka.consumer.group-id=app")
            .run((context) -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = new MissingBootstrapServersFailureAnalyzer()
                    .analyze(context.getStartupFailure());
                assertThat(analysis).isNotNull();
                assertThat(analysis.getDescription())
                    .startsWith("kafka.consumer.bootstrap-servers is not set; set it or spring.kafka.bootstrap-servers");
            });
    }

    @Test
    void worksWithoutSpringBootKafkaOnTheClassPath() {
        this.withServers.withUserConfiguration(OrdersHandler.class)
            .withClassLoader(new FilteredClassLoader(KafkaConnectionDetails.class))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(servers(context.getBean(ConsumerContainerRegistry.class))).isEqualTo("localhost:9092");
            });
        this.contextRunner.withUserConfiguration(OrdersHandler.class)
            .withPropertyValues("kafka.consumer.group-id=app")
            .withClassLoader(new FilteredClassLoader(KafkaConnectionDetails.class))
            .run((context) -> assertThat(context).getFailure().isInstanceOf(MissingBootstrapServersException.class));
    }

    @Test
    void backsOffWithoutTheCoreOnTheClassPath() {
        this.withServers.withUserConfiguration(OrdersHandler.class)
            .withClassLoader(new FilteredClassLoader(ConsumerContainer.class))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(ConsumerContainerRegistry.class);
            });
    }

    @Test
    void containerPropertiesOverrideTheAnnotationAndTheDefaults() {
        this.withServers.withUserConfiguration(OrdersHandler.class)
            .withPropertyValues("kafka.consumer.concurrency=2", "kafka.consumer.auto-startup=true",
                    "kafka.consumer.containers.orders.topics=a,b", "kafka.consumer.containers.orders.auto-startup=false",
                    "kafka.consumer.containers.orders.concurrency=8", "kafka.consumer.containers.orders.ordering=unordered",
                    "kafka.consumer.containers.orders.group-id=special", "kafka.consumer.containers.orders.client-id=mine",
                    "kafka.consumer.containers.orders.retry.max-attempts=1",
                    "kafka.consumer.containers.orders.value-deserializer=org.apache.kafka.common.serialization.StringDeserializer",
                    "kafka.consumer.containers.orders.properties.fetch.max.wait.ms=10")
            .run((context) -> {
                ContainerSettings settings = settings(context.getBean(ConsumerContainerRegistry.class), "orders");
                assertThat(settings.topics()).containsExactly("a", "b");
                assertThat(settings.autoStartup()).isFalse();
                assertThat(settings.options().getConcurrency()).isEqualTo(8);
                assertThat(settings.options().getOrdering()).isEqualTo(Ordering.UNORDERED);
                assertThat(settings.options().getRetry().getMaxAttempts()).isEqualTo(1);
                assertThat(settings.consumerProperties()).containsEntry("group.id", "special")
                    .containsEntry("client.id", "mine")
                    .containsEntry("fetch.max.wait.ms", "10");
            });
    }

    @Test
    void aContainersRetryBackOffAndLimitsOverrideTheDefaults() {
        this.withServers.withUserConfiguration(OrdersHandler.class)
            .withPropertyValues("kafka.consumer.retry.max-attempts=4", "kafka.consumer.retry.backoff.initial=1s",
                    "kafka.consumer.retry.not-retryable=java.lang.IllegalArgumentException",
                    "kafka.consumer.containers.orders.retry.max-attempts=9",
                    "kafka.consumer.containers.orders.retry.backoff.initial=250ms",
                    "kafka.consumer.containers.orders.retry.backoff.max=2s",
                    "kafka.consumer.containers.orders.retry.not-retryable=java.lang.ArithmeticException",
                    "kafka.consumer.containers.orders.retry.retryable=java.lang.NumberFormatException",
                    "kafka.consumer.containers.orders.processing-timeout=5s",
                    "kafka.consumer.containers.orders.max-in-flight=50",
                    "kafka.consumer.containers.orders.revocation-timeout=3s",
                    "kafka.consumer.containers.orders.buffer.max-bytes=4MB")
            .run((context) -> {
                ContainerOptions options = settings(context.getBean(ConsumerContainerRegistry.class), "orders").options();
                ContainerOptions.Retry retry = options.getRetry();
                assertThat(retry.getMaxAttempts()).isEqualTo(9);
                assertThat(retry.getBackoff().getInitial()).isEqualTo(Duration.ofMillis(250));
                assertThat(retry.getBackoff().getMultiplier()).as("the core's default").isEqualTo(2.0);
                assertThat(retry.getBackoff().getMax()).isEqualTo(Duration.ofSeconds(2));
                assertThat(retry.getNotRetryable()).as("the container's adds to the default's")
                    .containsExactly(IllegalArgumentException.class, ArithmeticException.class);
                assertThat(retry.getRetryable()).containsExactly(NumberFormatException.class);
                assertThat(options.getProcessingTimeout()).isEqualTo(Duration.ofSeconds(5));
                assertThat(options.getMaxInFlight()).isEqualTo(50);
                assertThat(options.getRevocationTimeout()).isEqualTo(Duration.ofSeconds(3));
                assertThat(options.getBuffer().getMaxBytes()).isEqualTo(DataSize.ofMegabytes(4));
                assertThat(options.getBuffer().getMaxBytesPerPartition()).as("the core's default").isNull();
            });
    }

    @Test
    void aRetryPropertyNamingAClassThatIsNoExceptionFailsStartupNamingIt() {
        this.withServers.withUserConfiguration(OrdersHandler.class)
            .withPropertyValues("kafka.consumer.retry.not-retryable=java.lang.String")
            .run((context) -> assertThat(context).getFailure()
                .isInstanceOf(InvalidExceptionClassException.class)
                .hasMessageContaining("kafka.consumer.retry.not-retryable names java.lang.String, which is not an exception"));
    }

    @Test
    void resolvesPlaceholdersInEveryAnnotationAttribute() {
        this.withServers.withUserConfiguration(PlaceholderHandler.class)
            .withPropertyValues("app.id=placed", "app.topics=t1,t2", "app.group=g", "app.concurrency=6",
                    "app.ordering=key", "app.start=false", "app.poll=7")
            .run((context) -> {
                ContainerSettings settings = settings(context.getBean(ConsumerContainerRegistry.class), "placed");
                assertThat(settings.topics()).containsExactly("t1", "t2");
                assertThat(settings.options().getConcurrency()).isEqualTo(6);
                assertThat(settings.options().getOrdering()).isEqualTo(Ordering.KEY);
                assertThat(settings.autoStartup()).isFalse();
                assertThat(settings.consumerProperties()).containsEntry("group.id", "g")
                    .containsEntry("max.poll.records", "7");
            });
    }

    @Test
    void namesAContainerAfterItsBeanAndMethodByDefault() {
        this.withServers.withBean("payments", PatternHandler.class).run((context) -> {
            ContainerSettings settings = settings(context.getBean(ConsumerContainerRegistry.class), "payments.onPayment");
            assertThat(settings.topicPattern()).isEqualTo("pay-.*");
            assertThat(settings.batch()).isTrue();
            assertThat(context).hasBean(RecordHandlerBeanPostProcessor.CONTAINER_BEAN_PREFIX + "payments.onPayment");
        });
    }

    @Test
    void stopsWithTheApplicationAContainerStillWaitingForItsBroker() {
        java.util.concurrent.atomic.AtomicReference<ConsumerContainerLifecycle> container = new java.util.concurrent.atomic.AtomicReference<>();
        this.contextRunner.withUserConfiguration(OrdersHandler.class)
            .withPropertyValues("kafka.consumer.bootstrap-servers=127.0.0.1:1", "kafka.consumer.group-id=app",
                    "kafka.consumer.auto-startup=true", "kafka.consumer.shutdown-timeout=1s")
            .run((context) -> {
                container.set(context.getBean(ConsumerContainerRegistry.class).get("orders"));
                assertThat(container.get().isRunning()).isTrue();
                assertThat(container.get().state()).isEqualTo(dev.kafkaconsumer.core.ContainerState.STARTING);
            });
        assertThat(container.get().isRunning()).isFalse();
        assertThat(container.get().state()).isEqualTo(dev.kafkaconsumer.core.ContainerState.STOPPED);
    }

    @Test
    void overridesADefaultIdWithTheBracketNotation() {
        this.withServers.withBean("payments", PatternHandler.class)
            .withPropertyValues("kafka.consumer.containers[payments.onPayment].concurrency=3")
            .run((context) -> assertThat(
                    settings(context.getBean(ConsumerContainerRegistry.class), "payments.onPayment").options()
                        .getConcurrency())
                .isEqualTo(3));
    }

    @Test
    void failsWhenAManualCommitHandlerCannotAcknowledge() {
        this.withServers.withUserConfiguration(PlaceholderHandler.class)
            .withPropertyValues("app.id=manual", "app.topics=t", "app.group=g", "app.concurrency=1",
                    "app.ordering=key", "app.start=false", "app.poll=7", "kafka.consumer.commit-mode=manual")
            .run((context) -> assertThat(context).getFailure()
                .hasMessageContaining("takes no Acknowledgement, but the commit mode is MANUAL"));
    }

    static Stream<Arguments> wrongSignatures() {
        return Stream.of(Arguments.of(ReturnsString.class, "handle(String)", "returns String; return void or CompletionStage<?>"),
                Arguments.of(TwoValues.class, "handle(String, String)", "parameter 1 (String second) is a second parameter for the value"),
                Arguments.of(UnconvertibleHeader.class, "handle(CountDownLatch)",
                        "parameter 0 (CountDownLatch latch) is @Header, but no converter turns the header's text into CountDownLatch"),
                Arguments.of(ListWithoutBatch.class, "handle(List)", "takes a batch; set @RecordHandler(batch = true)"),
                Arguments.of(RecordInBatch.class, "handle(ConsumerRecord)", "belongs to one record, but the method takes batches"),
                Arguments.of(IntOffset.class, "handle(int)", "is @Offset but not a long"),
                Arguments.of(NoTopics.class, "handle(String)", "subscribes to nothing"),
                Arguments.of(BadConcurrency.class, "handle(String)", "concurrency 'many' is not a number"));
    }

    @Test
    void failsStartupWhenNoConversionTurnsTheDeserializersOutputIntoTheParametersType() {
        this.withServers.withUserConfiguration(TypedValue.class)
            .withPropertyValues("kafka.consumer.value-deserializer=org.apache.kafka.common.serialization.LongDeserializer")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(new RecordHandlerFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
                    .contains("parameter 0 (UUID value) cannot take Long values from the configured deserializer");
            });
        this.withServers.withUserConfiguration(TypedValue.class).run((context) -> assertThat(context).hasNotFailed());
    }

    @ParameterizedTest
    @MethodSource("wrongSignatures")
    void failsStartupNamingTheMethodAndWhatIsWrong(Class<?> handler, String method, String problem) {
        this.withServers.withUserConfiguration(handler).run((context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new RecordHandlerFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains(handler.getName() + "." + method).contains(problem);
        });
    }

    @Test
    void failsWhenTwoHandlersShareAnId() {
        this.withServers.withUserConfiguration(OrdersHandler.class, DuplicateOrdersHandler.class)
            .run((context) -> assertThat(context).getFailure()
                .hasMessageContaining("uses container id 'orders', as does"));
    }

    @Test
    void failsWithTheAnalyzersMessageForAnUnknownDeserializerClass() {
        this.withServers.withUserConfiguration(OrdersHandler.class)
            .withPropertyValues("kafka.consumer.value-deserializer=com.example.MissingDeserializer")
            .run((context) -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = new DeserializerFailureAnalyzer().analyze(context.getStartupFailure());
                assertThat(analysis).isNotNull();
                assertThat(analysis.getDescription())
                    .isEqualTo("kafka.consumer.value-deserializer names class com.example.MissingDeserializer, which cannot be found");
                assertThat(analysis.getAction()).startsWith("Set kafka.consumer.value-deserializer to");
            });
    }

    @Test
    void failsWithTheAnalyzersMessageForAClassThatIsNoDeserializer() {
        this.withServers.withUserConfiguration(OrdersHandler.class)
            .withPropertyValues("kafka.consumer.containers.orders.key-deserializer=java.lang.String")
            .run((context) -> {
                FailureAnalysis analysis = new DeserializerFailureAnalyzer().analyze(context.getStartupFailure());
                assertThat(analysis).isNotNull();
                assertThat(analysis.getDescription()).startsWith(
                        "kafka.consumer.containers.orders.key-deserializer names java.lang.String, which does not implement");
            });
    }

    @Test
    void failsNamingTheKafkaConsumerPropertyThatSetABadKafkaProperty() {
        this.withServers.withUserConfiguration(OrdersHandler.class)
            .withPropertyValues("kafka.consumer.properties.max.poll.interval.ms=soon")
            .run((context) -> assertThat(context).getFailure()
                .isInstanceOf(org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("kafka.consumer.properties.max.poll.interval.ms")
                .hasMessageContaining("kafka-clients rejects it as max.poll.interval.ms"));
        this.withServers.withUserConfiguration(OrdersHandler.class)
            .withPropertyValues("kafka.consumer.auto-offset-reset=sometimes")
            .run((context) -> assertThat(context).getFailure().hasMessageContaining("kafka.consumer.auto-offset-reset"));
    }

    @Test
    void failsWithoutAGroup() {
        this.contextRunner.withUserConfiguration(OrdersHandler.class)
            .withPropertyValues("kafka.consumer.bootstrap-servers=localhost:9092")
            .run((context) -> assertThat(context).getFailure()
                .hasMessageContaining("has no consumer group; set kafka.consumer.group-id"));
    }

    @Test
    void backsOffWhenUserDefinesTheRegistryAndTheFactory() {
        this.withServers.withUserConfiguration(UserBeans.class).run((context) -> {
            assertThat(context).getBean(ConsumerContainerRegistry.class).isSameAs(context.getBean("myRegistry"));
            assertThat(context).getBean(ConsumerContainerFactory.class).isSameAs(context.getBean("myFactory"));
        });
    }

    @Test
    void attachesUnqualifiedListenersToEveryContainerAndQualifiedOnesToTheirOwn() {
        this.withServers.withUserConfiguration(Listeners.class).run((context) -> {
            ContainerBeans listeners = new ContainerBeans(context.getBeanFactory());
            assertThat(listeners.rebalanceListeners("orders")).containsExactly(context.getBean("first", ConsumerRebalanceListener.class),
                    context.getBean("forOrders", ConsumerRebalanceListener.class),
                    context.getBean("last", ConsumerRebalanceListener.class));
            assertThat(listeners.rebalanceListeners("payments")).containsExactly(context.getBean("first", ConsumerRebalanceListener.class),
                    context.getBean("last", ConsumerRebalanceListener.class));
        });
    }

    @Test
    void pauseOfAContainerThatNeverStartedSaysSo() {
        this.withServers.withUserConfiguration(OrdersHandler.class).run((context) -> {
            ConsumerContainerRegistry registry = context.getBean(ConsumerContainerRegistry.class);
            assertThat(registry.get("orders").state()).isEqualTo(dev.kafkaconsumer.core.ContainerState.NEW);
            assertThat(registry.get("orders").snapshot().partitions()).isEmpty();
            org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(() -> registry.pause("orders"))
                .withMessage("Cannot pause container 'orders': it is NEW");
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> registry.start("nope"))
                .withMessage("No consumer container with id 'nope'; known: [orders]");
        });
    }

    private static ContainerSettings settings(ConsumerContainerRegistry registry, String id) {
        return registry.get(id).settings();
    }

    private static Object servers(ConsumerContainerRegistry registry) {
        return settings(registry, "orders").consumerProperties().get("bootstrap.servers");
    }

    static class OrdersHandler {

        @RecordHandler(id = "orders", topics = "orders")
        void onOrder(@Key String key, String value, Headers headers, @Header("trace") String trace, @Offset long offset,
                TopicPartition partition, ConsumerRecord<String, String> record, Acknowledgement acknowledgement) {
        }

    }

    static class DuplicateOrdersHandler {

        @RecordHandler(id = "orders", topics = "other")
        void onOther(String value) {
        }

    }

    static class PlaceholderHandler {

        @RecordHandler(id = "${app.id}", topics = "${app.topics}", groupId = "${app.group}",
                concurrency = "${app.concurrency}", ordering = "${app.ordering}", autoStartup = "${app.start}",
                properties = "max.poll.records=${app.poll}")
        CompletionStage<?> handle(String value) {
            return null;
        }

    }

    static class PatternHandler {

        @RecordHandler(topicPattern = "pay-.*", batch = true)
        void onPayment(List<String> values, TopicPartition partition, Acknowledgement acknowledgement) {
        }

    }

    static class ReturnsString {

        @RecordHandler(topics = "t")
        String handle(String value) {
            return value;
        }

    }

    static class TwoValues {

        @RecordHandler(topics = "t")
        void handle(String first, String second) {
        }

    }

    static class UnconvertibleHeader {

        @RecordHandler(topics = "t")
        void handle(@Header("latch") java.util.concurrent.CountDownLatch latch) {
        }

    }

    static class ListWithoutBatch {

        @RecordHandler(topics = "t")
        void handle(List<ConsumerRecord<String, String>> records) {
        }

    }

    static class RecordInBatch {

        @RecordHandler(topics = "t", batch = true)
        void handle(ConsumerRecord<String, String> record) {
        }

    }

    static class TypedValue {

        @RecordHandler(topics = "t")
        void handle(java.util.UUID value) {
        }

    }

    static class IntOffset {

        @RecordHandler(topics = "t")
        void handle(@Offset int offset) {
        }

    }

    static class NoTopics {

        @RecordHandler
        void handle(String value) {
        }

    }

    static class BadConcurrency {

        @RecordHandler(topics = "t", concurrency = "many")
        void handle(String value) {
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class UserBeans {

        @Bean
        ConsumerContainerRegistry myRegistry() {
            return new ConsumerContainerRegistry(new org.springframework.beans.factory.support.DefaultListableBeanFactory()
                .getBeanProvider(ConsumerContainerLifecycle.class));
        }

        @Bean
        ConsumerContainerFactory myFactory(KafkaConsumerProperties properties,
                org.springframework.core.env.Environment environment,
                org.springframework.beans.factory.config.ConfigurableListableBeanFactory beanFactory) {
            return new ConsumerContainerFactory(properties, environment,
                    new ConsumerConnection(properties, environment, beanFactory.getBeanProvider(ConnectionDetailsReader.class),
                            beanFactory.getBeanProvider(org.springframework.boot.ssl.SslBundles.class)),
                    beanFactory.getBeanProvider(ContainerCustomizer.class),
                    beanFactory.getBeanProvider(ShareContainerCustomizer.class), new ContainerBeans(beanFactory));
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class Listeners {

        @Bean
        @Order(3)
        ConsumerRebalanceListener last() {
            return new NoOpListener();
        }

        @Bean
        @Order(1)
        ConsumerRebalanceListener first() {
            return new NoOpListener();
        }

        @Bean
        @Order(2)
        @Qualifier("orders")
        ConsumerRebalanceListener forOrders() {
            return new NoOpListener();
        }

    }

    static final class NoOpListener implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
        }

    }

}
