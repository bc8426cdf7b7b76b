package dev.kafkaconsumer.benchmarks.transactions;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one run's whole output topic as a {@code read_committed} reader would, after the contender stopped, and
 * tallies it against the input ({@link OutputTally}). Runs after the clock stopped, so it costs no contender anything.
 */
final class OutputCheck {

    private OutputCheck() {
    }

    /**
     * @param bootstrapServers the broker
     * @param topic            the run's output topic
     * @param partitions       its partitions
     * @param inputRecords     records per input partition
     * @return what the reader found
     * @throws IllegalStateException when the topic cannot be read to its last stable offset within a minute and more
     */
    static OutputTally read(String bootstrapServers, String topic, int partitions, long[] inputRecords) {
        OutputTally tally = new OutputTally(inputRecords);
        Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "b11-check-" + topic);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long records = 0;
        for (long r : inputRecords) {
            records += r;
        }
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> assigned = java.util.stream.IntStream.range(0, partitions)
                    .mapToObj(p -> new TopicPartition(topic, p)).toList();
            reader.assign(assigned);
            reader.seekToBeginning(assigned);
            // under read_committed, the end offsets are the last stable offsets: every transaction is over by now
            Map<TopicPartition, Long> end = reader.endOffsets(assigned);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + records / 20_000);
            while (!reached(reader, end)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("Could not read output topic " + topic + " to its end " + end
                            + " in time; is the broker alive?");
                }
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    tally.count(record.key(), record.value());
                }
            }
        }
        return tally;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> reader, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (reader.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }
}
