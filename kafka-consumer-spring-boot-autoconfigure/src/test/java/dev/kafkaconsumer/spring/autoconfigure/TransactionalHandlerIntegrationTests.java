package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.kafkaconsumer.core.Recoverers;
import dev.kafkaconsumer.spring.RecordHandler;
import dev.kafkaconsumer.spring.actuate.autoconfigure.KafkaConsumersEndpointAutoConfiguration;
import dev.kafkaconsumer.spring.actuate.endpoint.KafkaConsumersEndpoint;
import dev.kafkaconsumer.spring.actuate.endpoint.KafkaConsumersEndpoint.ContainerDescriptor;
import dev.kafkaconsumer.spring.actuate.metrics.KafkaConsumerMetricsAutoConfiguration;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A transactional {@code @RecordHandler} on the in-process broker, consume-transform-produce from {@code in} to
 * {@code out}: a {@code read_committed} reader of {@code out} sees each input's output once, a record that keeps
 * failing is dead-lettered in its transaction, the group's offsets are committed in the transactions, and the
 * actuator and the meters count the transactions.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TransactionalHandlerIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private static final int RECORDS = 60;

    @ParameterizedTest
    @ValueSource(strings = { "classic", "consumer" })
    void aReadCommittedReaderSeesEachInputsOutputOnceAndTheFailingRecordDeadLetteredInItsTransaction(String protocol,
            KafkaBroker kafka) throws Exception {
        String in = "tx-in-" + UUID.randomUUID();
        String out = "tx-out-" + UUID.randomUUID();
        String group = "tx-" + UUID.randomUUID();
        kafka.createTopic(in, 3);
        kafka.createTopic(out, 2);
        kafka.createTopic(in + ".DLT", 1);
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, RECORDS)
            .mapToObj((i) -> new ProducerRecord<>(in, "key-" + (i % 7), (i == 13) ? "poison" : "value-" + i))
            .toList());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class,
                    KafkaConsumerMetricsAutoConfiguration.class, EndpointAutoConfiguration.class,
                    KafkaConsumersEndpointAutoConfiguration.class))
            .withBean(MeterRegistry.class, () -> registry)
            .withBean(Transformer.class, Transformer::new)
            .withPropertyValues("kafka.consumer.bootstrap-servers=" + kafka.bootstrapServers(),
                    "kafka.consumer.group-id=" + group, "kafka.consumer.auto-offset-reset=earliest",
                    "kafka.consumer.properties.group.protocol=" + protocol, "kafka.consumer.retry.max-attempts=2",
                    "kafka.consumer.retry.backoff.initial=10ms", "kafka.consumer.dead-letter.enabled=true",
                    "kafka.consumer.transaction.commit-interval=100ms", "spring.application.name=tx-test",
                    "management.endpoints.web.exposure.include=kafkaconsumers", "test.in=" + in, "test.out=" + out)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                List<ConsumerRecord<String, String>> outputs = readCommitted(kafka, out, RECORDS - 1);
                Map<String, Long> perValue = outputs.stream()
                    .collect(Collectors.groupingBy(ConsumerRecord::value, Collectors.counting()));
                assertThat(perValue).as("each input's output once").hasSize(RECORDS - 1)
                    .allSatisfy((value, count) -> assertThat(count).as(value).isOne());
                assertThat(perValue).containsKey("VALUE-0").doesNotContainKey("POISON");
                assertThat(outputs).allSatisfy((output) -> assertThat(output.key()).startsWith("key-"));
                assertThat(outputs).filteredOn((output) -> output.value().equals("VALUE-8"))
                    .singleElement()
                    .satisfies((output) -> assertThat(output.key()).isEqualTo("key-1"));

                List<ConsumerRecord<String, String>> deadLetters = readCommitted(kafka, in + ".DLT", 1);
                assertThat(deadLetters).singleElement().satisfies((dead) -> {
                    assertThat(dead.value()).isEqualTo("poison");
                    assertThat(new String(dead.headers().lastHeader(Recoverers.EXCEPTION_CLASS_HEADER).value(),
                            StandardCharsets.UTF_8)).isEqualTo(IllegalArgumentException.class.getName());
                });
                assertThat(endOffset(kafka, new TopicPartition(in + ".DLT", 0)))
                    .as("the dead letter and its transaction's commit marker: it went out in a transaction")
                    .isGreaterThan(deadLetters.get(0).offset() + 1);

                await().atMost(WAIT).untilAsserted(() -> assertThat(committed(kafka, group, in)).isEqualTo(RECORDS));
                ContainerDescriptor descriptor = (ContainerDescriptor) context.getBean(KafkaConsumersEndpoint.class)
                    .container("transform");
                assertThat(descriptor.transactions().committed()).isPositive();
                assertThat(descriptor.transactions().lastCommit()).isNotNull();
                assertThat(registry.get("kafka.consumer.transactions")
                    .tags("container", "transform", "outcome", "committed")
                    .counter()
                    .count()).isPositive();
                assertThat(registry.get("kafka.consumer.transaction.records").tags("container", "transform").counter()
                    .count()).isEqualTo(RECORDS);
                assertThat(registry.find("kafka.consumer.commits").counters()).isEmpty();
            });
    }

    /** Reads a topic {@code read_committed} until {@code count} records came, then a little longer for any extra. */
    private static List<ConsumerRecord<String, String>> readCommitted(KafkaBroker kafka, String topic, int count)
            throws Exception {
        Map<String, Object> properties = kafka.clientProperties();
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (Admin admin = kafka.admin(); KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties,
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic).partitions().stream().map((info) -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= count;
            });
            // a duplicate would come in the same committed transactions or after them: read to the end once more
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch((partition) -> consumer.position(partition) >= ends.get(partition));
            });
        }
        return records;
    }

    private static long endOffset(KafkaBroker kafka, TopicPartition partition) throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                .get(30, TimeUnit.SECONDS)
                .offset();
        }
    }

    private static long committed(KafkaBroker kafka, String group, String topic) throws Exception {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter((entry) -> entry.getKey().topic().equals(topic))
                .mapToLong((entry) -> entry.getValue().offset()).sum();
        }
    }

    static class Transformer {

        @RecordHandler(id = "transform", topics = "${test.in}", transactional = true, sendTo = "${test.out}",
                ordering = "KEY", concurrency = "4")
        String transform(String value) {
            if (value.equals("poison")) {
                throw new IllegalArgumentException("cannot transform " + value);
            }
            return value.toUpperCase(java.util.Locale.ROOT);
        }

    }

}
