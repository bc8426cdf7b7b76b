package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.core.ContainerSnapshot;
import dev.kafkaconsumer.core.ContainerState;

/**
 * R13: the network between consumers and the broker is cut, blackholed (connections stay open, no byte moves, nothing
 * is refused), by a {@link PartitionProxy} the test controls; the broker of a one-node {@link BrokerCluster} advertises
 * the proxy's address on a listener of its own ({@code CUT}), so the clients that bootstrap from it reach the broker
 * only through the proxy, while the others use the direct {@code PLAINTEXT} listener.
 *
 * <ul>
 * <li><b>One consumer cut for longer than the session.</b> Two members of a group, the victim through the proxy, the
 * other and the producer directly. The victim's partitions move to the other member; its snapshot says why during
 * the cut (its health is DOWN on that error); after the heal it rejoins by itself, without a restart, and its
 * error clears (UP). 0 lost.</li>
 * <li><b>Every client cut for shorter than the session.</b> Both members and the producer go through the proxy, and
 * the cut lasts half the session: 0 lost; the rebalances it caused are reported.</li>
 * </ul>
 */
@ExtendWith(Results.Extension.class)
class NetworkPartitionTest {

    private static final int PARTITIONS = 4;
    private static final String CUT = "CUT";
    /** The victim's {@code request.timeout.ms}: how long the brokers' silence lasts before its snapshot reports it. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(4);

    /** Kept when a test fails, with every event log and the broker's output, for the post-mortem. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private static BrokerCluster cluster;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = BrokerCluster.builder(dir, 1).proxiedListener(CUT).start();
    }

    @AfterAll
    static void stopBroker() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aConsumerCutOffPastItsSessionLosesItsPartitionsSaysWhyAndRejoinsAfterTheHeal(String protocol, Results results)
            throws Exception {
        Duration session = Duration.ofSeconds(2);
        String topic = Scenarios.unique("r13-consumer-" + protocol);
        Map<String, String> properties = groupProperties(topic, protocol, session);
        properties.put("request.timeout.ms", String.valueOf(REQUEST_TIMEOUT.toMillis()));
        List<PartitionProxy> proxies = cluster.proxies(CUT);
        cluster.createTopic(topic, PARTITIONS);
        Map<String, Object> throughProxy = new HashMap<>(Map.of("bootstrap.servers", cluster.bootstrapServers(CUT)));
        try (SequenceProducer producer = SequenceProducer.start(cluster.clientProperties(), topic, PARTITIONS, 200);
                LoggingMember victim = LoggingMember.start(dir, "victim-" + topic, throughProxy, topic, topic, protocol, properties);
                LoggingMember other = LoggingMember.start(dir, "other-" + topic, cluster.clientProperties(), topic, topic, protocol,
                        properties)) {
            List<Path> logs = List.of(victim.log(), other.log());
            awaitBalanced(logs, "the group did not settle");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Logs.processed(victim.log()) > 0);
            int ownedBefore = Logs.owned(victim.log()).size();
            long revocationsBefore = Logs.revocations(victim.log());

            long cut = System.nanoTime();
            PartitionProxy.blackhole(proxies);
            ContainerSnapshot during;
            Duration movedAfter;
            Duration reportedAfter;
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> Logs.owned(other.log()).size() == PARTITIONS);
                movedAfter = since(cut);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> victim.container().snapshot().error().isPresent());
                reportedAfter = since(cut);
                during = victim.container().snapshot();
                // a cut of at least twice the session, however fast the rest went
                LockSupport.parkNanos(cut + session.multipliedBy(2).toNanos() - System.nanoTime());
            } finally {
                PartitionProxy.heal(proxies);
            }
            Duration cutFor = since(cut);
            long healed = System.nanoTime();
            long processedAtHeal = Logs.processed(victim.log());
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> victim.container().snapshot().error().isEmpty());
                Duration clearedAfter = since(healed);
                awaitBalanced(logs, "the victim did not rejoin after the heal");
                Duration rejoinedAfter = since(healed);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> Logs.processed(victim.log()) > processedAtHeal);
                ContainerState after = victim.container().snapshot().state();

                producer.stop();
                List<Long> acknowledged = producer.acknowledged();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Logs.allProcessed(logs, acknowledged));
                victim.stop();
                other.stop();

                CheckResult result = Checker.check(logs, acknowledged);
                String notes = String.format("victim cut %.1f s (session %d s), owning %d of %d partitions; they moved to the "
                        + "other member %.1f s into the cut; the victim's snapshot said \"%s\" (state %s) %.1f s into it "
                        + "(request.timeout.ms %d s), cleared %.1f s after the heal; rejoined without a restart %.1f s after "
                        + "the heal; %d revocation(s) logged by the victim; %d sends failed",
                        seconds(cutFor), session.toSeconds(), ownedBefore, PARTITIONS, seconds(movedAfter),
                        during.error().orElse("-"), during.state(), seconds(reportedAfter), REQUEST_TIMEOUT.toSeconds(),
                        seconds(clearedAfter), seconds(rejoinedAfter), Logs.revocations(victim.log()) - revocationsBefore,
                        producer.failed());
                Scenarios.report(results, "R13 network partition, consumer cut", protocol, result, notes);
                assertThat(during.error().orElse("none")).as("the victim's error during the cut")
                        .startsWith("no response from the brokers for");
                assertThat(during.state()).as("the victim's state during the cut").isEqualTo(ContainerState.RUNNING);
                assertThat(after).as("the victim's state after the heal").isEqualTo(ContainerState.RUNNING);
                assertThat(result.lost()).as("lost").isZero();
                assertThat(result.commitsAboveUnprocessed()).as("commits above an unprocessed record").isZero();
                assertThat(result.nonMonotonic()).as("non-monotonic").isZero();
                assertThat(result.skipped()).as("skipped").isZero();
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("The group did not recover from the cut; victim: " + victim.container().snapshot()
                        + "; other: " + other.container().snapshot(), e);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void everyClientCutOffForLessThanTheSessionLosesNothing(String protocol, Results results) throws Exception {
        Duration session = Duration.ofSeconds(6);
        Duration cutFor = session.dividedBy(2);
        String topic = Scenarios.unique("r13-brokers-" + protocol);
        Map<String, String> properties = groupProperties(topic, protocol, session);
        List<PartitionProxy> proxies = cluster.proxies(CUT);
        cluster.createTopic(topic, PARTITIONS);
        Map<String, Object> throughProxy = new HashMap<>(Map.of("bootstrap.servers", cluster.bootstrapServers(CUT)));
        try (SequenceProducer producer = SequenceProducer.start(throughProxy, topic, PARTITIONS, 200);
                LoggingMember first = LoggingMember.start(dir, "first-" + topic, throughProxy, topic, topic, protocol, properties);
                LoggingMember second = LoggingMember.start(dir, "second-" + topic, throughProxy, topic, topic, protocol,
                        properties)) {
            List<Path> logs = List.of(first.log(), second.log());
            awaitBalanced(logs, "the group did not settle");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Logs.processed(first.log()) > 0 && Logs.processed(second.log()) > 0);
            long revocationsBefore = Logs.revocations(first.log()) + Logs.revocations(second.log());
            int[] linesBefore = {Logs.lines(first.log()).size(), Logs.lines(second.log()).size()};
            long held = proxies.stream().mapToLong(PartitionProxy::heldBytes).sum();
            long processedBefore = Logs.processed(first.log()) + Logs.processed(second.log());

            long cut = System.nanoTime();
            PartitionProxy.blackhole(proxies);
            Optional<String> errorDuring;
            long processedDuring;
            try {
                LockSupport.parkNanos(cutFor.toNanos()); // the partition itself, not a synchronisation
                errorDuring = first.container().snapshot().error();
                processedDuring = Logs.processed(first.log()) + Logs.processed(second.log()) - processedBefore;
            } finally {
                PartitionProxy.heal(proxies);
            }
            Duration lasted = since(cut);
            long healed = System.nanoTime();
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> Logs.processed(first.log()) + Logs.processed(second.log()) > processedBefore + processedDuring);
                Duration resumedAfter = since(healed);
                long afterCut = producer.acknowledgedCount();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> producer.acknowledgedCount() > afterCut + 1_000);
                awaitBalanced(logs, "the group did not settle after the heal");
                producer.stop();
                List<Long> acknowledged = producer.acknowledged();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Logs.allProcessed(logs, acknowledged));
                ContainerState firstState = first.container().snapshot().state();
                ContainerState secondState = second.container().snapshot().state();
                first.stop();
                second.stop();

                long rebalances = Logs.revocations(first.log()) + Logs.revocations(second.log()) - revocationsBefore;
                System.out.printf("R13 brokers cut %s, events after the cut: first %s, second %s%nbroker on the group:%n%s%n", protocol,
                        membership(first.log(), linesBefore[0]), membership(second.log(), linesBefore[1]),
                        cluster.output(0).lines().filter(line -> line.contains(topic)).collect(java.util.stream.Collectors.joining("\n")));
                CheckResult result = Checker.check(logs, acknowledged);
                String notes = String.format("every client (2 members, the producer) cut %.1f s (session %d s); %d records "
                        + "processed during the cut (fetched before it); %d bytes held by the proxy and delivered on the heal; "
                        + "error during the cut: %s; processing resumed %.1f s after the heal; %d revocation(s) after the cut "
                        + "(%s); %d sends failed",
                        seconds(lasted), session.toSeconds(), processedDuring,
                        proxies.stream().mapToLong(PartitionProxy::heldBytes).sum() - held, errorDuring.orElse("none"),
                        seconds(resumedAfter), rebalances, rebalances == 0 ? "no rebalance" : "a rebalance", producer.failed());
                Scenarios.report(results, "R13 network partition, brokers cut", protocol, result, notes);
                assertThat(firstState).as("the first member's state after the heal").isEqualTo(ContainerState.RUNNING);
                assertThat(secondState).as("the second member's state after the heal").isEqualTo(ContainerState.RUNNING);
                assertThat(result.lost()).as("lost").isZero();
                assertThat(result.commitsAboveUnprocessed()).as("commits above an unprocessed record").isZero();
                assertThat(result.nonMonotonic()).as("non-monotonic").isZero();
                assertThat(result.skipped()).as("skipped").isZero();
                if (FullSuite.active()) {
                    assertThat(result.duplicated()).as("duplicated (no rebalance, so nothing handed over)").isZero();
                }
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("The group did not recover from the cut; first: " + first.container().snapshot()
                        + "; second: " + second.container().snapshot(), e);
            }
        }
    }

    /** The members' consumer properties: a short session under either protocol, 100 records a poll. */
    private static Map<String, String> groupProperties(String group, String protocol, Duration session) throws Exception {
        Map<String, String> properties = new HashMap<>();
        try (Admin admin = cluster.admin()) {
            for (String option : Groups.sessionTimeout(admin, group, protocol, session)) {
                String[] setting = option.substring("-Dkafka.".length()).split("=", 2);
                properties.put(setting[0], setting[1]);
            }
        }
        return properties;
    }

    private static void awaitBalanced(List<Path> logs, String what) {
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> Logs.balanced(logs, PARTITIONS));
        } catch (ConditionTimeoutException e) {
            List<String> owned = new ArrayList<>();
            for (Path log : logs) {
                try {
                    owned.add(log.getFileName() + " " + Logs.owned(log));
                } catch (java.io.IOException io) {
                    owned.add(log.getFileName() + " unreadable");
                }
            }
            throw new AssertionError(what + ": " + owned, e);
        }
    }

    /** The assignment and revocation lines of a log from a line on, as {@code assigned 0,1; revoked 1}. */
    private static String membership(Path log, int from) throws java.io.IOException {
        List<String> lines = Logs.lines(log);
        return lines.subList(Math.min(from, lines.size()), lines.size()).stream()
                .filter(line -> line.startsWith("assigned ") || line.startsWith("revoked ")).toList().toString();
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
