package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/** A record and its partition's fetch state are published together. */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerEngineFetchStateTest {

    private static final int RECORDS = 200;

    @ParameterizedTest
    @ValueSource(strings = {"read_uncommitted", "read_committed"})
    void onceARecordIsReturnedTheFetchStateOfItsPartitionCoversIt(String isolationLevel, KafkaBroker kafka) throws Exception {
        String topic = Engines.unique("fetch-state");
        kafka.createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).property("isolation.level", isolationLevel).build();
                KafkaProducer<String, String> producer = kafka.producer(new StringSerializer(), new StringSerializer())) {
            engine.assign(List.of(tp));
            engine.start();
            // one record at a time, each taken as soon as it is fetched: the state read right after the take must
            // already be that of the fetch which brought the record, never the previous one's or none
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", "v" + i)).get();
                ConsumerRecord<String, String> record = engine.getOne(Duration.ofSeconds(30)).orElseThrow();
                OptionalLong end = isolationLevel.equals("read_committed") ? engine.lastStableOffset(tp) : engine.highwater(tp);

                assertThat(end).as("record %d", record.offset()).isPresent();
                assertThat(end.getAsLong()).as("record %d", record.offset()).isGreaterThan(record.offset());
                assertThat(engine.lastPollTimestamp(tp)).as("record %d", record.offset()).isPresent();
            }
            assertThat(engine.highwater(tp)).hasValue(RECORDS);
        }
    }
}
