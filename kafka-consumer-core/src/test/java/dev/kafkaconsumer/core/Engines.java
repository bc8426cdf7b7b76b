package dev.kafkaconsumer.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.kafkaconsumer.test.KafkaBroker;

/** Helpers shared by the engine's integration tests: unique names, producing, engines per protocol. */
final class Engines {

    private Engines() {
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a topic and writes {@code count} records "k{i % partitions}"/"v{i}", round-robin over partitions. */
    static String topicWithRecords(KafkaBroker kafka, String prefix, int partitions, int count) {
        String topic = unique(prefix);
        kafka.createTopic(topic, partitions);
        produce(kafka, topic, partitions, 0, count);
        return topic;
    }

    /** Writes records i = from..from+count-1 to partition i % partitions, value "v" + i; waits for all acks. */
    static void produce(KafkaBroker kafka, String topic, int partitions, int from, int count) {
        try (KafkaProducer<String, String> producer = kafka.producer(new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = from; i < from + count; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, i % partitions, "k" + i, "v" + i)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** A builder for a String engine on the broker, reading from the earliest offset. */
    static ConsumerEngine.Builder<String, String> builder(KafkaBroker kafka) {
        return ConsumerEngine.builder(new StringDeserializer(), new StringDeserializer())
                .properties(kafka.clientProperties())
                .property(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    }

    /** A builder in a group, with settings for fast rebalances under the given protocol. */
    static ConsumerEngine.Builder<String, String> builder(KafkaBroker kafka, String groupId, String protocol) {
        return builder(kafka).groupId(groupId).properties(groupProperties(protocol));
    }

    static Map<String, Object> groupProperties(String protocol) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        if (protocol.equals("classic")) {
            properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000);
            properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        }
        return properties;
    }
}
