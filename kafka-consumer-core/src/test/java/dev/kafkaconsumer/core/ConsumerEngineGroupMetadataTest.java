package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * {@link ConsumerEngine#groupMetadata()} with a plain transactional {@link KafkaProducer}: consume-transform-produce
 * against the engine (KIP-447), and the broker's fencing of offsets sent with a stale generation.
 */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerEngineGroupMetadataTest {

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aReadCommittedReaderOfTheOutputSeesEachInputOnceEvenAfterAnAbortedTransaction(String protocol, KafkaBroker kafka) {
        String input = Engines.topicWithRecords(kafka, "ctp-in", 3, 60);
        String output = Engines.unique("ctp-out");
        kafka.createTopic(output, 2);
        String group = Engines.unique("ctp");
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka, group, protocol)
                .property("enable.auto.commit", false).property("isolation.level", "read_committed").build();
                KafkaProducer<String, String> producer = transactionalProducer(kafka)) {
            engine.subscribe(List.of(input));
            engine.start();
            producer.initTransactions();
            int transformed = 0;
            boolean aborted = false;
            while (transformed < 60) {
                Map<TopicPartition, List<ConsumerRecord<String, String>>> batch = engine.getMany(Duration.ofMillis(500), 7);
                if (batch.isEmpty()) {
                    continue;
                }
                producer.beginTransaction();
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                int records = 0;
                for (List<ConsumerRecord<String, String>> partitionRecords : batch.values()) {
                    for (ConsumerRecord<String, String> record : partitionRecords) {
                        producer.send(new ProducerRecord<>(output, record.key(), record.value().toUpperCase()));
                        offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                        records++;
                    }
                }
                producer.sendOffsetsToTransaction(offsets, engine.groupMetadata());
                if (!aborted && transformed > 20) {
                    // a transaction that fails: its outputs never show, and its inputs are read again from the committed offsets
                    producer.abortTransaction();
                    engine.seekToCommitted(offsets.keySet().toArray(new TopicPartition[0]));
                    aborted = true;
                    continue;
                }
                producer.commitTransaction();
                transformed += records;
            }
            assertThat(aborted).isTrue();
            assertThat(readCommitted(kafka, output, 60)).containsExactlyInAnyOrderElementsOf(
                    IntStream.range(0, 60).mapToObj(i -> "V" + i).toList());
            for (int partition = 0; partition < 3; partition++) {
                assertThat(engine.committed(new TopicPartition(input, partition))).isEqualTo(new OffsetAndMetadata(20));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void offsetsSentWithTheMetadataOfAGenerationThatTheGroupLeftAreRefusedWithTheirTransaction(String protocol,
            KafkaBroker kafka) {
        String input = Engines.topicWithRecords(kafka, "fence-in", 2, 10);
        String output = Engines.unique("fence-out");
        kafka.createTopic(output, 1);
        String group = Engines.unique("fence");
        try (ConsumerEngine<String, String> zombie = Engines.builder(kafka, group, protocol)
                .property("enable.auto.commit", false).build();
                ConsumerEngine<String, String> newcomer = Engines.builder(kafka, group, protocol)
                        .property("enable.auto.commit", false).build();
                KafkaProducer<String, String> producer = transactionalProducer(kafka)) {
            zombie.subscribe(List.of(input));
            zombie.start();
            ConsumerGroupMetadata stale = zombie.groupMetadata();
            assertThat(stale.groupId()).isEqualTo(group);
            assertThat(stale.memberId()).isNotEmpty();

            newcomer.subscribe(List.of(input));
            newcomer.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> zombie.getMany(Duration.ofMillis(100)) != null
                    && zombie.groupMetadata().generationId() != stale.generationId()
                    && !newcomer.assignment().isEmpty());

            // the partition the zombie lost: under the consumer protocol the broker checks the epoch per partition
            TopicPartition lost = newcomer.assignment().iterator().next();
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(output, "k", "from-the-zombie"));
            assertThatThrownBy(() -> {
                producer.sendOffsetsToTransaction(Map.of(lost, new OffsetAndMetadata(5)), stale);
                producer.commitTransaction();
            }).isInstanceOf(KafkaException.class);
            producer.abortTransaction();

            assertThat(newcomer.committed(lost)).as("nothing of the refused transaction").isNull();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(output, "k", "marker"));
            producer.commitTransaction();
            assertThat(readCommitted(kafka, output, 1)).containsExactly("marker");
        }
    }

    @Test
    void anEngineWithoutAGroupHasNoGroupMetadata(KafkaBroker kafka) {
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).build()) {
            engine.assign(List.of(new TopicPartition(Engines.unique("none"), 0)));
            engine.start();
            assertThatThrownBy(engine::groupMetadata).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no group id").hasMessageContaining("group.id");
        }
    }

    private static KafkaProducer<String, String> transactionalProducer(KafkaBroker kafka) {
        return kafka.producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, Engines.unique("ctp-producer")),
                new StringSerializer(), new StringSerializer());
    }

    /** Reads the whole output topic read_committed, without a group, until {@code count} values came and nothing more. */
    private static List<String> readCommitted(KafkaBroker kafka, String topic, int count) {
        try (ConsumerEngine<String, String> reader = Engines.builder(kafka).property("isolation.level", "read_committed")
                .build()) {
            reader.subscribe(List.of(topic));
            reader.start();
            List<String> values = new ArrayList<>();
            Engines.take(reader, count).forEach(record -> values.add(record.value()));
            reader.getMany(Duration.ofMillis(500)).values().forEach(records -> records.forEach(record -> values.add(record.value())));
            return values;
        }
    }
}
