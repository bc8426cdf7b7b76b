package dev.kafkaconsumer.benchmarks.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class TransactionalRecordsTest {

    @Test
    void recordIGoesToPartitionIModSixWithKeyIModTheKeySpace() {
        TransactionalRecords records = new TransactionalRecords(20, 4, false, 6);

        ProducerRecord<byte[], byte[]> record = records.record("in", 13);

        assertThat(record.partition()).isEqualTo(1);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("key-1");
        assertThat(record.value()).hasSize(100);
    }

    @Test
    void theFastCaseHasNoSimulatedIoAndTheSlowCaseDrawsUpToFiveMillisecondsPerRecord() {
        assertThat(new TransactionalRecords(1000, 100, false, 6).totalNanos()).isZero();
        TransactionalRecords slow = new TransactionalRecords(1000, 100, true, 6);
        for (int i = 0; i < 1000; i++) {
            assertThat(ByteBuffer.wrap(slow.record("in", i).value()).getLong(0)).isBetween(0L, 5_000_000L);
        }
        // about 2.5 ms on average
        assertThat(slow.totalNanos() / 1000 / 1e6).isCloseTo(2.5, Offset.offset(0.3));
        assertThat(new TransactionalRecords(1000, 100, true, 6).totalNanos()).isEqualTo(slow.totalNanos());
    }

    @Test
    void anOutputKeepsTheInputsKeyAndNamesItsPartitionAndOffset() {
        TransactionalRecords records = new TransactionalRecords(10, 3, false, 6);
        ProducerRecord<byte[], byte[]> in = records.record("in", 7);
        ConsumerRecord<byte[], byte[]> consumed = new ConsumerRecord<>("in", in.partition(), 42L, in.key(), in.value());

        ProducerRecord<byte[], byte[]> out = TransactionalRecords.handle("out", consumed);

        assertThat(out.topic()).isEqualTo("out");
        assertThat(out.key()).isEqualTo(in.key());
        assertThat(out.value()).hasSize(100);
        assertThat(TransactionalRecords.inputPartition(out.value())).isEqualTo(1);
        assertThat(TransactionalRecords.inputOffset(out.value())).isEqualTo(42L);
    }

    @Test
    void theLowerBoundIsTheWorkOverTheThreadsOrTheLongestChainIfLonger() {
        TransactionalRecords records = new TransactionalRecords(600, 100, true, 6);
        double total = records.totalNanos() / 1e9;

        assertThat(records.lowerBoundSeconds(6, true)).isCloseTo(total / 6, Offset.offset(1e-12));
        // partition-serial: each partition's 100 records one after another, about a sixth of the work
        assertThat(records.lowerBoundSeconds(600, false)).isGreaterThan(total / 600).isLessThan(total / 3);
        // key-ordered, 600 threads: the longest key's records within a partition (here 2 records per key and partition)
        assertThat(records.lowerBoundSeconds(600, true)).isGreaterThan(total / 600).isLessThanOrEqualTo(0.010);
    }
}
