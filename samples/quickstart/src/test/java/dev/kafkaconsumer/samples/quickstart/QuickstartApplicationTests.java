package dev.kafkaconsumer.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerRegistry;
import dev.kafkaconsumer.test.KafkaBroker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The README's first command, without Maven: the application as {@link TestQuickstartApplication} composes it,
 * on the broker that {@link DevelopmentBroker} starts.
 */
class QuickstartApplicationTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void consumesOrdersFromTheDevelopmentBrokerAndShowsThemOnTheActuator() throws Exception {
        try (ConfigurableApplicationContext context = SpringApplication.from(QuickstartApplication::main)
                .with(DevelopmentBroker.class)
                .run("--server.port=0")
                .getApplicationContext()) {
            assertThat(context.getEnvironment().getProperty(OrderProducer.BOOTSTRAP_SERVERS))
                    .as("the development broker's address").isEqualTo(context.getBean(KafkaBroker.class).bootstrapServers());
            Progress progress = context.getBean(Progress.class);
            ConsumerContainerRegistry containers = context.getBean(ConsumerContainerRegistry.class);
            String base = "http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/actuator";

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(progress.total()).isGreaterThan(100);
                assertThat(containers.get("orders").snapshot().partitions()).hasSize(6);
            });
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(get(base + "/kafkaconsumers")).contains("\"orders\"").contains("\"orders-5\"");
                assertThat(get(base + "/kafkalag")).contains("\"orders\"");
            });
            assertThat(get(base + "/health")).contains("kafkaConsumers");
            assertThat(get(base + "/prometheus")).contains("kafka_consumer_records_total");
        }
    }

    private String get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }
}
