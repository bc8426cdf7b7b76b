package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.reliability.worker.SpringWorker;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * R21: a rolling deploy of a Spring Boot worker. Three {@link SpringWorker} JVMs (a {@code @RecordHandler}, KEY
 * ordering, no web server) read 6 partitions while a producer writes keyed sequence numbers; each in turn gets
 * SIGTERM, as a deployment sends it, and a new JVM takes its place once the old one has ended on its own. Unlike R1,
 * which stops containers from its own shutdown hook, nothing here calls {@code stop}: Spring Boot's shutdown hook
 * closes the context, and the container bean stops in its lifecycle phase. A graceful stop finishes what it handles,
 * commits it and hands the rest over, so nothing may be lost or handled twice, and no key may go out of order within
 * an instance. The normal build replaces one worker; the full suite each of them three times.
 */
@ExtendWith({KafkaBrokerExtension.class, Results.Extension.class})
class SpringRollingDeployTest {

    private static final int PARTITIONS = 6;
    private static final int MEMBERS = 3;
    /** A multiple of the partitions, so that each key stays in one partition. */
    private static final int KEYS = 60;
    /** 1 ms of work per record, and polls of 100: a SIGTERM lands while records are handled and others wait. */
    private static final List<String> ARGUMENTS = List.of("--reliability.handler-delay-us=1000",
            "--kafka.consumer.max-poll-records=100");
    /** Well under kafka.consumer.shutdown-timeout (30 s): a worker that takes longer hangs, it does not drain. */
    private static final Duration EXIT_BOUND = Duration.ofSeconds(25);
    /** Logged by the core container when its stop is done, after the final commit, on the bean's stop thread. */
    private static final String STOPPED_BY_LIFECYCLE = "\\[kafka-consumer-stop-" + SpringWorker.CONTAINER + "\\] .* - Container "
            + SpringWorker.CONTAINER + " stopped\\R";

    /** Kept when the test fails, with every event log and process output, for the post-mortem. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void oneWorkerReplacedBySigtermLosesNothingRepeatsNothingAndKeepsEachKeysOrder(String protocol, KafkaBroker kafka,
            Results results) throws Exception {
        deploy(protocol, kafka, results, 1, "R21 rolling deploy, Spring Boot, short");
    }

    @Tag(FullSuite.TAG)
    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void threeRoundsOfRollingDeploysBySigtermLoseNothingRepeatNothingAndKeepEachKeysOrder(String protocol, KafkaBroker kafka,
            Results results) throws Exception {
        deploy(protocol, kafka, results, 3 * MEMBERS, "R21 rolling deploy, Spring Boot");
    }

    /**
     * Starts three workers, replaces {@code restarts} of them in turn (worker 0, 1, 2, 0, ...), each once the group is
     * balanced again, while the producer writes; then drains, stops the last three the same way, and checks.
     */
    private void deploy(String protocol, KafkaBroker kafka, Results results, int restarts, String scenario) throws Exception {
        String topic = Scenarios.unique("r21-" + protocol);
        kafka.createTopic(topic, PARTITIONS);
        List<ConsumerProcess> live = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        List<Long> exitMillis = new ArrayList<>();
        long started = System.nanoTime();
        try (SequenceProducer producer = SequenceProducer.start(kafka.clientProperties(), topic, PARTITIONS, 500, KEYS)) {
            for (int member = 0; member < MEMBERS; member++) {
                live.add(start(kafka, topic, protocol, "worker" + member + "-0", logs));
            }
            ConsumerProcess.awaitBalanced(live, PARTITIONS);
            for (int restart = 0; restart < restarts; restart++) {
                int member = restart % MEMBERS;
                exitMillis.add(sigterm(live.get(member)));
                live.set(member, start(kafka, topic, protocol, "worker" + member + "-" + (restart / MEMBERS + 1), logs));
                ConsumerProcess.awaitBalanced(live, PARTITIONS);
            }
            producer.stop();
            List<Long> acknowledged = producer.acknowledged();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Logs.allProcessed(logs, acknowledged));
            for (ConsumerProcess process : live) {
                exitMillis.add(sigterm(process));
            }
            CheckResult result = Checker.check(logs, acknowledged);
            long outOfKeyOrder = 0;
            for (Path log : logs) {
                outOfKeyOrder += Checker.outOfKeyOrder(Checker.lines(log), KEYS);
            }
            results.record(scenario, protocol, result, String.format(
                    "3 workers, %d replaced in turn by SIGTERM while the producer wrote, then the last 3 stopped, in %d s; each of "
                    + "the %d JVMs exited 143 on its own in %d-%d ms, its container stopped by its bean's lifecycle; %d keys, "
                    + "%d records out of key order within an instance (non-monotonic and skipped count offsets across keys, "
                    + "expected under KEY ordering); %d sends failed",
                    restarts, Duration.ofNanos(System.nanoTime() - started).toSeconds(), exitMillis.size(),
                    exitMillis.stream().mapToLong(Long::longValue).min().orElse(0),
                    exitMillis.stream().mapToLong(Long::longValue).max().orElse(0), KEYS, outOfKeyOrder, producer.failed()));
            assertThat(result.lost()).as("lost").isZero();
            assertThat(result.duplicated()).as("duplicated").isZero();
            assertThat(result.commitsAboveUnprocessed()).as("commits above an unprocessed record").isZero();
            assertThat(outOfKeyOrder).as("records out of their key's order within an instance").isZero();
        } finally {
            live.forEach(ConsumerProcess::close);
        }
    }

    private ConsumerProcess start(KafkaBroker kafka, String topic, String protocol, String name, List<Path> logs)
            throws Exception {
        ConsumerProcess process = ConsumerProcess.startSpringWorker(dir, name, kafka.bootstrapServers(), topic, protocol, ARGUMENTS);
        logs.add(process.log());
        return process;
    }

    /**
     * Sends SIGTERM and waits for the JVM to end on its own: within the bound, by the signal (143), with its container
     * stopped by the bean's lifecycle and nothing left unfinished.
     *
     * @return how long it took to end, in milliseconds
     */
    private static long sigterm(ConsumerProcess process) throws InterruptedException {
        long signalled = System.nanoTime();
        process.signalTerm();
        try {
            await().atMost(EXIT_BOUND).pollInterval(Duration.ofMillis(20)).until(() -> !process.isAlive());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("A worker did not end within " + EXIT_BOUND + " of SIGTERM; output:\n" + process.output(), e);
        }
        long millis = Duration.ofNanos(System.nanoTime() - signalled).toMillis();
        String output = process.output();
        assertThat(process.exitValue()).as("exit status (143: ended by SIGTERM); output:%n%s", output).isEqualTo(143);
        assertThat(output).as("a stop through the lifecycle").containsPattern(STOPPED_BY_LIFECYCLE).doesNotContain("unfinished");
        return millis;
    }
}
