package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/** An assignment by hand takes effect at once, before start() too, as in kafka-clients and aiokafka. */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerEngineAssignBeforeStartTest {

    @Test
    void theAssignmentIsVisibleAndPausableBeforeStartAndThePauseHoldsAfterIt(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "assign-pause", 2, 20);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).build()) {
            engine.assign(List.of(p0, p1));
            assertThat(engine.assignment()).containsExactlyInAnyOrder(p0, p1);

            engine.pause(p0);
            assertThat(engine.paused()).containsExactly(p0);
            engine.start();

            List<ConsumerRecord<String, String>> taken = Engines.take(engine, 10);
            assertThat(taken).allSatisfy(record -> assertThat(record.partition()).isEqualTo(1));
            assertThat(engine.getMany(Duration.ofMillis(500))).as("p0 stays paused").isEmpty();
            engine.resume(p0);
            assertThat(Engines.take(engine, 10)).allSatisfy(record -> assertThat(record.partition()).isZero());
        }
    }

    @Test
    void aSeekBeforeStartIsWhereConsumptionBegins(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "assign-seek", 1, 20);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).build()) {
            engine.assign(List.of(tp));
            engine.seek(tp, 15);
            engine.start();

            assertThat(engine.position(tp)).isEqualTo(15);
            assertThat(Engines.take(engine, 5)).extracting(ConsumerRecord::offset).containsExactly(15L, 16L, 17L, 18L, 19L);
        }
    }

    @Test
    void aReassignmentBeforeStartReplacesTheFirstWithItsPausesAndSeeks(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "assign-again", 2, 20);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).build()) {
            engine.assign(List.of(p0));
            engine.pause(p0);
            engine.assign(List.of(p0, p1));
            engine.seek(p1, 8);
            engine.resume(p0);
            assertThat(engine.paused()).isEmpty();
            engine.assign(List.of(p1));
            assertThat(engine.assignment()).containsExactly(p1);
            assertThatIllegalStateException().isThrownBy(() -> engine.pause(p0)).withMessageContaining("not assigned");
            engine.start();

            assertThat(Engines.take(engine, 2)).extracting(ConsumerRecord::offset).containsExactly(8L, 9L);
            assertThat(engine.assignment()).containsExactly(p1);
        }
    }

    @Test
    void aPartitionNotAssignedCannotBePausedOrSoughtBeforeStart(KafkaBroker kafka) {
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).build()) {
            TopicPartition tp = new TopicPartition("nowhere", 0);
            assertThatIllegalStateException().isThrownBy(() -> engine.pause(tp)).withMessageContaining("not assigned");
            assertThatIllegalStateException().isThrownBy(() -> engine.seek(tp, 3)).withMessageContaining("not assigned");
        }
    }
}
