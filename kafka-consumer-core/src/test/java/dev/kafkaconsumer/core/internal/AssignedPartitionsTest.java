package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class AssignedPartitionsTest {

    private final ByteBudget budget = new ByteBudget(new FetchPlan.Bounds(1_000, 10_000));
    private final AssignedPartitions<String, String> partitions = new AssignedPartitions<>(budget);
    private final TopicPartition p0 = new TopicPartition("t", 0);
    private final TopicPartition p1 = new TopicPartition("t", 1);
    private final TopicPartition p9 = new TopicPartition("t", 9);

    private void fill(TopicPartition partition, int records) {
        partitions.get(partition).append(Batches.range(partition, 0, records), new OffsetAndMetadata(records), 0);
    }

    @Test
    void aPartitionAssignedAgainKeepsItsBufferAndPosition() {
        partitions.assign(List.of(p0));
        fill(p0, 3);
        PartitionBuffer<String, String> buffer = partitions.get(p0);

        partitions.assign(List.of(p0, p1));

        assertThat(partitions.get(p0)).isSameAs(buffer);
        assertThat(partitions.get(p0).bufferedRecords()).isEqualTo(3);
        assertThat(partitions.partitions()).containsExactlyInAnyOrder(p0, p1);
    }

    @Test
    void aRemovedPartitionIsForgottenWithItsRecordsAndTheirBytes() {
        partitions.assign(List.of(p0, p1));
        fill(p0, 3);
        fill(p1, 2);
        PartitionBuffer<String, String> buffer = partitions.get(p0);

        List<PartitionBuffer<String, String>> removed = partitions.remove(List.of(p0, p9));

        assertThat(removed).containsExactly(buffer);
        assertThat(buffer.hasDeliverable()).isFalse();
        assertThat(budget.total()).isEqualTo(20);
        assertThat(partitions.find(p0)).isNull();
        assertThat(partitions.partitions()).containsExactly(p1);
    }

    @Test
    void aPartitionNotAssignedIsNamedWithTheAssignment() {
        partitions.assign(List.of(p0));

        assertThatIllegalStateException().isThrownBy(() -> partitions.get(p9))
                .withMessage("Partition t-9 is not assigned to this consumer; assigned: [t-0]");
        assertThatIllegalStateException().isThrownBy(() -> partitions.requireAssigned(List.of(p0, p9)));
        partitions.requireAssigned(List.of(p0));
    }

    @Test
    void chosenPartitionsAreGoneForGoodOnlyWhenNoneIsAssignedAndNoRebalanceIsUnderWay() {
        partitions.assign(List.of(p0, p1));
        assertThat(partitions.allGone(List.of())).as("a get for all partitions").isFalse();
        assertThat(partitions.allGone(List.of(p0, p9))).isFalse();
        assertThat(partitions.allGone(List.of(p9))).isTrue();

        partitions.freeze(List.of(p0));
        partitions.remove(List.of(p0));
        assertThat(partitions.allGone(List.of(p0))).as("the rebalance may give it back").isFalse();

        partitions.assign(List.of());
        assertThat(partitions.allGone(List.of(p0))).as("it did not").isTrue();
    }

    @Test
    void freezingPartitionsNotAssignedBeginsNoRebalance() {
        partitions.assign(List.of(p0));

        partitions.freeze(List.of(p9));

        assertThat(partitions.allGone(List.of(p9))).isTrue();
        assertThat(partitions.get(p0).frozen()).isFalse();
    }

    @Test
    void theApplicationPausesAllTheGivenPartitionsOrNone() {
        partitions.assign(List.of(p1, p0));

        assertThatIllegalStateException().isThrownBy(() -> partitions.setPausedByUser(List.of(p0, p9), true));
        assertThat(partitions.pausedByUser()).isEmpty();

        partitions.setPausedByUser(List.of(p0, p1), true);
        assertThat(partitions.pausedByUser()).as("in assignment order").containsExactly(p1, p0);
        partitions.setPausedByUser(List.of(p1), false);
        assertThat(partitions.pausedByUser()).containsExactly(p0);
    }

    @Test
    void partitionsWaitForASeekOnceAndThoseNotAssignedAreLeftOut() {
        partitions.assign(List.of(p0, p1));

        assertThat(partitions.awaitSeek(List.of(p9))).isFalse();
        assertThat(partitions.awaitSeek(List.of(p0))).isTrue();
        assertThat(partitions.awaitSeek(List.of(p0))).isFalse();
        assertThat(partitions.awaitSeek(List.of(p0, p1))).as("p1 is news").isTrue();
    }

    @Test
    void positionsAreGatheredForTheGivenPartitionsThatHaveOneOrForAll() {
        partitions.assign(List.of(p0, p1));
        fill(p0, 3);
        partitions.get(p0).take(2, new java.util.ArrayList<List<ConsumerRecord<String, String>>>());

        assertThat(partitions.positions(List.of(), PartitionBuffer::consumedPosition)).containsOnlyKeys(p0);
        assertThat(partitions.positions(List.of(p0, p9), PartitionBuffer::consumedPosition).get(p0).offset())
                .isEqualTo(2);
        assertThat(partitions.positions(List.of(p1), PartitionBuffer::consumedPosition)).isEmpty();
    }

    @Test
    void committedPositionsAreRecordedForThePartitionsStillAssigned() {
        partitions.assign(List.of(p0));
        fill(p0, 3);
        partitions.get(p0).take(3, new java.util.ArrayList<List<ConsumerRecord<String, String>>>());

        partitions.markCommitted(Map.of(p0, new OffsetAndMetadata(3), p9, new OffsetAndMetadata(1)));

        assertThat(partitions.positions(List.of(), PartitionBuffer::uncommittedPosition)).isEmpty();
    }
}
