package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import dev.kafkaconsumer.core.Acknowledgement;
import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.PartitionSnapshot;
import dev.kafkaconsumer.core.Recoverer;
import dev.kafkaconsumer.core.Recoverers;
import dev.kafkaconsumer.spring.Header;
import dev.kafkaconsumer.spring.Key;
import dev.kafkaconsumer.spring.Offset;
import dev.kafkaconsumer.spring.PayloadConversionException;
import dev.kafkaconsumer.spring.PayloadValidationException;
import dev.kafkaconsumer.spring.RecordHandler;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * {@code @RecordHandler} applications on the in-process broker: each test runs one or two application
 * contexts whose handlers write what they received into a {@link Received} bean that the test owns.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RecordHandlerIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @ParameterizedTest
    @ValueSource(strings = { "classic", "consumer" })
    void handlersReceiveValuesKeysHeadersAndBatches(String protocol, KafkaBroker kafka) {
        String topic = topic(kafka, "values", 1);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("trace", ("t" + i).getBytes(StandardCharsets.UTF_8));
            records.add(new ProducerRecord<>(topic, 0, "k" + i, "v" + i, headers));
        }
        kafka.send(new StringSerializer(), new StringSerializer(), records);
        Received received = new Received();
        runner(kafka, received, protocol).withUserConfiguration(ValuesHandlers.class, Customizers.class)
            .withPropertyValues("test.topic=" + topic)
            .run((context) -> {
                await().atMost(WAIT).until(() -> received.values.size() == 3 && received.batchValues().size() == 3);
                assertThat(received.values).containsExactly("k0|v0|t0|0|" + topic + "-0", "k1|v1|t1|1|" + topic + "-0",
                        "k2|v2|t2|2|" + topic + "-0");
                assertThat(received.batchValues()).containsExactly("v0", "v1", "v2");
                assertThat(received.batchPartitions).containsOnly(new TopicPartition(topic, 0));
                // each container's customizers in their order; the containers themselves come in the JVM's
                // reflection order of the handler methods, which the running of other classes can change
                assertThat(received.customized).hasSize(4)
                    .containsSubsequence("first:values", "second:values")
                    .containsSubsequence("first:values-batch", "second:values-batch");
                assertThat(received.assigned).containsOnly(new TopicPartition(topic, 0));
            });
    }

    @ParameterizedTest
    @ValueSource(strings = { "classic", "consumer" })
    void keyOrderingKeepsEachKeysOrderWithConcurrency16OnTwoPartitions(String protocol, KafkaBroker kafka) {
        String topic = topic(kafka, "keys", 2);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int sequence = 0; sequence < 100; sequence++) {
            for (int key = 0; key < 100; key++) {
                records.add(new ProducerRecord<>(topic, "key-" + key, String.valueOf(sequence)));
            }
        }
        kafka.send(new StringSerializer(), new StringSerializer(), records);
        Received received = new Received();
        runner(kafka, received, protocol).withUserConfiguration(KeyHandler.class)
            .withPropertyValues("test.topic=" + topic, "kafka.consumer.ordering=key", "kafka.consumer.concurrency=16")
            .run((context) -> {
                await().atMost(WAIT).until(() -> received.count.get() == 10_000);
                assertThat(received.byKey).hasSize(100);
                List<Integer> expected = IntStream.range(0, 100).boxed().toList();
                received.byKey.forEach((key, sequences) -> assertThat(sequences).as(key).isEqualTo(expected));
                assertThat(context.getBean(ConsumerContainerRegistry.class).get("keys").settings().options().getConcurrency())
                    .isEqualTo(16);
            });
    }

    @ParameterizedTest
    @ValueSource(strings = { "classic", "consumer" })
    void aFailingHandlerIsRetriedThenDeadLettered(String protocol, KafkaBroker kafka) {
        String topic = topic(kafka, "failing", 1);
        kafka.createTopic(topic + ".DLT", 1);
        kafka.send(new StringSerializer(), new StringSerializer(), List.of(new ProducerRecord<>(topic, "a", "ok-1"),
                new ProducerRecord<>(topic, "b", "bad"), new ProducerRecord<>(topic, "c", "ok-2")));
        Received received = new Received();
        runner(kafka, received, protocol).withUserConfiguration(FailingHandler.class)
            .withPropertyValues("test.topic=" + topic, "kafka.consumer.retry.max-attempts=3",
                    "kafka.consumer.retry.backoff.initial=10ms", "kafka.consumer.dead-letter.enabled=true")
            .run((context) -> {
                List<ConsumerRecord<byte[], byte[]>> letters = read(kafka, topic + ".DLT", 1);
                ConsumerRecord<byte[], byte[]> letter = letters.get(0);
                assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("b");
                assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("bad");
                assertThat(header(letter, Recoverers.ORIGINAL_TOPIC_HEADER)).isEqualTo(topic);
                assertThat(header(letter, Recoverers.ORIGINAL_PARTITION_HEADER)).isEqualTo("0");
                assertThat(header(letter, Recoverers.ORIGINAL_OFFSET_HEADER)).isEqualTo("1");
                assertThat(header(letter, Recoverers.ATTEMPTS_HEADER)).isEqualTo("3");
                assertThat(header(letter, Recoverers.EXCEPTION_CLASS_HEADER))
                    .isEqualTo(IllegalStateException.class.getName());
                assertThat(header(letter, Recoverers.EXCEPTION_MESSAGE_HEADER)).isEqualTo("cannot handle bad");
                await().atMost(WAIT).until(() -> received.values.size() == 2);
                assertThat(received.values).containsExactly("ok-1", "ok-2");
                assertThat(received.count).hasValue(3);
            });
    }

    @ParameterizedTest
    @ValueSource(strings = { "classic", "consumer" })
    void jsonReachesATypedHandlerAndAValueThatCannotBeConvertedOrIsInvalidIsDeadLetteredWithoutARetry(String protocol,
            KafkaBroker kafka) {
        String topic = topic(kafka, "orders", 1);
        kafka.createTopic(topic + ".DLT", 1);
        kafka.send(new StringSerializer(), new StringSerializer(), List.of(
                new ProducerRecord<>(topic, "a", "{\"id\":\"o-1\",\"quantity\":2}"),
                new ProducerRecord<>(topic, "b", "{\"id\":\"o-2\",\"quantity\":\"many\"}"),
                new ProducerRecord<>(topic, "c", "{\"id\":\"o-3\",\"quantity\":0}"),
                new ProducerRecord<>(topic, "d", "{\"id\":\"o-4\",\"quantity\":1}")));
        Received received = new Received();
        runner(kafka, received, protocol)
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ValidationAutoConfiguration.class))
            .withUserConfiguration(OrderHandler.class)
            // a retry would wait an hour: the dead letters come only because these failures are not retried
            .withPropertyValues("test.topic=" + topic, "kafka.consumer.retry.max-attempts=5",
                    "kafka.consumer.retry.backoff.initial=1h", "kafka.consumer.retry.backoff.max=1h",
                    "kafka.consumer.dead-letter.enabled=true",
                    "kafka.consumer.dead-letter.headers=spring-kafka")
            .run((context) -> {
                await().atMost(WAIT).until(() -> received.values.size() == 2);
                assertThat(received.values).containsExactly("PlacedOrder[id=o-1, quantity=2]", "PlacedOrder[id=o-4, quantity=1]");
                List<ConsumerRecord<byte[], byte[]>> letters = read(kafka, topic + ".DLT", 2);
                assertThat(letters).extracting((letter) -> new String(letter.value(), StandardCharsets.UTF_8))
                    .containsExactly("{\"id\":\"o-2\",\"quantity\":\"many\"}", "{\"id\":\"o-3\",\"quantity\":0}");
                assertThat(letters).extracting((letter) -> header(letter, "kafka_dlt-exception-fqcn")).containsExactly(
                        PayloadConversionException.class.getName(), PayloadValidationException.class.getName());
                assertThat(letters).extracting((letter) -> java.nio.ByteBuffer
                    .wrap(letter.headers().lastHeader("kafka_dlt-original-offset").value()).getLong()).containsExactly(1L, 2L);
                assertThat(header(letters.get(1), "kafka_dlt-exception-message")).contains("quantity");
                assertThat(received.count).as("handler calls: none for the two that failed before it").hasValue(2);
            });
    }

    @ParameterizedTest
    @ValueSource(strings = { "classic", "consumer" })
    void aRecovererBeanQualifiedWithAContainersIdTakesItsFailedRecords(String protocol, KafkaBroker kafka) {
        String topic = topic(kafka, "recovered", 1);
        kafka.send(new StringSerializer(), new StringSerializer(), List.of(new ProducerRecord<>(topic, "a", "ok-1"),
                new ProducerRecord<>(topic, "b", "bad"), new ProducerRecord<>(topic, "c", "ok-2")));
        Received received = new Received();
        runner(kafka, received, protocol).withUserConfiguration(FailingHandler.class, RecovererBeans.class)
            .withPropertyValues("test.topic=" + topic, "kafka.consumer.retry.max-attempts=2",
                    "kafka.consumer.retry.backoff.initial=10ms",
                    "kafka.consumer.containers.failing.retry.not-retryable=java.lang.IllegalStateException")
            .run((context) -> {
                await().atMost(WAIT).until(() -> received.values.size() == 2 && received.recovered.size() == 1);
                assertThat(received.recovered).containsExactly("failing:bad after 1");
                assertThat(received.count).as("not retried: IllegalStateException is not retryable here").hasValue(1);
            });
    }

    @ParameterizedTest
    @ValueSource(strings = { "classic", "consumer" })
    void aPoisonPillIsDeadLetteredAndThePartitionKeepsFlowing(String protocol, KafkaBroker kafka) {
        String topic = topic(kafka, "poison", 1);
        kafka.createTopic(topic + "-dead", 1);
        kafka.send(new ByteArraySerializer(), new ByteArraySerializer(),
                List.of(new ProducerRecord<>(topic, new byte[] { 1, 2, 3 }), new ProducerRecord<>(topic, longBytes(42))));
        Received received = new Received();
        runner(kafka, received, protocol).withUserConfiguration(LongHandler.class)
            .withPropertyValues("test.topic=" + topic, "kafka.consumer.dead-letter.enabled=true",
                    "kafka.consumer.dead-letter.topic-suffix=-dead",
                    "kafka.consumer.containers.longs.value-deserializer=org.apache.kafka.common.serialization.LongDeserializer")
            .run((context) -> {
                ConsumerRecord<byte[], byte[]> letter = read(kafka, topic + "-dead", 1).get(0);
                assertThat(letter.value()).containsExactly(1, 2, 3);
                assertThat(header(letter, Recoverers.ATTEMPTS_HEADER)).isEqualTo("0");
                await().atMost(WAIT).until(() -> received.values.contains("42"));
            });
    }

    @ParameterizedTest
    @ValueSource(strings = { "classic", "consumer" })
    void manualAcknowledgementCommitsExactlyWhatWasAcknowledged(String protocol, KafkaBroker kafka) throws Exception {
        String topic = topic(kafka, "manual", 1);
        kafka.send(new StringSerializer(), new StringSerializer(),
                IntStream.range(0, 10).mapToObj((i) -> new ProducerRecord<String, String>(topic, "v" + i)).toList());
        Received received = new Received();
        String group = "manual-" + UUID.randomUUID();
        runner(kafka, received, protocol).withUserConfiguration(ManualHandler.class)
            .withPropertyValues("test.topic=" + topic, "kafka.consumer.group-id=" + group,
                    "kafka.consumer.commit-mode=manual")
            .run((context) -> {
                await().atMost(WAIT).until(() -> received.count.get() == 10);
                await().atMost(WAIT).until(() -> committed(kafka, group, new TopicPartition(topic, 0)) == 5L);
            });
        // The graceful stop commits too: still only what was acknowledged.
        assertThat(committed(kafka, group, new TopicPartition(topic, 0))).isEqualTo(5L);
    }

    @ParameterizedTest
    @ValueSource(strings = { "classic", "consumer" })
    void aRestartedApplicationProcessesNothingTwice(String protocol, KafkaBroker kafka) {
        String topic = topic(kafka, "restart", 2);
        String group = "restart-" + UUID.randomUUID();
        send(kafka, topic, 0, 500);
        Received first = new Received();
        runner(kafka, first, protocol).withUserConfiguration(ValueHandler.class)
            .withPropertyValues("test.topic=" + topic, "kafka.consumer.group-id=" + group,
                    "kafka.consumer.commit-interval=10s")
            .run((context) -> await().atMost(WAIT).until(() -> first.values.size() == 500));
        send(kafka, topic, 500, 1000);
        Received second = new Received();
        runner(kafka, second, protocol).withUserConfiguration(ValueHandler.class)
            .withPropertyValues("test.topic=" + topic, "kafka.consumer.group-id=" + group)
            .run((context) -> await().atMost(WAIT).until(() -> second.values.size() == 500));
        assertThat(new HashSet<>(first.values)).hasSize(500);
        assertThat(Collections.disjoint(first.values, second.values)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "classic", "consumer" })
    void twoApplicationsInOneGroupShareThePartitionsAndTakeOverWhenOneStops(String protocol, KafkaBroker kafka) {
        String topic = topic(kafka, "shared", 4);
        String group = "shared-" + UUID.randomUUID();
        ApplicationContextRunner runner = runner(kafka, new Received(), protocol).withUserConfiguration(ValueHandler.class)
            .withPropertyValues("test.topic=" + topic, "kafka.consumer.group-id=" + group)
            .withPropertyValues(shortSessions(kafka, group, protocol));
        runner.run((one) -> {
            ConsumerContainerLifecycle first = one.getBean(ConsumerContainerRegistry.class).get("values");
            runner.run((two) -> {
                ConsumerContainerLifecycle second = two.getBean(ConsumerContainerRegistry.class).get("values");
                await().atMost(WAIT).until(() -> {
                    Set<TopicPartition> a = partitions(first);
                    Set<TopicPartition> b = partitions(second);
                    return !a.isEmpty() && !b.isEmpty() && Collections.disjoint(a, b) && a.size() + b.size() == 4;
                });
                assertThat(groupType(kafka, group)).isEqualTo(GroupType.parse(protocol));
            });
            await().atMost(WAIT).until(() -> partitions(first).size() == 4);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "classic", "consumer" })
    void theRegistryPausesResumesStopsAndRestartsAContainer(String protocol, KafkaBroker kafka) {
        String topic = topic(kafka, "registry", 1);
        Received received = new Received();
        runner(kafka, received, protocol).withUserConfiguration(ValueHandler.class)
            .withPropertyValues("test.topic=" + topic)
            .run((context) -> {
                ConsumerContainerRegistry registry = context.getBean(ConsumerContainerRegistry.class);
                assertThat(registry.all()).extracting(ConsumerContainerLifecycle::id).containsExactly("values");
                assertThat(registry.get("values").isRunning()).isTrue();
                await().atMost(WAIT).until(() -> registry.get("values").state() == ContainerState.RUNNING);
                registry.pause("values");
                assertThat(registry.get("values").state()).isEqualTo(ContainerState.PAUSED);
                registry.resume("values");
                assertThat(registry.get("values").state()).isEqualTo(ContainerState.RUNNING);
                registry.stop("values");
                assertThat(registry.get("values").state()).isEqualTo(ContainerState.STOPPED);
                assertThat(registry.get("values").isRunning()).isFalse();
                registry.start("values");
                assertThat(registry.get("values").isRunning()).isTrue();
                await().atMost(WAIT).until(() -> registry.get("values").state() == ContainerState.RUNNING);
                send(kafka, topic, 0, 3);
                await().atMost(WAIT).until(() -> received.values.size() == 3);
            });
    }

    @ParameterizedTest
    @ValueSource(strings = { "classic", "consumer" })
    void connectsThroughAKafkaConnectionDetailsBeanPointingAtTheBroker(String protocol, KafkaBroker kafka) {
        String topic = topic(kafka, "details", 1);
        send(kafka, topic, 0, 3);
        Received received = new Received();
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class))
            .withBean(Received.class, () -> received)
            .withBean(KafkaConnectionDetails.class, () -> () -> List.of(kafka.bootstrapServers()))
            .withUserConfiguration(ValueHandler.class)
            .withPropertyValues("test.topic=" + topic, "kafka.consumer.group-id=details-" + UUID.randomUUID(),
                    "kafka.consumer.auto-offset-reset=earliest", "kafka.consumer.properties.group.protocol=" + protocol)
            .run((context) -> await().atMost(WAIT).until(() -> received.values.size() == 3));
    }

    private static ApplicationContextRunner runner(KafkaBroker kafka, Received received, String protocol) {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class))
            .withBean(Received.class, () -> received)
            .withPropertyValues("kafka.consumer.bootstrap-servers=" + kafka.bootstrapServers(),
                    "kafka.consumer.group-id=group-" + UUID.randomUUID(), "kafka.consumer.auto-offset-reset=earliest",
                    "kafka.consumer.commit-interval=100ms", "kafka.consumer.properties.group.protocol=" + protocol);
    }

    /**
     * Gives the group's members a short session timeout, so that a member that left without a word would
     * be noticed in seconds: a client property under {@code classic}, a group config on the broker under
     * {@code consumer} (KIP-848).
     */
    private static String[] shortSessions(KafkaBroker kafka, String group, String protocol) {
        if (protocol.equals("classic")) {
            return new String[] { "kafka.consumer.properties.session.timeout.ms=3000",
                    "kafka.consumer.properties.heartbeat.interval.ms=500" };
        }
        try (Admin admin = kafka.admin()) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), List.of(
                    new AlterConfigOp(new ConfigEntry("consumer.session.timeout.ms", "3000"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("consumer.heartbeat.interval.ms", "500"), AlterConfigOp.OpType.SET))))
                .all()
                .get(30, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not configure group " + group, ex);
        }
        return new String[0];
    }

    private static GroupType groupType(KafkaBroker kafka, String group) throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS).type();
        }
    }

    private static String topic(KafkaBroker kafka, String prefix, int partitions) {
        String name = prefix + "-" + UUID.randomUUID();
        kafka.createTopic(name, partitions);
        return name;
    }

    private static void send(KafkaBroker kafka, String topic, int from, int to) {
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(from, to)
            .mapToObj((i) -> new ProducerRecord<>(topic, "key-" + (i % 10), "value-" + i))
            .toList());
    }

    private static Set<TopicPartition> partitions(ConsumerContainerLifecycle container) {
        Set<TopicPartition> partitions = new HashSet<>();
        for (PartitionSnapshot partition : container.snapshot().partitions()) {
            partitions.add(partition.partition());
        }
        return partitions;
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(KafkaBroker kafka, String topic, int count) {
        Map<String, Object> properties = kafka.clientProperties();
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            await().atMost(WAIT).until(() -> {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(200));
                polled.forEach(records::add);
                return records.size() >= count;
            });
        }
        return records;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static long committed(KafkaBroker kafka, String group, TopicPartition partition) throws Exception {
        try (Admin admin = kafka.admin()) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                .get(partition);
            return (offset != null) ? offset.offset() : -1;
        }
    }

    private static byte[] longBytes(long value) {
        return java.nio.ByteBuffer.allocate(8).putLong(value).array();
    }

    /** What the handlers of one application received. */
    static final class Received {

        final List<String> values = new CopyOnWriteArrayList<>();

        final List<List<String>> batches = new CopyOnWriteArrayList<>();

        final Set<TopicPartition> batchPartitions = ConcurrentHashMap.newKeySet();

        final Map<String, List<Integer>> byKey = new ConcurrentHashMap<>();

        final AtomicInteger count = new AtomicInteger();

        final List<String> customized = new CopyOnWriteArrayList<>();

        final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();

        final List<String> recovered = new CopyOnWriteArrayList<>();

        List<String> batchValues() {
            return this.batches.stream().flatMap(List::stream).toList();
        }

    }

    static class ValuesHandlers {

        private final Received received;

        ValuesHandlers(Received received) {
            this.received = received;
        }

        @RecordHandler(id = "values", topics = "${test.topic}")
        void onRecord(@Key String key, String value, @Header("trace") String trace, @Offset long offset,
                TopicPartition partition) {
            this.received.values.add(key + "|" + value + "|" + trace + "|" + offset + "|" + partition);
        }

        @RecordHandler(id = "values-batch", topics = "${test.topic}", groupId = "batch-${random.uuid}", batch = true)
        void onBatch(List<String> values, TopicPartition partition) {
            this.received.batches.add(values);
            this.received.batchPartitions.add(partition);
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {

        @Bean
        @Order(2)
        ContainerCustomizer second(Received received) {
            return (id, builder) -> received.customized.add("second:" + id);
        }

        @Bean
        @Order(1)
        ContainerCustomizer first(Received received) {
            return (id, builder) -> received.customized.add("first:" + id);
        }

        @Bean
        ConsumerRebalanceListener assignments(Received received) {
            return new ConsumerRebalanceListener() {

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    received.assigned.addAll(partitions);
                }

            };
        }

    }

    static class KeyHandler {

        private final Received received;

        KeyHandler(Received received) {
            this.received = received;
        }

        @RecordHandler(id = "keys", topics = "${test.topic}")
        void handle(ConsumerRecord<String, String> record) {
            // Appends without a lock: under KEY ordering one key is never handled twice at once.
            this.received.byKey.computeIfAbsent(record.key(), (key) -> new ArrayList<>())
                .add(Integer.valueOf(record.value()));
            this.received.count.incrementAndGet();
        }

    }

    static class FailingHandler {

        private final Received received;

        FailingHandler(Received received) {
            this.received = received;
        }

        @RecordHandler(id = "failing", topics = "${test.topic}")
        void handle(String value) {
            if (value.equals("bad")) {
                this.received.count.incrementAndGet();
                throw new IllegalStateException("cannot handle bad");
            }
            this.received.values.add(value);
        }

    }

    static class LongHandler {

        private final Received received;

        LongHandler(Received received) {
            this.received = received;
        }

        @RecordHandler(id = "longs", topics = "${test.topic}")
        void handle(Long value) {
            this.received.values.add(String.valueOf(value));
        }

    }

    static class ManualHandler {

        private final Received received;

        ManualHandler(Received received) {
            this.received = received;
        }

        @RecordHandler(id = "manual", topics = "${test.topic}")
        void handle(String value, @Offset long offset, Acknowledgement acknowledgement) {
            if (offset < 5) {
                acknowledgement.acknowledge();
            }
            this.received.count.incrementAndGet();
        }

    }

    record PlacedOrder(@NotBlank String id, @Min(1) int quantity) {
    }

    static class OrderHandler {

        private final Received received;

        OrderHandler(Received received) {
            this.received = received;
        }

        @RecordHandler(id = "orders", topics = "${test.topic}")
        void handle(@Valid PlacedOrder order) {
            this.received.count.incrementAndGet();
            this.received.values.add(order.toString());
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class RecovererBeans {

        @Bean
        @Qualifier("failing")
        Recoverer<Object, Object> failingRecoverer(Received received) {
            return (failed) -> received.recovered.add("failing:" + new String(failed.raw().value(), StandardCharsets.UTF_8)
                    + " after " + failed.attempts());
        }

        @Bean
        @Qualifier("elsewhere")
        Recoverer<Object, Object> elsewhereRecoverer(Received received) {
            return (failed) -> received.recovered.add("elsewhere");
        }

    }

    static class ValueHandler {

        private final Received received;

        ValueHandler(Received received) {
            this.received = received;
        }

        @RecordHandler(id = "values", topics = "${test.topic}", concurrency = "4", ordering = "key")
        void handle(String value) {
            this.received.values.add(value);
        }

    }

}
