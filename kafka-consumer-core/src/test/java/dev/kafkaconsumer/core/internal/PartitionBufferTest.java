package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class PartitionBufferTest {

    private final TopicPartition tp = new TopicPartition("t", 0);
    private final ByteBudget budget = new ByteBudget(new FetchPlan.Bounds(1_000, 10_000));
    private final PartitionBuffer<String, String> buffer = new PartitionBuffer<>(tp, budget);

    private List<ConsumerRecord<String, String>> take(int max) {
        List<List<ConsumerRecord<String, String>>> parts = new ArrayList<>();
        buffer.take(max, parts);
        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        parts.forEach(all::addAll);
        return all;
    }

    @Test
    void thePositionIsUnknownUntilRecordsOrAStartPointArrive() {
        assertThat(buffer.position()).isEqualTo(PartitionBuffer.UNKNOWN);
        assertThat(buffer.uncommittedPosition()).isNull();
        buffer.resolvePosition(7);
        assertThat(buffer.position()).isEqualTo(7);
    }

    @Test
    void beforeAnythingIsTakenThePositionIsTheFirstBufferedOffset() {
        buffer.append(Batches.range(tp, 5, 10), new OffsetAndMetadata(10), 0);
        assertThat(buffer.position()).isEqualTo(5);
        assertThat(buffer.uncommittedPosition()).as("nothing was handed out").isNull();
    }

    @Test
    void aWholeBatchIsHandedOutWithoutCopyAndThePositionMovesToTheConsumersNextOffset() {
        List<ConsumerRecord<String, String>> batch = Batches.records(tp, 0, 1, 2);
        // offset 3 is a transaction marker: the consumer's next offset is 4
        buffer.append(batch, new OffsetAndMetadata(4), 0);
        List<List<ConsumerRecord<String, String>>> parts = new ArrayList<>();
        assertThat(buffer.take(10, parts)).isEqualTo(3);
        assertThat(parts).singleElement().isSameAs(batch);
        assertThat(buffer.position()).isEqualTo(4);
        assertThat(buffer.bufferedBytes()).isZero();
        assertThat(buffer.hasDeliverable()).isFalse();
    }

    @Test
    void aPartialTakeMovesThePositionPastTheLastRecordTaken() {
        buffer.append(Batches.range(tp, 0, 5), new OffsetAndMetadata(5), 0);
        buffer.append(Batches.range(tp, 5, 10), new OffsetAndMetadata(10), 0);
        assertThat(take(3)).extracting(ConsumerRecord::offset).containsExactly(0L, 1L, 2L);
        assertThat(buffer.position()).isEqualTo(3);
        assertThat(buffer.uncommittedPosition()).isEqualTo(new OffsetAndMetadata(3, java.util.Optional.of(3), ""));
        assertThat(take(4)).extracting(ConsumerRecord::offset).containsExactly(3L, 4L, 5L, 6L);
        assertThat(buffer.position()).isEqualTo(7);
        assertThat(buffer.bufferedRecords()).isEqualTo(3);
        assertThat(take(100)).extracting(ConsumerRecord::offset).containsExactly(7L, 8L, 9L);
        assertThat(buffer.position()).isEqualTo(10);
    }

    @Test
    void markersAfterTheLastRecordMoveThePositionOnceEverythingIsTaken() {
        buffer.append(Batches.range(tp, 0, 2), new OffsetAndMetadata(2), 0);
        buffer.append(List.of(), new OffsetAndMetadata(3), 0);
        assertThat(take(10)).hasSize(2);
        assertThat(buffer.position()).isEqualTo(3);
        buffer.append(List.of(), new OffsetAndMetadata(5), 0);
        assertThat(buffer.position()).as("an empty buffer follows the consumer at once").isEqualTo(5);
    }

    @Test
    void anUndeserializableRecordComesAfterTheRecordsBeforeItAndMovesThePositionPastIt() {
        buffer.append(Batches.range(tp, 0, 3), new OffsetAndMetadata(3), 0);
        buffer.appendError(Batches.poison(tp, 3));
        buffer.append(Batches.range(tp, 4, 6), new OffsetAndMetadata(6), 0);
        assertThat(take(10)).extracting(ConsumerRecord::offset).containsExactly(0L, 1L, 2L);
        assertThat(buffer.headError()).isNotNull();
        assertThat(take(10)).as("nothing passes the error").isEmpty();
        assertThat(buffer.takeHeadError().offset()).isEqualTo(3);
        assertThat(buffer.position()).isEqualTo(4);
        assertThat(take(10)).extracting(ConsumerRecord::offset).containsExactly(4L, 5L);
    }

    @Test
    void aResetDropsEverythingAndSetsThePosition() {
        buffer.append(Batches.range(tp, 0, 3), new OffsetAndMetadata(3), 0);
        buffer.awaitSeek();
        buffer.reset(100);
        assertThat(buffer.hasDeliverable()).isFalse();
        assertThat(buffer.bufferedBytes()).isZero();
        assertThat(buffer.position()).isEqualTo(100);
        assertThat(buffer.awaitingSeek()).isFalse();
    }

    @Test
    void aCommittedPositionIsNotCommittedAgain() {
        buffer.append(Batches.range(tp, 0, 3), new OffsetAndMetadata(3), 0);
        take(3);
        assertThat(buffer.uncommittedPosition().offset()).isEqualTo(3);
        buffer.markCommitted(3);
        assertThat(buffer.uncommittedPosition()).isNull();
        assertThat(buffer.consumedPosition().offset()).isEqualTo(3);
    }

    @Test
    void recordsNobodyAskedForAreParkedUntilAGetCallCoversThePartition() {
        buffer.append(Batches.range(tp, 0, 3), new OffsetAndMetadata(3), 4);
        assertThat(buffer.holdsUnaskedRecords(4)).isTrue();
        assertThat(buffer.holdsUnaskedRecords(5)).as("a get call for all partitions came since").isFalse();
        buffer.markAsked();
        assertThat(buffer.holdsUnaskedRecords(4)).isFalse();
        take(3);
        buffer.append(Batches.range(tp, 3, 4), new OffsetAndMetadata(4), 9);
        assertThat(buffer.holdsUnaskedRecords(9)).isTrue();
    }

    @Test
    void bytesCountSerializedKeysAndValues() {
        buffer.append(Batches.range(tp, 0, 4), new OffsetAndMetadata(4), 0);
        assertThat(buffer.bufferedBytes()).isEqualTo(40);
        take(1);
        assertThat(buffer.bufferedBytes()).as("a partial take frees the bytes of what it took").isEqualTo(30);
        take(3);
        assertThat(buffer.bufferedBytes()).isZero();
    }

    @Test
    void aPartialTakeOfRecordsOfUnequalSizesFreesItsShareOfTheBytesAndTheLastTakeFreesTheRest() {
        List<ConsumerRecord<String, String>> records = List.of(sized(0, 1), sized(1, 1), sized(2, 1), sized(3, 97));
        buffer.append(records, new OffsetAndMetadata(4), 0);
        assertThat(budget.total()).isEqualTo(100);

        take(1);
        assertThat(budget.total()).as("a quarter of the records, a quarter of the bytes: not read again to count").isEqualTo(75);
        take(2);
        assertThat(budget.total()).isEqualTo(25);
        take(1);
        assertThat(budget.total()).isZero();
        assertThat(buffer.bufferedBytes()).isZero();
    }

    private ConsumerRecord<String, String> sized(long offset, int valueBytes) {
        return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, 0L, TimestampType.CREATE_TIME, 0, valueBytes, null,
                "v", new RecordHeaders(), Optional.empty());
    }

    @Test
    void everyChangeOfTheBufferedBytesIsCountedInTheBudget() {
        buffer.append(Batches.range(tp, 0, 4), new OffsetAndMetadata(4), 0);
        assertThat(budget.total()).isEqualTo(40);
        take(1);
        assertThat(budget.total()).isEqualTo(30);
        take(3);
        buffer.append(Batches.range(tp, 4, 6), new OffsetAndMetadata(6), 0);
        buffer.clear();
        assertThat(budget.total()).isZero();
        assertThat(buffer.bufferedRecords()).isZero();
        assertThat(buffer.hasDeliverable()).isFalse();
    }

    @Test
    void aPartitionCanHandOutOnlyWhatItHoldsWhileNeitherPausedNorFrozen() {
        assertThat(buffer.deliverable()).isFalse();
        buffer.append(Batches.range(tp, 0, 1), new OffsetAndMetadata(1), 0);
        assertThat(buffer.deliverable()).isTrue();

        buffer.pauseByUser();
        assertThat(buffer.pausedByUser()).isTrue();
        assertThat(buffer.deliverable()).isFalse();
        assertThat(buffer.hasDeliverable()).as("it still holds the record").isTrue();
        buffer.resumeByUser();
        assertThat(buffer.pausedByUser()).isFalse();
        assertThat(buffer.deliverable()).isTrue();

        buffer.freeze();
        assertThat(buffer.frozen()).isTrue();
        assertThat(buffer.deliverable()).isFalse();
    }

    @Test
    void anUndefinedStartPointIsNewsOnlyOnceUntilASeek() {
        assertThat(buffer.awaitingSeek()).isFalse();
        assertThat(buffer.awaitSeek()).isTrue();
        assertThat(buffer.awaitSeek()).isFalse();
        assertThat(buffer.awaitingSeek()).isTrue();

        buffer.reset(0);

        assertThat(buffer.awaitSeek()).isTrue();
    }

    @Test
    void theBrokersViewOnceKnownStaysKnownAndOnlyAFetchMovesThePollTime() {
        buffer.updateFetchState(EndOffsetsProbe.Ends.UNKNOWN, true, 1_000);
        assertThat(buffer.lastPollTimestamp()).as("nothing fetched yet").isEqualTo(PartitionBuffer.UNKNOWN);

        buffer.updateFetchState(new EndOffsetsProbe.Ends(10, PartitionBuffer.UNKNOWN, 4), true, 2_000);
        assertThat(buffer.highWatermark()).isEqualTo(10);
        assertThat(buffer.lastStableOffset()).isEqualTo(PartitionBuffer.UNKNOWN);
        assertThat(buffer.lastPollTimestamp()).isEqualTo(2_000);

        buffer.updateFetchState(new EndOffsetsProbe.Ends(PartitionBuffer.UNKNOWN, 8, PartitionBuffer.UNKNOWN), false, 3_000);
        assertThat(buffer.highWatermark()).isEqualTo(10);
        assertThat(buffer.lastStableOffset()).isEqualTo(8);
        assertThat(buffer.lastPollTimestamp()).as("paused: not fetched by that poll").isEqualTo(2_000);
    }

    @Test
    void aPartitionIsCaughtUpWhileTheBrokersLatestAnswerShowedNoMoreLagThanAskedAndUntilASeek() {
        assertThat(buffer.caughtUp(0)).as("unknown before an answer").isFalse();
        assertThat(buffer.caughtUp(1_000)).as("unknown before an answer, whatever the margin").isFalse();

        buffer.updateFetchState(new EndOffsetsProbe.Ends(10, 10, 0), true, 1_000);
        assertThat(buffer.caughtUp(0)).isTrue();
        buffer.updateFetchState(EndOffsetsProbe.Ends.UNKNOWN, true, 2_000);
        assertThat(buffer.caughtUp(0)).as("an unknown lag leaves what was known").isTrue();

        buffer.updateFetchState(new EndOffsetsProbe.Ends(12, 12, 2), true, 3_000);
        assertThat(buffer.caughtUp(0)).isFalse();
        assertThat(buffer.caughtUp(1)).isFalse();
        assertThat(buffer.caughtUp(2)).as("within what one poll hands out").isTrue();

        buffer.updateFetchState(new EndOffsetsProbe.Ends(12, 12, 0), true, 4_000);
        buffer.reset(3);
        assertThat(buffer.caughtUp(2)).as("a seek makes the lag unknown").isFalse();
    }

    @Test
    void aStartPointResolvedByTheConsumerCountsOnlyWhileNothingElseSetThePosition() {
        buffer.append(Batches.range(tp, 5, 7), new OffsetAndMetadata(7), 0);
        buffer.resolvePosition(2);
        assertThat(buffer.position()).as("the buffered records say where it is").isEqualTo(5);

        take(2);
        buffer.resolvePosition(3);
        assertThat(buffer.position()).isEqualTo(7);
    }

    @Test
    void beforeAnythingIsTakenThePositionOfAnUndeserializableFirstRecordIsItsOffset() {
        buffer.appendError(Batches.poison(tp, 8));

        assertThat(buffer.position()).isEqualTo(8);
        assertThat(buffer.hasDeliverable()).isTrue();
    }

    @Test
    void aMarkerAfterAnUndeserializableRecordMovesThePositionOnceTheErrorIsTaken() {
        buffer.appendError(Batches.poison(tp, 3));
        buffer.append(List.of(), new OffsetAndMetadata(6), 0);
        assertThat(buffer.headError()).as("the marker does not replace the error").isNotNull();

        assertThat(buffer.takeHeadError().offset()).isEqualTo(3);

        assertThat(buffer.position()).isEqualTo(6);
        assertThat(buffer.hasDeliverable()).isFalse();
    }

    @Test
    void aMarkerAfterRecordsAddsNeitherRecordsNorBytesAndIsPassedWhenTheyAreTaken() {
        buffer.append(Batches.range(tp, 0, 2), new OffsetAndMetadata(2), 0);
        buffer.append(List.of(), new OffsetAndMetadata(4), 0);

        assertThat(buffer.bufferedRecords()).isEqualTo(2);
        assertThat(buffer.bufferedBytes()).as("a marker has no bytes").isEqualTo(20);
        take(2);
        assertThat(buffer.position()).isEqualTo(4);
    }

    @Test
    void anEmptyBatchDoesNotCountAsTheBufferFilling() {
        buffer.append(List.of(), new OffsetAndMetadata(3), 5);

        assertThat(buffer.holdsUnaskedRecords(5)).isFalse();
        assertThat(buffer.position()).isEqualTo(3);
    }

    @Test
    void recordsAddedToABufferThatHoldsSomeKeepTheirFirstFillTime() {
        buffer.append(Batches.range(tp, 0, 1), new OffsetAndMetadata(1), 2);
        buffer.append(Batches.range(tp, 1, 2), new OffsetAndMetadata(2), 3);

        assertThat(buffer.holdsUnaskedRecords(2)).isTrue();
        assertThat(buffer.holdsUnaskedRecords(3)).isFalse();
    }

    @Test
    void aBufferEmptiedByASeekHoldsNoUnaskedRecords() {
        buffer.append(Batches.range(tp, 0, 2), new OffsetAndMetadata(2), 3);

        buffer.reset(10);

        assertThat(buffer.holdsUnaskedRecords(3)).isFalse();
    }

    @Test
    void recordsBelowTheExpectedOffsetComeOnlyFromATruncationAndTheExpectedOffsetFollowsWhatWasFetched() {
        assertThat(buffer.expectedFetchOffset()).as("a new assignment expects nothing").isEqualTo(PartitionBuffer.UNKNOWN);
        buffer.append(Batches.range(tp, 0, 5), new OffsetAndMetadata(5), 0);
        assertThat(buffer.expectedFetchOffset()).isEqualTo(5);
        take(5);
        assertThat(buffer.expectedFetchOffset()).as("nothing buffered: the hand-out position").isEqualTo(5);
        buffer.reset(2);
        assertThat(buffer.expectedFetchOffset()).as("a seek moves it").isEqualTo(2);
    }

    @Test
    void aTruncationDropsTheBufferedRecordsAtAndAboveTheNewLogEndAndKeepsThoseBelowIt() {
        buffer.append(Batches.range(tp, 0, 5), new OffsetAndMetadata(5), 0);
        buffer.append(Batches.range(tp, 5, 10), new OffsetAndMetadata(10), 0);
        assertThat(take(2)).extracting(ConsumerRecord::offset).containsExactly(0L, 1L);

        buffer.truncateTo(4);
        assertThat(buffer.expectedFetchOffset()).isEqualTo(4);
        assertThat(buffer.bufferedRecords()).isEqualTo(2);
        assertThat(buffer.bufferedBytes()).isEqualTo(20);
        buffer.append(Batches.range(tp, 4, 6), new OffsetAndMetadata(6), 0);
        assertThat(take(100)).extracting(ConsumerRecord::offset).containsExactly(2L, 3L, 4L, 5L);
        assertThat(buffer.position()).isEqualTo(6);
        assertThat(buffer.bufferedBytes()).isZero();
        assertThat(budget.total()).isZero();
    }

    @Test
    void aTruncationBelowTheHandOutPositionDropsEverythingBufferedAndMovesThePositionBack() {
        buffer.append(Batches.range(tp, 0, 5), new OffsetAndMetadata(5), 0);
        buffer.append(Batches.range(tp, 5, 10), new OffsetAndMetadata(10), 0);
        take(7);
        buffer.markCommitted(7);

        buffer.truncateTo(3);
        assertThat(buffer.hasDeliverable()).isFalse();
        assertThat(buffer.bufferedBytes()).isZero();
        assertThat(budget.total()).isZero();
        assertThat(buffer.position()).isEqualTo(3);
        assertThat(buffer.uncommittedPosition()).as("committed again, below the earlier commit")
                .isEqualTo(new OffsetAndMetadata(3, java.util.Optional.empty(), ""));
        assertThat(buffer.lastCommitted()).isEqualTo(7);
    }
}
