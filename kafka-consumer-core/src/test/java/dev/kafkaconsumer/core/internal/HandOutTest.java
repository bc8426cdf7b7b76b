package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.junit.jupiter.api.Test;

class HandOutTest {

    private final ByteBudget budget = new ByteBudget(new FetchPlan.Bounds(1_000, 10_000));
    private final TopicPartition t0 = new TopicPartition("t", 0);
    private final TopicPartition t1 = new TopicPartition("t", 1);
    private final PartitionBuffer<String, String> p0 = new PartitionBuffer<>(t0, budget);
    private final PartitionBuffer<String, String> p1 = new PartitionBuffer<>(t1, budget);

    @Test
    void aCallTakesFromPartitionsInTurnUntilItHasItsMaximum() {
        p0.append(Batches.range(t0, 0, 3), new OffsetAndMetadata(3), 0);
        p1.append(Batches.range(t1, 0, 3), new OffsetAndMetadata(3), 0);
        HandOut<String, String> handOut = new HandOut<>(4);

        handOut.takeFrom(p0, 10);
        assertThat(handOut.remaining()).isEqualTo(1);
        handOut.takeFrom(p1, 10);

        assertThat(handOut.remaining()).isZero();
        assertThat(handOut.records().keySet()).containsExactly(t0, t1);
        assertThat(handOut.records().get(t1)).extracting(ConsumerRecord::offset).containsExactly(0L);
    }

    @Test
    void aWholeBatchIsHandedOutAsItCameAndPartsOfSeveralAsOneListInOrder() {
        List<ConsumerRecord<String, String>> batch = Batches.range(t0, 0, 3);
        p0.append(batch, new OffsetAndMetadata(3), 0);
        HandOut<String, String> whole = new HandOut<>(3);
        whole.takeFrom(p0, 3);
        assertThat(whole.records().get(t0)).isSameAs(batch);

        p0.append(Batches.range(t0, 3, 6), new OffsetAndMetadata(6), 0);
        p0.append(Batches.range(t0, 6, 9), new OffsetAndMetadata(9), 0);
        new HandOut<String, String>(1).takeFrom(p0, 1);
        HandOut<String, String> parts = new HandOut<>(4);
        parts.takeFrom(p0, 4);

        assertThat(parts.records().get(t0)).extracting(ConsumerRecord::offset).containsExactly(4L, 5L, 6L, 7L);
    }

    @Test
    void aPartitionWithNothingToTakeAddsNoEntry() {
        HandOut<String, String> handOut = new HandOut<>(5);

        handOut.takeFrom(p0, 5);

        assertThat(handOut.records()).isEmpty();
        assertThat(handOut.remaining()).isEqualTo(5);
    }

    @Test
    void anUndeserializableRecordIsThrownByACallThatTookNothingYetAndMovesThePositionPastIt() {
        p0.appendError(Batches.poison(t0, 4));
        HandOut<String, String> handOut = new HandOut<>(5);

        assertThatThrownBy(() -> handOut.takeFrom(p0, 5)).isInstanceOf(RecordDeserializationException.class);

        assertThat(p0.position()).isEqualTo(5);
        assertThat(p0.hasDeliverable()).isFalse();
    }

    @Test
    void aCallThatTookRecordsStopsShortOfAnUndeserializableRecordWhichWaitsForTheNextCall() {
        p1.append(Batches.range(t1, 0, 2), new OffsetAndMetadata(2), 0);
        p0.appendError(Batches.poison(t0, 4));
        HandOut<String, String> handOut = new HandOut<>(5);
        handOut.takeFrom(p1, 5);

        handOut.takeFrom(p0, 5);

        assertThat(handOut.records()).containsOnlyKeys(t1);
        assertThat(p0.headError()).isNotNull();
        assertThat(p0.position()).as("not past it yet").isEqualTo(4);
    }
}
