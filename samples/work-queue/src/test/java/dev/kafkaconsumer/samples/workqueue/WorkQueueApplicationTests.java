package dev.kafkaconsumer.samples.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.kafkaconsumer.core.Recoverers;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerRegistry;
import dev.kafkaconsumer.test.KafkaBroker;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The README's command, without Maven: the application as {@link TestWorkQueueApplication} composes it, on the
 * broker that {@link DevelopmentBroker} starts, with jobs produced faster so that a poison job comes sooner.
 */
class WorkQueueApplicationTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void threeWorkersShareTheQueueRedeliverAFlakyJobAndDeadLetterAPoisonOneDoingNoJobTwice() throws Exception {
        try (ConfigurableApplicationContext context = SpringApplication.from(WorkQueueApplication::main)
                .with(DevelopmentBroker.class)
                .run("--server.port=0", "--work-queue.jobs-per-second=400")
                .getApplicationContext()) {
            Ledger ledger = context.getBean(Ledger.class);
            ConsumerContainerRegistry containers = context.getBean(ConsumerContainerRegistry.class);
            String base = "http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/actuator";

            // the 500th job is poison (and every 1000th after it): released twice, then dead-lettered and rejected
            // on its 3rd delivery
            await().atMost(Duration.ofSeconds(60)).until(() -> containers.shareContainers().stream()
                    .mapToLong(container -> container.snapshot().acknowledgements().get(AcknowledgeType.REJECT))
                    .sum() >= 1);
            ConsumerRecord<String, String> letter = deadLetter(context.getBean(KafkaBroker.class));
            assertThat(letter.value()).matches("\\d*500:poison");
            assertThat(new String(letter.headers().lastHeader(Recoverers.DELIVERY_COUNT_HEADER).value(),
                    StandardCharsets.UTF_8)).isEqualTo("3");

            assertThat(ledger.distinctDone()).isGreaterThan(400);
            assertThat(ledger.redelivered()).as("flaky jobs done on their second delivery").isPositive();
            assertThat(ledger.doneTwice()).as("no job done twice").isZero();
            Map<String, Long> byWorker = ledger.doneByWorker();
            assertThat(byWorker).as("the three workers share the one partition").hasSize(3)
                    .allSatisfy((worker, done) -> assertThat(done).isPositive());

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(get(base + "/kafkaconsumers")).contains("\"kind\":\"share\"").contains("\"worker-3\"")
                            .contains("\"startOffset\""));
            assertThat(get(base + "/health")).contains("kafkaConsumers").contains("\"worker-1\"");
            assertThat(get(base + "/prometheus")).contains("kafka_consumer_acknowledgements_total{container=\"worker-1\",type=\"accept\"}");
        }
    }

    private static ConsumerRecord<String, String> deadLetter(KafkaBroker kafka) {
        Map<String, Object> properties = kafka.clientProperties();
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(JobProducer.TOPIC + ".DLT", 0)));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return !records.isEmpty();
            });
        }
        return records.get(0);
    }

    private String get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }
}
