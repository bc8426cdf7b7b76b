package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * R1: three consumer processes are restarted one at a time (SIGTERM, the container stops gracefully
 * and commits, then a new JVM takes its place), five rounds, while a producer keeps writing. A graceful
 * stop commits everything processed before the partitions move, so nothing may be lost or processed twice.
 */
@Tag(FullSuite.TAG)
@ExtendWith({KafkaBrokerExtension.class, Results.Extension.class})
class RollingRestartTest {

    private static final int PARTITIONS = 6;
    private static final int MEMBERS = 3;
    private static final int ROUNDS = 5;
    private static final List<String> OPTIONS = List.of("-Dreliability.handler-delay-us=200", "-Dkafka.max.poll.records=100");

    /** Kept when the test fails, with every event log and process output, for the post-mortem. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aRollingRestartOfEveryConsumerLosesNothingAndRepeatsNothing(String protocol, KafkaBroker kafka, Results results)
            throws Exception {
        String topic = "r1-" + protocol + "-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.createTopic(topic, PARTITIONS);
        List<ConsumerProcess> live = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        long started = System.nanoTime();
        try (SequenceProducer producer = SequenceProducer.start(kafka.clientProperties(), topic, PARTITIONS, 500)) {
            for (int member = 0; member < MEMBERS; member++) {
                live.add(start(kafka, topic, protocol, "member" + member + "-round0", logs));
            }
            ConsumerProcess.awaitBalanced(live, PARTITIONS);
            for (int round = 1; round <= ROUNDS; round++) {
                for (int member = 0; member < MEMBERS; member++) {
                    live.get(member).terminate();
                    live.set(member, start(kafka, topic, protocol, "member" + member + "-round" + round, logs));
                    ConsumerProcess.awaitBalanced(live, PARTITIONS);
                }
            }
            producer.stop();
            List<Long> acknowledged = producer.acknowledged();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Logs.allProcessed(logs, acknowledged));
            for (ConsumerProcess process : live) {
                process.terminate();
            }
            CheckResult result = Checker.check(logs, acknowledged);
            results.record("R1 rolling restart", protocol, result, String.format("%d restarts in %d s, %d sends failed",
                    MEMBERS * ROUNDS, Duration.ofNanos(System.nanoTime() - started).toSeconds(), producer.failed()));
            assertThat(result.lost()).as("lost").isZero();
            assertThat(result.duplicated()).as("duplicated").isZero();
            assertThat(result.commitsAboveUnprocessed()).as("commits above an unprocessed record").isZero();
            assertThat(result.nonMonotonic()).as("non-monotonic").isZero();
            assertThat(result.skipped()).as("skipped").isZero();
        } finally {
            live.forEach(ConsumerProcess::close);
        }
    }

    private ConsumerProcess start(KafkaBroker kafka, String topic, String protocol, String name, List<Path> logs)
            throws Exception {
        ConsumerProcess process = ConsumerProcess.start(dir, name, kafka.bootstrapServers(), topic, protocol, OPTIONS);
        logs.add(process.log());
        return process;
    }
}
