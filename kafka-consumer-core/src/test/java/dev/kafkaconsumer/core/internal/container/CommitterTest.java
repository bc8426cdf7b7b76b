package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.ContainerListener;

/** What the committer sends, when, and what it tells listeners when the broker refuses; no broker. */
class CommitterTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private final FakeEngine engine = new FakeEngine();
    private final OffsetTracker tracker = new OffsetTracker();
    private final List<String> told = new CopyOnWriteArrayList<>();
    private final ContainerListener listener = new ContainerListener() {
        @Override
        public void committed(String container, Map<TopicPartition, OffsetAndMetadata> offsets, Throwable failure) {
            told.add(container + " " + offsets + (failure == null ? "" : " failed: " + failure.getMessage()));
        }
    };
    private final Committer committer = new Committer("c", engine, tracker, listener, true);

    /** Assigns the partitions on the engine and the tracker, and marks records done up to {@code done} on each. */
    private void assignedWithDone(long done, TopicPartition... partitions) {
        engine.assign(List.of(partitions));
        tracker.assign(List.of(partitions));
        for (TopicPartition partition : partitions) {
            PartitionProgress progress = tracker.progress(partition);
            progress.dispatched(LongStream.range(0, done + 2).mapToObj(offset -> new ConsumerRecord<>(partition.topic(),
                    partition.partition(), offset, new byte[0], "v".getBytes(StandardCharsets.UTF_8))).toList());
            LongStream.range(0, done).forEach(progress::done);
        }
    }

    @Test
    void commitsEachPartitionsDonePrefixAndOnlyWhatMovedSinceTheLastCommit() {
        assignedWithDone(3, P0, P1);

        committer.commitAll();
        committer.commitAll();
        tracker.progress(P1).done(3);
        committer.commitAll();

        assertThat(engine.commits).containsExactly(Map.of(P0, new OffsetAndMetadata(3), P1, new OffsetAndMetadata(3)),
                Map.of(P1, new OffsetAndMetadata(4)));
        assertThat(told).hasSize(2).allMatch(entry -> entry.startsWith("c {"));
        assertThat(tracker.committed(P1)).hasValue(4);
    }

    @Test
    void aPartitionNoLongerAssignedIsLeftToItsRevocation() {
        assignedWithDone(2, P0, P1);
        engine.unassign(List.of(P1));

        committer.commitAll();

        assertThat(engine.commits).containsExactly(Map.of(P0, new OffsetAndMetadata(2)));
    }

    @Test
    void aPartitionRevokedWhileItsCommitWaitedIsLeftToItsRevocationAndThePartitionsStillOwnedAreCommitted() {
        assignedWithDone(2, P0, P1);
        engine.revokesAtNextCommit(P1);

        committer.commitAll();

        assertThat(engine.commits).containsExactly(Map.of(P0, new OffsetAndMetadata(2)));
        assertThat(told).containsExactly("c {t-0=OffsetAndMetadata{offset=2, leaderEpoch=null, metadata=''}}");
        assertThat(tracker.committed(P0)).hasValue(2);
    }

    @Test
    void theFinalCommitAlsoLeavesAPartitionRevokedMeanwhileToItsRevocation() {
        assignedWithDone(2, P0, P1);
        engine.revokesAtNextCommit(P0);

        committer.commitBeforeStop(System.nanoTime());

        assertThat(engine.commits).containsExactly(Map.of(P1, new OffsetAndMetadata(2)));
        assertThat(told).singleElement().asString().doesNotContain("failed");
    }

    @Test
    void aCommitWhoseOnlyPartitionWasRevokedMeanwhileSendsNothingAndReportsNoFailure() {
        assignedWithDone(2, P0);
        engine.revokesAtNextCommit(P0);

        committer.commitAll();

        assertThat(engine.commits).isEmpty();
        assertThat(told).isEmpty();
    }

    @Test
    void aRefusalWhileThePartitionsAreStillOwnedIsReportedAsAFailure() {
        assignedWithDone(2, P0);
        engine.failCommits(new CommitFailedException("the group rebalanced"));

        committer.commitAll();

        assertThat(told).singleElement().asString().endsWith("failed: the group rebalanced");
        assertThat(tracker.committed(P0)).isEmpty();
    }

    @Test
    void aRefusedCommitIsLoggedToldToListenersAndTriedAgainWithTheNext() {
        assignedWithDone(2, P0);
        engine.failCommits(new KafkaException("the coordinator moved"));

        committer.commitAll();

        assertThat(told).containsExactly("c {t-0=OffsetAndMetadata{offset=2, leaderEpoch=null, metadata=''}} failed: the coordinator moved");
        assertThat(tracker.committed(P0)).isEmpty();
        engine.failCommits(null);
        committer.commitAll();
        assertThat(engine.commits).containsExactly(Map.of(P0, new OffsetAndMetadata(2)));
    }

    @Test
    void theFinalCommitWaitsForTheBrokerAndAfterItRevocationsCommitNoMore() {
        assignedWithDone(2, P0);
        committer.commitRevoked(List.of(P0));
        tracker.progress(P0).done(2);

        committer.commitBeforeStop(System.nanoTime());
        tracker.progress(P0).done(3);
        committer.commitRevoked(List.of(P0));

        assertThat(engine.commits).containsExactly(Map.of(P0, new OffsetAndMetadata(2)), Map.of(P0, new OffsetAndMetadata(3)));
    }

    @Test
    void aFinalCommitThatFailsIsToldToListeners() {
        assignedWithDone(2, P0);
        engine.failCommits(new KafkaException("no broker"));

        committer.commitBeforeStop(System.nanoTime());

        assertThat(told).singleElement().asString().endsWith("failed: no broker");
    }

    @Test
    void aCommitInterruptedKeepsTheInterruptAndTellsListeners() {
        assignedWithDone(2, P0);
        Thread.currentThread().interrupt();
        try {
            engine.hangCommits();
            committer.commitBeforeStop(System.nanoTime());

            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(told).singleElement().asString().contains("failed");
            assertThat(tracker.committed(P0)).isEmpty();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aFinalCommitTheBrokerDoesNotAnswerGivesUpAfterASecondAtLeast() {
        assignedWithDone(2, P0);
        engine.hangCommits();

        committer.commitBeforeStop(System.nanoTime() - 60_000_000_000L);

        assertThat(told).singleElement().asString().contains("failed");
        assertThat(tracker.committed(P0)).isEmpty();
    }

    @Test
    void anUnexpectedFailureOfACommitIsNotSwallowed() {
        assignedWithDone(2, P0);
        engine.failCommits(new IllegalArgumentException("a bug"));

        assertThatIllegalStateException().isThrownBy(committer::commitAll)
                .withMessageStartingWith("Unexpected failure committing {t-0=");
    }

    @Test
    void withoutAGroupNothingIsCommitted() {
        assignedWithDone(2, P0);
        Committer none = new Committer("c", engine, tracker, listener, false);

        none.commitAll();
        none.commitRevoked(List.of(P0));
        none.commitBeforeStop(System.nanoTime());

        assertThat(engine.commits).isEmpty();
        assertThat(told).isEmpty();
    }

    @Test
    void nothingIsSentWhenNothingMoved() {
        engine.assign(List.of(P0));
        tracker.assign(List.of(P0));

        committer.commitAll();

        assertThat(engine.commits).isEmpty();
        assertThat(told).isEmpty();
    }
}
