package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The one owner of each partition's progress: assign, restart, close, remove, and the commit and snapshot views; no broker. */
class OffsetTrackerTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private final OffsetTracker tracker = new OffsetTracker();

    private static List<ConsumerRecord<byte[], byte[]>> records(long from, long to) {
        return LongStream.range(from, to).mapToObj(offset -> new ConsumerRecord<>("t", 0, offset, new byte[0], new byte[0])).toList();
    }

    @Test
    void anAssignedPartitionHasNothingToCommitBeforeItsFirstRecord() {
        tracker.assign(List.of(P0, P1));

        assertThat(tracker.partitions()).containsExactlyInAnyOrder(P0, P1);
        assertThat(tracker.toCommit(List.of(P0, P1)).isEmpty()).isTrue();
        assertThat(tracker.committed(P0)).isEmpty();
        assertThat(tracker.inFlight(P0)).isZero();
    }

    @Test
    void theCommitViewCarriesEachDonePrefixAndMarksItOnTheProgressItWasReadFrom() {
        tracker.assign(List.of(P0));
        PartitionProgress first = tracker.progress(P0);
        first.dispatched(records(0, 5));
        first.done(0);
        first.done(1);

        OffsetTracker.Commit commit = tracker.toCommit(List.of(P0, P1));
        tracker.restart(P0, 40);
        commit.sent();

        assertThat(commit.offsets()).containsExactly(Map.entry(P0, new OffsetAndMetadata(2)));
        assertThat(first.lastCommitted()).isEqualTo(2);
        assertThat(tracker.committed(P0)).as("the new progress commits its own").isEmpty();
        assertThat(tracker.toCommit(List.of(P0)).offsets()).as("a restart commits its position until records come")
                .containsExactly(Map.entry(P0, new OffsetAndMetadata(40)));
    }

    @Test
    void theCommitViewCarriesTheLeaderEpochOfTheRecordsBelowEachOffset() {
        tracker.assign(List.of(P0));
        tracker.progress(P0).dispatched(LongStream.range(0, 2).mapToObj(offset -> new ConsumerRecord<byte[], byte[]>("t", 0,
                offset, 0L, TimestampType.CREATE_TIME, 0, 0, null, null, new RecordHeaders(), Optional.of(7))).toList());
        tracker.progress(P0).done(0);
        tracker.progress(P0).done(1);

        assertThat(tracker.toCommit(List.of(P0)).offsets()).containsExactly(Map.entry(P0, new OffsetAndMetadata(2, Optional.of(7), "")));
    }

    @Test
    void theSnapshotViewShowsTheLastCommitAndTheRecordsInFlight() {
        tracker.assign(List.of(P0));
        tracker.progress(P0).dispatched(records(0, 3));
        tracker.progress(P0).done(0);
        tracker.toCommit(List.of(P0)).sent();

        assertThat(tracker.committed(P0)).hasValue(1);
        assertThat(tracker.inFlight(P0)).isEqualTo(3);
        assertThat(tracker.committed(P1)).isEmpty();
        assertThat(tracker.inFlight(P1)).isZero();
    }

    @Test
    void aClosedPartitionStartsNothingMoreAndItsIdleProgressIsAwaited() throws Exception {
        tracker.assign(List.of(P0, P1));
        tracker.progress(P0).dispatched(records(0, 2));

        OffsetTracker.Closed closed = tracker.close(List.of(P0, new TopicPartition("other", 0)), false);

        assertThat(closed.progress()).containsOnlyKeys(P0);
        assertThat(tracker.progress(P0).mayStart(0)).isFalse();
        assertThat(tracker.progress(P1).mayStart(0)).isTrue();
        assertThat(closed.awaitIdle(System.nanoTime())).as("two records still in flight").containsExactly(P0);
        CompletableFuture<List<TopicPartition>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return closed.awaitIdle(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        tracker.progress(P0).finished(2);
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void aGiveUpLetsRecordsBelowTheHighestStartedRun() {
        tracker.assign(List.of(P0));
        tracker.progress(P0).dispatched(records(0, 4));
        tracker.progress(P0).mayStart(2);

        tracker.close(List.of(P0), true);

        assertThat(tracker.progress(P0).mayStart(1)).isTrue();
        assertThat(tracker.progress(P0).mayStart(3)).isFalse();
    }

    @Test
    void removedPartitionsAreTrackedNoMore() {
        tracker.assign(List.of(P0, P1));

        tracker.remove(List.of(P0));

        assertThat(tracker.partitions()).containsExactly(P1);
        assertThat(tracker.progress(P0)).isNull();
    }
}
