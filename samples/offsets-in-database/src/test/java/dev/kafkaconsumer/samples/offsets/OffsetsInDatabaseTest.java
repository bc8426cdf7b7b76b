package dev.kafkaconsumer.samples.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * The application runs in a JVM of its own, on the broker of this one, and is killed with SIGKILL
 * while it counts; a second one finishes. Every record must be counted exactly once.
 */
@ExtendWith(KafkaBrokerExtension.class)
class OffsetsInDatabaseTest {

    private static final int RECORDS = 6_000;
    private static final int KEYS = 37;

    @TempDir
    Path dir;

    @Test
    void aHardKillMidStreamNeitherLosesNorDoubleCountsARecord(KafkaBroker kafka) throws Exception {
        String topic = "views-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.createTopic(topic, 3);
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, RECORDS)
                .mapToObj(i -> new ProducerRecord<>(topic, "user-" + (i % KEYS), "/page/" + i))
                .toList());
        Map<String, Long> expected = IntStream.range(0, RECORDS).mapToObj(i -> "user-" + (i % KEYS))
                .collect(Collectors.groupingBy(key -> key, TreeMap::new, Collectors.counting()));
        Map<TopicPartition, Long> endOffsets = endOffsets(kafka, topic);

        // the database is a file in a temp dir served by H2 in this JVM, as a database server would be:
        // the child is its only writer, and a SIGKILL drops the child's connection mid-transaction
        Server server = Server.createTcpServer("-tcpPort", String.valueOf(freePort()), "-baseDir", dir.toString(), "-ifNotExists").start();
        try {
            killAndRestart(kafka, topic, "jdbc:h2:tcp://localhost:" + server.getPort() + "/offsets", expected, endOffsets);
        } finally {
            server.stop();
        }
    }

    private void killAndRestart(KafkaBroker kafka, String topic, String url, Map<String, Long> expected,
            Map<TopicPartition, Long> endOffsets) throws Exception {
        OffsetStore store = new OffsetStore(url, null, null);
        store.createTables();

        Process first = start(kafka, topic, url, dir.resolve("first.log"));
        try {
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(20))
                    .until(() -> counted(store, topic) >= RECORDS / 5);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("The first process did not count " + RECORDS / 5 + " records; logs:\n" + logs(), e);
        } finally {
            first.destroyForcibly();
        }
        assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
        long atKill = counted(store, topic);
        assertThat(atKill).as("records counted when the first process was killed").isBetween(RECORDS / 5L, RECORDS - 1L);

        Process second = start(kafka, topic, url, dir.resolve("second.log"));
        try {
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
                    .until(() -> store.offsets(endOffsets.keySet()).equals(endOffsets));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("The second process did not store the end offsets " + endOffsets + "; logs:\n" + logs(), e);
        } finally {
            second.destroy();
            assertThat(second.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }

        System.out.printf("killed the first process at %d of %d records counted%n", atKill, RECORDS);
        assertThat(store.counts(topic)).as("counts per key; logs:%n%s", logs()).isEqualTo(expected);
        assertThat(store.offsets(endOffsets.keySet())).isEqualTo(endOffsets);
        assertThat(Files.readString(dir.resolve("second.log"))).contains("positions restored from the database: {");
    }

    private static Process start(KafkaBroker kafka, String topic, String url, Path log) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath,
                "-Doffsets.topic=" + topic,
                "-Doffsets.group=" + topic,
                // small batches, so that the kill lands mid-stream; a dead member leaves the group fast
                "-Dkafka.max.poll.records=100",
                "-Dkafka.session.timeout.ms=2000",
                "-Dkafka.heartbeat.interval.ms=500",
                OffsetsInDatabaseApp.class.getName(), kafka.bootstrapServers(), url));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static long counted(OffsetStore store, String topic) throws SQLException {
        return store.counts(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Map<TopicPartition, Long> endOffsets(KafkaBroker kafka, String topic) throws InterruptedException, ExecutionException {
        Map<TopicPartition, Long> offsets = new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
        try (Admin admin = kafka.admin()) {
            for (int p = 0; p < 3; p++) {
                TopicPartition partition = new TopicPartition(topic, p);
                offsets.put(partition, admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset());
            }
        }
        return Map.copyOf(offsets);
    }

    private String logs() throws IOException {
        StringBuilder logs = new StringBuilder();
        for (String name : List.of("first.log", "second.log")) {
            Path file = dir.resolve(name);
            if (Files.exists(file)) {
                logs.append("--- ").append(name).append(" (").append(Files.getLastModifiedTime(file)).append(")").append('\n').append(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return logs.toString();
    }
}
