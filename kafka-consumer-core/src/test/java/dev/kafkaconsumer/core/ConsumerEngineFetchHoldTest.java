package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * A backlogged partition whose buffer fills again and again is not held up by a caught-up partition beside it.
 * kafka-clients keeps one fetch in flight per broker, and the broker keeps a fetch of caught-up partitions for
 * {@code fetch.max.wait.ms}: without the engine's hold, every refill of the backlogged partition's buffer waits for
 * that fetch's empty answer. Without the hold, the drain's hundred or so refills took 28 seconds under the classic
 * protocol and more than a minute under the consumer protocol with {@code fetch.max.wait.ms} at 3 seconds, and more than
 * the 30 seconds allowed under either at 5 seconds, as here (kafka-clients sends the next fetch as a poll returns, so not
 * every refill waits); with the hold it takes under a second, which leaves the 30 seconds a wide margin on a loaded
 * machine. The test takes records without pausing between calls: Awaitility's default interval of 100 ms would pace
 * the drain by itself.
 */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerEngineFetchHoldTest {

    private static final int RECORDS = 3_000;
    private static final String KILOBYTE = "x".repeat(1_024);

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aBackloggedPartitionDrainsWithoutWaitingForTheBrokerToAnswerAFetchOfACaughtUpOne(String protocol,
            KafkaBroker kafka) {
        String topic = Engines.unique("fetch-hold");
        kafka.createTopic(topic, 2);
        TopicPartition backlogged = new TopicPartition(topic, 0);
        TopicPartition caughtUp = new TopicPartition(topic, 1);
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, RECORDS)
                .mapToObj(i -> new ProducerRecord<>(topic, 0, "k" + i, KILOBYTE)).toList());

        try (ConsumerEngine<String, String> engine = Engines.builder(kafka)
                .property(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol)
                .property(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5_000)
                .property(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024)
                .maxBufferedBytesPerPartition(16 * 1024)
                .build()) {
            engine.assign(List.of(backlogged, caughtUp));
            engine.seek(backlogged, 0);
            engine.seek(caughtUp, 0);
            engine.start();

            int[] taken = {0};
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
                taken[0] += engine.getMany(Duration.ofMillis(200), 500).values().stream().mapToInt(List::size).sum();
                return taken[0] >= RECORDS;
            });

            assertThat(taken[0]).isEqualTo(RECORDS);
            assertThat(engine.highwater(caughtUp)).as("the caught-up partition was fetched").hasValue(0);

            Engines.produce(kafka, topic, 1, 0, 10);
            kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, 10)
                    .mapToObj(i -> new ProducerRecord<>(topic, 1, "late" + i, "v")).toList());
            assertThat(Engines.take(engine, 20)).as("records that come later on either partition")
                    .extracting(ConsumerRecord::partition).containsOnly(0, 1).hasSize(20);
        }
    }
}
