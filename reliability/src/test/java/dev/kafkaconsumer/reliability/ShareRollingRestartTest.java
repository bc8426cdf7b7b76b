package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * S2: three share consumer processes of one share group, all reading one partition, are restarted one at a time
 * (SIGTERM: the container stops gracefully, releasing what it took and had not handled and sending the
 * acknowledgements it owes; then a new JVM takes its place), five rounds, while a producer keeps writing. A graceful
 * stop accepts everything it processed and gives the rest back, so nothing may be lost or processed twice.
 */
@Tag(FullSuite.TAG)
@ExtendWith({KafkaBrokerExtension.class, Results.Extension.class})
class ShareRollingRestartTest {

    private static final int MEMBERS = 3;
    private static final int ROUNDS = 5;
    private static final Duration LOCK = Duration.ofSeconds(5);
    private static final List<String> OPTIONS = List.of("-Dreliability.handler-delay-us=3000", "-Dreliability.concurrency=4");

    /** Kept when the test fails, with every event log and process output, for the post-mortem. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aRollingRestartOfEveryShareConsumerLosesNothingAndRepeatsNothing(KafkaBroker kafka, Results results) throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String topic = "r13-" + id;
        String group = "r13-share-" + id;
        kafka.createTopic(topic, 1);
        try (Admin admin = kafka.admin()) {
            Groups.shareGroup(admin, group, LOCK);
        }
        List<ConsumerProcess> live = new ArrayList<>();
        List<ConsumerProcess> stopped = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        long started = System.nanoTime();
        try (SequenceProducer producer = SequenceProducer.start(kafka.clientProperties(), topic, 1, 500)) {
            for (int member = 0; member < MEMBERS; member++) {
                live.add(start(kafka, topic, group, "member" + member + "-round0", logs));
            }
            awaitEveryoneProcessing(live);
            for (int round = 1; round <= ROUNDS; round++) {
                for (int member = 0; member < MEMBERS; member++) {
                    live.get(member).terminate();
                    stopped.add(live.get(member));
                    live.set(member, start(kafka, topic, group, "member" + member + "-round" + round, logs));
                    awaitEveryoneProcessing(live);
                }
            }
            producer.stop();
            List<Long> acknowledged = producer.acknowledged();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Logs.allProcessed(logs, acknowledged));
            for (ConsumerProcess process : live) {
                process.terminate();
                stopped.add(process);
            }
            CheckResult result = Checker.check(logs, acknowledged);
            List<String> stops = stopped.stream().map(ShareRollingRestartTest::stopLine).toList();
            results.record("S2 share rolling restart", "share", result, String.format(
                    "%d restarts of %d share consumers on 1 partition in %d s, %d sends failed; %d records delivered again "
                            + "after a stop released them; non-monotonic and skipped count offsets other consumers took (a share "
                            + "group spreads a partition), not anomalies",
                    MEMBERS * ROUNDS, MEMBERS, Duration.ofNanos(System.nanoTime() - started).toSeconds(), producer.failed(),
                    stops.stream().mapToLong(ShareRollingRestartTest::redeliveries).sum()));
            assertThat(stops).as("every stopped process reported its acknowledgements").doesNotContainNull();
            assertThat(result.lost()).as("lost").isZero();
            assertThat(result.duplicated()).as("duplicated").isZero();
            assertThat(result.commitsAboveUnprocessed()).as("commits above an unprocessed record").isZero();
        } finally {
            live.forEach(ConsumerProcess::close);
        }
    }

    /** What a stopped process printed about its acknowledgements and deliveries, or null. */
    private static String stopLine(ConsumerProcess process) {
        return process.output().lines().filter(line -> line.startsWith(ShareLoggingConsumer.STOPPED)).findFirst().orElse(null);
    }

    /** The deliveries beyond the first that a stop line counts: the records it received with a delivery count above 1. */
    static long redeliveries(String stopLine) {
        if (stopLine == null) {
            return 0;
        }
        String counts = stopLine.substring(stopLine.indexOf("deliveries by count {") + "deliveries by count {".length(),
                stopLine.lastIndexOf('}'));
        long again = 0;
        for (String entry : counts.split(",\\s*")) {
            String[] pair = entry.split("=");
            if (pair.length == 2 && Integer.parseInt(pair[0].trim()) > 1) {
                again += Long.parseLong(pair[1].trim());
            }
        }
        return again;
    }

    private ConsumerProcess start(KafkaBroker kafka, String topic, String group, String name, List<Path> logs) throws Exception {
        ConsumerProcess process = ConsumerProcess.startShare(dir, name, kafka.bootstrapServers(), topic, group, OPTIONS);
        logs.add(process.log());
        return process;
    }

    /** Waits until every live process has processed records: each is a member the broker hands records to. */
    private static void awaitEveryoneProcessing(List<ConsumerProcess> live) {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                for (ConsumerProcess process : live) {
                    if (Logs.processed(process.log()) == 0) {
                        return false;
                    }
                }
                return true;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Not every share consumer got records; output:\n"
                    + live.stream().map(ConsumerProcess::output).collect(Collectors.joining("\n")), e);
        }
    }
}
