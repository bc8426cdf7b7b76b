package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.kafkaconsumer.spring.RecordHandler;
import dev.kafkaconsumer.spring.actuate.autoconfigure.KafkaConsumersEndpointAutoConfiguration;
import dev.kafkaconsumer.spring.actuate.autoconfigure.KafkaConsumersHealthContributorAutoConfiguration;
import dev.kafkaconsumer.spring.actuate.endpoint.KafkaConsumersEndpoint;
import dev.kafkaconsumer.spring.actuate.health.KafkaConsumersHealthContributor;
import dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerAutoConfiguration;

/**
 * R10, the wrong password: a Spring Boot application's container logs in to a SASL PLAIN listener
 * with a wrong password. Within 10 s its health is DOWN and says why (the authentication error); it
 * keeps retrying with a back-off, not in a tight loop (counted with the consumer's
 * {@code failed-authentication-total} metric over 5 s); and neither the health nor the
 * {@code kafkaconsumers} endpoint shows a password.
 */
@Tag(FullSuite.TAG)
@ExtendWith({SecuredBroker.Extension.class, Results.Extension.class})
class WrongPasswordTest {

    private static final String WRONG = "not-the-password";
    private static final Duration WINDOW = Duration.ofSeconds(5);

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aWrongPasswordMakesTheHealthDownWithTheReasonAndRetriesWithABackOff(String protocol, SecuredBroker broker,
            Results results) throws Exception {
        String clientId = "r10-wrong-password-" + protocol;
        Map<String, Object> client = broker.client("PLAIN", WRONG);
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class, EndpointAutoConfiguration.class,
                        KafkaConsumersEndpointAutoConfiguration.class, KafkaConsumersHealthContributorAutoConfiguration.class))
                .withBean(OrdersHandler.class)
                .withPropertyValues("kafka.consumer.bootstrap-servers=" + client.get("bootstrap.servers"),
                        "kafka.consumer.group-id=" + clientId, "management.endpoints.web.exposure.include=*",
                        "kafka.consumer.properties.client.id=" + clientId,
                        "kafka.consumer.properties.group.protocol=" + protocol,
                        "kafka.consumer.properties.security.protocol=SASL_PLAINTEXT",
                        "kafka.consumer.properties.sasl.mechanism=PLAIN",
                        "kafka.consumer.properties.sasl.jaas.config=" + client.get("sasl.jaas.config"),
                        "kafka.consumer.properties.ssl.truststore.password=" + broker.storePassword())
                .run(context -> {
                    HealthIndicator indicator = (HealthIndicator) context.getBean(KafkaConsumersHealthContributor.class)
                            .getContributor("orders");
                    long started = System.nanoTime();
                    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                            .until(() -> indicator.health().getStatus().equals(Status.DOWN));
                    Duration surfaced = Duration.ofNanos(System.nanoTime() - started);
                    Health health = indicator.health();
                    assertThat(String.valueOf(health.getDetails().get("error"))).containsIgnoringCase("authentication failed");

                    double before = failedAuthentications(clientId);
                    LockSupport.parkNanos(WINDOW.toNanos()); // the window the attempts are counted over
                    double attempts = failedAuthentications(clientId) - before;
                    assertThat(attempts).as("failed authentications in %s: still retrying, with a back-off", WINDOW)
                            .isBetween(1.0, 20.0);
                    assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);

                    String shown = health + " " + context.getBean(KafkaConsumersEndpoint.class).containers();
                    assertThat(shown).doesNotContain(WRONG).doesNotContain(broker.password())
                            .doesNotContain(broker.storePassword()).doesNotContain("sasl.jaas.config");
                    results.note("R10 security, wrong password", protocol, String.format(
                            "health DOWN after %.1f s: %s; %.0f failed authentications in %d s; no secret in health or endpoint",
                            surfaced.toMillis() / 1000.0, health.getDetails().get("error"), attempts, WINDOW.toSeconds()));
                });
    }

    /** The consumer's count of failed authentications, from its JMX metrics. */
    private static double failedAuthentications(String clientId) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        double total = 0;
        for (ObjectName name : server.queryNames(new ObjectName("kafka.consumer:type=consumer-metrics,client-id=" + clientId), null)) {
            total += ((Number) server.getAttribute(name, "failed-authentication-total")).doubleValue();
        }
        return total;
    }

    static class OrdersHandler {

        @RecordHandler(id = "orders", topics = "orders")
        void handle(String value) {
        }
    }
}
