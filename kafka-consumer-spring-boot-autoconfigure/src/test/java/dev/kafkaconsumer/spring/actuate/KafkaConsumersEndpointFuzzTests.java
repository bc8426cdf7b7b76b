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
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.kafkaconsumer.core.ContainerSnapshot;
import dev.kafkaconsumer.core.PartitionSnapshot;
import dev.kafkaconsumer.spring.RecordHandler;
import dev.kafkaconsumer.spring.actuate.WriteRequests.Expect;
import dev.kafkaconsumer.spring.actuate.WriteRequests.Request;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerLifecycle;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerRegistry;
import dev.kafkaconsumer.test.KafkaBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * R20, hostile requests to the write operation: thousands of random and malformed requests
 * ({@link WriteRequests}: the six parameters in the body and the query with valid, out-of-range and malformed values,
 * bodies that are not a JSON object of plain values, hostile paths) sent over HTTP to one application on an in-process
 * broker, started once for the property. Each answers what {@link WriteRequests} expects: 200 for a valid request, 400
 * with the endpoint's reason for one it refuses, 404 for an unknown container, 400 or 404 for what is refused before
 * the endpoint; never 500. A request that is not valid changes nothing: both containers' states, positions and
 * committed offsets are the same after it as before. After a valid one the container settles (a seek's records are
 * handled again) before the next request. The statuses seen are written to {@code target/r20-fuzz.txt}.
 */
class KafkaConsumersEndpointFuzzTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final JsonMapper json = JsonMapper.builder().build();

    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static final Map<String, LongAdder> seen = new ConcurrentHashMap<>();

    private static KafkaBroker kafka;

    private static ConfigurableApplicationContext context;

    private static String base;

    private static long started;

    @BeforeContainer
    static void startApplication() {
        started = System.nanoTime();
        kafka = KafkaBroker.builder().start();
        kafka.createTopic(WriteRequests.TOPIC, 2);
        kafka.send(new StringSerializer(), new StringSerializer(),
                IntStream.range(0, 2 * WriteRequests.RECORDS)
                    .mapToObj((i) -> new ProducerRecord<>(WriteRequests.TOPIC, i % 2, "key-" + i, "record-" + i))
                    .toList());
        context = new SpringApplicationBuilder(Application.class)
            .properties("server.port=0", "spring.main.banner-mode=off",
                    "management.endpoints.web.exposure.include=kafkaconsumers",
                    "management.endpoint.kafkaconsumers.access=unrestricted",
                    "kafka.consumer.bootstrap-servers=" + kafka.bootstrapServers(),
                    "kafka.consumer.group-id=fuzz-" + UUID.randomUUID(), "kafka.consumer.auto-offset-reset=earliest",
                    "kafka.consumer.commit-interval=50ms", "logging.level.dev.kafkaconsumer=WARN",
                    "logging.level.org.apache.kafka=WARN",
                    // Tomcat logs every query parameter without a name at ERROR with a stack trace, and answers 400
                    "logging.level.org.apache.catalina.core.ContainerBase=OFF")
            .run();
        base = "http://localhost:" + context.getEnvironment().getProperty("local.server.port")
                + "/actuator/kafkaconsumers/";
        await().atMost(WAIT).until(() -> settled(orders().snapshot()) && orders().snapshot().partitions().size() == 2);
        seen.computeIfAbsent("ms start-up", (name) -> new LongAdder()).add((System.nanoTime() - started) / 1_000_000);
    }

    @AfterContainer
    static void stopApplication() throws IOException {
        try {
            if (context != null) {
                context.close();
            }
        }
        finally {
            if (kafka != null) {
                kafka.close();
            }
        }
        long total = seen.entrySet().stream().filter((entry) -> entry.getKey().startsWith("status "))
            .mapToLong((entry) -> entry.getValue().sum()).sum();
        String tally = "requests: " + total + ", " + new TreeMap<>(seen.entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().sum()))) + ", "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms with start-up";
        System.out.println("R20 write-operation fuzzing: " + tally);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "r20-fuzz.txt"), tally + "\n");
    }

    @Property(tries = 1500, afterFailure = AfterFailureMode.RANDOM_SEED)
    void everyRequestAnswers200Or400WithAReasonOr404AndOnlyAValidOneChangesAContainer(
            @ForAll("requests") Request request) throws Exception {
        long start = System.nanoTime();
        String before = states();
        long sent = System.nanoTime();
        HttpResponse<String> response = send(request);
        seen.computeIfAbsent("ms http", (name) -> new LongAdder()).add((System.nanoTime() - sent) / 1_000_000);
        seen.computeIfAbsent("ms state", (name) -> new LongAdder()).add((sent - start) / 1_000_000);
        int status = response.statusCode();
        count("status " + status);
        count(request.family() + " " + status);
        assertThat(status).as("%s answered %s", request, response.body()).isNotEqualTo(500);
        switch (request.expect()) {
            case OK -> {
                assertThat(status).as("%s answered %s", request, response.body()).isEqualTo(200);
                count("valid " + request.action());
                JsonNode described = json.readTree(response.body());
                switch (request.action()) {
                    case "pause" -> assertThat(described.path("state").asString()).isEqualTo("PAUSED");
                    case "resume" -> assertThat(described.path("state").asString()).isEqualTo("RUNNING");
                    default -> assertThat(described.path("state").asString()).isIn("RUNNING", "PAUSED", "NEW");
                }
                await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> settled(orders().snapshot()));
            }
            case BAD_REQUEST -> {
                assertThat(status).as("%s answered %s", request, response.body()).isEqualTo(400);
                if (request.body().length > 0 || !request.query().isEmpty()) {
                    // the endpoint's own answer: its reason, not the error page's
                    assertThat(message(response)).as("%s answered %s", request, response.body()).isNotBlank();
                }
                assertThat(states()).as("%s changed nothing", request).isEqualTo(before);
            }
            case NOT_FOUND -> {
                assertThat(status).as("%s answered %s", request, response.body()).isEqualTo(404);
                assertThat(states()).as("%s changed nothing", request).isEqualTo(before);
            }
            case REFUSED -> {
                assertThat(status).as("%s answered %s", request, response.body()).isIn(400, 404);
                assertThat(states()).as("%s changed nothing", request).isEqualTo(before);
            }
        }
    }

    @Provide
    Arbitrary<Request> requests() {
        return WriteRequests.requests();
    }

    /** The reason in a JSON answer, empty for an answer that is not JSON. */
    private static String message(HttpResponse<String> response) {
        boolean isJson = response.headers().firstValue("Content-Type").orElse("").contains("json");
        return isJson ? json.readTree(response.body()).path("message").asString("") : "";
    }

    private static void count(String key) {
        seen.computeIfAbsent(key, (name) -> new LongAdder()).increment();
    }

    private static HttpResponse<String> send(Request request) throws IOException, InterruptedException {
        String uri = base + request.path() + (request.query().isEmpty() ? "" : "?" + request.query());
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(uri))
            .timeout(WAIT)
            .header("Content-Type", "application/json");
        builder.POST((request.body().length == 0) ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ConsumerContainerLifecycle orders() {
        return context.getBean(ConsumerContainerRegistry.class).get(WriteRequests.ORDERS);
    }

    /** What a request must not change: both containers' states, and where {@code orders} stands on each partition. */
    private static String states() {
        ConsumerContainerRegistry registry = context.getBean(ConsumerContainerRegistry.class);
        return registry.all().stream().map((container) -> {
            ContainerSnapshot snapshot = container.snapshot();
            return container.id() + " " + snapshot.state() + " " + snapshot.partitions().stream()
                .map((partition) -> partition.partition() + "@" + partition.position() + "/" + partition.committed())
                .sorted()
                .toList();
        }).sorted().collect(Collectors.joining("; "));
    }

    /** Nothing in flight, everything committed where it stands, and a running container at the end of each partition. */
    private static boolean settled(ContainerSnapshot snapshot) {
        List<PartitionSnapshot> partitions = snapshot.partitions();
        return snapshot.inFlight() == 0 && partitions.stream()
            .allMatch((partition) -> partition.position().isPresent()
                    && partition.committed().equals(partition.position())
                    && (snapshot.state() != dev.kafkaconsumer.core.ContainerState.RUNNING
                            || partition.position().getAsLong() == WriteRequests.RECORDS));
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

        @RecordHandler(id = WriteRequests.ORDERS, topics = WriteRequests.TOPIC)
        void onRecord(String value) {
        }

        @RecordHandler(id = WriteRequests.IDLE, topics = WriteRequests.TOPIC, autoStartup = "false")
        void onIdleRecord(String value) {
        }

    }

}
