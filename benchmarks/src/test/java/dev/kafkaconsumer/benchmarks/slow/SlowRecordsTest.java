package dev.kafkaconsumer.benchmarks.slow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;

class SlowRecordsTest {

    @Test
    void theSameSeedGivesTheSameDelaysAndAnotherSeedOthers() {
        SlowRecords first = new SlowRecords(6, 1_000);
        SlowRecords again = new SlowRecords(6, 1_000);
        SlowRecords other = new SlowRecords(7, 1_000);

        assertThat(IntStream.range(0, 1_000).mapToLong(first::delayNanos).toArray())
                .containsExactly(IntStream.range(0, 1_000).mapToLong(again::delayNanos).toArray())
                .isNotEqualTo(IntStream.range(0, 1_000).mapToLong(other::delayNanos).toArray());
    }

    @Test
    void delaysAreSpreadUniformlyOverZeroToFiveMilliseconds() {
        SlowRecords delays = new SlowRecords(6, 20_000);
        long[] values = IntStream.range(0, 20_000).mapToLong(delays::delayNanos).toArray();

        assertThat(Arrays.stream(values).min().orElseThrow()).isNotNegative();
        assertThat(Arrays.stream(values).max().orElseThrow()).isLessThanOrEqualTo(SlowRecords.MAX_DELAY_NANOS);
        assertThat(delays.totalNanos() / 20_000 / 1e6).isCloseTo(2.5, within(0.05));
        long firstFifth = IntStream.range(0, values.length).filter(i -> values[i] < 1_000_000).count();
        assertThat(firstFifth / 20_000.0).isCloseTo(0.2, within(0.02));
    }

    @Test
    void recordIGoesToPartitionIModPartitionsWithKeyIModKeysAndCarriesItsDelay() {
        SlowRecords delays = new SlowRecords(6, 100);

        ProducerRecord<byte[], byte[]> record = delays.record("t", 23, 6, 10);

        assertThat(record.partition()).isEqualTo(5);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("key-3");
        assertThat(record.value()).hasSize(BenchSettings.VALUE_BYTES);
        ConsumerRecord<byte[], byte[]> consumed = new ConsumerRecord<>("t", 5, 3L, record.key(), record.value());
        assertThat(SlowRecords.delayOf(consumed)).isEqualTo(delays.delayNanos(23));
    }

    @Test
    void theLowerBoundIsTheLongestChainOrTheWorkSpreadOverTheThreads() {
        SlowRecords delays = new SlowRecords(6, 12);
        long[] d = IntStream.range(0, 12).mapToLong(delays::delayNanos).toArray();
        long partition0 = d[0] + d[2] + d[4] + d[6] + d[8] + d[10];
        long partition1 = d[1] + d[3] + d[5] + d[7] + d[9] + d[11];
        // 2 partitions, 4 keys: key k of partition p holds records i with i mod 2 = p and i mod 4 = k
        long[] chains = {d[0] + d[4] + d[8], d[2] + d[6] + d[10], d[1] + d[5] + d[9], d[3] + d[7] + d[11]};

        assertThat(delays.longestChainNanos(2, 0)).isEqualTo(Math.max(partition0, partition1));
        assertThat(delays.longestChainNanos(2, 4)).isEqualTo(IntStream.range(0, 4).mapToLong(i -> chains[i]).max().orElseThrow());
        assertThat(delays.lowerBoundSeconds(1, 0, 1)).isEqualTo(delays.totalNanos() / 1e9);
        assertThat(delays.lowerBoundSeconds(1, 12, 2)).isEqualTo(delays.totalNanos() / 2 / 1e9, within(1e-9));
    }
}
