package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * R17: static membership ({@code group.instance.id}). Three members, each stopped gracefully and started
 * again with its id, in turn, well within the session timeout, while a producer writes: a static member's
 * stop does not leave the group, so its successor takes its partitions back without a rebalance, and the
 * others are never revoked. And a second member started with an id in use: one of the two is fenced, and its
 * container fails naming the fencing (it does not retry, which under classic would fence the other back).
 */
@ExtendWith({KafkaBrokerExtension.class, Results.Extension.class})
class StaticMembershipTest {

    private static final int PARTITIONS = 6;
    private static final int MEMBERS = 3;
    /** Long enough for a restart of an in-process member, so that it comes back within its session. */
    private static final Duration SESSION = Duration.ofSeconds(10);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Tag(FullSuite.TAG)
    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void eachStaticMemberRestartedWithinItsSessionGetsItsPartitionsBackWithoutARebalance(String protocol, KafkaBroker kafka,
            Results results) throws Exception {
        String topic = Scenarios.unique("r17-" + protocol);
        kafka.createTopic(topic, PARTITIONS);
        Map<String, String> properties = sessionProperties(kafka, topic, protocol);
        List<LoggingMember> live = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        List<String> restarts = new ArrayList<>();
        int othersMoved = 0;
        int changedAssignments = 0;
        try (SequenceProducer producer = SequenceProducer.start(kafka.clientProperties(), topic, PARTITIONS, 500)) {
            for (int member = 0; member < MEMBERS; member++) {
                live.add(start(kafka, topic, protocol, properties, member, 0, logs));
            }
            awaitBalanced(live);
            for (int member = 0; member < MEMBERS; member++) {
                Map<Integer, Integer> before = rebalanceLines(live);
                Set<Integer> owned = Logs.owned(live.get(member).log());
                long stopping = System.nanoTime();
                live.get(member).stop();
                live.set(member, start(kafka, topic, protocol, properties, member, 1, logs));
                LoggingMember successor = live.get(member);
                await().atMost(Duration.ofSeconds(60)).until(() -> !Logs.owned(successor.log()).isEmpty());
                long millis = Duration.ofNanos(System.nanoTime() - stopping).toMillis();
                Set<Integer> regained = Logs.owned(successor.log());
                if (!regained.equals(owned)) {
                    changedAssignments++;
                }
                // a rebalance revokes from the others before the successor gets partitions, under either protocol; once the
                // successor processes, any would show in the others' logs
                await().atMost(Duration.ofSeconds(60)).until(() -> Logs.processed(successor.log()) > 0);
                Map<Integer, Integer> after = rebalanceLines(live);
                for (int other = 0; other < MEMBERS; other++) {
                    if (other != member && !after.get(other).equals(before.get(other))) {
                        othersMoved++;
                    }
                }
                restarts.add(String.format("member %d: %s back as %s in %d ms", member, owned, regained, millis));
            }
            producer.stop();
            List<Long> acknowledged = producer.acknowledged();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> Logs.allProcessed(logs, acknowledged));
            live.forEach(LoggingMember::stop);
            CheckResult result = Checker.check(logs, acknowledged);
            results.record("R17 static member restarts", protocol, result, String.format("3 members (session %d s) restarted in turn: "
                    + "%s; revocations or assignments seen by the other members: %d; successors given other partitions: %d",
                    SESSION.toSeconds(), String.join("; ", restarts), othersMoved, changedAssignments));
            assertThat(result.lost()).as("lost").isZero();
            assertThat(result.commitsAboveUnprocessed()).as("commits above an unprocessed record").isZero();
            assertThat(othersMoved).as("rebalances seen by the members not restarted").isZero();
            assertThat(changedAssignments).as("successors given other partitions").isZero();
            assertThat(result.duplicated()).as("duplicated").isZero();
        } finally {
            live.forEach(LoggingMember::stop);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aSecondMemberWithAnInstanceIdInUseIsFencedAndItsContainerFailsNamingTheFencing(String protocol, KafkaBroker kafka,
            Results results) throws Exception {
        String topic = Scenarios.unique("r17-fenced-" + protocol);
        kafka.createTopic(topic, PARTITIONS);
        Map<String, String> properties = sessionProperties(kafka, topic, protocol);
        List<Long> acknowledged = Scenarios.produce(kafka, 3000, i -> new ProducerRecord<>(topic,
                i % PARTITIONS, (String) null, String.valueOf(i)));
        List<Path> logs = new ArrayList<>();
        try (LoggingMember first = start(kafka, topic, protocol, properties, 0, 0, logs)) {
            // everything handled and committed first: whatever the second member then handles again is the fencing's doing
            await().atMost(Duration.ofSeconds(60)).until(() -> Scenarios.committed(kafka, topic, topic).values().stream()
                    .mapToLong(Long::longValue).sum() == acknowledged.size());
            try (LoggingMember second = start(kafka, topic, protocol, properties, 0, 1, logs)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> first.container().state() == ContainerState.FAILED
                        || second.container().state() == ContainerState.FAILED);
                LoggingMember fenced = first.container().state() == ContainerState.FAILED ? first : second;
                LoggingMember survivor = fenced == first ? second : first;
                String reason = fenced.container().snapshot().failure().orElseThrow();
                // the survivor keeps the id: nothing polls for the fenced one any more
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30)).until(() -> survivor.container().state()
                        == ContainerState.RUNNING);
                // and it goes on consuming what comes after the fencing
                List<Long> all = new ArrayList<>(acknowledged);
                List<ProducerRecord<String, String>> more = IntStream.range(acknowledged.size(), acknowledged.size() + 1000)
                        .mapToObj(i -> new ProducerRecord<>(topic, i % PARTITIONS, (String) null, String.valueOf(i))).toList();
                kafka.send(new StringSerializer(), new StringSerializer(), more);
                more.forEach(record -> all.add(Long.valueOf(record.value())));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> Logs.allProcessed(logs, all));
                CheckResult result = Checker.check(logs, all);
                results.record("R17 instance id in use", protocol, result, String.format("the %s member fenced; its container FAILED: "
                        + "%s; the %s kept running and consumed the 1000 records written after", fenced == first ? "first (older)" : "second (newer)", reason,
                        fenced == first ? "second" : "first"));
                assertThat(fenced).as("under " + protocol).isSameAs(protocol.equals("classic") ? first : second);
                assertThat(reason).contains("fenced", "group.instance.id");
                assertThat(result.lost()).as("lost").isZero();
                assertThat(result.commitsAboveUnprocessed()).as("commits above an unprocessed record").isZero();
                assertThat(result.duplicated()).as("duplicated").isZero();
            }
        }
    }

    /**
     * The members' session: under classic asked for by each member; under the consumer protocol a group config,
     * since KIP-848's broker owns it (the group is named after the topic).
     */
    private static Map<String, String> sessionProperties(KafkaBroker kafka, String group, String protocol) throws Exception {
        try (Admin admin = kafka.admin()) {
            Groups.sessionTimeout(admin, group, protocol, SESSION);
        }
        return protocol.equals("classic") ? Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(SESSION.toMillis()),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, String.valueOf(SESSION.toMillis() / 4)) : Map.of();
    }

    /** Member {@code member}'s incarnation {@code round}, with the member's own {@code group.instance.id}. */
    private LoggingMember start(KafkaBroker kafka, String topic, String protocol, Map<String, String> properties, int member, int round,
            List<Path> logs) throws IOException {
        Map<String, String> withId = new TreeMap<>(properties);
        withId.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, topic + "-member" + member);
        LoggingMember started = LoggingMember.start(dir, "member" + member + "-round" + round, kafka.clientProperties(), topic, topic,
                protocol, withId);
        logs.add(started.log());
        return started;
    }

    /** How many assignment and revocation lines with partitions each member's log has. */
    private static Map<Integer, Integer> rebalanceLines(List<LoggingMember> live) throws IOException {
        Map<Integer, Integer> lines = new TreeMap<>();
        for (int member = 0; member < live.size(); member++) {
            lines.put(member, (int) Logs.lines(live.get(member).log()).stream()
                    .filter(line -> (line.startsWith("assigned ") || line.startsWith("revoked ")) && !line.endsWith(" -")).count());
        }
        return lines;
    }

    private static void awaitBalanced(List<LoggingMember> live) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> Logs.balanced(live.stream().map(LoggingMember::log).toList(), PARTITIONS));
    }
}
