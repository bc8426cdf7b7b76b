package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * R5: a rebalance storm. One long-lived member logs all along while short-lived members (containers in
 * this JVM, each with its own log) join the group every 500 ms for 60 s, the oldest leaving as soon as
 * more than two are there, and a producer keeps writing. Nothing may be lost; duplicates are reported,
 * not judged: a member that leaves mid-rebalance may hand over records it processed but could not commit.
 */
@Tag(FullSuite.TAG)
@ExtendWith({KafkaBrokerExtension.class, Results.Extension.class})
class RebalanceStormTest {

    private static final int PARTITIONS = 6;
    private static final Duration STORM = Duration.ofSeconds(60);
    private static final Duration TICK = Duration.ofMillis(500);
    private static final int MAX_TRANSIENT = 2;

    /** Kept when the test fails, with every event log and process output, for the post-mortem. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aRebalanceStormLosesNothing(String protocol, KafkaBroker kafka, Results results) throws Exception {
        String topic = "r5-" + protocol + "-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.createTopic(topic, PARTITIONS);
        List<LoggingMember> members = new ArrayList<>();
        Deque<LoggingMember> transients = new ArrayDeque<>();
        ExecutorService stopper = Executors.newFixedThreadPool(4, runnable -> new Thread(runnable, "r5-stopper"));
        AtomicInteger joined = new AtomicInteger();
        try (SequenceProducer producer = SequenceProducer.start(kafka.clientProperties(), topic, PARTITIONS, 500)) {
            LoggingMember longLived = LoggingMember.start(dir, "long-lived", kafka.clientProperties(), topic, topic, protocol, Map.of());
            members.add(longLived);
            await().atMost(Duration.ofSeconds(30)).until(() -> !Logs.owned(longLived.log()).isEmpty());
            long end = System.nanoTime() + STORM.toNanos();
            long tick = System.nanoTime();
            while (System.nanoTime() < end) {
                LoggingMember member = LoggingMember.start(dir, "member" + joined.incrementAndGet(), kafka.clientProperties(), topic,
                        topic, protocol, Map.of());
                members.add(member);
                transients.addLast(member);
                if (transients.size() > MAX_TRANSIENT) {
                    LoggingMember leaving = transients.removeFirst();
                    stopper.execute(leaving::close); // a stop waits for the revocation; the storm does not
                }
                tick += TICK.toNanos();
                LockSupport.parkNanos(tick - System.nanoTime()); // the storm's cadence, not a synchronisation
            }
            transients.forEach(member -> stopper.execute(member::close));
            stopper.shutdown();
            assertThat(stopper.awaitTermination(60, TimeUnit.SECONDS)).as("the short-lived members stopped").isTrue();
            producer.stop();
            List<Long> acknowledged = producer.acknowledged();
            List<Path> logs = members.stream().map(LoggingMember::log).toList();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Logs.allProcessed(logs, acknowledged));
            longLived.stop();
            CheckResult result = Checker.check(logs, acknowledged);
            results.record("R5 rebalance storm", protocol, result, String.format(
                    "%d members joined and left in %d s; duplicates reported, not judged", joined.get(), STORM.toSeconds()));
            assertThat(result.lost()).as("lost").isZero();
            assertThat(result.commitsAboveUnprocessed()).as("commits above an unprocessed record").isZero();
            assertThat(result.nonMonotonic()).as("non-monotonic").isZero();
            assertThat(result.skipped()).as("skipped").isZero();
        } finally {
            stopper.shutdownNow();
            members.forEach(LoggingMember::close);
        }
    }
}
