package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/** {@code isolation.level=read_committed}: aborted records, control markers, and open transactions. */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerEngineTransactionsTest {

    @Test
    void readCommittedSkipsAbortedRecordsAndMarkersAndHoldsBackAnOpenTransaction(KafkaBroker kafka) {
        String topic = Engines.unique("txn");
        kafka.createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = kafka.producer(
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, Engines.unique("txn-producer")),
                new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            transaction(producer, topic, "committed-a", 5, true);   // offsets 0-4, marker 5
            transaction(producer, topic, "aborted", 3, false);      // offsets 6-8, marker 9
            transaction(producer, topic, "committed-b", 2, true);   // offsets 10-11, marker 12
            producer.beginTransaction();                             // offsets 13-16, still open
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", "open-" + i));
            }
            producer.flush();

            try (ConsumerEngine<String, String> engine = Engines.builder(kafka)
                    .property("isolation.level", "read_committed").build()) {
                engine.assign(List.of(tp));
                engine.start();
                List<ConsumerRecord<String, String>> visible = Engines.take(engine, 7);
                assertThat(visible).extracting(ConsumerRecord::value).containsExactly(
                        "committed-a-0", "committed-a-1", "committed-a-2", "committed-a-3", "committed-a-4",
                        "committed-b-0", "committed-b-1");
                await().until(() -> engine.position(tp) == 13);
                assertThat(engine.lastStableOffset(tp)).hasValue(13);
                assertThat(engine.highwater(tp)).hasValue(17);
                assertThat(engine.endOffsets(List.of(tp))).containsEntry(tp, 13L);
                assertThat(engine.getMany(Duration.ofMillis(500))).as("the open transaction is held back").isEmpty();

                producer.commitTransaction();
                assertThat(Engines.take(engine, 4)).extracting(ConsumerRecord::value)
                        .containsExactly("open-0", "open-1", "open-2", "open-3");
                await().until(() -> engine.position(tp) == 18 && engine.lastStableOffset(tp).orElse(0) == 18);
            }
        }
    }

    @Test
    void seekToEndUnderReadCommittedLandsOnTheLastStableOffsetWhileATransactionIsOpen(KafkaBroker kafka) {
        String topic = Engines.unique("txn-end");
        kafka.createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = kafka.producer(
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, Engines.unique("txn-end-producer")),
                new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            transaction(producer, topic, "committed", 5, true);     // offsets 0-4, marker 5
            producer.beginTransaction();                             // offsets 6-8, still open
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", "open-" + i));
            }
            producer.flush();

            try (ConsumerEngine<String, String> committedReader = Engines.builder(kafka)
                    .property("isolation.level", "read_committed").build();
                    ConsumerEngine<String, String> uncommittedReader = Engines.builder(kafka)
                            .property("isolation.level", "read_uncommitted").build()) {
                committedReader.assign(List.of(tp));
                committedReader.start();
                uncommittedReader.assign(List.of(tp));
                uncommittedReader.start();

                committedReader.seekToEnd(tp);
                uncommittedReader.seekToEnd(tp);

                assertThat(committedReader.position(tp)).as("the last stable offset").isEqualTo(6);
                assertThat(uncommittedReader.position(tp)).as("the high-water mark").isEqualTo(9);
                // nothing of the open transaction was skipped: once committed, it is read from there
                producer.commitTransaction();
                List<ConsumerRecord<String, String>> after = Engines.take(committedReader, 3);
                assertThat(after).extracting(ConsumerRecord::offset).containsExactly(6L, 7L, 8L);
                assertThat(after).extracting(ConsumerRecord::value).containsExactly("open-0", "open-1", "open-2");
            }
        }
    }

    private static void transaction(KafkaProducer<String, String> producer, String topic, String prefix, int count,
            boolean commit) {
        producer.beginTransaction();
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(topic, 0, "k", prefix + "-" + i));
        }
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.flush();
            producer.abortTransaction();
        }
    }
}
