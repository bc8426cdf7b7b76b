package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * The offsets the engine and the containers commit carry the leader epoch of the records consumed below them, as
 * kafka-clients' own commits do: a member that was not running when an unclean leader election truncated the log
 * below a commit then finds out when it starts from it (kafka-clients validates a committed offset that has an epoch
 * against the leader) and goes on from the new log end, where without the epoch it would reset by
 * {@code auto.offset.reset} and, with {@code latest}, skip what was written after the election (reliability R14).
 */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class CommittedLeaderEpochTest {

    /** The group's committed offset of the partition, read with an admin client, or {@code null}. */
    private static OffsetAndMetadata committed(KafkaBroker kafka, String groupId, TopicPartition partition) {
        try (Admin admin = kafka.admin()) {
            return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get().get(partition);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Test
    void aContainerCommitsTheLeaderEpochOfTheLastRecordItHandled(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "epoch-container", 1, 50);
        TopicPartition p0 = new TopicPartition(topic, 0);
        String group = Engines.unique("epoch-container");
        Map<Long, Optional<Integer>> epochs = new ConcurrentHashMap<>();
        try (ConsumerContainer<String, String> container = Containers.builder(kafka, "epoch-container", topic)
                .groupId(group).handler(record -> epochs.put(record.offset(), record.leaderEpoch())).build()) {
            container.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                OffsetAndMetadata committed = committed(kafka, group, p0);
                return committed != null && committed.offset() == 50;
            });
        }

        assertThat(epochs.get(49L)).as("the broker stamps its records with the leader epoch").isPresent();
        assertThat(committed(kafka, group, p0).leaderEpoch()).isEqualTo(epochs.get(49L));
    }

    @Test
    void anEngineCommitCarriesTheLeaderEpochOfTheLastRecordHandedOut(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "epoch-manual", 1, 40);
        TopicPartition p0 = new TopicPartition(topic, 0);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka, Engines.unique("epoch-manual"), "consumer")
                .property("enable.auto.commit", false).build()) {
            engine.assign(List.of(p0));
            engine.start();
            List<ConsumerRecord<String, String>> taken = Engines.take(engine, 12, p0); // part of a fetched batch

            engine.commit();

            assertThat(taken.get(11).leaderEpoch()).isPresent();
            assertThat(engine.committed(p0)).isEqualTo(new OffsetAndMetadata(12, taken.get(11).leaderEpoch(), ""));
        }
    }

    @Test
    void anEngineAutoCommitCarriesTheLeaderEpochOfTheLastRecordHandedOut(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "epoch-auto", 1, 30);
        TopicPartition p0 = new TopicPartition(topic, 0);
        String group = Engines.unique("epoch-auto");
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka, group, "consumer")
                .property("enable.auto.commit", true).property("auto.commit.interval.ms", 100).build()) {
            engine.subscribe(List.of(topic));
            engine.start();
            List<ConsumerRecord<String, String>> taken = Engines.take(engine, 30, p0);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                OffsetAndMetadata committed = committed(kafka, group, p0);
                return committed != null && committed.offset() == 30;
            });

            assertThat(taken.get(29).leaderEpoch()).isPresent();
            assertThat(committed(kafka, group, p0).leaderEpoch()).isEqualTo(taken.get(29).leaderEpoch());
        }
    }
}
