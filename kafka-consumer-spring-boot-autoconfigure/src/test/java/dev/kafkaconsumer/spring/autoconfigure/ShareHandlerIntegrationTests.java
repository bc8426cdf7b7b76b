package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.kafkaconsumer.core.Recoverers;
import dev.kafkaconsumer.core.ShareAcknowledgement;
import dev.kafkaconsumer.spring.DeliveryCount;
import dev.kafkaconsumer.spring.RecordHandler;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Share handlers in a web application on the in-process broker (share groups enabled): several share containers of
 * one group on one partition, a failing record redelivered until {@code max-deliveries} and dead-lettered, a handler
 * that acknowledges by hand, and what the actuator says about them over HTTP. Each record carries a unique sequence
 * number, and the tests count by it. The bodies are saved under {@code target/actuator-samples}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ShareHandlerIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final JsonMapper json = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void threeShareContainersOnOnePartitionShareItsRecordsHandlingEachOnceAndTheActuatorShowsThem(KafkaBroker kafka)
            throws Exception {
        String topic = topic(kafka, "jobs");
        String group = shareGroup(kafka, "workers");
        Received received = new Received();
        try (ConfigurableApplicationContext context = start(kafka, received, Workers.class, topic, group, group)) {
            String base = base(context);
            int count = 300;
            send(kafka, topic, count);
            await().atMost(WAIT).until(() -> received.all.size() >= count);

            List<String> sequences = received.all.stream().map(Handled::value).toList();
            assertThat(new HashSet<>(sequences)).as("every record handled").hasSize(count);
            assertThat(sequences).as("none handled twice").hasSize(count).doesNotHaveDuplicates();
            Set<String> handlers = new HashSet<>();
            received.all.forEach((handled) -> handlers.add(handled.container()));
            assertThat(handlers).as("records of the partition go to more than one container").hasSizeGreaterThan(1);

            // the broker confirms every acceptance: the three containers account for every record, once
            await().atMost(WAIT).until(() -> total(get(base + "/kafkaconsumers"), "acknowledgements", "ACCEPT") == count);
            JsonNode consumers = get(base + "/kafkaconsumers");
            assertThat(total(consumers, "deliveryCounts", "1")).as("each a first delivery").isEqualTo(count);
            JsonNode first = consumers.path("containers").path("worker-1");
            assertThat(first.path("kind").asString()).isEqualTo("share");
            assertThat(first.path("groupId").asString()).isEqualTo(group);
            assertThat(first.path("state").asString()).isEqualTo("RUNNING");
            assertThat(first.path("consumers").asInt()).isEqualTo(1);
            assertThat(first.propertyNames()).contains("kind", "id", "groupId", "clientId", "consumers", "state", "subscription",
                    "acquired", "inFlight", "acknowledgements", "deliveryCounts", "lockExpirations", "recovered",
                    "partitions");
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.find("kafka.consumer.acknowledgements").tag("type", "accept").counters().stream()
                .mapToDouble((counter) -> counter.count()).sum()).isEqualTo(count);

            // the share group's lag is the broker's, as Admin#listShareGroupOffsets gives it, never estimated
            SharePartitionOffsetInfo offsets = await().atMost(WAIT).until(() -> brokerOffsets(kafka, group, topic),
                    (info) -> info != null && info.lag().orElse(-1L) == 0);
            await().atMost(WAIT).until(() -> {
                JsonNode partition = get(base + "/kafkaconsumers/worker-2").path("partitions").path(0);
                return partition.path("startOffset").asLong(-1) == offsets.startOffset()
                        && partition.path("lag").asLong(-1) == 0;
            });
            JsonNode second = get(base + "/kafkaconsumers/worker-2");
            assertThat(second.path("partitions").path(0).path("topic").asString()).isEqualTo(topic);
            assertThat(second.path("lag").asLong(-1)).isZero();
            save("kafkaconsumers-share", get(base + "/kafkaconsumers"));

            JsonNode health = get(base + "/health/kafkaConsumers");
            save("health-share", health);
            assertThat(health.path("status").asString()).isEqualTo("UP");
            assertThat(health.path("components").path("worker-3").path("details").path("kind").asString())
                .isEqualTo("share");
            assertThat(send(base + "/kafkaconsumers/worker-1", "{\"action\":\"pause\"}").statusCode())
                .as("read-only by default").isEqualTo(405);
        }
    }

    @Test
    void aFailingRecordIsRedeliveredWithAGrowingDeliveryCountThenDeadLetteredAndRejected(KafkaBroker kafka)
            throws Exception {
        String topic = topic(kafka, "failing");
        kafka.createTopic(topic + ".DLT", 1);
        String failing = shareGroup(kafka, "failing");
        String manual = shareGroup(kafka, "manual");
        Received received = new Received();
        try (ConfigurableApplicationContext context = start(kafka, received, Failing.class, topic, failing, manual,
                "kafka.consumer.max-deliveries=3", "kafka.consumer.retry.max-attempts=1",
                "kafka.consumer.dead-letter.enabled=true", "management.endpoint.kafkaconsumers.access=unrestricted")) {
            String base = base(context);
            kafka.send(new StringSerializer(), new StringSerializer(), List.of(new ProducerRecord<>(topic, "a", "ok-1"),
                    new ProducerRecord<>(topic, "b", "bad"), new ProducerRecord<>(topic, "c", "ok-2")));

            ConsumerRecord<byte[], byte[]> letter = readOne(kafka, topic + ".DLT");
            assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("bad");
            assertThat(header(letter, Recoverers.DELIVERY_COUNT_HEADER)).isEqualTo("3");
            assertThat(received.deliveries("failing", "bad")).containsExactly(1, 2, 3);
            assertThat(received.deliveries("failing", "ok-1")).containsExactly(1);

            // the manual handler released each first delivery, then accepted, or rejected the bad one
            await().atMost(WAIT).until(() -> received.deliveries("manual", "ok-2").size() == 2
                    && acknowledged(base, "manual", "REJECT") == 1 && acknowledged(base, "manual", "ACCEPT") == 2);
            assertThat(received.deliveries("manual", "ok-1")).containsExactly(1, 2);
            assertThat(received.deliveries("manual", "bad")).containsExactly(1, 2);

            await().atMost(WAIT).until(() -> acknowledged(base, "failing", "REJECT") == 1);
            JsonNode failed = get(base + "/kafkaconsumers/failing");
            save("kafkaconsumers-share-failing", failed);
            assertThat(failed.path("acknowledgements").path("ACCEPT").asLong()).isEqualTo(2);
            assertThat(failed.path("acknowledgements").path("RELEASE").asLong()).isEqualTo(2);
            assertThat(failed.path("deliveryCounts").path("1").asLong()).isEqualTo(3);
            assertThat(failed.path("deliveryCounts").path("2").asLong()).isEqualTo(1);
            assertThat(failed.path("deliveryCounts").path("3").asLong()).isEqualTo(1);
            assertThat(failed.path("recovered").asLong()).isEqualTo(1);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("kafka.consumer.acknowledgements").tags("container", "failing", "type", "reject")
                .counter().count()).isEqualTo(1);
            await().atMost(WAIT).until(() -> meters.find("kafka.consumer.deliveries")
                .tags("container", "failing", "delivery", "3").functionCounter() != null);
            assertThat(meters.get("kafka.consumer.deliveries").tags("container", "failing", "delivery", "3")
                .functionCounter().count()).isEqualTo(1);
            assertThat(meters.get("kafka.consumer.deliveries").tags("container", "failing", "delivery", "1")
                .functionCounter().count()).isEqualTo(3);
            assertThat(meters.get("kafka.consumer.records.in.flight").tag("container", "failing").gauge().value()).isZero();

            HttpResponse<String> pause = send(base + "/kafkaconsumers/failing", "{\"action\":\"pause\"}");
            assertThat(pause.statusCode()).isEqualTo(400);
            assertThat(pause.body()).contains("is a share container, which cannot pause");
            JsonNode stopped = json.readTree(send(base + "/kafkaconsumers/failing", "{\"action\":\"stop\"}").body());
            assertThat(stopped.path("state").asString()).isEqualTo("STOPPED");
            assertThat(meters.find("kafka.consumer.records.in.flight").tag("container", "failing").gauge())
                .as("the stopped container's gauges are removed").isNull();
            assertThat(get(base + "/health/kafkaConsumers").path("components").path("failing").path("status").asString())
                .isEqualTo("UP");
        }
    }

    private ConfigurableApplicationContext start(KafkaBroker kafka, Received received, Class<?> handlers, String topic,
            String group, String otherGroup, String... properties) {
        return new SpringApplicationBuilder(Application.class, handlers)
            .initializers((context) -> context.getBeanFactory().registerSingleton("received", received))
            .properties("server.port=0", "spring.main.banner-mode=off", "test.topic=" + topic, "test.group=" + group,
                    "test.other-group=" + otherGroup,
                    "management.endpoints.web.exposure.include=health,kafkaconsumers",
                    "management.endpoint.health.show-details=always",
                    "kafka.consumer.bootstrap-servers=" + kafka.bootstrapServers(),
                    "kafka.consumer.lag.sample-interval=200ms",
                    // small acquisitions, so that the containers take turns on the one partition
                    "kafka.consumer.max-poll-records=10", "kafka.consumer.properties.share.acquire.mode=record_limit")
            .properties(properties)
            .run();
    }

    /** A share group that starts from the earliest offset: the group config, set before any member joins. */
    private static String shareGroup(KafkaBroker kafka, String prefix) throws Exception {
        String group = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = kafka.admin()) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group),
                    List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                            AlterConfigOp.OpType.SET))))
                .all()
                .get(30, TimeUnit.SECONDS);
        }
        return group;
    }

    private static SharePartitionOffsetInfo brokerOffsets(KafkaBroker kafka, String group, String topic)
            throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
                .partitionsToOffsetInfo(group)
                .get(30, TimeUnit.SECONDS)
                .get(new TopicPartition(topic, 0));
        }
    }

    private long acknowledged(String base, String id, String type) throws Exception {
        return get(base + "/kafkaconsumers/" + id).path("acknowledgements").path(type).asLong(-1);
    }

    /** The sum over every share container of one count of the endpoint's answer. */
    private static long total(JsonNode consumers, String counts, String key) {
        long total = 0;
        for (JsonNode container : consumers.path("containers").values()) {
            total += container.path(counts).path(key).asLong(0);
        }
        return total;
    }

    private static String topic(KafkaBroker kafka, String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.createTopic(name, 1);
        return name;
    }

    private static void send(KafkaBroker kafka, String topic, int count) {
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, count)
            .mapToObj((i) -> new ProducerRecord<>(topic, "k" + i, "seq-" + i))
            .toList());
    }

    private static ConsumerRecord<byte[], byte[]> readOne(KafkaBroker kafka, String topic) {
        Map<String, Object> properties = kafka.clientProperties();
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return !records.isEmpty();
            });
        }
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static String base(ConfigurableApplicationContext context) {
        return "http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/actuator";
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build();
        return json.readTree(this.http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    private HttpResponse<String> send(String url, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
        return this.http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void save(String name, JsonNode body) throws IOException {
        Path directory = Path.of("target", "actuator-samples");
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(name + ".json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    }

    /** One handler call. */
    record Handled(String container, String value, int delivery) {
    }

    /** What the handlers of one application received. */
    static final class Received {

        final List<Handled> all = new CopyOnWriteArrayList<>();

        final Map<String, List<Integer>> byRecord = new ConcurrentHashMap<>();

        void add(String container, String value, int delivery) {
            this.all.add(new Handled(container, value, delivery));
            this.byRecord.computeIfAbsent(container + "/" + value, (key) -> new CopyOnWriteArrayList<>()).add(delivery);
        }

        List<Integer> deliveries(String container, String value) {
            return this.byRecord.getOrDefault(container + "/" + value, List.of());
        }

    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

    }

    /** Three share containers of one group on one topic. */
    static class Workers {

        private final Received received;

        Workers(Received received) {
            this.received = received;
        }

        @RecordHandler(id = "worker-1", topics = "${test.topic}", shareGroup = "${test.group}")
        void first(String value, @DeliveryCount int delivery) {
            this.received.add("worker-1", value, delivery);
        }

        @RecordHandler(id = "worker-2", topics = "${test.topic}", shareGroup = "${test.group}")
        void second(String value, @DeliveryCount int delivery) {
            this.received.add("worker-2", value, delivery);
        }

        @RecordHandler(id = "worker-3", topics = "${test.topic}", shareGroup = "${test.group}")
        void third(String value, @DeliveryCount int delivery) {
            this.received.add("worker-3", value, delivery);
        }

    }

    /** A handler that fails on "bad", and, in another share group, one that acknowledges by hand. */
    static class Failing {

        private final Received received;

        Failing(Received received) {
            this.received = received;
        }

        @RecordHandler(id = "failing", topics = "${test.topic}", shareGroup = "${test.group}")
        void fail(String value, @DeliveryCount int delivery) {
            this.received.add("failing", value, delivery);
            if (value.equals("bad")) {
                throw new IllegalStateException("cannot handle " + value);
            }
        }

        @RecordHandler(id = "manual", topics = "${test.topic}", shareGroup = "${test.other-group}")
        void manual(String value, @DeliveryCount int delivery, ShareAcknowledgement acknowledgement) {
            this.received.add("manual", value, delivery);
            if (delivery == 1) {
                acknowledgement.release();
            }
            else if (value.equals("bad")) {
                acknowledgement.reject();
            }
            else {
                acknowledgement.accept();
            }
        }

    }

}
