package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class TakeGenerationsTest {

    private final TopicPartition p0 = new TopicPartition("t", 0);
    private final TopicPartition p1 = new TopicPartition("t", 1);
    private final TakeGenerations generations = new TakeGenerations();
    private final Map<TopicPartition, Long> handOutPositions = new HashMap<>();
    private final Function<TopicPartition, OptionalLong> handOutPosition = partition -> {
        Long position = handOutPositions.get(partition);
        return position == null ? OptionalLong.empty() : OptionalLong.of(position);
    };

    private static List<ConsumerRecord<byte[], byte[]>> records(TopicPartition partition, long from, long to) {
        return LongStream.range(from, to)
                .mapToObj(offset -> new ConsumerRecord<byte[], byte[]>(partition.topic(), partition.partition(), offset, null, null))
                .toList();
    }

    private Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> take(long from, long to) {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> taken = new HashMap<>();
        taken.put(p0, records(p0, from, to));
        taken.put(p1, records(p1, from, to));
        return taken;
    }

    @Test
    void aTakeDuringWhichNothingClosedIsKeptWhole() {
        generations.opened(List.of(p0, p1), TakeGenerations.ASSIGNED);
        long takenIn = generations.generation();
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> taken = take(0, 3);

        assertThat(generations.current(taken, takenIn, handOutPosition)).isSameAs(taken);
    }

    @Test
    void recordsOfAPartitionClosedAfterTheTakeBeganAreDroppedAndTheOthersKept() {
        generations.opened(List.of(p0, p1), TakeGenerations.ASSIGNED);
        long takenIn = generations.generation();

        generations.closed(List.of(p0));

        assertThat(generations.current(take(0, 3), takenIn, handOutPosition)).containsOnlyKeys(p1);
    }

    @Test
    void recordsHandedOutBeforeARevocationDoNotRunInTheNextAssignmentOfTheirPartition() {
        generations.opened(List.of(p0), TakeGenerations.ASSIGNED);
        long takenIn = generations.generation();
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> taken = Map.of(p0, records(p0, 10, 13));

        generations.closed(List.of(p0));
        generations.opened(List.of(p0), TakeGenerations.ASSIGNED);
        // the new assignment starts at the committed offset, below the records taken: it has handed nothing out
        handOutPositions.put(p0, 8L);

        assertThat(generations.current(taken, takenIn, handOutPosition)).isEmpty();
    }

    @Test
    void recordsHandedOutByTheNextAssignmentWhileTheTakeWaitedAreKept() {
        generations.opened(List.of(p0), TakeGenerations.ASSIGNED);
        long takenIn = generations.generation();
        generations.closed(List.of(p0));
        generations.opened(List.of(p0), TakeGenerations.ASSIGNED);
        // the take waited through the rebalance and got the new assignment's first records
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> taken = Map.of(p0, records(p0, 10, 13));
        handOutPositions.put(p0, 13L);

        assertThat(generations.current(taken, takenIn, handOutPosition)).containsOnlyKeys(p0);
    }

    @Test
    void recordsOfAPartitionNoLongerAssignedAreDropped() {
        generations.opened(List.of(p0), TakeGenerations.ASSIGNED);
        long takenIn = generations.generation();
        generations.closed(List.of(p0));
        generations.opened(List.of(p0), TakeGenerations.ASSIGNED);

        assertThat(generations.current(Map.of(p0, records(p0, 10, 13)), takenIn, handOutPosition)).isEmpty();
    }

    @Test
    void recordsHandedOutBeforeASeekForwardAreDroppedThoughTheEnginePositionIsPastThem() {
        generations.opened(List.of(p0), TakeGenerations.ASSIGNED);
        long takenIn = generations.generation();
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> taken = Map.of(p0, records(p0, 10, 13));

        generations.closed(List.of(p0));
        generations.opened(List.of(p0), 50);
        handOutPositions.put(p0, 50L);

        assertThat(generations.current(taken, takenIn, handOutPosition)).isEmpty();
    }

    @Test
    void recordsHandedOutAfterASeekAreKept() {
        generations.opened(List.of(p0), TakeGenerations.ASSIGNED);
        long takenIn = generations.generation();
        generations.closed(List.of(p0));
        generations.opened(List.of(p0), 50);
        handOutPositions.put(p0, 53L);

        assertThat(generations.current(Map.of(p0, records(p0, 50, 53)), takenIn, handOutPosition)).containsOnlyKeys(p0);
    }

    @Test
    void aTakeThatBeganAfterTheCloseKeepsTheRecordsOfTheReopenedPartition() {
        generations.opened(List.of(p0), TakeGenerations.ASSIGNED);
        generations.closed(List.of(p0));
        generations.opened(List.of(p0), TakeGenerations.ASSIGNED);
        long takenIn = generations.generation();
        generations.opened(List.of(p1), TakeGenerations.ASSIGNED);

        assertThat(generations.current(Map.of(p0, records(p0, 0, 3)), takenIn, handOutPosition)).containsOnlyKeys(p0);
    }
}
