package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.kafkaconsumer.spring.RecordHandler;

/**
 * Share handlers ({@code @RecordHandler(shareGroup)} or {@code kafka.consumer.containers.<id>.share-group}) without a
 * broker: which beans they become, which options they refuse and which they ignore, and how the registry tells the
 * two kinds apart. Containers do not start.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShareHandlerAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class))
        .withPropertyValues("kafka.consumer.bootstrap-servers=localhost:9092", "kafka.consumer.group-id=app",
                "kafka.consumer.auto-startup=false");

    /** A value for each option that does not apply to a share container. */
    private static final Map<String, String> NOT_APPLICABLE_VALUES = Map.ofEntries(Map.entry("group-id", "other"),
            Map.entry("ordering", "key"), Map.entry("commit-mode", "batch"), Map.entry("commit-interval", "1s"),
            Map.entry("revocation-timeout", "1s"), Map.entry("auto-offset-reset", "earliest"),
            Map.entry("isolation-level", "read_committed"), Map.entry("buffer.max-bytes-per-partition", "1MB"),
            Map.entry("buffer.max-bytes", "4MB"), Map.entry("transaction.commit-interval", "1s"),
            Map.entry("transaction.max-records", "5"));

    @Test
    void aHandlerWithAShareGroupBecomesAShareContainerBeanThatTheRegistryListsApart() {
        this.contextRunner.withUserConfiguration(Handlers.class).run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(RecordHandlerBeanPostProcessor.CONTAINER_BEAN_PREFIX + "jobs"))
                .isInstanceOf(ShareConsumerContainerLifecycle.class);
            assertThat(context.getBean(RecordHandlerBeanPostProcessor.CONTAINER_BEAN_PREFIX + "orders"))
                .isInstanceOf(ConsumerContainerLifecycle.class);
            ConsumerContainerRegistry registry = context.getBean(ConsumerContainerRegistry.class);
            assertThat(registry.ids()).containsExactly("jobs", "orders");
            assertThat(registry.all()).extracting(ConsumerContainerLifecycle::id).containsExactly("orders");
            assertThat(registry.shareContainers()).extracting(ShareConsumerContainerLifecycle::id).containsExactly("jobs");
            ShareConsumerContainerLifecycle jobs = registry.getShare("jobs");
            assertThat(jobs.shareGroup()).isEqualTo("workers");
            assertThat(jobs.settings().isShare()).isTrue();
            assertThat(jobs.settings().consumerProperties()).containsEntry("group.id", "workers");
            assertThat(jobs.isAutoStartup()).isFalse();
            assertThat(jobs.snapshot().state()).hasToString("NEW");
            assertThat(jobs.snapshot().acknowledgements()).hasSize(4).allSatisfy((type, count) -> assertThat(count).isZero());
            assertThat(registry.get("orders").settings().isShare()).isFalse();
        });
    }

    @Test
    void theRegistrySaysWhichKindAnIdIsAndPausesNoShareContainer() {
        this.contextRunner.withUserConfiguration(Handlers.class).run((context) -> {
            ConsumerContainerRegistry registry = context.getBean(ConsumerContainerRegistry.class);
            assertThatIllegalArgumentException().isThrownBy(() -> registry.pause("jobs"))
                .withMessage("Container 'jobs' is a share container; use getShare");
            assertThatIllegalArgumentException().isThrownBy(() -> registry.getShare("orders"))
                .withMessage("Container 'orders' is a consumer-group container; use get");
            assertThatIllegalArgumentException().isThrownBy(() -> registry.stop("nobody"))
                .withMessage("No consumer container with id 'nobody'; known: [jobs, orders]");
        });
    }

    @Test
    void theContainersShareGroupWinsOverTheAttributeAndMakesAnyHandlerAShareHandler() {
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("kafka.consumer.containers.jobs.share-group=night-shift",
                    "kafka.consumer.containers.orders.share-group=order-takers")
            .run((context) -> {
                ConsumerContainerRegistry registry = context.getBean(ConsumerContainerRegistry.class);
                assertThat(registry.all()).isEmpty();
                assertThat(registry.getShare("jobs").shareGroup()).isEqualTo("night-shift");
                assertThat(registry.getShare("orders").settings().consumerProperties()).containsEntry("group.id",
                        "order-takers");
            });
    }

    @Test
    void maxDeliveriesComesFromTheHighestLevelThatSetsIt() {
        this.contextRunner.withUserConfiguration(Handlers.class, AttributeHandler.class)
            .withPropertyValues("kafka.consumer.max-deliveries=7", "kafka.consumer.containers.jobs.max-deliveries=2",
                    "app.deliveries=3")
            .run((context) -> {
                ConsumerContainerRegistry registry = context.getBean(ConsumerContainerRegistry.class);
                assertThat(registry.getShare("jobs").settings().options().getMaxDeliveries()).isEqualTo(2);
                assertThat(registry.getShare("attributed").settings().options().getMaxDeliveries()).isEqualTo(3);
                assertThat(registry.get("orders").settings().options().getMaxDeliveries())
                    .as("set for every container, and meaningless to a consumer-group container")
                    .isEqualTo(7);
            });
    }

    @Test
    void everyOptionThatDoesNotApplyHasAValueInTheseTests() {
        assertThat(NOT_APPLICABLE_VALUES.keySet()).containsExactlyInAnyOrderElementsOf(ShareOptions.notApplicable());
        assertThat(OptionPaths.paths()).containsAll(ShareOptions.notApplicable());
    }

    static Stream<Arguments> notApplicable() {
        return ShareOptions.notApplicable().stream().map((path) -> Arguments.of(path, NOT_APPLICABLE_VALUES.get(path)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notApplicable")
    void anOptionThatDoesNotApplySetForAShareContainerFailsStartupNamingTheProperty(String path, String value) {
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("kafka.consumer.containers.jobs." + path + "=" + value)
            .run((context) -> {
                assertThat(context).getFailure()
                    .isInstanceOf(RecordHandlerDefinitionException.class)
                    .hasMessageContaining("is a share handler (share group 'workers')")
                    .hasMessageContaining("kafka.consumer.containers.jobs." + path + " does not apply to it");
                FailureAnalysis analysis = new RecordHandlerFailureAnalyzer().analyze(context.getStartupFailure());
                assertThat(analysis.getAction()).startsWith("Remove the option named above from the container's own "
                        + "configuration");
            });
    }

    @Test
    void whatDoesNotApplyInTheAnnotationOrItsPropertiesFailsStartupNamingTheAttribute() {
        this.contextRunner.withUserConfiguration(OrderedShareHandler.class)
            .run((context) -> assertThat(context).getFailure()
                .isInstanceOf(RecordHandlerDefinitionException.class)
                .hasMessageContaining("@RecordHandler(ordering) does not apply to it: the records of a partition are "
                        + "handed to several consumers at once, so no order holds; remove it"));
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("kafka.consumer.containers.jobs.properties.session.timeout.ms=3000")
            .run((context) -> assertThat(context).getFailure()
                .isInstanceOf(RecordHandlerDefinitionException.class)
                .hasMessageContaining("kafka.consumer.containers.jobs.properties sets session.timeout.ms, which a share "
                        + "consumer does not take"));
        this.contextRunner.withUserConfiguration(BatchShareHandler.class)
            .run((context) -> assertThat(context).getFailure().hasMessageContaining("remove batch = true"));
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("kafka.consumer.containers.jobs.topic-pattern=jobs-.*")
            .run((context) -> assertThat(context).getFailure()
                .isInstanceOf(RecordHandlerDefinitionException.class)
                .hasMessageContaining("a share consumer subscribes to named topics only"));
    }

    @Test
    void whatDoesNotApplySetForEveryContainerIsLeftToTheConsumerGroupContainersAndLogged(CapturedOutput output) {
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("kafka.consumer.ordering=key", "kafka.consumer.auto-offset-reset=earliest",
                    "kafka.consumer.properties.group.protocol=consumer")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                ConsumerContainerRegistry registry = context.getBean(ConsumerContainerRegistry.class);
                assertThat(registry.getShare("jobs").settings().consumerProperties())
                    .doesNotContainKeys("auto.offset.reset", "group.protocol");
                assertThat(registry.get("orders").settings().consumerProperties())
                    .containsEntry("auto.offset.reset", "earliest")
                    .containsEntry("group.protocol", "consumer");
            });
        assertThat(output).contains("Container jobs is a share container: kafka.consumer.ordering, "
                + "kafka.consumer.auto-offset-reset, kafka.consumer.properties.group.protocol do not apply to it and "
                + "are ignored")
            .doesNotContain("Container orders is a share container");
    }

    @Test
    void maxDeliveriesSetForAConsumerGroupContainerItselfFailsStartup() {
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("kafka.consumer.containers.orders.max-deliveries=3")
            .run((context) -> assertThat(context).getFailure()
                .isInstanceOf(RecordHandlerDefinitionException.class)
                .hasMessageContaining("kafka.consumer.containers.orders.max-deliveries applies to share handlers only")
                .hasMessageContaining("kafka.consumer.containers.orders.share-group"));
        this.contextRunner.withUserConfiguration(DeliveriesWithoutShareGroup.class)
            .run((context) -> assertThat(context).getFailure()
                .isInstanceOf(RecordHandlerDefinitionException.class)
                .hasMessageContaining("@RecordHandler(maxDeliveries) applies to share handlers only"));
    }

    @Test
    void shareConsumersSetForAConsumerGroupContainerItselfFailsStartup() {
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("kafka.consumer.containers.orders.share-consumers=2")
            .run((context) -> assertThat(context).getFailure()
                .isInstanceOf(RecordHandlerDefinitionException.class)
                .hasMessageContaining("kafka.consumer.containers.orders.share-consumers applies to share handlers only"));
    }

    @Test
    void moreShareConsumersThanTheConcurrencyFailStartupNamingTheProperty() {
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("kafka.consumer.containers.jobs.concurrency=2", "kafka.consumer.share-consumers=3")
            .run((context) -> assertThat(context).getFailure()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("kafka.consumer.share-consumers")
                .hasMessageContaining("must be at most the container's concurrency (2)"));
    }

    static class Handlers {

        @RecordHandler(id = "jobs", topics = "jobs", shareGroup = "workers")
        void onJob(String job) {
        }

        @RecordHandler(id = "orders", topics = "orders")
        void onOrder(String order) {
        }

    }

    static class AttributeHandler {

        @RecordHandler(id = "attributed", topics = "jobs", shareGroup = "workers", maxDeliveries = "${app.deliveries}")
        void onJob(String job) {
        }

    }

    static class OrderedShareHandler {

        @RecordHandler(id = "ordered", topics = "jobs", shareGroup = "workers", ordering = "KEY")
        void onJob(String job) {
        }

    }

    static class BatchShareHandler {

        @RecordHandler(id = "batched", topics = "jobs", shareGroup = "workers", batch = true)
        void onJobs(java.util.List<String> jobs) {
        }

    }

    static class DeliveriesWithoutShareGroup {

        @RecordHandler(id = "plain", topics = "jobs", maxDeliveries = "3")
        void onJob(String job) {
        }

    }

}
