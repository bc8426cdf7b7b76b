package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.junit.jupiter.api.Test;

class ReadyQueueTest {

    private final ByteBudget budget = new ByteBudget(new FetchPlan.Bounds(1_000, 10_000));
    private final ReadyQueue<String, String> queue = new ReadyQueue<>();
    private final PartitionBuffer<String, String> a = buffer(0);
    private final PartitionBuffer<String, String> b = buffer(1);
    private final PartitionBuffer<String, String> c = buffer(2);

    private PartitionBuffer<String, String> buffer(int partition) {
        return new PartitionBuffer<>(new TopicPartition("t", partition), budget);
    }

    private static void fill(PartitionBuffer<String, String> buffer, int records) {
        buffer.append(Batches.range(buffer.partition(), 0, records), new OffsetAndMetadata(records), 0);
    }

    private Map<TopicPartition, List<ConsumerRecord<String, String>>> takeInTurn(int max) {
        HandOut<String, String> handOut = new HandOut<>(max);
        queue.takeInTurn(handOut);
        return handOut.records();
    }

    @Test
    void partitionsTakeTurnsInTheOrderTheirRecordsCame() {
        fill(b, 3);
        fill(a, 3);
        fill(c, 3);
        queue.offer(b);
        queue.offer(a);
        queue.offer(c);

        assertThat(takeInTurn(1)).containsOnlyKeys(b.partition());
        assertThat(takeInTurn(1)).containsOnlyKeys(a.partition());
        assertThat(takeInTurn(1)).containsOnlyKeys(c.partition());
        assertThat(takeInTurn(1)).containsOnlyKeys(b.partition());
    }

    @Test
    void aPartitionOfferedAgainKeepsItsTurnAndIsQueuedOnce() {
        fill(a, 3);
        fill(b, 3);
        queue.offer(a);
        queue.offer(b);
        queue.offer(a);

        assertThat(takeInTurn(100)).containsOnlyKeys(a.partition(), b.partition());
        assertThat(takeInTurn(100)).as("each was taken from once: nothing is left").isEmpty();
    }

    @Test
    void anEmptyPartitionIsNotQueuedAndOneFoundEmptyInItsTurnLeavesTheQueue() {
        queue.offer(a);
        fill(b, 2);
        queue.offer(b);
        b.reset(7);

        assertThat(takeInTurn(100)).isEmpty();
        fill(b, 2);
        assertThat(takeInTurn(100)).as("not queued again until offered").isEmpty();
        queue.offer(b);
        assertThat(takeInTurn(100)).containsOnlyKeys(b.partition());
    }

    @Test
    void aRemovedPartitionGetsNoMoreTurns() {
        fill(a, 2);
        fill(b, 2);
        queue.offer(a);
        queue.offer(b);

        queue.remove(a);

        assertThat(takeInTurn(100)).containsOnlyKeys(b.partition());
    }

    @Test
    void eachPartitionThatCanHandOutTakesAnEvenShareRoundedUp() {
        fill(a, 10);
        fill(b, 10);
        fill(c, 10);
        c.pauseByUser();
        queue.offer(a);
        queue.offer(b);
        queue.offer(c);

        Map<TopicPartition, List<ConsumerRecord<String, String>>> taken = takeInTurn(5);

        assertThat(taken.get(a.partition())).hasSize(3);
        assertThat(taken.get(b.partition())).hasSize(2);
        assertThat(taken).doesNotContainKey(c.partition());
    }

    @Test
    void aShareIsAtLeastOneRecordWhenThereAreMorePartitionsThanRecordsToTake() {
        fill(a, 2);
        fill(b, 2);
        fill(c, 2);
        queue.offer(a);
        queue.offer(b);
        queue.offer(c);

        assertThat(takeInTurn(2)).containsOnlyKeys(a.partition(), b.partition());
    }

    @Test
    void aPartitionThatCannotHandOutKeepsItsPlaceBehindThoseThatTookTheirTurn() {
        fill(a, 5);
        fill(b, 5);
        fill(c, 5);
        a.pauseByUser();
        queue.offer(a);
        queue.offer(b);
        queue.offer(c);

        assertThat(takeInTurn(2)).containsOnlyKeys(b.partition(), c.partition());
        a.resumeByUser();

        assertThat(takeInTurn(1)).containsOnlyKeys(b.partition());
        assertThat(takeInTurn(1)).containsOnlyKeys(c.partition());
        assertThat(takeInTurn(1)).containsOnlyKeys(a.partition());
    }

    @Test
    void aFrozenPartitionHandsOutNothingButStaysQueued() {
        fill(a, 2);
        queue.offer(a);
        a.freeze();

        assertThat(takeInTurn(100)).isEmpty();
        assertThat(a.bufferedRecords()).isEqualTo(2);
    }

    @Test
    void anUndeserializableRecordThrownInItsTurnLeavesEveryPartitionQueued() {
        a.pauseByUser();
        fill(a, 2);
        b.appendError(Batches.poison(b.partition(), 0));
        b.append(Batches.range(b.partition(), 1, 3), new OffsetAndMetadata(3), 0);
        queue.offer(a);
        queue.offer(b);

        assertThatThrownBy(() -> takeInTurn(100)).isInstanceOf(RecordDeserializationException.class);
        a.resumeByUser();

        assertThat(takeInTurn(1)).as("b took its turn when it threw").containsOnlyKeys(b.partition());
        assertThat(takeInTurn(1)).containsOnlyKeys(a.partition());
    }

    @Test
    void aTurnEndsOnceTheCallHasItsMaximum() {
        fill(a, 5);
        fill(b, 5);
        queue.offer(a);
        queue.offer(b);

        assertThat(takeInTurn(1)).containsOnlyKeys(a.partition());
        assertThat(takeInTurn(1)).as("b's turn, although a was first in the last round").containsOnlyKeys(b.partition());
    }

    @Test
    void partitionsWithoutRoomTakeNoShareAndKeepTheirPlaceBehindThoseTakenFrom() {
        fill(a, 6);
        fill(b, 6);
        fill(c, 6);
        queue.offer(a);
        queue.offer(b);
        queue.offer(c);
        HandOut<String, String> handOut = new HandOut<>(6);

        queue.takeInTurn(handOut, partition -> partition.equals(a.partition()) ? 0 : partition.equals(b.partition()) ? 1 : 100);

        assertThat(handOut.records()).containsOnlyKeys(b.partition(), c.partition());
        assertThat(handOut.records().get(b.partition())).as("no more than its room").hasSize(1);
        assertThat(handOut.records().get(c.partition())).as("an even share of two partitions with room").hasSize(3);
        assertThat(takeInTurn(1)).containsOnlyKeys(b.partition());
        assertThat(takeInTurn(1)).containsOnlyKeys(c.partition());
        assertThat(takeInTurn(1)).as("a kept its place, behind those taken from").containsOnlyKeys(a.partition());
    }
}
