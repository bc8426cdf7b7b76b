package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * R15: the topology of a subscribed topic changes under a running container. Partitions are added while it
 * consumes: the consumer learns of them at its next metadata refresh ({@code metadata.max.age.ms}), the group
 * assigns them, and they are read from {@code auto.offset.reset} (earliest here), so neither what was written
 * to them before the assignment nor after it is lost. A topic deleted and created again is read from the start of
 * the new one: the old committed offset, above the new log end, is not applied; the engine notices the topic id
 * change and logs one WARN naming the topic (the deletion alone, before the re-creation, is not reported).
 */
@ExtendWith({KafkaBrokerExtension.class, Results.Extension.class})
class TopologyChangeTest {

    private static final int BEFORE = 2;
    private static final int AFTER = 4;
    private static final int PER_PARTITION = 250;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void partitionsAddedWhileConsumingAreAssignedAndReadFromTheirStartSoNothingIsLost(String protocol, KafkaBroker kafka,
            Results results) throws Exception {
        String topic = Scenarios.unique("r15-grow-" + protocol);
        kafka.createTopic(topic, BEFORE);
        Scenarios.shortSessions(kafka, topic, protocol);
        Path events = dir.resolve(topic + ".events");
        List<Long> acknowledged = new ArrayList<>();
        long grown;
        long assignedAfter;
        try (EventLog log = EventLog.open(events)) {
            ConsumerContainer<String, String> container = Scenarios.container(kafka, topic, topic, protocol, log, record -> { })
                    .property(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000)
                    .build();
            container.start();
            try {
                acknowledged.addAll(produce(kafka, topic, BEFORE, acknowledged.size()));
                await().atMost(Duration.ofSeconds(60)).until(() -> Scenarios.processed(events).size() >= acknowledged.size());
                try (Admin admin = kafka.admin()) {
                    admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(AFTER))).all().get();
                    // the producer sends once every new partition has a leader (the change is asynchronous on the broker)
                    await().atMost(Duration.ofSeconds(60)).until(() -> admin.describeTopics(List.of(topic)).allTopicNames().get()
                            .get(topic).partitions().stream().filter(partition -> partition.leader() != null
                                    && !partition.leader().isEmpty()).count() == AFTER);
                }
                grown = System.nanoTime();
                // written to the new partitions before the group assigns them: auto.offset.reset=earliest must find them
                acknowledged.addAll(produce(kafka, topic, AFTER, acknowledged.size()));
                await().atMost(Duration.ofSeconds(60)).until(() -> Logs.owned(events).size() == AFTER);
                assignedAfter = Duration.ofNanos(System.nanoTime() - grown).toMillis();
                acknowledged.addAll(produce(kafka, topic, AFTER, acknowledged.size()));
                await().atMost(Duration.ofSeconds(60)).until(() -> Scenarios.processed(events).size() >= acknowledged.size());
            } finally {
                container.stop(Duration.ofSeconds(10));
            }
        }
        CheckResult result = Checker.check(List.of(events), acknowledged);
        Scenarios.report(results, "R15 partitions added", protocol, result, String.format("%d to %d partitions while consuming "
                + "(metadata.max.age.ms 1000, auto.offset.reset earliest); the new ones assigned %d ms after the change; %d records "
                + "written to them before, %d after", BEFORE, AFTER, assignedAfter, (AFTER - BEFORE) * PER_PARTITION,
                (AFTER - BEFORE) * PER_PARTITION));
        assertThat(result.clean()).as(result.toString()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aTopicDeletedAndRecreatedIsConsumedFromTheStartOfTheNewOneWithoutStaleOffsets(String protocol, KafkaBroker kafka,
            Results results) throws Exception {
        String topic = Scenarios.unique("r15-recreate-" + protocol);
        kafka.createTopic(topic, 1);
        Scenarios.shortSessions(kafka, topic, protocol);
        Path events = dir.resolve(topic + ".events");
        List<Long> acknowledged = new ArrayList<>(produce(kafka, topic, 1, 0));
        acknowledged.addAll(produce(kafka, topic, 1, acknowledged.size()));
        int old = acknowledged.size();
        long recreatedAt;
        long resumedAfter;
        try (EventLog log = EventLog.open(events); LogCapture capture = LogCapture.of("dev.kafkaconsumer.core")) {
            ConsumerContainer<String, String> container = Scenarios.container(kafka, topic, topic, protocol, log, record -> { })
                    .property(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000)
                    .build();
            container.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> Scenarios.processed(events).size() >= old);
                await().atMost(Duration.ofSeconds(30)).until(() -> Scenarios.committed(kafka, topic, topic).getOrDefault(0, 0L) == old);
                try (Admin admin = kafka.admin()) {
                    admin.deleteTopics(List.of(topic)).all().get();
                    await().atMost(Duration.ofSeconds(60)).until(() -> !admin.listTopics().names().get().contains(topic));
                }
                kafka.createTopic(topic, 1);
                recreatedAt = System.nanoTime();
                acknowledged.addAll(produce(kafka, topic, 1, old));
                await().atMost(Duration.ofSeconds(90)).until(() -> Scenarios.processed(events).size() >= acknowledged.size());
                resumedAfter = Duration.ofNanos(System.nanoTime() - recreatedAt).toMillis();
            } finally {
                container.stop(Duration.ofSeconds(10));
            }
            List<String[]> processed = Scenarios.processed(events);
            long firstNewOffset = processed.stream().filter(fields -> Long.parseLong(fields[4]) >= old)
                    .mapToLong(fields -> Long.parseLong(fields[3])).min().orElse(-1);
            CheckResult result = Checker.check(List.of(events), acknowledged);
            List<String> warnings = capture.messages(ch.qos.logback.classic.Level.WARN);
            List<String> recreations = warnings.stream().filter(warning -> warning.contains("Topic " + topic + " was deleted"))
                    .toList();
            List<String> others = warnings.stream().filter(warning -> !recreations.contains(warning)).toList();
            String reported = (recreations.isEmpty() ? "not reported" : String.join("; ", recreations))
                    + "; other container warnings: " + (others.isEmpty() ? "none" : String.join("; ", others));
            Scenarios.report(results, "R15 topic deleted and recreated", protocol, result, String.format("%d records consumed and "
                    + "committed, the topic deleted and created again, %d written to it: all consumed %d ms after the re-creation, the "
                    + "first at offset %d (no stale offset %d applied); the re-creation: %s; a non-monotonic "
                    + "count is the new topic's offset 0 read after the old one's %d in one assignment", old, PER_PARTITION, resumedAfter,
                    firstNewOffset, old, reported, old - 1));
            assertThat(result.lost()).as("lost").isZero();
            assertThat(firstNewOffset).as("the new topic read from its start").isZero();
            assertThat(recreations).as("the re-creation reported once, by name").hasSize(1);
        }
    }

    /** {@link #PER_PARTITION} records on each of the first {@code partitions} partitions, sequences from {@code first}. */
    private static List<Long> produce(KafkaBroker kafka, String topic, int partitions, int first) {
        List<ProducerRecord<String, String>> records = IntStream.range(first, first + partitions * PER_PARTITION)
                .mapToObj(i -> new ProducerRecord<>(topic, i % partitions, (String) null, String.valueOf(i))).toList();
        kafka.send(new StringSerializer(), new StringSerializer(), records);
        return records.stream().map(record -> Long.valueOf(record.value())).toList();
    }
}
