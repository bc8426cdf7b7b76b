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

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.reliability.worker.SpringWorker;
import dev.kafkaconsumer.spring.actuate.health.KafkaConsumersHealthContributor;

/**
 * R13: the network between consumers and the broker is cut, blackholed (connections stay open, no byte moves, nothing
 * is refused), by a {@link PartitionProxy} the test controls; the broker of a one-node {@link BrokerCluster} advertises
 * the proxy's address on a listener of its own ({@code CUT}), so the clients that bootstrap from it reach the broker
 * only through the proxy, while the others use the direct {@code PLAINTEXT} listener.
 *
 * <ul>
 * <li><b>One consumer cut for longer than the session.</b> Two members of a group, the victim through the proxy, the
 * other and the producer directly. The victim is a Spring Boot application (the {@link SpringWorker}, in the test's
 * JVM, with partition ordering), so that its health is the one an operator sees. Its partitions move to the other
 * member; its health is DOWN during the cut, with the reason ({@code no response from the brokers for N s}); after
 * the heal it rejoins by itself, without a restart, and its health is UP again. 0 lost.</li>
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
    void aConsumerCutOffPastItsSessionLosesItsPartitionsIsDownAndRejoinsAfterTheHeal(String protocol, Results results)
            throws Exception {
        Duration session = Duration.ofSeconds(2);
        String topic = Scenarios.unique("r13-consumer-" + protocol);
        Map<String, String> properties = groupProperties(topic, protocol, session);
        List<PartitionProxy> proxies = cluster.proxies(CUT);
        cluster.createTopic(topic, PARTITIONS);
        Path victimLog = dir.resolve("victim-" + topic + ".events");
        List<String> victimArguments = new ArrayList<>(List.of("--spring.main.banner-mode=off",
                "--kafka.consumer.bootstrap-servers=" + cluster.bootstrapServers(CUT), "--kafka.consumer.group-id=" + topic,
                "--kafka.consumer.auto-offset-reset=earliest", "--kafka.consumer.max-poll-records=100",
                "--kafka.consumer.commit-interval=200ms", "--kafka.consumer.properties.group.protocol=" + protocol,
                "--kafka.consumer.properties.client.id=victim-" + topic,
                "--kafka.consumer.properties.request.timeout.ms=" + REQUEST_TIMEOUT.toMillis(),
                "--reliability.topic=" + topic, "--reliability.log=" + victimLog, "--reliability.ordering=PARTITION"));
        properties.forEach((name, value) -> victimArguments.add("--kafka.consumer.properties." + name + "=" + value));
        try (SequenceProducer producer = SequenceProducer.start(cluster.clientProperties(), topic, PARTITIONS, 200);
                LoggingMember other = LoggingMember.start(dir, "other-" + topic, cluster.clientProperties(), topic, topic, protocol,
                        properties);
                ConfigurableApplicationContext victim = new SpringApplicationBuilder(SpringWorker.class)
                        .web(WebApplicationType.NONE).run(victimArguments.toArray(String[]::new))) {
            HealthIndicator health = (HealthIndicator) victim.getBean(KafkaConsumersHealthContributor.class)
                    .getContributor(SpringWorker.CONTAINER);
            List<Path> logs = List.of(victimLog, other.log());
            awaitBalanced(logs, "the group did not settle");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Logs.processed(victimLog) > 0);
            Health before = health.health();
            int ownedBefore = Logs.owned(victimLog).size();
            int victimLinesBefore = Logs.lines(victimLog).size();

            long cut = System.nanoTime();
            PartitionProxy.blackhole(proxies);
            Health during;
            Duration movedAfter;
            Duration downAfter;
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> Logs.owned(other.log()).size() == PARTITIONS);
                movedAfter = since(cut);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> health.health().getStatus().equals(Status.DOWN));
                downAfter = since(cut);
                during = health.health();
                // a cut of at least twice the session, however fast the rest went
                LockSupport.parkNanos(cut + session.multipliedBy(2).toNanos() - System.nanoTime());
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("During the cut: the other member owns " + Logs.owned(other.log()) + ", the victim's health "
                        + health.health(), e);
            } finally {
                PartitionProxy.heal(proxies);
            }
            Duration cutFor = since(cut);
            long healed = System.nanoTime();
            long processedAtHeal = Logs.processed(victimLog);
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> health.health().getStatus().equals(Status.UP));
                Duration upAfter = since(healed);
                awaitBalanced(logs, "the victim did not rejoin after the heal");
                Duration rejoinedAfter = since(healed);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> Logs.processed(victimLog) > processedAtHeal);
                Health after = health.health();
                String victimEvents = membership(victimLog, victimLinesBefore);

                producer.stop();
                List<Long> acknowledged = producer.acknowledged();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Logs.allProcessed(logs, acknowledged));
                victim.close();
                other.stop();

                CheckResult result = Checker.check(logs, acknowledged);
                String notes = String.format("victim (a Spring Boot application) cut %.1f s (session %d s), owning %d of %d "
                        + "partitions; they moved to the other member %.1f s into the cut; its health DOWN %.1f s into it "
                        + "(state %s, error \"%s\"; request.timeout.ms %d s), UP %.1f s after the heal; rejoined without a "
                        + "restart %.1f s after the heal; the victim's log from the cut on: %s; %d sends failed",
                        seconds(cutFor), session.toSeconds(), ownedBefore, PARTITIONS, seconds(movedAfter), seconds(downAfter),
                        during.getDetails().get("state"), during.getDetails().get("error"), REQUEST_TIMEOUT.toSeconds(),
                        seconds(upAfter), seconds(rejoinedAfter), victimEvents, producer.failed());
                Scenarios.report(results, "R13 network partition, consumer cut", protocol, result, notes);
                assertThat(before.getStatus()).as("the victim's health before the cut").isEqualTo(Status.UP);
                assertThat(String.valueOf(during.getDetails().get("error"))).as("the victim's health during the cut")
                        .startsWith("no response from the brokers for");
                assertThat(during.getDetails().get("state")).as("the victim's state during the cut").isEqualTo("RUNNING");
                assertThat(after.getDetails().get("state")).as("the victim's state after the heal").isEqualTo("RUNNING");
                assertThat(result.lost()).as("lost").isZero();
                assertThat(result.commitsAboveUnprocessed()).as("commits above an unprocessed record").isZero();
                assertThat(result.nonMonotonic()).as("non-monotonic").isZero();
                assertThat(result.skipped()).as("skipped").isZero();
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("The group did not recover from the cut; the victim's health " + health.health()
                        + "; it owns " + Logs.owned(victimLog) + ", the other " + Logs.owned(other.log()), e);
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
                // before the stops, which revoke too
                long rebalances = Logs.revocations(first.log()) + Logs.revocations(second.log()) - revocationsBefore;
                String membership = "first " + membership(first.log(), linesBefore[0]) + ", second "
                        + membership(second.log(), linesBefore[1]);
                ContainerState firstState = first.container().snapshot().state();
                ContainerState secondState = second.container().snapshot().state();
                first.stop();
                second.stop();


                CheckResult result = Checker.check(logs, acknowledged);
                String notes = String.format("every client (2 members, the producer) cut %.1f s (session %d s); %d records "
                        + "processed during the cut (fetched before it); %d bytes held by the proxy and delivered on the heal; "
                        + "error during the cut: %s; processing resumed %.1f s after the heal; %d revocation(s) after the cut "
                        + "(%s: %s); %d sends failed",
                        seconds(lasted), session.toSeconds(), processedDuring,
                        proxies.stream().mapToLong(PartitionProxy::heldBytes).sum() - held, errorDuring.orElse("none"),
                        seconds(resumedAfter), rebalances, rebalances == 0 ? "no rebalance" : "a rebalance", membership,
                        producer.failed());
                Scenarios.report(results, "R13 network partition, brokers cut", protocol, result, notes);
                assertThat(firstState).as("the first member's state after the heal").isEqualTo(ContainerState.RUNNING);
                assertThat(secondState).as("the second member's state after the heal").isEqualTo(ContainerState.RUNNING);
                assertThat(result.lost()).as("lost").isZero();
                assertThat(result.commitsAboveUnprocessed()).as("commits above an unprocessed record").isZero();
                assertThat(result.nonMonotonic()).as("non-monotonic").isZero();
                assertThat(result.skipped()).as("skipped").isZero();
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
