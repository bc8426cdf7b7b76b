package dev.kafkaconsumer.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.test.KafkaBroker;

/**
 * What the scenarios share: unique names, short group sessions under both protocols, producing
 * sequence-numbered records, in-process containers that write an {@link EventLog}, reading committed
 * offsets, and the results row each scenario prints.
 */
final class Scenarios {

    /** The session timeout of every scenario's group: short, so that a lost member shows quickly. */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(2);
    /** How often scenario containers commit unless they say otherwise. */
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);

    private Scenarios() {
    }

    /** A topic or group name no other run uses. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Gives the group a {@link #SESSION_TIMEOUT} session: under the consumer protocol the broker owns the
     * session timeout, so it is set as a group config; under classic the members ask for it (see
     * {@link #groupProperties(String)}).
     */
    static void shortSessions(KafkaBroker kafka, String group, String protocol) throws InterruptedException, ExecutionException {
        if (!protocol.equals("consumer")) {
            return;
        }
        List<AlterConfigOp> settings = List.of(
                new AlterConfigOp(new ConfigEntry("consumer.session.timeout.ms", String.valueOf(SESSION_TIMEOUT.toMillis())),
                        AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("consumer.heartbeat.interval.ms", "500"), AlterConfigOp.OpType.SET));
        try (Admin admin = kafka.admin()) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), settings)).all().get();
        }
    }

    /** The consumer properties of a member of a group under the protocol, reading from the earliest offset. */
    static Map<String, Object> groupProperties(String protocol) {
        Map<String, Object> properties = new TreeMap<>(Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        if (protocol.equals("classic")) {
            properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis());
            properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        }
        return properties;
    }

    /** An in-process member of the group: see {@link #container(KafkaBroker, String, String, String, EventLog, Deserializer, Consumer)}. */
    static ConsumerContainer.Builder<String, String> container(KafkaBroker kafka, String topic, String group, String protocol,
            EventLog log, Consumer<ConsumerRecord<String, String>> work) {
        return container(kafka, topic, group, protocol, log, new StringDeserializer(), work);
    }

    /**
     * An in-process member of the group, named after it, committing every {@link #COMMIT_INTERVAL}: its
     * handler runs {@code work} and then logs the record as processed (so a record whose work throws is
     * not), and its listener logs commits, assignments and revocations.
     */
    static ConsumerContainer.Builder<String, String> container(KafkaBroker kafka, String topic, String group, String protocol,
            EventLog log, Deserializer<String> values, Consumer<ConsumerRecord<String, String>> work) {
        return ConsumerContainer.builder(group, new StringDeserializer(), values)
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(group)
                .topics(List.of(topic))
                .properties(groupProperties(protocol))
                .commitInterval(COMMIT_INTERVAL)
                .listener(new EventLogListener(log))
                .handler(record -> {
                    work.accept(record);
                    log.processed(record.topic(), record.partition(), record.offset(), sequence(record.value()));
                });
    }

    /** The sequence a record value carries: the value itself, or what follows the last '-' ({@code poison-17}). */
    static long sequence(String value) {
        return Long.parseLong(value.substring(value.lastIndexOf('-') + 1));
    }

    /**
     * Sends {@code count} records, waiting for every acknowledgement.
     *
     * @return the sequences acknowledged: 0 to count - 1
     */
    static List<Long> produce(KafkaBroker kafka, int count, IntFunction<ProducerRecord<String, String>> record) {
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, count).mapToObj(record).toList());
        return IntStream.range(0, count).mapToObj(i -> (long) i).toList();
    }

    /** The group's committed offset per partition of the topic, as the broker has it now. */
    static Map<Integer, Long> committed(KafkaBroker kafka, String group, String topic) throws InterruptedException, ExecutionException {
        try (Admin admin = kafka.admin()) {
            Map<Integer, Long> offsets = new TreeMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().forEach((partition, offset) -> {
                if (partition.topic().equals(topic) && offset != null) {
                    offsets.put(partition.partition(), offset.offset());
                }
            });
            return offsets;
        }
    }

    /** The {@code processed} lines of a log so far. */
    static List<String[]> processed(Path log) throws IOException {
        return !Files.exists(log) ? List.of()
                : Checker.lines(log).stream().filter(line -> line.startsWith("processed ")).map(line -> line.split(" ")).toList();
    }

    /** Prints the scenario's results row, after a line of what else it measured, and records it for {@code results.md}. */
    static void report(Results results, String scenario, String protocol, CheckResult result, String details) {
        String row = scenario + " " + protocol;
        System.out.printf("%s: %s%n%s%n%s%n", row, details, CheckResult.markdownHeader(), result.markdownRow(row));
        results.record(scenario, protocol, result, details);
    }
}
