package dev.kafkaconsumer.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.kafkaconsumer.spring.RecordHandler;
import dev.kafkaconsumer.spring.actuate.autoconfigure.KafkaConsumerHealthProperties;
import dev.kafkaconsumer.spring.actuate.autoconfigure.KafkaConsumerLagProperties;
import dev.kafkaconsumer.spring.actuate.autoconfigure.KafkaConsumersEndpointAutoConfiguration;
import dev.kafkaconsumer.spring.actuate.autoconfigure.KafkaConsumersHealthContributorAutoConfiguration;
import dev.kafkaconsumer.spring.actuate.autoconfigure.KafkaLagEndpointAutoConfiguration;
import dev.kafkaconsumer.spring.actuate.autoconfigure.LagTrackerAutoConfiguration;
import dev.kafkaconsumer.spring.actuate.endpoint.KafkaConsumersEndpoint;
import dev.kafkaconsumer.spring.actuate.endpoint.KafkaConsumersEndpoint.Action;
import dev.kafkaconsumer.spring.actuate.endpoint.KafkaConsumersEndpoint.ContainerDescriptor;
import dev.kafkaconsumer.spring.actuate.endpoint.KafkaConsumersEndpoint.Descriptor;
import dev.kafkaconsumer.spring.actuate.endpoint.KafkaConsumersEndpoint.ShareContainerDescriptor;
import dev.kafkaconsumer.spring.actuate.endpoint.KafkaConsumersEndpointWebExtension;
import dev.kafkaconsumer.spring.actuate.endpoint.KafkaLagEndpoint;
import dev.kafkaconsumer.spring.actuate.health.KafkaConsumersHealthContributor;
import dev.kafkaconsumer.spring.actuate.lag.LagSampler;
import dev.kafkaconsumer.spring.actuate.lag.LagTracker;
import dev.kafkaconsumer.spring.actuate.lag.ShareGroupLagSampler;
import dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerAutoConfiguration;

/**
 * The actuator auto-configurations and the endpoints without a broker: containers that do not start
 * automatically, so everything here reads local state only.
 */
class ActuatorAutoConfigurationTests {

