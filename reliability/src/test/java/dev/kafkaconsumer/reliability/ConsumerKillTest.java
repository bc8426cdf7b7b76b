package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * R2: a consumer process is killed with SIGKILL mid-stream and a second one in the same group takes
 * over. Nothing acknowledged may be lost; the only duplicates allowed are records the killed process had
 * processed but not committed; no commit may be above an unprocessed record.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerKillTest {

    private static final int RECORDS = 20_000;
    private static final int PARTITIONS = 4;
    private static final Duration SESSION_TIMEOUT = Scenarios.SESSION_TIMEOUT;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aKilledConsumerLosesNothingAndItsSuccessorRepeatsOnlyWhatItHadNotCommitted(String protocol, KafkaBroker kafka)
            throws Exception {
        String topic = "r2-" + protocol + "-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.createTopic(topic, PARTITIONS);
        Scenarios.shortSessions(kafka, topic, protocol);
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, RECORDS)
                .mapToObj(i -> new ProducerRecord<>(topic, i % PARTITIONS, (String) null, String.valueOf(i))).toList());
        // send(...) returns only when every record is acknowledged
        List<Long> acknowledged = LongStream.range(0, RECORDS).boxed().toList();
        Path firstLog = dir.resolve("first.events");
        Path secondLog = dir.resolve("second.events");

        Process first = start(kafka, topic, protocol, firstLog, "first");
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Scenarios.processed(firstLog).size() >= RECORDS / 4);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("The first process did not process " + RECORDS / 4 + " records; output:\n" + output(), e);
        } finally {
            first.destroyForcibly();
        }
        assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
        List<String> killed = Checker.lines(firstLog);
        long atKill = killed.stream().filter(line -> line.startsWith("processed ")).count();
        long uncommitted = Checker.processedButNotCommitted(killed);
        assertThat(atKill).as("records processed when the first process was killed").isLessThan(RECORDS);

        long restarted = System.nanoTime();
        Process second = start(kafka, topic, protocol, secondLog, "second");
        long takeOverMillis;
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> assignedPartitions(secondLog).size() == PARTITIONS);
            takeOverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> distinctSequences(firstLog, secondLog) == RECORDS);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("The second process did not finish; output:\n" + output(), e);
        } finally {
            second.destroy();
            assertThat(second.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }

        CheckResult result = Checker.check(List.of(firstLog, secondLog), acknowledged);
        Scenarios.print("R2 " + protocol, result, String.format("killed at %d processed, %d of them not committed; "
                + "all partitions taken over in %d ms", atKill, uncommitted, takeOverMillis));
        assertThat(result.lost()).as("lost").isZero();
        assertThat(result.duplicated()).as("duplicated, at most the %d processed but not committed", uncommitted)
                .isLessThanOrEqualTo(uncommitted);
        assertThat(result.commitsAboveUnprocessed()).as("commits above an unprocessed record").isZero();
        assertThat(result.nonMonotonic()).as("non-monotonic").isZero();
        assertThat(result.skipped()).as("skipped").isZero();
        // the successor owns every partition within the session timeout plus 5 s (the bound, with JVM start-up)
        assertThat(Duration.ofMillis(takeOverMillis)).isLessThan(SESSION_TIMEOUT.plusSeconds(5).plusSeconds(5));
    }

    private Process start(KafkaBroker kafka, String topic, String protocol, Path log, String name) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath,
                // simulated work: 20,000 records take about 2.5 s on 4 workers, so the kill lands mid-stream
                "-Dreliability.handler-delay-us=500",
                "-Dreliability.commit-interval-ms=200",
                "-Dkafka.max.poll.records=100"));
        if (protocol.equals("classic")) {
            command.add("-Dkafka.session.timeout.ms=" + SESSION_TIMEOUT.toMillis());
            command.add("-Dkafka.heartbeat.interval.ms=500");
        }
        command.addAll(List.of(LoggingConsumer.class.getName(), kafka.bootstrapServers(), topic, topic, protocol, log.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile()).start();
    }

    private static Set<Integer> assignedPartitions(Path log) throws IOException {
        Set<Integer> owned = new HashSet<>();
        if (!Files.exists(log)) {
            return owned;
        }
        for (String line : Checker.lines(log)) {
            String[] fields = line.split(" ");
            if ((fields[0].equals("assigned") || fields[0].equals("revoked")) && !fields[1].equals("-")) {
                for (String partition : fields[1].split(",")) {
                    if (fields[0].equals("assigned")) {
                        owned.add(Integer.valueOf(partition));
                    } else {
                        owned.remove(Integer.valueOf(partition));
                    }
                }
            }
        }
        return owned;
    }

    private static long distinctSequences(Path... logs) throws IOException {
        Set<String> sequences = new HashSet<>();
        for (Path log : logs) {
            if (Files.exists(log)) {
                Checker.lines(log).stream().filter(line -> line.startsWith("processed ")).forEach(line -> sequences.add(line.split(" ")[4]));
            }
        }
        return sequences.size();
    }

    private String output() throws IOException {
        StringBuilder output = new StringBuilder();
        for (String name : List.of("first.out", "second.out")) {
            Path file = dir.resolve(name);
            if (Files.exists(file)) {
                output.append("--- ").append(name).append('\n').append(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return output.toString();
    }
}
