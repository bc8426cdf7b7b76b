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
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ch.qos.logback.classic.Level;

/**
 * R14: an unclean leader election truncates the log under the committed offset. Three brokers; one partition
 * replicated on two of them (the leader {@value #LEADER}, the follower {@value #FOLLOWER}) with
 * {@code unclean.leader.election.enable=true} and {@code min.insync.replicas=1}; a producer writes with
 * {@code acks=1}. The follower is killed and leaves the ISR; the leader goes on acknowledging records only it
 * holds, and the container consumes and commits all of them. The producer pauses; the leader is killed, the stale
 * follower started again and elected uncleanly (the KRaft controller does it by itself once the old leader is
 * fenced, as the topic config allows; the test asks {@code Admin#electLeaders(UNCLEAN)} meanwhile too). Its log
 * ends below the committed offset, and the records written from then on take offsets that the lost ones had.
 *
 * <p>A few hundred are written, fewer than were lost, and handled; the container is stopped (a graceful stop
 * commits what it handled); the log grows past the old commit; a successor starts from the group's commit. Had
 * the container kept its commit above the new records (a commit never moving back), the successor would start
 * there and skip the records between: the loss this scenario exists to catch.
 *
 * <p>Counted separately: what the broker lost (acknowledged records the final log does not hold; expected, the
 * price of {@code acks=1}) and what the consumer lost (of the records the final log holds, the old ones and those
 * written after the election: must be 0). The engine must report the truncation once, naming the partition, the
 * committed offset and the new log end; nothing below the new log end is read again.
 */
@Tag(FullSuite.TAG)
@ExtendWith(Results.Extension.class)
class TruncationTest {

