package dev.kafkaconsumer.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.kafkaconsumer.spring.RecordHandler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * R20, no secret shown: an application whose SASL JAAS configuration, SSL passwords and a basic-auth credential are
 * recognisable canaries, with brokers that cannot be reached, serves every endpoint of ours, the health, the metrics
 * and the Prometheus scrape; then an application with the same secrets fails startup on a bad property. None of the
 * canaries appears in a response body, in the captured output (our log lines, kafka-clients' configuration log, the
 * startup failure and its analysis) or in the startup failure's messages.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsStayOutTests {

    private static final String CANARY = "CANARY-7f3a";

    private static final List<String> SECRETS = List.of(
            "kafka.consumer.sasl.jaas-config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                    + "username=\"user\" password=\"" + CANARY + "-jaas\";",
            "kafka.consumer.ssl.key-store-password=" + CANARY + "-keystore",
            "kafka.consumer.ssl.trust-store-password=" + CANARY + "-truststore",
            "kafka.consumer.ssl.key-password=" + CANARY + "-key",
            "kafka.consumer.properties.basic.auth.user.info=user:" + CANARY + "-basic");

    private static final JsonMapper json = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void noSecretReachesAnEndpointTheHealthTheMetricsTheLogsOrAStartupFailure(CapturedOutput output) throws Exception {
        List<String> bodies = new ArrayList<>();
        try (ConfigurableApplicationContext context = application().run()) {
            String base = "http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/actuator";
            // the consumer is built and has tried the unreachable broker: kafka-clients logged its configuration
            await().atMost(Duration.ofSeconds(30)).until(() -> output.getAll().contains("ConsumerConfig values"));
            for (String path : List.of("/kafkaconsumers", "/kafkalag", "/kafkalag/orders",
                    "/health", "/health/kafkaConsumers", "/metrics", "/prometheus")) {
                HttpResponse<String> response = get(base + path);
                assertThat(response.statusCode()).as(path).isEqualTo(200);
                bodies.add(response.body());
            }
            for (JsonNode name : json.readTree(get(base + "/metrics").body()).path("names")) {
                if (name.asString().startsWith("kafka.consumer")) {
                    bodies.add(get(base + "/metrics/" + name.asString()).body());
                }
            }
        }
        Throwable failure = null;
        try (ConfigurableApplicationContext context = application()
            .properties("kafka.consumer.properties.max.poll.records=many").run()) {
            assertThat(context).as("a bad max.poll.records fails startup").isNull();
        }
        catch (RuntimeException ex) {
            failure = ex;
        }
        assertThat(failure).isNotNull();
        assertThat(output.getAll()).as("the failure analysis is printed").contains("kafka.consumer.properties.max.poll.records");
        assertThat(String.join("\n", bodies)).as("responses").doesNotContain(CANARY).contains("orders");
        assertThat(output.getAll()).as("captured output").doesNotContain(CANARY).contains("[hidden]");
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            assertThat(String.valueOf(cause.getMessage())).as("startup failure").doesNotContain(CANARY);
        }
    }

    private static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(Application.class)
            .properties("server.port=0", "spring.main.banner-mode=off",
                    "management.endpoints.web.exposure.include=health,kafkaconsumers,kafkalag,metrics,prometheus",
                    "management.endpoint.health.show-details=always", "kafka.consumer.bootstrap-servers=localhost:1",
                    "kafka.consumer.group-id=secrets", "kafka.consumer.security.protocol=SASL_PLAINTEXT",
                    "kafka.consumer.sasl.mechanism=PLAIN", "kafka.consumer.lag.sample-interval=100ms",
                    // kafka-clients' configuration logs, and every line of ours, are searched too
                    "logging.level.org.apache.kafka.common.config.AbstractConfig=INFO",
                    "logging.level.dev.kafkaconsumer=DEBUG")
            .properties(SECRETS.toArray(String[]::new));
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return this.http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        Handlers handlers() {
            return new Handlers();
        }

    }

    static class Handlers {

        @RecordHandler(id = "orders", topics = "orders")
        void onOrder(String order) {
        }

    }

}
