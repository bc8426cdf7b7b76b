package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * Manual commits and committed offsets: under {@code assign} with a group id, {@code seekToCommitted},
 * and commits that lose to a rebalance, under both group protocols (the protocol also picks the
 * kafka-clients implementation that commits, with or without group membership).
 */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerEngineCommitsTest {

    private static List<Long> offsets(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::offset).toList();
    }

    private static List<Long> range(long from, long to) {
        List<Long> offsets = new ArrayList<>();
        for (long offset = from; offset < to; offset++) {
            offsets.add(offset);
        }
        return offsets;
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void commitUnderAssignWithAGroupIdStoresThePositionsAndCommittedReadsThemBack(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "assign-commit", 2, 40);
        String group = Engines.unique("assign-commit");
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka, group, protocol)
                .property("enable.auto.commit", false).build()) {
            engine.assign(List.of(p0, p1));
            engine.start();
            Engines.take(engine, 12, p0);
            Engines.take(engine, 5, p1);
            assertThat(engine.committed(p0)).isNull();
            assertThat(engine.committed(p1)).isNull();

            engine.commit();
            assertThat(engine.committed(p0).offset()).isEqualTo(12);
            assertThat(engine.committed(p1).offset()).isEqualTo(5);

            engine.commit(Map.of(p0, new OffsetAndMetadata(3, "rewound")));
            assertThat(engine.committed(p0)).isEqualTo(new OffsetAndMetadata(3, "rewound"));
            assertThat(engine.committed(p1).offset()).as("a commit of chosen partitions leaves the others").isEqualTo(5);
        }
        assertThat(Containers.committed(kafka, group)).as("what the broker holds for the group")
                .containsOnly(Map.entry(p0, 3L), Map.entry(p1, 5L));
        try (ConsumerEngine<String, String> next = Engines.builder(kafka, group, protocol).build()) {
            next.assign(List.of(p0, p1));
            next.start();
            assertThat(next.position(p0)).isEqualTo(3);
            assertThat(next.position(p1)).isEqualTo(5);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void seekToCommittedGoesBackToEachCommittedOffsetOffsetZeroIncludedAndLeavesPartitionsWithoutOneWhereTheyAre(
            String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "to-committed", 3, 60);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        TopicPartition p2 = new TopicPartition(topic, 2);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka, Engines.unique("to-committed"), protocol)
                .property("enable.auto.commit", false).build()) {
            engine.assign(List.of(p0, p1, p2));
            engine.start();
            assertThat(Engines.take(engine, 60)).hasSize(60);
            engine.commit(Map.of(p0, new OffsetAndMetadata(0), p1, new OffsetAndMetadata(7)));
            assertThat(List.of(engine.position(p0), engine.position(p1), engine.position(p2))).containsExactly(20L, 20L, 20L);

            Map<TopicPartition, OffsetAndMetadata> expected = new HashMap<>();
            expected.put(p0, new OffsetAndMetadata(0));
            expected.put(p1, new OffsetAndMetadata(7));
            expected.put(p2, null);
            assertThat(engine.seekToCommitted()).isEqualTo(expected);

            // aiokafka never seeks to a committed 0 (its bug #1003); the engine does
            assertThat(engine.position(p0)).isZero();
            assertThat(engine.position(p1)).isEqualTo(7);
            assertThat(engine.position(p2)).as("nothing committed: the position stays").isEqualTo(20);
            assertThat(offsets(Engines.take(engine, 20, p0))).isEqualTo(range(0, 20));
            assertThat(offsets(Engines.take(engine, 13, p1))).isEqualTo(range(7, 20));
            assertThat(engine.getMany(Duration.ofMillis(300), p2)).as("nothing replayed on %s", p2).isEmpty();
        }
    }

    /** A commit made by a rebalance listener: the offsets it tried, and what it threw (null for nothing). */
    private record CommitAttempt(Map<TopicPartition, OffsetAndMetadata> offsets, Throwable failure) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aCommitFromAMemberWhoseRevocationOutlastedMaxPollIntervalFailsWithCommitFailedException(String protocol,
            KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "lost-commit", 2, 100);
        String group = Engines.unique("lost-commit");
        AtomicBoolean revokedOnce = new AtomicBoolean();
        AtomicReference<CommitAttempt> attempt = new AtomicReference<>();
        try (ConsumerEngine<String, String> slow = Engines.builder(kafka, group, protocol)
                .property("enable.auto.commit", false).property("max.poll.interval.ms", 1500).build();
                ConsumerEngine<String, String> other = Engines.builder(kafka, group, protocol)
                        .property("enable.auto.commit", false).build()) {
            slow.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (partitions.isEmpty() || revokedOnce.getAndSet(true)) {
                        return;
                    }
                    // the revocation outlasts max.poll.interval.ms, so the group goes on without this member
                    // and gives its partitions to the other; only then does it commit what it consumed
                    await().atMost(Duration.ofSeconds(30)).until(() -> other.assignment().size() == 2);
                    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                    partitions.forEach(tp -> offsets.put(tp, new OffsetAndMetadata(slow.position(tp))));
                    attempt.set(new CommitAttempt(offsets, catchThrowable(() -> slow.commit(offsets))));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }
            });
            slow.start();
            await().until(() -> slow.assignment().size() == 2);
            // records of each partition, so that whichever the revocation takes has a position above 0 to commit
            Engines.take(slow, 5, new TopicPartition(topic, 0));
            Engines.take(slow, 5, new TopicPartition(topic, 1));
            other.subscribe(List.of(topic));
            other.start();

            await().atMost(Duration.ofSeconds(30)).until(() -> attempt.get() != null);
            // classic (eager) revokes both partitions; the consumer protocol only the one the other member gets
            assertThat(attempt.get().offsets()).isNotEmpty().allSatisfy((tp, offset) -> assertThat(offset.offset()).isPositive());
            assertThat(attempt.get().failure()).as("under %s", protocol).isInstanceOf(CommitFailedException.class);
            for (TopicPartition tp : attempt.get().offsets().keySet()) {
                assertThat(other.committed(tp)).as("the lost commit of %s did not land", tp).isNull();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aCommitAfterTheEngineLeftTheGroupForIdlenessFailsWithCommitFailedException(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "idle-commit", 2, 100);
        String group = Engines.unique("idle-commit");
        try (ConsumerEngine<String, String> idle = Engines.builder(kafka, group, protocol)
                .property("enable.auto.commit", false).property("max.poll.interval.ms", 1500).build();
                ConsumerEngine<String, String> other = Engines.builder(kafka, group, protocol)
                        .property("enable.auto.commit", false).build()) {
            idle.subscribe(List.of(topic));
            idle.start();
            await().until(() -> idle.assignment().size() == 2);
            List<ConsumerRecord<String, String>> taken = Engines.take(idle, 10);
            ConsumerRecord<String, String> last = taken.get(taken.size() - 1);
            TopicPartition tp = new TopicPartition(last.topic(), last.partition());
            other.subscribe(List.of(topic));
            other.start();
            // the idle application asks for nothing: after max.poll.interval.ms its engine leaves the group,
            // and the other member, which keeps asking, gets every partition
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                other.getMany(Duration.ofMillis(100));
                return idle.assignment().isEmpty() && other.assignment().size() == 2;
            });

            Throwable failure = catchThrowable(() -> idle.commit(Map.of(tp, new OffsetAndMetadata(last.offset() + 1))));

            assertThat(failure).as("under %s", protocol).isInstanceOf(CommitFailedException.class);
            assertThat(other.committed(tp)).isNull();
        }
    }

    /**
     * Neither protocol's broker checks that the committing member owns the partition: a member that is
     * still in the group could commit offsets of a partition a rebalance gave to another, overwriting the
     * new owner's. The engine refuses, as aiokafka does, with the exception its Javadoc promises for a
     * commit that loses to a rebalance.
     */
    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aCommitOfAPartitionARebalanceGaveToAnotherMemberIsRefusedAndTheNewOwnersOffsetStays(String protocol,
            KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "stale-owner", 2, 100);
        String group = Engines.unique("stale-owner");
        try (ConsumerEngine<String, String> first = Engines.builder(kafka, group, protocol)
                .property("enable.auto.commit", false).build();
                ConsumerEngine<String, String> second = Engines.builder(kafka, group, protocol)
                        .property("enable.auto.commit", false).build()) {
            first.subscribe(List.of(topic));
            first.start();
            await().until(() -> first.assignment().size() == 2);
            Engines.take(first, 10);
            second.subscribe(List.of(topic));
            second.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                first.getMany(Duration.ofMillis(50));
                return first.assignment().size() == 1 && second.assignment().size() == 1;
            });
            TopicPartition given = second.assignment().iterator().next();
            TopicPartition kept = first.assignment().iterator().next();
            second.commit(Map.of(given, new OffsetAndMetadata(20)));

            assertThatThrownBy(() -> first.commit(Map.of(given, new OffsetAndMetadata(5), kept, new OffsetAndMetadata(3))))
                    .isInstanceOf(CommitFailedException.class).hasMessageContaining(given.toString()).hasMessageContaining("not assigned");
            assertThat(first.commitAsync(Map.of(given, new OffsetAndMetadata(5))))
                    .failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(CommitFailedException.class);

            assertThat(second.committed(given)).as("the new owner's offset").isEqualTo(new OffsetAndMetadata(20));
            assertThat(first.committed(kept)).as("nothing of a refused commit is committed").isNull();
            first.commit(Map.of(kept, new OffsetAndMetadata(3)));
            assertThat(first.committed(kept)).isEqualTo(new OffsetAndMetadata(3));
        }
    }
}
