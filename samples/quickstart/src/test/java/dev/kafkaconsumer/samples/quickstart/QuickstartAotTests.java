package dev.kafkaconsumer.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The AOT path. The build processes the application ahead of time ({@code spring-boot-maven-plugin}'s
 * {@code process-aot}, bound before the tests in {@code pom.xml}): the bean definitions become code and the
 * reflection hints a native image would need are written next to it. These tests read those hints, and start
 * the application from its generated context in a JVM of its own ({@code -Dspring.aot.enabled=true}, the
 * application's runtime class path, without the test dependencies) on the test's broker. No native image is
 * built: there is no {@code native-image} tool here.
 */
@ExtendWith(KafkaBrokerExtension.class)
class QuickstartAotTests {

    private static final Path CLASSES = Path.of(System.getProperty("quickstart.classes", "target/classes"));

    private static final Path HINTS = CLASSES.resolve(
            "META-INF/native-image/dev.kafkaconsumer/kafka-consumer-sample-quickstart/reachability-metadata.json");

    private static final Pattern READY = Pattern.compile("http://localhost:(\\d+)/actuator/health");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void processingAheadOfTimeGeneratesTheContextAndTheHintsThatTheConsumerNeeds() {
        assertThat(CLASSES.resolve("dev/kafkaconsumer/samples/quickstart/QuickstartApplication__ApplicationContextInitializer.class"))
                .as("the generated context; run through Maven, which processes the application ahead of time first")
                .exists();
        List<JsonNode> reflection = StreamSupport.stream(JsonMapper.builder().build().readTree(HINTS.toFile())
                .get("reflection").spliterator(), false).toList();
        assertThat(members(reflection, OrderHandler.class.getName(), "methods")).as("the @RecordHandler method").contains("onOrder");
        assertThat(members(reflection, "org.apache.kafka.common.serialization.StringDeserializer", "methods"))
                .as("the default deserializer's constructor").contains("<init>");
        assertThat(members(reflection, "org.apache.kafka.clients.consumer.KafkaConsumer", "fields"))
                .as("what the engine reads for end offsets").contains("delegate");
        assertThat(reflection).as("the metrics consumer's proxy").anySatisfy((entry) -> assertThat(entry.get("type").toString())
                .contains("\"proxy\"").contains("org.apache.kafka.clients.consumer.Consumer"));
    }

    @Test
    void theApplicationStartsFromItsGeneratedContextAndConsumes(KafkaBroker kafka) throws Exception {
        String group = "quickstart-aot-" + UUID.randomUUID();
        Path log = Files.createTempFile("quickstart-aot", ".log");
        Process application = start(kafka.bootstrapServers(), group, log);
        try {
            int port = await().atMost(Duration.ofSeconds(90))
                    .until(() -> readyPort(application, log), Objects::nonNull);
            assertThat(Files.readString(log)).contains("Starting AOT-processed QuickstartApplication");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(committed(kafka, group)).isGreaterThan(100));
            assertThat(get(port, "/health")).contains("\"kafkaConsumers\"").contains("\"status\":\"UP\"");
            assertThat(get(port, "/kafkaconsumers")).contains("\"orders-5\"");
        }
        finally {
            application.destroy();
            if (!application.waitFor(30, TimeUnit.SECONDS)) {
                application.destroyForcibly().waitFor();
            }
        }
        assertThat(Files.readString(log)).as("stopped by SIGTERM, with its final commit").contains("Container orders final commit");
        Files.delete(log);
    }

    private static Process start(String bootstrapServers, String group, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dspring.aot.enabled=true", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", runtimeClasspath(),
                QuickstartApplication.class.getName(), "--server.port=0",
                "--kafka.consumer.bootstrap-servers=" + bootstrapServers, "--kafka.consumer.group-id=" + group,
                "--kafka.consumer.commit-interval=1s", "--quickstart.records-per-second=100"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The application's classes, with the generated ones, and its runtime dependencies, as Maven resolved them. */
    private static String runtimeClasspath() throws IOException {
        String file = System.getProperty("quickstart.runtime-classpath-file", "target/runtime-classpath.txt");
        List<String> entries = new ArrayList<>(List.of(CLASSES.toString()));
        Arrays.stream(Files.readString(Path.of(file)).trim().split(java.io.File.pathSeparator))
                .filter((entry) -> entry.endsWith(".jar") || Files.isDirectory(Path.of(entry)))
                .forEach(entries::add);
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static Integer readyPort(Process application, Path log) throws IOException {
        String output = Files.readString(log);
        if (!application.isAlive()) {
            fail("The AOT-processed application exited with status %d:%n%s", application.exitValue(), output);
        }
        Matcher ready = READY.matcher(output);
        return ready.find() ? Integer.valueOf(ready.group(1)) : null;
    }

    private static long committed(KafkaBroker kafka, String group) throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                    .filter(Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    private static List<String> members(List<JsonNode> reflection, String type, String kind) {
        return reflection.stream().filter((entry) -> entry.get("type").isString() && type.equals(entry.get("type").asString()))
                .filter((entry) -> entry.has(kind))
                .flatMap((entry) -> StreamSupport.stream(entry.get(kind).spliterator(), false))
                .map((member) -> member.get("name").asString())
                .toList();
    }

    private String get(int port, String path) throws Exception {
        HttpResponse<String> response = this.http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator" + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }
}
