package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/** {@link ConsumerContainer#seek}: replays and skips with consistent offset tracking, and refuses bad requests. */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerContainerSeekTest {

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aSeekWhilePausedCommitsTheNewPositionAndReplaysFromThereOnResume(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "s-replay", 1, 10);
        TopicPartition tp = new TopicPartition(topic, 0);
        List<Long> offsets = new CopyOnWriteArrayList<>();
        try (ConsumerContainer<String, String> container = Containers.builder(kafka, "s-replay", topic, protocol)
                .handler(record -> offsets.add(record.offset())).build()) {
            container.start();
            String group = container.snapshot().groupId();
            await().until(() -> Containers.committed(kafka, group).getOrDefault(tp, -1L) == 10);
            container.pause();

            assertThat(container.seek(List.of(tp), SeekTarget.offset(4))).containsExactly(Map.entry(tp, 4L));

            await().until(() -> Containers.committed(kafka, group).get(tp) == 4);
            assertThat(container.state()).isEqualTo(ContainerState.PAUSED);
            assertThat(offsets).hasSize(10);
            container.resume();
            await().until(() -> offsets.size() == 16 && Containers.committed(kafka, group).get(tp) == 10);
            assertThat(offsets.subList(10, 16)).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(container.snapshot().partitions().get(0).committed()).hasValue(10);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aSeekWaitsForTheRecordInFlightThenSkipsToTheEnd(String protocol, KafkaBroker kafka) throws Exception {
        String topic = Engines.topicWithRecords(kafka, "s-end", 1, 10);
        TopicPartition tp = new TopicPartition(topic, 0);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> offsets = new CopyOnWriteArrayList<>();
        try (ConsumerContainer<String, String> container = Containers.builder(kafka, "s-end", topic, protocol).maxInFlight(4)
                .handler(record -> {
                    if (record.offset() == 2) {
                        release.await();
                    }
                    offsets.add(record.offset());
                }).build()) {
            container.start();
            String group = container.snapshot().groupId();
            await().until(() -> offsets.size() == 2 && container.snapshot().partitions().get(0).inFlight() > 1);

            CompletableFuture<Map<TopicPartition, Long>> seek = CompletableFuture.supplyAsync(
                    () -> container.seek(List.of(), SeekTarget.end()));
            await().during(Duration.ofMillis(500)).until(() -> !seek.isDone());
            release.countDown();

            assertThat(seek.get()).containsExactly(Map.entry(tp, 10L));
            await().until(() -> Containers.committed(kafka, group).getOrDefault(tp, -1L) == 10);
            // offset 2 finished; the records queued behind it were dropped, not handled
            assertThat(offsets).containsExactly(0L, 1L, 2L);
            assertThat(container.snapshot().partitions().get(0).inFlight()).isZero();
            Engines.produce(kafka, topic, 1, 10, 2);
            await().until(() -> offsets.size() == 5 && Containers.committed(kafka, group).get(tp) == 12);
            assertThat(offsets.subList(3, 5)).containsExactly(10L, 11L);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aSeekToATimestampFindsTheFirstRecordAtOrAfterIt(String protocol, KafkaBroker kafka) {
        String topic = Engines.unique("s-time");
        kafka.createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        kafka.send(new StringSerializer(), new StringSerializer(), List.of(
                new ProducerRecord<>(topic, 0, 1_000L, "a", "a"), new ProducerRecord<>(topic, 0, 2_000L, "b", "b"),
                new ProducerRecord<>(topic, 0, 3_000L, "c", "c")));
        List<String> values = new CopyOnWriteArrayList<>();
        try (ConsumerContainer<String, String> container = Containers.builder(kafka, "s-time", topic, protocol)
                .handler(record -> values.add(record.value())).build()) {
            container.start();
            await().until(() -> values.size() == 3);

            assertThat(container.seek(List.of(tp), SeekTarget.timestamp(1_500L))).containsExactly(Map.entry(tp, 1L));
            await().until(() -> values.size() == 5);
            assertThat(values).containsExactly("a", "b", "c", "b", "c");
            // nothing that recent: the end
            assertThat(container.seek(List.of(tp), SeekTarget.timestamp(System.currentTimeMillis() + 60_000)))
                    .containsExactly(Map.entry(tp, 3L));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void badSeeksAreRefusedAndChangeNothing(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "s-bad", 1, 5);
        TopicPartition tp = new TopicPartition(topic, 0);
        List<Long> offsets = new CopyOnWriteArrayList<>();
        ConsumerContainer<String, String> container = Containers.builder(kafka, "s-bad", topic, protocol)
                .handler(record -> offsets.add(record.offset())).build();
        assertThatIllegalStateException().isThrownBy(() -> container.seek(List.of(tp), SeekTarget.beginning()))
                .withMessageContaining("is NEW");
        try (container) {
            container.start();
            await().until(() -> offsets.size() == 5);
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> container.seek(List.of(new TopicPartition(topic, 7)), SeekTarget.beginning()))
                    .withMessageContaining("not assigned");
            assertThatIllegalArgumentException().isThrownBy(() -> container.seek(List.of(tp), SeekTarget.offset(6)))
                    .withMessageContaining("lies outside " + tp + ", which holds offsets 0 to 5");
            assertThatIllegalArgumentException().isThrownBy(() -> SeekTarget.offset(-1));
            assertThat(container.state()).isEqualTo(ContainerState.RUNNING);
            assertThat(container.snapshot().partitions().get(0).position()).hasValue(5);
        }
        assertThatIllegalStateException().isThrownBy(() -> container.seek(List.of(tp), SeekTarget.beginning()))
                .withMessageContaining("is STOPPED");
    }
}
