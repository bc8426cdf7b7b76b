package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

@ExtendWith(KafkaBrokerExtension.class)
class ConsumerEngineSmokeTest {

    @Test
    void consumesEveryRecordOfASubscribedTopic(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "smoke", 3, 3000);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka, Engines.unique("g"), "classic").build()) {
            engine.subscribe(List.of(topic));
            engine.start();
            assertThat(engine.assignment()).hasSize(3);
            List<ConsumerRecord<String, String>> all = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (all.size() < 3000 && System.nanoTime() < deadline) {
                engine.getMany(Duration.ofSeconds(1)).values().forEach(all::addAll);
            }
            assertThat(all).hasSize(3000);
            for (int p = 0; p < 3; p++) {
                assertThat(engine.position(new TopicPartition(topic, p))).isEqualTo(1000);
                assertThat(engine.highwater(new TopicPartition(topic, p))).hasValue(1000);
            }
            engine.commit();
            Map<TopicPartition, Long> end = engine.endOffsets(engine.assignment());
            end.forEach((tp, offset) -> assertThat(engine.committed(tp).offset()).isEqualTo(offset));
        }
    }
}
