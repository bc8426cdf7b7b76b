package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * The two ways of reading high-water marks and last stable offsets: the consumer's fetch state (read by
 * reflection), and the public API that the engine falls back to should a kafka-clients release move its
 * internals. Each must give the right values, and the engine says once which it took.
 */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class EndOffsetsProbeTest {

    private final Logger probeLogger = (Logger) LoggerFactory.getLogger(EndOffsetsProbe.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureTheProbesLog() {
        logged.start();
        probeLogger.addAppender(logged);
    }

    @AfterEach
    void stopCapturing() {
        probeLogger.detachAppender(logged);
    }

    private static EngineCore<String, String> engine(KafkaBroker kafka, String isolationLevel, EndOffsetsProbe.Source source) {
        Map<String, Object> properties = new HashMap<>(kafka.clientProperties());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        EngineConfig config = new EngineConfig(properties, new StringDeserializer(), new StringDeserializer(),
                EngineConfig.DEFAULT_MAX_BUFFERED_BYTES_PER_PARTITION, EngineConfig.DEFAULT_MAX_BUFFERED_BYTES);
        return new EngineCore<>(config, new KafkaConsumer<>(config.consumerProperties(), new StringDeserializer(),
                new StringDeserializer()), source);
    }

    private List<String> messages() {
        return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void thePublicApiGivesTheHighWaterMarkUnderReadUncommittedAndTheEngineSaysItOnce(KafkaBroker kafka) {
        String topic = topic(kafka);
        TopicPartition tp = new TopicPartition(topic, 0);
        kafka.send(new StringSerializer(), new StringSerializer(),
                List.of(new ProducerRecord<>(topic, 0, "k", "a"), new ProducerRecord<>(topic, 0, "k", "b")));
        EngineCore<String, String> engine = engine(kafka, "read_uncommitted", EndOffsetsProbe.Source.CURRENT_LAG);
        try {
            engine.assign(java.util.Set.of(tp));
            engine.start();
            take(engine, 2);
            assertThat(engine.records().highwater(tp)).hasValue(2);
            assertThat(engine.records().lastStableOffset(tp)).as("not known through the public API under read_uncommitted").isEmpty();
        } finally {
            engine.stop(Duration.ofSeconds(10));
        }
        assertThat(messages()).singleElement().asString().contains("currentLag").contains("high-water mark is read");
    }

    @Test
    void thePublicApiGivesTheLastStableOffsetUnderReadCommittedWhileATransactionIsOpen(KafkaBroker kafka) {
        String topic = topic(kafka);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = kafka.producer(
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "probe-" + UUID.randomUUID()), new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "k", "committed-0"));
            producer.send(new ProducerRecord<>(topic, 0, "k", "committed-1"));
            producer.commitTransaction();                     // offsets 0-1, marker 2
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "k", "open"));
            producer.flush();                                 // offset 3, still open
            for (EndOffsetsProbe.Source source : EndOffsetsProbe.Source.values()) {
                EngineCore<String, String> engine = engine(kafka, "read_committed", source);
                try {
                    engine.assign(java.util.Set.of(tp));
                    engine.start();
                    take(engine, 2);
                    assertThat(engine.records().lastStableOffset(tp)).as(source.name()).hasValue(3);
                    assertThat(engine.records().highwater(tp)).as(source.name())
                            .isEqualTo(source == EndOffsetsProbe.Source.FETCH_STATE ? java.util.OptionalLong.of(4)
                                    : java.util.OptionalLong.empty());
                } finally {
                    engine.stop(Duration.ofSeconds(10));
                }
            }
            producer.abortTransaction();
        }
        assertThat(messages()).hasSize(2);
        assertThat(messages().get(0)).contains("read from the consumer's fetch state");
        assertThat(messages().get(1)).contains("last stable offset is read through currentLag");
    }

    private static String topic(KafkaBroker kafka) {
        String topic = "probe-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.createTopic(topic, 1);
        return topic;
    }

    private static void take(EngineCore<String, String> engine, int count) {
        List<ConsumerRecord<String, String>> taken = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            engine.records().getMany(Duration.ofMillis(200), count, List.of()).values().forEach(taken::addAll);
            return taken.size() >= count;
        });
    }
}
