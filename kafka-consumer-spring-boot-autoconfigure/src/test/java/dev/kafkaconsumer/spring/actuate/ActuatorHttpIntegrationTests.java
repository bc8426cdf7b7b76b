package dev.kafkaconsumer.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.RetryPolicy;
import dev.kafkaconsumer.spring.RecordHandler;
import dev.kafkaconsumer.spring.autoconfigure.ContainerCustomizer;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The endpoints and the health over HTTP, in a real web application on the in-process broker: lag built up
 * on purpose by a blocked handler and drained, write access refused by default and allowed when configured,
 * health transitions, secrets kept out. The application's JSON mapper writes snake_case, which the
 * endpoints' bodies must not follow: they are written by the actuator's own mapper, which leaves out
 * {@code null} values. The bodies are saved under {@code target/actuator-samples}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ActuatorHttpIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final String SECRET = "not-for-your-eyes";

    private static final JsonMapper json = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void lagBuiltUpByABlockedHandlerMatchesTheBrokerExactlyThenDrainsAndWritesAreRefusedByDefault(KafkaBroker kafka)
            throws Exception {
        String topic = topic(kafka, "lag", 2);
        send(kafka, topic, 2, 20);
        Gate gate = new Gate();
        String group = "lag-" + UUID.randomUUID();
        try (ConfigurableApplicationContext context = start(kafka, gate, group, topic, topic(kafka, "unused", 1),
                "kafka.consumer.health.down-on-lag-status=stall,stop")) {
            String base = base(context);
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));

            // blocked on its first record, the container commits offset 0 of each partition: lag 10 + 10
            await().atMost(WAIT).until(() -> get(base + "/kafkalag/slow").path("lag").asLong(-1) == 20);
            JsonNode lag = get(base + "/kafkalag/slow");
            assertThat(lag.has("timeLagMillis")).as("known from two samples on, left out before").isEqualTo(
                    lag.path("topics").path(topic).path("partitions").path("0").path("samples").asInt() >= 2);
            Map<TopicPartition, Long> behind = brokerLag(kafka, group, partitions);
            for (TopicPartition partition : partitions) {
                JsonNode described = lag.path("topics").path(topic).path("partitions").path(String.valueOf(partition.partition()));
                assertThat(described.path("lag").asLong()).as(partition.toString()).isEqualTo(behind.get(partition)).isEqualTo(10);
                assertThat(described.path("committed").asLong()).isZero();
                assertThat(described.path("endOffset").asLong()).isEqualTo(10);
            }
            save("kafkalag-behind", lag);

            JsonNode consumers = get(base + "/kafkaconsumers");
            save("kafkaconsumers", consumers);
            JsonNode slow = consumers.path("containers").path("slow");
            assertThat(slow.propertyNames()).containsExactly("kind", "id", "groupId", "clientId", "state", "subscription",
                    "assignment", "inFlight", "partitions");
            assertThat(slow.path("kind").asString()).isEqualTo("consumer");
            assertThat(slow.path("state").asString()).isEqualTo("RUNNING");
            assertThat(slow.path("groupId").asString()).isEqualTo(group);
            assertThat(slow.path("assignment").toString()).contains(topic + "-0", topic + "-1");
            assertThat(slow.path("partitions").get(0).path("highWatermark").asLong()).isEqualTo(10);
            assertThat(slow.path("inFlight").asInt()).isEqualTo(20);
            assertThat(body(base + "/kafkaconsumers")).doesNotContain(SECRET);
            assertThat(send(base + "/kafkaconsumers/nobody", "GET", null).statusCode()).isEqualTo(404);
            assertThat(get(base + "/kafkaconsumers/slow").propertyNames()).isEqualTo(slow.propertyNames());

            // a handler blocked with records in flight: the committed offset stays put over the window
            await().atMost(WAIT).until(() -> get(base + "/health/kafkaConsumers").path("status").asString().equals("DOWN"));
            JsonNode stalled = get(base + "/health/kafkaConsumers");
            save("health-stalled", stalled);
            assertThat(stalled.path("components").path("slow").path("details").path("lagging").toString())
                .contains(topic + "-0 STALL", topic + "-1 STALL");

            HttpResponse<String> refused = post(base + "/kafkaconsumers/slow", "{\"action\":\"pause\"}");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(405);
            assertThat(get(base + "/kafkaconsumers/slow").path("state").asString()).isEqualTo("RUNNING");

            gate.open.countDown();
            await().atMost(WAIT).until(() -> get(base + "/kafkalag/slow").path("lag").asLong(-1) == 0);
            assertThat(brokerLag(kafka, group, partitions)).containsOnly(Map.entry(partitions.get(0), 0L),
                    Map.entry(partitions.get(1), 0L));
            // the lag is live; the status and the time lag follow with the next sample
            await().atMost(WAIT).until(() -> {
                JsonNode slowLag = get(base + "/kafkalag").path("containers").path("slow");
                return slowLag.path("status").asString("").equals("OK") && slowLag.path("timeLagMillis").asLong(-1) == 0;
            });
            JsonNode drained = get(base + "/kafkalag");
            save("kafkalag", drained);
            await().atMost(WAIT).until(() -> get(base + "/health/kafkaConsumers").path("status").asString().equals("UP"));
            save("health-kafkaConsumers", get(base + "/health/kafkaConsumers"));
        }
    }

    @Test
    void writesAreAllowedWhenConfiguredAndAFailedContainerIsDownWhileAStoppedOneIsNot(KafkaBroker kafka)
            throws Exception {
        String topic = topic(kafka, "ops", 1);
        String failingTopic = topic(kafka, "failing", 1);
        send(kafka, topic, 1, 5);
        Gate gate = new Gate();
        gate.open.countDown();
        try (ConfigurableApplicationContext context = start(kafka, gate, "ops-" + UUID.randomUUID(), topic, failingTopic,
                "management.endpoint.kafkaconsumers.access=unrestricted")) {
            String base = base(context);
            await().atMost(WAIT).until(() -> gate.handled.size() == 5
                    && get(base + "/kafkaconsumers/failing").path("state").asString().equals("RUNNING"));

            assertThat(act(base, "slow", "{\"action\":\"pause\"}").path("state").asString()).isEqualTo("PAUSED");
            JsonNode seek = act(base, "slow", "{\"action\":\"seek\",\"position\":\"beginning\",\"partitions\":\"" + topic + "-0\"}");
            assertThat(seek.path("partitions").get(0).path("position").asLong()).isZero();
            await().atMost(WAIT).until(() -> get(base + "/kafkaconsumers/slow").path("partitions").get(0).path("committed").asLong(-1) == 0);
            act(base, "slow", "{\"action\":\"resume\"}");
            await().atMost(WAIT).until(() -> gate.handled.size() == 10);

            assertBadRequest(base, "slow", "{\"action\":\"seek\",\"offset\":1,\"position\":\"end\"}", "exactly one of");
            assertBadRequest(base, "slow", "{\"action\":\"seek\",\"offset\":99}", "lies outside " + topic + "-0");
            assertBadRequest(base, "slow", "{\"action\":\"seek\",\"position\":\"end\",\"partitions\":\"nodash\"}", "topic-partition");
            assertBadRequest(base, "slow", "{\"action\":\"pause\",\"offset\":3}", "Only a seek");
            assertBadRequest(base, "slow", "{\"action\":\"jump\"}", "action must be pause, resume, start, stop or seek");
            assertThat(post(base + "/kafkaconsumers/nobody", "{\"action\":\"pause\"}").statusCode()).isEqualTo(404);

            assertThat(act(base, "slow", "{\"action\":\"stop\"}").path("state").asString()).isEqualTo("STOPPED");
            JsonNode stopped = get(base + "/health/kafkaConsumers");
            assertThat(stopped.path("status").asString()).isEqualTo("UP");
            assertThat(stopped.path("components").path("slow").path("details").path("state").asString()).isEqualTo("STOPPED");

            send(kafka, failingTopic, 1, 1);
            await().atMost(WAIT).until(() -> send(base + "/health", "GET", null).statusCode() == 503);
            JsonNode down = get(base + "/health/kafkaConsumers");
            save("health-down", down);
            assertThat(down.path("status").asString()).isEqualTo("DOWN");
            assertThat(down.path("components").path("failing").path("details").path("failure").asString())
                .contains("could be neither handled nor recovered");
            assertThat(down.path("components").path("slow").path("status").asString()).isEqualTo("UP");

            assertThat(act(base, "slow", "{\"action\":\"start\"}").path("state").asString()).isIn("STARTING", "RUNNING");
        }
    }

    private void assertBadRequest(String base, String id, String body, String reason) throws Exception {
        HttpResponse<String> response = post(base + "/kafkaconsumers/" + id, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains(reason);
    }

    private ConfigurableApplicationContext start(KafkaBroker kafka, Gate gate, String group, String topic,
            String failingTopic, String... properties) {
        return new SpringApplicationBuilder(Application.class).initializers((context) -> context.getBeanFactory()
            .registerSingleton("gate", gate))
            .properties("server.port=0", "spring.main.banner-mode=off", "test.topic=" + topic,
                    "test.failing-topic=" + failingTopic,
                    "management.endpoints.web.exposure.include=health,kafkaconsumers,kafkalag",
                    "management.endpoint.health.show-details=always",
                    "spring.jackson.property-naming-strategy=SNAKE_CASE",
                    "kafka.consumer.bootstrap-servers=" + kafka.bootstrapServers(), "kafka.consumer.group-id=" + group,
                    "kafka.consumer.auto-offset-reset=earliest", "kafka.consumer.commit-interval=100ms",
                    "kafka.consumer.lag.sample-interval=100ms", "kafka.consumer.lag.window=3",
                    "kafka.consumer.properties.ssl.keystore.password=" + SECRET,
                    "kafka.consumer.properties.sasl.jaas.config=" + SECRET)
            .properties(properties)
            .run();
    }

    private static String base(ConfigurableApplicationContext context) {
        return "http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/actuator";
    }

    private JsonNode act(String base, String id, String body) throws Exception {
        HttpResponse<String> response = post(base + "/kafkaconsumers/" + id, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        return json.readTree(body(url));
    }

    private String body(String url) throws IOException, InterruptedException {
        return send(url, "GET", null).body();
    }

    private HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
        return send(url, "POST", body);
    }

    private HttpResponse<String> send(String url, String method, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void save(String name, JsonNode body) throws IOException {
        Path directory = Path.of("target", "actuator-samples");
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(name + ".json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    }

    /** The group's lag as the broker sees it: end offset minus committed offset. */
    private static Map<TopicPartition, Long> brokerLag(KafkaBroker kafka, String group, List<TopicPartition> partitions)
            throws InterruptedException, ExecutionException {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> ends = admin
                .listOffsets(partitions.stream().collect(Collectors.toMap((tp) -> tp, (tp) -> OffsetSpec.latest())))
                .all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().offset()));
            return partitions.stream().collect(Collectors.toMap((tp) -> tp, (tp) -> ends.get(tp) - committed.get(tp).offset()));
        }
    }

    private static String topic(KafkaBroker kafka, String prefix, int partitions) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.createTopic(name, partitions);
        return name;
    }

    private static void send(KafkaBroker kafka, String topic, int partitions, int count) {
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, count)
            .mapToObj((i) -> new ProducerRecord<>(topic, i % partitions, "k" + i, "v" + i))
            .toList());
    }

    /** Holds the handler until opened; counts what it handled. */
    static final class Gate {

        final CountDownLatch open = new CountDownLatch(1);

        final List<String> handled = new java.util.concurrent.CopyOnWriteArrayList<>();

    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        Handlers handlers(Gate gate) {
            return new Handlers(gate);
        }

        @Bean
        ContainerCustomizer failingRecoverer() {
            return (id, builder) -> {
                if (id.equals("failing")) {
                    builder.retryPolicy(RetryPolicy.none());
                    failingRecoverer(builder);
                }
            };
        }

        private static <K, V> void failingRecoverer(ConsumerContainer.Builder<K, V> builder) {
            builder.recoverer((failed) -> {
                throw new IllegalStateException("the dead-letter topic is down");
            });
        }

    }

    static class Handlers {

        private final Gate gate;

        Handlers(Gate gate) {
            this.gate = gate;
        }

        @RecordHandler(id = "slow", topics = "${test.topic}")
        void slow(String value) throws InterruptedException {
            this.gate.open.await();
            this.gate.handled.add(value);
        }

        @RecordHandler(id = "failing", topics = "${test.failing-topic}")
        void failing(String value) {
            throw new IllegalStateException("this record is poison");
        }

    }

}