    private static final int LEADER = 1;
    private static final int FOLLOWER = 2;
    /** Records the leader acknowledges alone, after the follower is gone, and that the container commits. */
    private static final int ALONE = 1_000;
    /** Records written after the election before the container stops: fewer than were lost. */
    private static final int AFTER_ELECTION = 300;
    /** kafka-clients' logger of its positions, which says at INFO when it found a truncation. */
    private static final String CLIENT_LOG = "org.apache.kafka.clients.consumer.internals.SubscriptionState";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    /** Whether an {@code Admin#electLeaders(UNCLEAN)} of the test elected the follower, rather than the controller by itself. */
    private final java.util.concurrent.atomic.AtomicBoolean electedByAdmin = new java.util.concurrent.atomic.AtomicBoolean();

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void anUncleanElectionBelowTheCommittedOffsetIsReportedOnceAndConsumptionGoesOnFromTheNewLogEnd(String protocol,
            Results results) throws Exception {
        String topic = Scenarios.unique("r14-" + protocol);
        TopicPartition partition = new TopicPartition(topic, 0);
        long started = System.nanoTime();
        try (BrokerCluster cluster = BrokerCluster.builder(dir, 3).start();
                Admin admin = cluster.admin();
                LogCapture warnings = LogCapture.of("dev.kafkaconsumer")) {
            createUncleanTopic(admin, topic);
            Map<String, String> properties = new HashMap<>();
            Scenarios.groupProperties(protocol).forEach((key, value) -> properties.put(key, String.valueOf(value)));
            ch.qos.logback.classic.Logger clientLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(CLIENT_LOG);
            Level clientLevel = clientLog.getLevel();
            clientLog.setLevel(Level.INFO);
            List<LoggingMember> members = new ArrayList<>();
            try (AckOneProducer producer = AckOneProducer.start(cluster.clientProperties(), topic, 250);
                    LogCapture clientLines = LogCapture.of(CLIENT_LOG)) {
                LoggingMember member = LoggingMember.start(dir, "member", cluster.clientProperties(), topic, topic, protocol, properties);
                members.add(member);
                await().atMost(Duration.ofSeconds(120)).until(() -> Logs.processed(member.log()) >= 300);

                LeaderAlone alone = leaveTheLeaderAlone(cluster, admin, partition, producer);
                long endAtKill = alone.endAtKill();
                long oldLogEnd = alone.oldLogEnd();
                long committedBefore = committed(admin, topic, partition);

                long electionMillis = electTheStaleFollower(cluster, admin, partition);

                // new records, at offsets the lost ones had: fewer than were lost, so that they end below the old commit
                int acknowledgedBefore = producer.acknowledgedCount();
                long lastSequenceBefore = producer.acknowledged().keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
                producer.resume();
                await().atMost(Duration.ofSeconds(120)).until(() -> producer.acknowledgedCount() >= acknowledgedBefore + AFTER_ELECTION);
                producer.pause();
                List<Long> written = producer.acknowledged().keySet().stream().filter(sequence -> sequence > lastSequenceBefore)
                        .sorted().toList();
                // the new leader's log ended where the first record written after the election went
                long newLogEnd = producer.acknowledged().get(written.get(0));
                await().atMost(Duration.ofSeconds(120)).until(() -> Logs.allProcessed(List.of(member.log()), written));
                // a graceful stop commits what was handled: below the old commit, where the log now goes on
                member.stop();
                long committedAfterStop = committed(admin, topic, partition);

                // a successor starts from that commit once the log has grown past the old one
                producer.resume();
                await().atMost(Duration.ofSeconds(120)).until(() -> producer.highestOffset() >= committedBefore + AFTER_ELECTION);
                producer.pause();
                LoggingMember successor = LoggingMember.start(dir, "successor", cluster.clientProperties(), topic, topic, protocol,
                        properties);
                members.add(successor);
                List<Path> logs = List.of(member.log(), successor.log());
                Ending ending = stopProducingAndAwaitTheEnd(cluster, admin, partition, producer, logs);
                List<Long> brokerLost = ending.brokerLost();
                List<Long> kept = ending.kept();
                long logEnd = ending.logEnd();
                successor.stop();

                CheckResult result = Checker.check(logs, kept);
                List<String> reports = warnings.messages(Level.WARN).stream()
                        .filter(message -> message.contains(partition.toString()) && message.contains("truncated")).toList();
                long clientResets = clientLines.messages(Level.INFO).stream()
                        .filter(message -> message.contains(partition.toString()) && message.contains("Truncation detected")).count();
                long reReadBelow = rereadBelow(logs, newLogEnd);
                long committedAtEnd = committed(admin, topic, partition);
                results.record("R14 truncation by unclean election", protocol, result, String.format(
                        "acks=1, replication factor 2, unclean.leader.election.enable; the follower killed near offset %d, the leader"
                                + " went on alone to %d and the container committed %d; the leader killed, the stale follower"
                                + " elected %.1f s later (%s): new log end %d, %d below the commit."
                                + " Broker lost %d acknowledged record(s) (acks=1: offsets %d-%d of the old leader). kafka-clients"
                                + " found the truncation %d time(s) (leader-epoch validation) and went on from the new log end;"
                                + " %d records written after the election; the container, stopped, had committed %d; a successor"
                                + " started there after the log grew past %d. Consumer lost %d of the %d kept; read again below"
                                + " the new log end: %d; committed at the end %d, log end %d; reported %d time(s): %s; %d s",
                        endAtKill, oldLogEnd - 1, committedBefore, electionMillis / 1000.0, electedByAdmin.get()
                                ? "by Admin#electLeaders(UNCLEAN)" : "by the controller, as the topic config allows", newLogEnd, committedBefore - newLogEnd,
                        brokerLost.size(), newLogEnd, oldLogEnd - 1, clientResets, written.size(), committedAfterStop,
                        committedBefore, result.lost(), kept.size(), reReadBelow, committedAtEnd, logEnd, reports.size(),
                        reports.isEmpty() ? "nothing" : reports.get(0), Duration.ofNanos(System.nanoTime() - started).toSeconds()));
                assertThat(newLogEnd).as("the new log end, below the committed offset").isLessThan(committedBefore);
                assertThat(brokerLost).as("acknowledged records the broker lost").isNotEmpty();
                assertThat(result.lost()).as("records in the log that the consumer lost").isZero();
                assertThat(reReadBelow).as("records below the new log end read again (a restart from the beginning)").isZero();
                assertThat(committedAfterStop).as("the commit after the truncation, at the new log end").isLessThan(committedBefore)
                        .isGreaterThanOrEqualTo(newLogEnd);
                assertThat(committedAtEnd).as("committed at the end").isEqualTo(logEnd);
                assertThat(reports).as("reports of the truncation").hasSize(1);
                assertThat(reports.get(0)).contains(String.valueOf(committedBefore)).contains(String.valueOf(newLogEnd));
            } finally {
                members.forEach(LoggingMember::stop);
                clientLog.setLevel(clientLevel);
            }
        }
    }

