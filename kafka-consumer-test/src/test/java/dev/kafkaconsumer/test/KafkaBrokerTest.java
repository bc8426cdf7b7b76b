package dev.kafkaconsumer.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaBrokerTest {

    @Test
    void sharedBrokerAcceptsTopicsAndRecords(KafkaBroker kafka) throws Exception {
        kafka.createTopic("broker-smoke", 3);
        try (Admin admin = kafka.admin()) {
            assertThat(admin.describeTopics(List.of("broker-smoke")).allTopicNames().get().get("broker-smoke").partitions())
                    .hasSize(3);
        }
        try (KafkaProducer<String, String> producer = kafka.producer(new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("broker-smoke", 1, "k", "v")).get();
        }
        Map<String, Object> properties = kafka.clientProperties();
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition("broker-smoke", 1)));
            ConsumerRecords<String, String> records = ConsumerRecords.empty();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                records = consumer.poll(Duration.ofMillis(200));
            }
            assertThat(records.iterator().next().value()).isEqualTo("v");
        }
    }

    @Test
    void shareGroupsAreEnabledAndCountDeliveries(KafkaBroker kafka) throws Exception {
        kafka.createTopic("broker-share", 1);
        try (Admin admin = kafka.admin()) {
            ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "broker-share-group");
            admin.incrementalAlterConfigs(Map.of(group, List.of(new AlterConfigOp(
                    new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET)))).all().get();
        }
        try (KafkaProducer<String, String> producer = kafka.producer(new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("broker-share", "k", "v")).get();
        }
        Map<String, Object> properties = kafka.clientProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "broker-share-group");
        properties.put("share.acknowledgement.mode", "explicit");
        try (KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("broker-share"));
            List<Short> deliveries = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (deliveries.size() < 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    deliveries.add(record.deliveryCount().orElseThrow());
                    consumer.acknowledge(record, deliveries.size() == 1 ? AcknowledgeType.RELEASE : AcknowledgeType.ACCEPT);
                }
            }
            consumer.commitSync();
            assertThat(deliveries).containsExactly((short) 1, (short) 2);
        }
    }

    @Test
    void creatingATopicTwiceKeepsTheFirst(KafkaBroker kafka) throws Exception {
        kafka.createTopic("broker-twice", 2);
        kafka.createTopic("broker-twice", 5);
        try (Admin admin = kafka.admin()) {
            assertThat(admin.describeTopics(List.of("broker-twice")).allTopicNames().get().get("broker-twice").partitions())
                    .hasSize(2);
        }
    }

    @Test
    void keepsItsDataInADirectoryOfItsOwnThatClosingDeletes() throws Exception {
        Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
        Set<Path> before = brokerDirectories(temporary);
        Set<Path> created;
        try (KafkaBroker broker = KafkaBroker.builder().start()) {
            created = new HashSet<>(brokerDirectories(temporary));
            created.removeAll(before);
            assertThat(created).as("a data directory that Kafka's shutdown hook does not delete under a running broker")
                    .hasSize(1);
        }
        assertThat(created.iterator().next()).doesNotExist();
    }

    private static Set<Path> brokerDirectories(Path temporary) throws IOException {
        try (Stream<Path> entries = Files.list(temporary)) {
            return entries.filter(path -> path.getFileName().toString().startsWith("kafka-consumer-broker-"))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void refusesAnImpossibleBrokerCount() {
        assertThatIllegalArgumentException().isThrownBy(() -> KafkaBroker.builder().brokers(0))
                .withMessageContaining("between 1 and 9");
    }
}
