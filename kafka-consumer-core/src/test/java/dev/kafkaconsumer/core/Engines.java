package dev.kafkaconsumer.core;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
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
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(from, from + count)
                .mapToObj(i -> new ProducerRecord<>(topic, i % partitions, "k" + i, "v" + i)).toList());
    }

    /**
     * Takes {@code count} records, of the given partitions or of all, within 30 seconds. Given partitions are first awaited
     * in the assignment: under {@code group.protocol=consumer} the first join may return before they are assigned (the
     * assignment comes incrementally), and a get for a partition not assigned throws.
     */
    static List<ConsumerRecord<String, String>> take(ConsumerEngine<String, String> engine, int count,
            TopicPartition... partitions) {
        if (partitions.length > 0) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> engine.assignment().containsAll(List.of(partitions)));
        }
        List<ConsumerRecord<String, String>> taken = new ArrayList<>();
        // Awaitility's default 100 ms before and between the calls paces the take (getMany waits for records itself);
        // without it, tests that take a few records and then expect every partition to have handed some out would race
        // the first fetch (ConsumerEngineCommitsTest failed so once)
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            engine.getMany(Duration.ofMillis(200), count - taken.size(), partitions).values().forEach(taken::addAll);
            return taken.size() >= count;
        });
        return taken;
    }

    /** A builder for a String engine on the broker, reading from the earliest offset. */
    static ConsumerEngine.Builder<String, String> builder(KafkaBroker kafka) {
        return ConsumerEngine.builder(new StringDeserializer(), new StringDeserializer())
                .properties(kafka.clientProperties())
                .property(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    }

    /** Session timeout of test groups under either protocol, short so that liveness tests stay short. */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

    /**
     * A builder in a group, with a short session timeout under the given protocol: a client property
     * under the classic protocol, a group config on the broker under the consumer protocol (KIP-848).
     */
    static ConsumerEngine.Builder<String, String> builder(KafkaBroker kafka, String groupId, String protocol) {
        return builder(kafka).groupId(groupId).properties(groupProperties(kafka, groupId, protocol));
    }

    /** Consumer properties for a group under the given protocol, with the short session timeout. */
    static Map<String, Object> groupProperties(KafkaBroker kafka, String groupId, String protocol) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        if (protocol.equals("classic")) {
            properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis());
            properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        } else {
            configureGroup(kafka, groupId);
        }
        return properties;
    }

    private static void configureGroup(KafkaBroker kafka, String groupId) {
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, groupId);
        List<AlterConfigOp> settings = List.of(
                new AlterConfigOp(new ConfigEntry("consumer.session.timeout.ms", String.valueOf(SESSION_TIMEOUT.toMillis())),
                        AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("consumer.heartbeat.interval.ms", "500"), AlterConfigOp.OpType.SET));
        try (Admin admin = kafka.admin()) {
            admin.incrementalAlterConfigs(Map.of(group, settings)).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not configure group " + groupId, e.getCause());
        }
    }
}
