package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
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
@ExtendWith({KafkaBrokerExtension.class, Results.Extension.class})
class ConsumerKillTest {

    private static final int RECORDS = 20_000;
    private static final int PARTITIONS = 4;
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(2);

    /** Kept when the test fails, with every event log and process output, for the post-mortem. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aKilledConsumerLosesNothingAndItsSuccessorRepeatsOnlyWhatItHadNotCommitted(String protocol, KafkaBroker kafka,
            Results results) throws Exception {
        String topic = "r2-" + protocol + "-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.createTopic(topic, PARTITIONS);
        List<String> options = new ArrayList<>(List.of(
                // simulated work: 20,000 records take about 2.5 s on 4 workers, so the kill lands mid-stream
                "-Dreliability.handler-delay-us=500", "-Dreliability.commit-interval-ms=200", "-Dkafka.max.poll.records=100"));
        try (Admin admin = kafka.admin()) {
            options.addAll(Groups.sessionTimeout(admin, topic, protocol, SESSION_TIMEOUT));
        }
        List<Long> acknowledged = SequenceProducer.sendAll(kafka, topic, PARTITIONS, RECORDS);

        long atKill;
        long uncommitted;
        try (ConsumerProcess first = ConsumerProcess.start(dir, "first", kafka.bootstrapServers(), topic, protocol, options)) {
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                        .until(() -> Logs.processed(first.log()) >= RECORDS / 4);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("The first process did not process " + RECORDS / 4 + " records; output:\n" + first.output(), e);
            } finally {
                first.kill();
            }
            List<String> killed = Logs.lines(first.log());
            atKill = killed.stream().filter(line -> line.startsWith("processed ")).count();
            uncommitted = Checker.processedButNotCommitted(killed);
        }
        assertThat(atKill).as("records processed when the first process was killed").isLessThan(RECORDS);
        Path firstLog = dir.resolve("first.events");

        long takeOverMillis;
        Path secondLog;
        try (ConsumerProcess second = ConsumerProcess.start(dir, "second", kafka.bootstrapServers(), topic, protocol, options)) {
            secondLog = second.log();
            try {
                // timed from the successor's start() (its JVM's start-up varies with the machine's load, the group's work does not)
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                        .until(() -> second.output().contains("Consuming "));
                long restarted = System.nanoTime();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> Logs.owned(second.log()).size() == PARTITIONS);
                takeOverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Logs.allProcessed(List.of(firstLog, second.log()), acknowledged));
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("The second process did not finish; output:\n" + second.output(), e);
            } finally {
                second.terminate();
            }
        }

        CheckResult result = Checker.check(List.of(firstLog, secondLog), acknowledged);
        System.out.printf("R2 %s: killed at %d processed, %d of them not committed; all partitions taken over in %d ms%n",
                protocol, atKill, uncommitted, takeOverMillis);
        results.record("R2 consumer SIGKILL", protocol, result, String.format(
                "killed at %d processed, %d not committed; partitions taken over in %.1f s", atKill, uncommitted, takeOverMillis / 1000.0));
        assertThat(result.lost()).as("lost").isZero();
        assertThat(result.duplicated()).as("duplicated, at most the %d processed but not committed", uncommitted)
                .isLessThanOrEqualTo(uncommitted);
        assertThat(result.commitsAboveUnprocessed()).as("commits above an unprocessed record").isZero();
        assertThat(result.nonMonotonic()).as("non-monotonic").isZero();
        assertThat(result.skipped()).as("skipped").isZero();
        // every build: the successor took every partition over at all (the wait above gives it 60 s); the bound,
        // within the session timeout plus 5 s of its start, is a latency: measured and reported always, judged in the full suite
        if (FullSuite.active()) {
            assertThat(Duration.ofMillis(takeOverMillis)).as("take-over after the successor's start")
                    .isLessThan(SESSION_TIMEOUT.plusSeconds(5));
        }
    }
}
