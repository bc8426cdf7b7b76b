package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * R3: one of three brokers ({@code kafka.Kafka} processes, replication factor 3,
 * {@code min.insync.replicas} 2) is killed with SIGKILL while a producer writes and two consumers read.
 * The broker killed is the group's coordinator, the hardest case: the group must move to another
 * coordinator without a rebalance (no revocation in any consumer's log), and the partitions it led to
 * other leaders, with nothing lost and nothing processed twice.
 */
@Tag(FullSuite.TAG)
@ExtendWith(Results.Extension.class)
class BrokerKillTest {

    private static final int PARTITIONS = 6;

    /** Kept when the test fails, with every event log and process output, for the post-mortem. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void killingOneOfThreeBrokersLosesNothingRepeatsNothingAndCausesNoRebalance(String protocol, Results results)
            throws Exception {
        String topic = "r3-" + protocol + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (BrokerCluster cluster = BrokerCluster.builder(dir, 3).start()) {
            cluster.createTopic(topic, PARTITIONS);
            try (SequenceProducer producer = SequenceProducer.start(cluster.clientProperties(), topic, PARTITIONS, 500);
                    LoggingMember first = LoggingMember.start(dir, "first", cluster.clientProperties(), topic, topic, protocol, Map.of());
                    LoggingMember second = LoggingMember.start(dir, "second", cluster.clientProperties(), topic, topic, protocol, Map.of());
                    Admin admin = cluster.admin()) {
                List<Path> logs = List.of(first.log(), second.log());
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    Set<Integer> owned = new HashSet<>(Logs.owned(first.log()));
                    owned.addAll(Logs.owned(second.log()));
                    return !Logs.owned(first.log()).isEmpty() && !Logs.owned(second.log()).isEmpty() && owned.size() == PARTITIONS
                            && Logs.processed(first.log()) > 0 && Logs.processed(second.log()) > 0;
                });
                long revocationsBefore = Logs.revocations(first.log()) + Logs.revocations(second.log());
                int coordinator = admin.describeConsumerGroups(List.of(topic)).all().get(30, TimeUnit.SECONDS)
                        .get(topic).coordinator().id();
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
                long led = description.partitions().stream().filter(partition -> partition.leader().id() == coordinator).count();
                long killedAt = producer.acknowledgedCount();

                cluster.kill(coordinator);
                // keep writing and reading while the leaders and the coordinator move, then some
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .until(() -> producer.acknowledgedCount() > killedAt + 10_000);
                producer.stop();
                List<Long> acknowledged = producer.acknowledged();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .until(() -> Logs.allProcessed(logs, acknowledged));
                long revocations = Logs.revocations(first.log()) + Logs.revocations(second.log()) - revocationsBefore;
                first.stop();
                second.stop();

                CheckResult result = Checker.check(logs, acknowledged);
                results.record("R3 broker SIGKILL", protocol, result, String.format(
                        "killed broker %d, the group coordinator and leader of %d of %d partitions; no rebalance: %s",
                        coordinator, led, PARTITIONS, revocations == 0 ? "yes" : "no, " + revocations + " revocations"));
                assertThat(result.lost()).as("lost").isZero();
                assertThat(result.duplicated()).as("duplicated").isZero();
                assertThat(result.commitsAboveUnprocessed()).as("commits above an unprocessed record").isZero();
                assertThat(result.nonMonotonic()).as("non-monotonic").isZero();
                assertThat(result.skipped()).as("skipped").isZero();
                assertThat(revocations).as("revocations after the kill").isZero();
            }
        }
    }
}
