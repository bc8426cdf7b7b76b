package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {

    private final PartitionProgress progress = new PartitionProgress();

    private static List<ConsumerRecord<byte[], byte[]>> records(long... offsets) {
        return LongStream.of(offsets).mapToObj(offset -> new ConsumerRecord<byte[], byte[]>("t", 0, offset, null, null)).toList();
    }

    /** Records written under leader epoch {@code epoch}. */
    private static List<ConsumerRecord<byte[], byte[]>> recordsOfEpoch(int epoch, long from, long to) {
        return LongStream.range(from, to).mapToObj(offset -> new ConsumerRecord<byte[], byte[]>("t", 0, offset, 0L,
                TimestampType.CREATE_TIME, 0, 0, null, null, new RecordHeaders(), Optional.of(epoch))).toList();
    }

    @Test
    void theOffsetToCommitCarriesTheEpochOfTheLastRecordOnceAllAreDone() {
        progress.dispatched(recordsOfEpoch(3, 0, 2));
        progress.dispatched(recordsOfEpoch(5, 2, 4));
        for (long offset = 0; offset < 4; offset++) {
            progress.done(offset);
        }

        assertThat(progress.uncommitted()).isEqualTo(new OffsetAndMetadata(4, Optional.of(5), ""));
    }

    @Test
    void whileTheRecordAtTheOffsetToCommitIsUndoneItsOwnEpochIsCarried() {
        progress.dispatched(recordsOfEpoch(3, 0, 2));
        progress.dispatched(recordsOfEpoch(5, 2, 4));
        progress.done(0);
        progress.done(1);
        progress.done(3);

        assertThat(progress.uncommitted()).as("record 2, of epoch 5, is undone")
                .isEqualTo(new OffsetAndMetadata(2, Optional.of(5), ""));
        progress.committed(2);
        assertThat(progress.uncommitted()).as("committed already").isNull();
    }

    @Test
    void anOffsetWithoutAKnownEpochIsCommittedWithout() {
        PartitionProgress sought = new PartitionProgress(7);
        assertThat(sought.uncommitted()).as("a sought start").isEqualTo(new OffsetAndMetadata(7));

        progress.dispatched(recordsOfEpoch(3, 10, 12));
        progress.done(10);
        progress.done(11);
        progress.passedTo(14);
        assertThat(progress.uncommitted()).as("past markers, perhaps of a later epoch")
                .isEqualTo(new OffsetAndMetadata(14));

        progress.dispatched(records(14));
        progress.done(14);
        assertThat(progress.uncommitted()).as("a record without an epoch").isEqualTo(new OffsetAndMetadata(15));
    }

    @Test
    void nothingIsToBeCommittedBeforeTheFirstDispatch() {
        assertThat(progress.commitOffset()).isEqualTo(-1);
        assertThat(progress.uncommittedOffset()).isEqualTo(-1);
        assertThat(new PartitionProgress(42).commitOffset()).isEqualTo(42);
    }

    @Test
    void theCommitOffsetIsTheLowestRecordNotDoneThenTheOneAfterTheLastDispatched() {
        progress.dispatched(records(10, 11, 12));

        assertThat(progress.commitOffset()).isEqualTo(10);
        progress.done(11);
        assertThat(progress.commitOffset()).isEqualTo(10);
        progress.done(10);
        assertThat(progress.commitOffset()).isEqualTo(12);
        progress.done(12);
        assertThat(progress.commitOffset()).isEqualTo(13);
    }

    @Test
    void gapsInTheOffsetsAreSkippedOver() {
        progress.dispatched(records(5, 9, 20));

        progress.done(5);
        assertThat(progress.commitOffset()).isEqualTo(9);
        progress.done(20);
        progress.done(9);
        assertThat(progress.commitOffset()).isEqualTo(21);
    }

    @Test
    void doneIsIdempotentAndIgnoresOffsetsItNeverDispatched() {
        progress.dispatched(records(1, 2));

        progress.done(1);
        progress.done(1);
        progress.done(7);
        progress.done(0);

        assertThat(progress.commitOffset()).isEqualTo(2);
    }

    @Test
    void theRingGrowsBeyondItsFirstCapacityAndKeepsTheOrder() {
        long[] offsets = LongStream.range(100, 1100).toArray();
        progress.dispatched(records(offsets));
        // finish all but the first, backwards: every mark is a search, and the head stays on 100
        for (int i = offsets.length - 1; i > 0; i--) {
            progress.done(offsets[i]);
        }
        assertThat(progress.commitOffset()).isEqualTo(100);
        progress.dispatched(records(1100, 1101));
        progress.done(100);

        assertThat(progress.commitOffset()).isEqualTo(1100);
    }

    @Test
    void takesBehindAStuckRecordKeepEveryOffsetAndEpochOnceTheyNoLongerKeepTheirRecords() {
        int takes = 3 * PartitionProgress.TAKES_WITH_RECORDS;
        for (int take = 0; take < takes; take++) {
            progress.dispatched(recordsOfEpoch(take, 2L * take, 2L * take + 2)); // take i: offsets 2i and 2i + 1, epoch i
        }
        long stuck = 2L * (takes - 3); // in a take that kept only offsets and epochs
        for (long offset = 2L * takes - 1; offset > 0; offset--) {
            if (offset != stuck) {
                progress.done(offset);
            }
        }
        assertThat(progress.commitOffset()).as("record 0 is not done").isZero();

        progress.done(0);
        assertThat(progress.uncommitted()).as("the stuck record's own epoch")
                .isEqualTo(new OffsetAndMetadata(stuck, Optional.of(takes - 3), ""));
        progress.done(stuck);
        assertThat(progress.uncommitted()).isEqualTo(new OffsetAndMetadata(2L * takes, Optional.of(takes - 1), ""));
    }

    @Test
    void theRingWrapsAroundAsRecordsAreDoneAndMoreAreDispatched() {
        long offset = 0;
        for (int round = 0; round < 50; round++) {
            progress.dispatched(records(offset, offset + 1, offset + 2, offset + 3, offset + 4));
            progress.done(offset + 1);
            progress.done(offset);
            progress.done(offset + 4);
            progress.done(offset + 2);
            assertThat(progress.commitOffset()).isEqualTo(offset + 3);
            progress.done(offset + 3);
            offset += 5;
            assertThat(progress.commitOffset()).isEqualTo(offset);
        }
    }

    @Test
    void aCommitIsOnlyDueWhenTheOffsetMovedPastTheLastCommitted() {
        progress.dispatched(records(0, 1));
        progress.done(0);
        assertThat(progress.uncommittedOffset()).isEqualTo(1);

        progress.committed(1);
        assertThat(progress.uncommittedOffset()).isEqualTo(-1);
        assertThat(progress.lastCommitted()).isEqualTo(1);
    }

    @Test
    void theRecordsInFlightCountDownAsTheirWorkFinishes() throws InterruptedException {
        progress.dispatched(records(0, 1, 2));
        assertThat(progress.inFlight()).isEqualTo(3);
        assertThat(progress.awaitIdle(System.nanoTime())).isFalse();

        progress.finished(3);

        assertThat(progress.inFlight()).isZero();
        assertThat(progress.awaitIdle(System.nanoTime())).isTrue();
    }

    @Test
    void aClosedProgressSaysSo() {
        assertThat(progress.isClosed()).isFalse();
        progress.close(true);
        assertThat(progress.isClosed()).isTrue();
    }

    @Test
    void closedToFillGapsOnlyRecordsUpToTheHighestStartedMayStillStart() {
        progress.dispatched(records(0, 1, 2, 3, 4));
        assertThat(progress.mayStart(0)).isTrue();
        assertThat(progress.mayStart(3)).isTrue();

        progress.close(true);

        assertThat(progress.mayStart(1)).as("a gap below the highest started").isTrue();
        assertThat(progress.mayStart(2)).isTrue();
        assertThat(progress.mayStart(3)).as("started already, as a retry would").isTrue();
        assertThat(progress.mayStart(4)).as("above every started record").isFalse();
    }

    @Test
    void recordsMarkedDoneByTheirPlaceOutOfOrderMoveTheOffsetToCommitOnceTheLowestIsDone() {
        PartitionProgress.Take first = progress.dispatched(records(0, 1, 2), true);
        PartitionProgress.Take second = progress.dispatched(records(3, 4), true);
        progress.done(second, 1);
        progress.done(first, 2);
        progress.done(first, 1);
        assertThat(progress.commitOffset()).as("record 0 is undone").isZero();

        progress.done(first, 0);
        assertThat(progress.commitOffset()).as("record 3 is undone").isEqualTo(3);
        progress.done(second, 0);
        assertThat(progress.commitOffset()).isEqualTo(5);
        progress.done(second, 0);
        assertThat(progress.commitOffset()).as("done twice is done once").isEqualTo(5);
    }

    @Test
    void recordsOfATakeMadeForOrderMarkedDoneByTheirPlaceOutOfOrderAreFlaggedUnderTheMonitor() {
        PartitionProgress.Take take = progress.dispatched(records(0, 1, 2));
        progress.done(take, 1);
        assertThat(progress.commitOffset()).isZero();
        progress.done(take, 0);
        assertThat(progress.commitOffset()).isEqualTo(2);
        progress.done(take, 2);
        assertThat(progress.commitOffset()).isEqualTo(3);
    }

    @Test
    void theFirstRecordOfATakeMadeForOrderDoneWhileAnEarlierTakeIsNotIsKept() {
        PartitionProgress.Take first = progress.dispatched(records(0, 1));
        PartitionProgress.Take second = progress.dispatched(records(2, 3));
        progress.done(first, 0);
        progress.done(second, 0); // record 1 is recovered later, asynchronously, as a dead letter's send completes
        progress.done(1);
        assertThat(progress.commitOffset()).as("record 3 is undone").isEqualTo(3);
        progress.done(second, 1);
        assertThat(progress.commitOffset()).isEqualTo(4);
    }

    @Test
    void workersMarkingRecordsDoneByTheirPlaceInAnyOrderAtOnceLeaveNoneBehind() throws Exception {
        for (int round = 0; round < 200; round++) {
            PartitionProgress marked = new PartitionProgress();
            List<PartitionProgress.Take> takes = new ArrayList<>();
            List<int[]> places = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                PartitionProgress.Take take = marked.dispatched(records(LongStream.range(t * 50L, t * 50L + 50).toArray()), true);
                takes.add(take);
                for (int i = 0; i < 50; i++) {
                    places.add(new int[] {t, i});
                }
            }
            Collections.shuffle(places, new java.util.Random(round));
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                List<int[]> mine = places.subList(w * 50, w * 50 + 50);
                Thread worker = new Thread(() -> {
                    awaitQuietly(go);
                    mine.forEach(place -> marked.done(takes.get(place[0]), place[1]));
                });
                worker.start();
                workers.add(worker);
            }
            go.countDown();
            for (Thread worker : workers) {
                worker.join();
            }
            assertThat(marked.commitOffset()).as("round %d: every record is done", round).isEqualTo(200);
        }
    }

    @Test
    void everyRecordAllowedToStartWhileThePartitionClosesIsBelowTheHorizon() throws Exception {
        for (int round = 0; round < 200; round++) {
            PartitionProgress closing = new PartitionProgress();
            AtomicLong highestAllowed = new AtomicLong(-1);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int first = w;
                Thread worker = new Thread(() -> {
                    awaitQuietly(go);
                    for (long offset = first; offset < 3_000; offset += 3) {
                        if (closing.mayStart(offset)) {
                            highestAllowed.accumulateAndGet(offset, Math::max);
                        }
                    }
                });
                worker.start();
                workers.add(worker);
            }
            go.countDown();
            Thread.onSpinWait();
            closing.close(true);
            for (Thread worker : workers) {
                worker.join();
            }
            long highest = highestAllowed.get();
            assertThat(highest < 0 || closing.mayStart(highest))
                    .as("round %d: record %d started, so it is at or below the horizon", round, highest).isTrue();
            assertThat(closing.mayStart(3_000)).as("round %d: nothing above every started record", round).isFalse();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void closedForGoodNothingMayStart() {
        progress.dispatched(records(0, 1, 2));
        assertThat(progress.mayStart(2)).isTrue();

        progress.close(false);

        assertThat(progress.mayStart(0)).isFalse();
        assertThat(progress.mayStart(1)).isFalse();
    }

    @Test
    void aPositionPastTheLastRecordIsCommittedOnceEveryRecordBelowItIsDone() {
        progress.dispatched(records(10, 11));

        assertThat(progress.passedTo(14)).as("record 10 and 11 not done: nothing to commit now").isFalse();
        assertThat(progress.commitOffset()).isEqualTo(10);
        progress.done(10);
        assertThat(progress.commitOffset()).as("never past a record not done").isEqualTo(11);
        progress.done(11);
        assertThat(progress.commitOffset()).as("past the markers at 12 and 13").isEqualTo(14);
        assertThat(progress.passedTo(16)).as("idle: a commit is due").isTrue();
        assertThat(progress.uncommittedOffset()).isEqualTo(16);
    }

    @Test
    void aPositionIsIgnoredBeforeTheFirstDispatchOnAClosedProgressAndWhenNotAhead() {
        assertThat(progress.passedTo(5)).as("nothing handled since the assignment").isFalse();
        assertThat(progress.commitOffset()).isEqualTo(-1);

        progress.dispatched(records(5));
        progress.done(5);
        assertThat(progress.passedTo(6)).as("not ahead").isFalse();
        assertThat(progress.passedTo(3)).as("behind").isFalse();
        assertThat(progress.commitOffset()).isEqualTo(6);

        progress.close(true);
        assertThat(progress.passedTo(9)).as("closed: the position may be the next progress's").isFalse();
        assertThat(progress.commitOffset()).isEqualTo(6);
    }

    @Test
    void aSoughtProgressPassesMarkersBeforeItsFirstRecord() {
        PartitionProgress sought = new PartitionProgress(7);

        assertThat(sought.passedTo(9)).isTrue();

        assertThat(sought.commitOffset()).isEqualTo(9);
    }
}
