package dev.kafkaconsumer.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.kafkaconsumer.reliability.ExactlyOnceChecker.Output;

/**
 * Reads a whole output topic of a consume-transform-produce run, from its beginning to its end as an isolation level
 * sees it: {@code read_committed} stops at the last stable offset and skips aborted records, {@code read_uncommitted}
 * returns aborted records too. No group: the partitions are assigned.
 */
final class OutputReader {

    private OutputReader() {
    }

    /**
     * Reads every output record up to the end offsets the reader finds when it starts.
     *
     * @param client    how to reach the cluster
     * @param topic     the output topic
     * @param isolation {@code read_committed} or {@code read_uncommitted}
     * @param timeout   how long to read at most
     * @return the outputs, each partition in its order
     * @throws AssertionError when the end is not reached within the timeout
     */
    static List<Output> read(Map<String, Object> client, String topic, String isolation, Duration timeout) {
        Map<String, Object> properties = new HashMap<>(client);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            Set<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).collect(Collectors.toSet());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // under read_committed, the end offsets are the last stable offsets
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            List<Output> outputs = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (end.entrySet().stream().anyMatch(partition -> consumer.position(partition.getKey(), timeout) < partition.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Did not read " + topic + " (" + isolation + ") to " + end + " within " + timeout);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    outputs.add(Output.parse(record.partition(), record.offset(), record.key(), record.value()));
                }
            }
            return outputs;
        }
    }
}
