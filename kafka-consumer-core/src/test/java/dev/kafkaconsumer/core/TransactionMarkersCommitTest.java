package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * Under {@code read_committed} the offsets of transaction markers and of aborted records hold no record for the
 * consumer. Whatever commits, the committed offset reaches the partition's end offset once every record is handled,
 * never stopping after the last record below its markers: a quiet partition would otherwise show a lag of one or two
 * for ever (and the lag tracker a false {@code STOP}). The second phase is that quiet partition: an aborted
 * transaction alone is written after everything was handled, and the committed offset follows it with nothing handled.
 */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class TransactionMarkersCommitTest {

    /** Records 0-4 and marker 5, aborted 6-8 and marker 9, records 10-11 and marker 12. */
    private static final long END = 13;
    /** Then aborted 13-15 and marker 16. */
    private static final long END_AFTER_ABORT = 17;
    private static final List<String> VISIBLE = List.of("a-0", "a-1", "a-2", "a-3", "a-4", "b-0", "b-1");

    @ParameterizedTest
    @EnumSource(CommitMode.class)
    void aContainerCommitsPastTheMarkersAndAbortedRecordsUpToTheEndOffset(CommitMode mode, KafkaBroker kafka) {
        String topic = Engines.unique("markers-" + mode.name().toLowerCase());
        TopicPartition tp = new TopicPartition(topic, 0);
        List<String> handled = new CopyOnWriteArrayList<>();
        try (KafkaProducer<String, String> producer = transactionsOn(kafka, topic)) {
            ConsumerContainer.Builder<String, String> builder = Containers.builder(kafka, "markers", topic)
                    .property("isolation.level", "read_committed").commitMode(mode);
            if (mode == CommitMode.MANUAL) {
                builder.processor((record, acknowledgement) -> {
                    handled.add(record.value());
                    acknowledgement.acknowledge();
                    return null;
                });
            } else {
                builder.handler(record -> handled.add(record.value()));
            }
            try (ConsumerContainer<String, String> container = builder.build()) {
                container.start();
                String group = container.snapshot().groupId();
                await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == VISIBLE.size());
                assertThat(endOffset(kafka, tp)).isEqualTo(END);
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(Containers.committed(kafka, group)).containsEntry(tp, END));

                transaction(producer, topic, "aborted-later", 3, false);

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Containers.committed(kafka, group))
                        .containsEntry(tp, END_AFTER_ABORT));
                assertThat(handled).containsExactlyElementsOf(VISIBLE);
                assertThat(container.snapshot().partitions().get(0).lag()).hasValue(0);
            }
        }
    }

    @Test
    void aTransactionalContainerCommitsPastTheMarkersInItsTransactions(KafkaBroker kafka) {
        String topic = Engines.unique("markers-tx");
        TopicPartition tp = new TopicPartition(topic, 0);
        List<String> handled = new CopyOnWriteArrayList<>();
        String group = Engines.unique("markers-tx");
        try (KafkaProducer<String, String> producer = transactionsOn(kafka, topic);
                ConsumerContainer<String, String> container = ConsumerContainerTransactionsTest
                        .builder(kafka, "markers-tx", topic, group, "classic").property("isolation.level", "read_committed")
                        .transactional(ConsumerContainerTransactionsTest.transactions(kafka),
                                TransactionalRecordHandler.<String, String, String, String>returning(record -> {
                                    handled.add(record.value());
                                    return List.of();
                                }))
                        .build()) {
            container.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == VISIBLE.size());
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(Containers.committed(kafka, group)).containsEntry(tp, END));

            transaction(producer, topic, "aborted-later", 3, false);

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(Containers.committed(kafka, group)).containsEntry(tp, END_AFTER_ABORT));
            assertThat(handled).containsExactlyElementsOf(VISIBLE);
        }
    }

    @Test
    void anEngineAutoCommitsPastTheMarkersUpToTheEndOffset(KafkaBroker kafka) {
        String topic = Engines.unique("markers-auto");
        TopicPartition tp = new TopicPartition(topic, 0);
        String group = Engines.unique("markers-auto");
        try (KafkaProducer<String, String> producer = transactionsOn(kafka, topic);
                ConsumerEngine<String, String> engine = Engines.builder(kafka).groupId(group)
                        .property("isolation.level", "read_committed").property("auto.commit.interval.ms", 100).build()) {
            engine.subscribe(List.of(topic));
            engine.start();
            assertThat(Engines.take(engine, VISIBLE.size())).extracting(ConsumerRecord::value).containsExactlyElementsOf(VISIBLE);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(Containers.committed(kafka, group)).containsEntry(tp, END));

            transaction(producer, topic, "aborted-later", 3, false);
            assertThat(engine.getMany(Duration.ofMillis(300))).as("nothing to hand out").isEmpty();

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(Containers.committed(kafka, group)).containsEntry(tp, END_AFTER_ABORT));
        }
    }

    @Test
    void anEngineCommitOfItsConsumedPositionsPassesTheMarkers(KafkaBroker kafka) {
        String topic = Engines.unique("markers-commit");
        TopicPartition tp = new TopicPartition(topic, 0);
        String group = Engines.unique("markers-commit");
        try (KafkaProducer<String, String> producer = transactionsOn(kafka, topic);
                ConsumerEngine<String, String> engine = Engines.builder(kafka).groupId(group)
                        .property("isolation.level", "read_committed").property("enable.auto.commit", false).build()) {
            engine.assign(List.of(tp));
            engine.start();
            assertThat(Engines.take(engine, VISIBLE.size())).hasSize(VISIBLE.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.position(tp) == END);

            engine.commit();

            assertThat(engine.committed(tp).offset()).isEqualTo(END);
        }
    }

    /** Creates the topic and writes its three transactions; returns the producer, for more. */
    private static KafkaProducer<String, String> transactionsOn(KafkaBroker kafka, String topic) {
        kafka.createTopic(topic, 1);
        KafkaProducer<String, String> producer = kafka.producer(
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, Engines.unique("markers-producer")),
                new StringSerializer(), new StringSerializer());
        producer.initTransactions();
        transaction(producer, topic, "a", 5, true);
        transaction(producer, topic, "aborted", 3, false);
        transaction(producer, topic, "b", 2, true);
        return producer;
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

    private static long endOffset(KafkaBroker kafka, TopicPartition tp) {
        try (Admin admin = kafka.admin()) {
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
