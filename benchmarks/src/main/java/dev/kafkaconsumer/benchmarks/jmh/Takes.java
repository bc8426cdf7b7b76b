package dev.kafkaconsumer.benchmarks.jmh;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** The records of the micro-benchmarks: one take of the engine, built once, the same for every run. */
final class Takes {

    static final int PARTITIONS = 6;
    static final int RECORDS_PER_PARTITION = 500;
    static final int RECORDS = PARTITIONS * RECORDS_PER_PARTITION;
    /** Keys come from a space of this many, so that KEY ordering has lanes to spread over. */
    static final int KEYS = 100;

    private Takes() {
    }

    /** 6 partitions × 500 records, 100-byte random values, keys {@code key-0} to {@code key-99}; seeded. */
    static Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> take() {
        Random random = new Random(42);
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> take = new HashMap<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(RECORDS_PER_PARTITION);
            for (int offset = 0; offset < RECORDS_PER_PARTITION; offset++) {
                byte[] value = new byte[100];
                random.nextBytes(value);
                byte[] key = ("key-" + random.nextInt(KEYS)).getBytes(StandardCharsets.UTF_8);
                records.add(new ConsumerRecord<>("jmh", partition, offset, key, value));
            }
            take.put(new TopicPartition("jmh", partition), List.copyOf(records));
        }
        return Map.copyOf(take);
    }
}
