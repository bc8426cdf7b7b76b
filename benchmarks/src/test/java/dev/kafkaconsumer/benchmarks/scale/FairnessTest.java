package dev.kafkaconsumer.benchmarks.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class FairnessTest {

    @Test
    void theLeastServedPartitionIsSetAgainstTheMedianInEachWindow() {
        List<Fairness.Window> windows = Fairness.judge(List.of(new long[] {10, 10, 4, 12, 11}, new long[] {10, 8, 9, 10, 20}),
                new long[] {100, 100, 100, 100, 100});

        assertThat(windows).extracting(Fairness.Window::partitions, Fairness.Window::least, Fairness.Window::leastPartition,
                Fairness.Window::median, Fairness.Window::most)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(5, 4L, 2, 10.0, 12L),
                        org.assertj.core.groups.Tuple.tuple(5, 8L, 1, 10.0, 20L));
        assertThat(windows.get(0).ratio()).isCloseTo(0.4, Offset.offset(1e-9));
        assertThat(Fairness.worst(windows)).isCloseTo(0.4, Offset.offset(1e-9));
        assertThat(Fairness.worst(windows)).isLessThan(Fairness.TARGET);
    }

    @Test
    void aPartitionThatRanOutOfRecordsInAWindowIsLeftOutOfIt() {
        // partition 2 holds 6 records: 4 handled in the first window, its last 2 in the second, where it ran out
        List<Fairness.Window> windows = Fairness.judge(List.of(new long[] {10, 10, 4}, new long[] {10, 9, 2}),
                new long[] {100, 100, 6});

        assertThat(windows.get(0).partitions()).isEqualTo(3);
        assertThat(windows.get(1).partitions()).isEqualTo(2);
        assertThat(windows.get(1).least()).isEqualTo(9);
        assertThat(windows.get(1).ratio()).isCloseTo(9 / 9.5, Offset.offset(1e-9));
    }

    @Test
    void aWindowInWhichMostPartitionsGotNothingIsUnfair() {
        List<Fairness.Window> windows = Fairness.judge(List.of(new long[] {0, 0, 0, 50, 60}), new long[] {100, 100, 100, 100, 100});

        assertThat(windows.get(0).median()).isZero();
        assertThat(Fairness.worst(windows)).isZero();
    }

    @Test
    void withoutACompleteWindowFairnessIsNotJudged() {
        assertThat(Fairness.worst(List.of())).isNaN();
    }

    @Test
    void windowsCountEachPartitionsRecordsFromTheFirstRecordAndOnlyCompleteOnesAreKept() {
        PartitionWindows windows = new PartitionWindows(3, 1_000_000_000_000L, 3);
        windows.count(record(1));
        windows.count(record(1));
        windows.count(record(2));

        assertThat(windows.complete(System.nanoTime())).isEmpty();
        List<long[]> later = windows.complete(System.nanoTime() + 1_500_000_000_000L);
        assertThat(later).hasSize(1);
        assertThat(later.get(0)).containsExactly(0, 2, 1);
    }

    private static ConsumerRecord<byte[], byte[]> record(int partition) {
        return new ConsumerRecord<>("t", partition, 0, "k".getBytes(StandardCharsets.UTF_8), new byte[1]);
    }
}