    private static final String SECRET = "not-for-your-eyes";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class, EndpointAutoConfiguration.class,
                LagTrackerAutoConfiguration.class, KafkaConsumersEndpointAutoConfiguration.class,
                KafkaLagEndpointAutoConfiguration.class, KafkaConsumersHealthContributorAutoConfiguration.class))
        .withUserConfiguration(Handlers.class)
        .withPropertyValues("kafka.consumer.bootstrap-servers=127.0.0.1:9", "kafka.consumer.group-id=orders-app",
                "kafka.consumer.auto-startup=false", "management.endpoints.web.exposure.include=*",
                "kafka.consumer.properties.ssl.keystore.password=" + SECRET,
                "kafka.consumer.properties.sasl.jaas.config=" + SECRET);

    @Test
    void registersTheTrackerTheEndpointsAndTheHealthContributor() {
        this.runner.run((context) -> {
            assertThat(context).hasSingleBean(LagTracker.class)
                .hasSingleBean(LagSampler.class)
                .hasSingleBean(KafkaConsumersEndpoint.class)
                .hasSingleBean(KafkaConsumersEndpointWebExtension.class)
                .hasSingleBean(KafkaLagEndpoint.class)
                .hasSingleBean(KafkaConsumersHealthContributor.class)
                .hasBean("kafkaConsumersHealthContributor");
            assertThat(context.getBean(LagTracker.class).window()).isEqualTo(10);
        });
    }

    @Test
    void propertyDefaultsAreDocumentedOnes() {
        KafkaConsumerLagProperties lag = new KafkaConsumerLagProperties();
        assertThat(lag.isEnabled()).isTrue();
        assertThat(lag.getSampleInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(lag.getWindow()).isEqualTo(10);
        assertThat(new KafkaConsumerHealthProperties().getDownOnLagStatus()).isEmpty();
    }

    @Test
    void theContainersEndpointIsReadOnlyUnlessOperatorsOptIn() {
        assertThat(KafkaConsumersEndpoint.class.getAnnotation(Endpoint.class).defaultAccess()).isEqualTo(Access.READ_ONLY);
    }

    @Test
    void withoutLagTrackingThereIsNoLagEndpointButTheRestStays() {
        this.runner.withPropertyValues("kafka.consumer.lag.enabled=false").run((context) -> {
            assertThat(context).doesNotHaveBean(LagTracker.class)
                .doesNotHaveBean(LagSampler.class)
                .doesNotHaveBean(KafkaLagEndpoint.class)
                .hasSingleBean(KafkaConsumersEndpoint.class)
                .hasSingleBean(KafkaConsumersHealthContributor.class);
            assertThat(((ContainerDescriptor) context.getBean(KafkaConsumersEndpoint.class).container("orders")).partitions())
                .isEmpty();
        });
    }

    @Test
    void withoutTheActuatorThereAreNoEndpointsAndWithoutHealthNoContributor() {
        this.runner.withClassLoader(new FilteredClassLoader(Endpoint.class, HealthContributor.class)).run((context) -> {
            assertThat(context).hasNotFailed()
                .hasSingleBean(LagTracker.class)
                .doesNotHaveBean(KafkaConsumersEndpoint.class)
                .doesNotHaveBean(KafkaLagEndpoint.class)
                .doesNotHaveBean(KafkaConsumersHealthContributor.class);
        });
    }

    @Test
    void theHealthContributorCanBeSwitchedOff() {
        this.runner.withPropertyValues("management.health.kafkaconsumers.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(KafkaConsumersHealthContributor.class));
    }

    @Test
    void aLagWindowOfOneSampleFailsStartupWithWhatToSet() {
        this.runner.withPropertyValues("kafka.consumer.lag.window=1")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("set kafka.consumer.lag.window to 2 or more"));
    }

    @Test
    void aTransactionalContainerShowsItsTransactionsWithoutItsProducersSecretsAndTheOthersShowNone() {
        this.runner.withBean(InvoicesHandler.class, InvoicesHandler::new)
            .withPropertyValues("kafka.consumer.producer.properties.sasl.jaas.config=" + SECRET)
            .run((context) -> {
                KafkaConsumersEndpoint endpoint = context.getBean(KafkaConsumersEndpoint.class);
                ContainerDescriptor invoices = (ContainerDescriptor) endpoint.container("invoices");
                assertThat(invoices.transactions()).isNotNull();
                assertThat(invoices.transactions().committed()).isZero();
                assertThat(invoices.transactions().aborted()).isZero();
                assertThat(invoices.transactions().lastCommit()).isNull();
                assertThat(invoices.transactions().lastAbortReason()).isNull();
                assertThat(((ContainerDescriptor) endpoint.container("orders")).transactions()).isNull();
                assertThat(endpoint.containers().toString()).doesNotContain(SECRET);
            });
    }

    @Test
    void describesContainersWithoutSecretsAnd404sUnknownOnes() {
        this.runner.run((context) -> {
            KafkaConsumersEndpoint endpoint = context.getBean(KafkaConsumersEndpoint.class);
            ContainerDescriptor orders = (ContainerDescriptor) endpoint.container("orders");
            assertThat(orders).isNotNull();
            assertThat(orders.groupId()).isEqualTo("orders-app");
            assertThat(orders.state()).isEqualTo("NEW");
            assertThat(orders.subscription()).containsExactly("orders");
            assertThat(endpoint.containers().containers()).containsOnlyKeys("orders");
            assertThat(endpoint.containers().toString()).doesNotContain(SECRET);
            assertThat(endpoint.container("nobody")).isNull();
            assertThat(endpoint.act("nobody", Action.PAUSE, null, null, null, null)).isNull();
            assertThat(context.getBean(KafkaConsumersEndpointWebExtension.class)
                .act("nobody", "pause", null, null, null, null)
                .getStatus()).isEqualTo(404);
        });
    }

    @Test
    void refusesBadActionsWithAReason() {
        this.runner.run((context) -> {
            KafkaConsumersEndpoint endpoint = context.getBean(KafkaConsumersEndpoint.class);
            assertInvalid(() -> endpoint.act("orders", Action.PAUSE, null, null, null, null),
                    "Cannot pause container 'orders': it is NEW");
            assertInvalid(() -> endpoint.act("orders", Action.RESUME, "end", null, null, null), "Only a seek");
            assertInvalid(() -> endpoint.act("orders", Action.SEEK, null, null, null, null), "exactly one of");
            assertInvalid(() -> endpoint.act("orders", Action.SEEK, "middle", null, null, null), "beginning or end");
            assertInvalid(() -> endpoint.act("orders", Action.SEEK, null, -1L, null, null), "must not be negative");
            assertInvalid(() -> endpoint.act("orders", Action.SEEK, null, null, "yesterday", null), "ISO-8601");
            assertInvalid(() -> endpoint.act("orders", Action.SEEK, "end", null, null, "orders"), "topic-partition");
            assertInvalid(() -> endpoint.act("orders", Action.SEEK, null, null, "2026-01-31T12:00:00Z", "orders-0"),
                    "was never started");
            KafkaConsumersEndpointWebExtension web = context.getBean(KafkaConsumersEndpointWebExtension.class);
            assertThat(web.act("orders", "seek", null, null, null, null).getBody()).asString().contains("exactly one of");
            assertThat(web.act("orders", null, null, null, null, null).getBody()).asString().contains("action is required");
            assertThat(web.act("orders", "jump", null, null, null, null).getBody()).asString()
                .contains("action must be pause, resume, start, stop or seek, was 'jump'");
            assertThat(web.act("orders", " Seek ", null, "1.5", null, null).getBody()).asString()
                .contains("offset must be a whole number, was '1.5'");
            assertThat(web.act("orders", "seek", null, "99999999999999999999", null, null).getBody()).asString()
                .contains("offset must be at most 9223372036854775807");
            assertThat(web.act("orders", "seek", null, null, "+999999999-12-31T23:59:59Z", null).getBody()).asString()
                .contains("within the range of a long");
            assertThat(web.act("orders", "seek", "x".repeat(100_000), null, null, null).getBody()).asString()
                .contains("(100000 characters)").hasSizeLessThan(1000);
            assertThat(web.act("orders", "seek", "end", null, null, "orders-+1").getBody()).asString()
                .contains("topic-partition");
        });
    }

    @Test
    void aContainerNotStartedIsUpAndItsHealthShowsNoSecret() {
        this.runner.run((context) -> {
            KafkaConsumersHealthContributor contributor = context.getBean(KafkaConsumersHealthContributor.class);
            Health health = ((HealthIndicator) contributor.getContributor("orders")).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("state", "NEW").containsEntry("groupId", "orders-app");
            assertThat(health.toString()).doesNotContain(SECRET);
            assertThat(contributor.getContributor("nobody")).isNull();
            assertThat(contributor.stream().map((entry) -> entry.name())).containsExactly("orders");
        });
    }

    @Test
    void everyResponseIsAnOperationResponseBodySoTheActuatorsOwnJsonMapperWritesIt() {
        this.runner.run((context) -> {
            KafkaConsumersEndpoint consumers = context.getBean(KafkaConsumersEndpoint.class);
            KafkaLagEndpoint lag = context.getBean(KafkaLagEndpoint.class);
            assertThat(List.of(consumers.containers(), consumers.container("orders"), lag.lag(), lag.containerLag("orders"),
                    context.getBean(KafkaConsumersEndpointWebExtension.class)
                        .act("orders", "seek", null, null, null, null)
                        .getBody()))
                .allSatisfy((body) -> assertThat(body).isInstanceOf(OperationResponseBody.class));
        });
    }

    @Test
    void describesHowManyShareConsumersAShareContainerRuns() {
        this.runner.withUserConfiguration(ShareHandlers.class)
            .withPropertyValues("kafka.consumer.containers.jobs.concurrency=4",
                    "kafka.consumer.containers.jobs.share-consumers=2")
            .run((context) -> {
                ShareContainerDescriptor jobs = (ShareContainerDescriptor) context.getBean(KafkaConsumersEndpoint.class)
                    .container("jobs");
                assertThat(jobs).isNotNull();
                assertThat(jobs.consumers()).isEqualTo(2);
            });
    }

    @Test
    void describesAShareContainerWithItsKindAndRefusesWhatItCannotDo() {
        this.runner.withUserConfiguration(ShareHandlers.class).run((context) -> {
            assertThat(context).hasSingleBean(ShareGroupLagSampler.class);
            KafkaConsumersEndpoint endpoint = context.getBean(KafkaConsumersEndpoint.class);
            assertThat(endpoint.containers().containers()).containsOnlyKeys("jobs", "orders");
            assertThat(endpoint.containers().containers().values()).extracting(Descriptor::kind)
                .containsExactly("share", "consumer");
            ShareContainerDescriptor jobs = (ShareContainerDescriptor) endpoint.container("jobs");
            assertThat(jobs).isNotNull();
            assertThat(jobs.kind()).isEqualTo("share");
            assertThat(jobs.groupId()).isEqualTo("workers");
            assertThat(jobs.state()).isEqualTo("NEW");
            assertThat(jobs.consumers()).isEqualTo(1);
            assertThat(jobs.subscription()).containsExactly("jobs");
            assertThat(jobs.acquired()).isZero();
            assertThat(jobs.acknowledgements()).containsExactly(Map.entry("ACCEPT", 0L), Map.entry("RELEASE", 0L),
                    Map.entry("REJECT", 0L), Map.entry("RENEW", 0L));
            assertThat(jobs.deliveryCounts()).isEmpty();
            assertThat(jobs.lag()).as("nothing asked of the broker for a container never started").isNull();
            assertThat(jobs.lagSampledAt()).isNull();
            assertThat(jobs.partitions()).isEmpty();
            assertThat(endpoint.containers().toString()).doesNotContain(SECRET);
            assertInvalid(() -> endpoint.act("jobs", Action.PAUSE, null, null, null, null),
                    "Container 'jobs' is a share container, which cannot pause");
            assertInvalid(() -> endpoint.act("jobs", Action.SEEK, "end", null, null, null), "cannot seek");
            assertInvalid(() -> endpoint.act("jobs", Action.STOP, "end", null, null, null), "Only a seek");
            assertThat(context.getBean(KafkaConsumersEndpointWebExtension.class)
                .act("jobs", "resume", null, null, null, null)
                .getStatus()).isEqualTo(400);
            KafkaConsumersHealthContributor contributor = context.getBean(KafkaConsumersHealthContributor.class);
            Health health = ((HealthIndicator) contributor.getContributor("jobs")).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("kind", "share").containsEntry("state", "NEW")
                .containsEntry("groupId", "workers");
            assertThat(contributor.stream().map((entry) -> entry.name())).containsExactly("jobs", "orders");
        });
    }

    private static void assertInvalid(Runnable action, String reason) {
        assertThatExceptionOfType(InvalidEndpointRequestException.class).isThrownBy(action::run)
            .satisfies((ex) -> assertThat(ex.getReason()).contains(reason));
    }

    @Configuration(proxyBeanMethods = false)
    static class ShareHandlers {

        @Bean
        JobsHandler jobsHandler() {
            return new JobsHandler();
        }

    }

    static class JobsHandler {

        @RecordHandler(id = "jobs", topics = "jobs", shareGroup = "workers")
        void handle(String value) {
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class Handlers {

        @Bean
        OrdersHandler ordersHandler() {
            return new OrdersHandler();
        }

    }

    static class InvoicesHandler {

        @RecordHandler(id = "invoices", topics = "orders", transactional = true, sendTo = "invoices")
        String handle(String value) {
            return value;
        }

    }

    static class OrdersHandler {

        @RecordHandler(id = "orders", topics = "orders")
        void handle(String value) {
        }

    }

}