    /**
     * The gap the running case leaves open, closed by commits that carry a leader epoch: the member commits every record
     * only the leader holds and is stopped before the truncation; the stale follower is elected, the log grows past the
     * old commit with new records, and a successor starts from the group's commit, an offset the new log holds with
     * other records. kafka-clients validates the committed offset's leader epoch against the new leader, finds the
     * divergence and goes on from the new log end; without the epoch it would start at the old commit and skip the
     * new records below it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aMemberNotRunningDuringTheTruncationStartsFromItsCommitAndGoesOnFromTheNewLogEnd(String protocol, Results results)
            throws Exception {
        String topic = Scenarios.unique("r14-stopped-" + protocol);
        TopicPartition partition = new TopicPartition(topic, 0);
        long started = System.nanoTime();
        try (BrokerCluster cluster = BrokerCluster.builder(dir, 3).start();
                Admin admin = cluster.admin()) {
            createUncleanTopic(admin, topic);
            Map<String, String> properties = new HashMap<>();
            Scenarios.groupProperties(protocol).forEach((key, value) -> properties.put(key, String.valueOf(value)));
            ch.qos.logback.classic.Logger clientLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(CLIENT_LOG);
            Level clientLevel = clientLog.getLevel();
            clientLog.setLevel(Level.INFO);
            List<LoggingMember> members = new ArrayList<>();
            try (AckOneProducer producer = AckOneProducer.start(cluster.clientProperties(), topic, 250);
                    LogCapture clientLines = LogCapture.of(CLIENT_LOG)) {
                LoggingMember member = LoggingMember.start(dir, "member", cluster.clientProperties(), topic, topic, protocol, properties);
                members.add(member);
                await().atMost(Duration.ofSeconds(120)).until(() -> Logs.processed(member.log()) >= 300);

                leaveTheLeaderAlone(cluster, admin, partition, producer);
                // stopped before the truncation: its last commit, above what the new leader will hold, is what a successor finds
                member.stop();
                long committedBefore = committed(admin, topic, partition);
                Optional<Integer> committedEpoch = committedEpoch(admin, topic, partition);

                long electionMillis = electTheStaleFollower(cluster, admin, partition);

                // new records at offsets the lost ones had, and on past the old commit
                long lastSequenceBefore = producer.acknowledged().keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
                producer.resume();
                await().atMost(Duration.ofSeconds(180)).until(() -> producer.highestOffset() >= committedBefore + AFTER_ELECTION);
                producer.pause();
                List<Long> written = producer.acknowledged().keySet().stream().filter(sequence -> sequence > lastSequenceBefore)
                        .sorted().toList();
                long newLogEnd = producer.acknowledged().get(written.get(0));
                LoggingMember successor = LoggingMember.start(dir, "successor", cluster.clientProperties(), topic, topic, protocol,
                        properties);
                members.add(successor);
                List<Path> logs = List.of(member.log(), successor.log());
                Ending ending = stopProducingAndAwaitTheEnd(cluster, admin, partition, producer, logs);
                List<Long> brokerLost = ending.brokerLost();
                List<Long> kept = ending.kept();
                long logEnd = ending.logEnd();
                successor.stop();

                CheckResult result = Checker.check(logs, kept);
                long clientResets = clientLines.messages(Level.INFO).stream()
                        .filter(message -> message.contains(partition.toString()) && message.contains("Truncation detected")).count();
                long reReadBelow = rereadBelow(logs, newLogEnd);
                long committedAtEnd = committed(admin, topic, partition);
                results.record("R14 truncation while no member ran", protocol, result, String.format(
                        "as above, but the member stopped before the truncation: it had committed %d (leader epoch %s); the"
                                + " stale follower elected %.1f s later (%s): new log end %d, %d below the commit; broker lost %d"
                                + " acknowledged record(s); %d records written after the election, the log grown to %d, past the"
                                + " old commit; a successor started from the commit: kafka-clients validated its epoch and found"
                                + " the truncation %d time(s), going on from the new log end. Consumer lost %d of the %d kept;"
                                + " read again below the new log end: %d; committed at the end %d, log end %d; %d s",
                        committedBefore, committedEpoch.map(String::valueOf).orElse("none"), electionMillis / 1000.0,
                        electedByAdmin.get() ? "by Admin#electLeaders(UNCLEAN)" : "by the controller, as the topic config allows",
                        newLogEnd, committedBefore - newLogEnd, brokerLost.size(), written.size(), logEnd, clientResets,
                        result.lost(), kept.size(), reReadBelow, committedAtEnd, logEnd,
                        Duration.ofNanos(System.nanoTime() - started).toSeconds()));
                assertThat(committedEpoch).as("the leader epoch of the member's last commit").isPresent();
                assertThat(newLogEnd).as("the new log end, below the committed offset").isLessThan(committedBefore);
                assertThat(logEnd).as("the log grown past the old commit").isGreaterThan(committedBefore);
                assertThat(result.lost()).as("records in the log that the consumer lost").isZero();
                assertThat(clientResets).as("truncations kafka-clients found validating the committed offset").isPositive();
                assertThat(reReadBelow).as("records below the new log end read again (a restart from the beginning)").isZero();
                assertThat(committedAtEnd).as("committed at the end").isEqualTo(logEnd);
            } finally {
                members.forEach(LoggingMember::stop);
                clientLog.setLevel(clientLevel);
            }
        }
    }

    /** A topic of one partition on the leader and the follower that allows an unclean election, both in sync. */
    private static void createUncleanTopic(Admin admin, String topic) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(LEADER, FOLLOWER)))
                .configs(Map.of("unclean.leader.election.enable", "true", "min.insync.replicas", "1"))))
                .all().get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> isr(admin, topic).size() == 2 && leader(admin, topic) == LEADER);
    }

    /** Where the follower was killed, and the end of the log the leader then wrote alone. */
    private record LeaderAlone(long endAtKill, long oldLogEnd) {
    }

    /**
     * Kills the follower; the leader goes on alone for {@link #ALONE} records, and the container commits what only the
     * leader holds. The producer is paused at the end.
     */
    private static LeaderAlone leaveTheLeaderAlone(BrokerCluster cluster, Admin admin, TopicPartition partition,
            AckOneProducer producer) throws Exception {
        String topic = partition.topic();
        long endAtKill = endOffset(admin, partition);
        cluster.kill(FOLLOWER);
        await().atMost(Duration.ofSeconds(60)).until(() -> isr(admin, topic).equals(List.of(LEADER)));
        await().atMost(Duration.ofSeconds(120)).until(() -> producer.highestOffset() >= endAtKill + ALONE);
        producer.pause();
        long oldLogEnd = producer.highestOffset() + 1;
        await().atMost(Duration.ofSeconds(60)).until(() -> committed(admin, topic, partition) == oldLogEnd);
        return new LeaderAlone(endAtKill, oldLogEnd);
    }

    /** Kills the leader and restarts the stale follower until it is elected; returns how long the election took, in ms. */
    private long electTheStaleFollower(BrokerCluster cluster, Admin admin, TopicPartition partition) throws Exception {
        cluster.kill(LEADER);
        long electionStarted = System.nanoTime();
        cluster.restart(FOLLOWER);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> electFollower(admin, partition));
        return Duration.ofNanos(System.nanoTime() - electionStarted).toMillis();
    }

    /** The sequences acknowledged that the broker lost, those it kept, and the log end. */
    private record Ending(List<Long> brokerLost, List<Long> kept, long logEnd) {
    }

    /**
     * Stops the producer, reads the final log, and waits (without failing: the caller judges the counts) until the
     * members processed every record kept and the group committed the log end.
     */
    private static Ending stopProducingAndAwaitTheEnd(BrokerCluster cluster, Admin admin, TopicPartition partition,
            AckOneProducer producer, List<Path> logs) throws Exception {
        Map<Long, Long> acknowledged = producer.acknowledged();
        producer.stop();
        Map<Long, Long> inLog = finalLog(cluster, partition);
        List<Long> brokerLost = acknowledged.keySet().stream().filter(sequence -> !inLog.containsKey(sequence)).sorted().toList();
        List<Long> kept = acknowledged.keySet().stream().filter(inLog::containsKey).sorted().toList();
        long logEnd = endOffset(admin, partition);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Logs.allProcessed(logs, kept) && committed(admin, partition.topic(), partition) >= logEnd);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // judged by the caller, with the counts
        }
        return new Ending(brokerLost, kept, logEnd);
    }

    private static Optional<Integer> committedEpoch(Admin admin, String group, TopicPartition partition) throws Exception {
        OffsetAndMetadata committed = commit(admin, group, partition);
        return committed == null ? Optional.empty() : committed.leaderEpoch();
    }

    /** How many records below {@code offset} were processed more than once over the logs. */
    private static long rereadBelow(List<Path> logs, long offset) throws java.io.IOException {
        Map<Long, Long> counts = new HashMap<>();
        for (Path log : logs) {
            for (String line : Logs.lines(log)) {
                String[] fields = line.split(" ");
                if (fields[0].equals("processed") && Long.parseLong(fields[3]) < offset) {
                    counts.merge(Long.parseLong(fields[3]), 1L, Long::sum);
                }
            }
        }
        return counts.values().stream().mapToLong(count -> count - 1).sum();
    }

    private static List<Integer> isr(Admin admin, String topic) throws Exception {
        return description(admin, topic).partitions().get(0).isr().stream().map(Node::id).toList();
    }

    private static int leader(Admin admin, String topic) throws Exception {
        Node leader = description(admin, topic).partitions().get(0).leader();
        return leader == null ? -1 : leader.id();
    }

    private static TopicDescription description(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
    }

    private static long endOffset(Admin admin, TopicPartition partition) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get(30, TimeUnit.SECONDS).offset();
    }

    private static long committed(Admin admin, String group, TopicPartition partition) throws Exception {
        OffsetAndMetadata committed = commit(admin, group, partition);
        return committed == null ? -1 : committed.offset();
    }

    private static OffsetAndMetadata commit(Admin admin, String group, TopicPartition partition) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).get(partition);
    }

    /** Asks for an unclean election of the follower, and says whether it leads now. */
    private boolean electFollower(Admin admin, TopicPartition partition) throws Exception {
        if (leader(admin, partition.topic()) == FOLLOWER) {
            return true;
        }
        try {
            admin.electLeaders(ElectionType.UNCLEAN, Set.of(partition)).partitions().get(30, TimeUnit.SECONDS)
                    .forEach((tp, failure) -> failure.ifPresentOrElse(f -> System.out.println("R14 election of " + tp + ": " + f),
                            () -> electedByAdmin.set(true)));
        } catch (ExecutionException e) {
            System.out.println("R14 election: " + e.getCause());
        }
        return leader(admin, partition.topic()) == FOLLOWER;
    }

    /** The partition's final log, read from its start: the offset of each sequence it holds. */
    private static Map<Long, Long> finalLog(BrokerCluster cluster, TopicPartition partition) {
        Map<String, Object> properties = new HashMap<>(cluster.clientProperties());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<Long, Long> log = new TreeMap<>();
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
            long end = reader.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (reader.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(500))) {
                    log.put(Long.valueOf(record.value()), record.offset());
                }
            }
        }
        return log;
    }
}
