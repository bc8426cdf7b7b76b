package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.core.ContainerState;

/**
 * R4: every broker of a three-node cluster is killed, stays down for 30 s and comes back on the same
 * ports with the same log directories, while a producer keeps trying to write. The consumer must carry
 * on by itself, without a restart, and lose nothing. During the outage a second container is stopped
 * with {@code stop(2 s)}: with no broker to commit to it must still return within 4 s.
 */
@Tag(FullSuite.TAG)
@ExtendWith(Results.Extension.class)
class BrokerOutageTest {

    private static final int PARTITIONS = 4;
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    /** Kept when the test fails, with every event log and process output, for the post-mortem. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void theConsumerResumesAfterEveryBrokerWasDownAndAStopDuringTheOutageIsBounded(String protocol, Results results)
            throws Exception {
        String topic = "r4-" + protocol + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (BrokerCluster cluster = BrokerCluster.builder(dir, 3).start()) {
            cluster.createTopic(topic, PARTITIONS);
            try (SequenceProducer producer = SequenceProducer.start(cluster.clientProperties(), topic, PARTITIONS, 500);
                    LoggingMember consumer = LoggingMember.start(dir, "consumer", cluster.clientProperties(), topic, topic, protocol, Map.of());
                    LoggingMember stopped = LoggingMember.start(dir, "stopped", cluster.clientProperties(), topic,
                            topic + "-stopped", protocol, Map.of())) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Logs.owned(consumer.log()).size() == PARTITIONS && Logs.processed(consumer.log()) > 0);

                long down = System.nanoTime();
                cluster.killEveryNode();
                long stopStarted = System.nanoTime();
                stopped.container().stop(Duration.ofSeconds(2));
                Duration stopTook = Duration.ofNanos(System.nanoTime() - stopStarted);
                LockSupport.parkNanos(down + OUTAGE.toNanos() - System.nanoTime()); // the outage itself, not a synchronisation
                long processedBefore = Logs.processed(consumer.log());
                cluster.restartEveryNode();
                long up = System.nanoTime();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Logs.processed(consumer.log()) > processedBefore);
                Duration resumed = Duration.ofNanos(System.nanoTime() - up);

                long afterOutage = producer.acknowledgedCount();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .until(() -> producer.acknowledgedCount() > afterOutage + 5_000);
                producer.stop();
                List<Long> acknowledged = producer.acknowledged();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .until(() -> Logs.allProcessed(List.of(consumer.log()), acknowledged));
                ContainerState state = consumer.container().snapshot().state();
                consumer.stop();

                CheckResult result = Checker.check(List.of(consumer.log()), acknowledged);
                results.record("R4 all brokers down 30 s", protocol, result, String.format(
                        "brokers started again 30 s after the kill, listening %d s after it; stop(2 s) during the outage "
                                + "took %.1f s; processing resumed %.1f s after the brokers listened, without a restart; "
                                + "%d sends failed",
                        TimeUnit.NANOSECONDS.toSeconds(up - down), stopTook.toMillis() / 1000.0, resumed.toMillis() / 1000.0,
                        producer.failed()));
                assertThat(state).as("the container's state after the outage").isEqualTo(ContainerState.RUNNING);
                assertThat(result.lost()).as("lost").isZero();
                assertThat(result.commitsAboveUnprocessed()).as("commits above an unprocessed record").isZero();
                assertThat(result.nonMonotonic()).as("non-monotonic").isZero();
                assertThat(result.skipped()).as("skipped").isZero();
                assertThat(stopTook).as("stop(2 s) with every broker down").isLessThan(Duration.ofSeconds(4));
            }
        }
    }
}
