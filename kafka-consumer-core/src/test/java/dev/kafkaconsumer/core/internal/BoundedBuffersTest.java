package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/** A slow application makes the engine stop fetching: buffers stay within their bounds, nothing is lost. */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class BoundedBuffersTest {

    private static final int PARTITIONS = 3;
    private static final int PER_PARTITION = 20_000;
    private static final int RECORD_BYTES = 100;
    private static final int MAX_POLL_RECORDS = 100;

    @Test
    void aSlowApplicationMakesTheEnginePauseFetchingInsteadOfBufferingWithoutBound(KafkaBroker kafka) {
        String topic = "bounded-" + System.nanoTime();
        kafka.createTopic(topic, PARTITIONS);
        String value = "x".repeat(RECORD_BYTES - 8);
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, PARTITIONS * PER_PARTITION)
                .mapToObj(i -> new ProducerRecord<String, String>(topic, i % PARTITIONS, null,
                        String.format("%08d", i / PARTITIONS) + value)).toList());

        long perPartitionBound = 50_000;
        long totalBound = 100_000;
        Map<String, Object> properties = new HashMap<>(kafka.clientProperties());
        properties.put("auto.offset.reset", "earliest");
        properties.put("max.poll.records", MAX_POLL_RECORDS);
        EngineConfig config = new EngineConfig(properties, new StringDeserializer(), new StringDeserializer(),
                perPartitionBound, totalBound);
        EngineCore<String, String> engine = new EngineCore<>(config, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
        try {
            engine.assign(new java.util.LinkedHashSet<>(partitions));
            engine.start();
            await().until(() -> partitions.stream().allMatch(tp -> engine.records().highwater(tp).isPresent()));
            // one poll past the bound at most: the I/O thread polls for at least MIN_RECORDS_PER_IO_POLL records
            long slack = (long) EngineConfig.MIN_RECORDS_PER_IO_POLL * RECORD_BYTES;
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                    .until(() -> engine.buffers().bufferedBytes() <= totalBound + slack);
            assertThat(engine.buffers().bufferedBytes()).isGreaterThan(totalBound / 2)
                    .isLessThan((long) PARTITIONS * PER_PARTITION * RECORD_BYTES / 10);

            Map<Integer, List<Long>> offsets = new HashMap<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (List<ConsumerRecord<String, String>> records : engine.records().getMany(Duration.ofMillis(200), 1000, List.of()).values()) {
                    for (ConsumerRecord<String, String> record : records) {
                        offsets.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record.offset());
                        assertThat(record.value()).startsWith(String.format("%08d", record.offset()));
                    }
                }
                return offsets.values().stream().mapToInt(List::size).sum() >= PARTITIONS * PER_PARTITION;
            });
            for (int p = 0; p < PARTITIONS; p++) {
                assertThat(offsets.get(p)).containsExactlyElementsOf(
                        IntStream.range(0, PER_PARTITION).mapToObj(Long::valueOf).toList());
            }
            assertThat(engine.buffers().bufferedBytes()).isZero();
        } finally {
            engine.stop(Duration.ofSeconds(10));
        }
    }
}
