package dev.kafkaconsumer.benchmarks.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class OutputTallyTest {

    private final OutputTally tally = new OutputTally(new long[] {2, 1});

    @Test
    void everyInputsOutputOnceInKeyOrderIsExact() {
        count(0, 0, "a");
        count(1, 0, "a");
        count(0, 1, "a");

        assertThat(tally.exact()).isTrue();
        assertThat(tally.outputs()).isEqualTo(3);
    }

    @Test
    void aSecondOutputOfAnInputIsADuplicateAndAnInputWithoutOutputIsMissing() {
        count(0, 0, "a");
        count(0, 0, "a");

        assertThat(tally.exact()).isFalse();
        assertThat(tally.duplicates()).isEqualTo(1);
        assertThat(tally.missing()).isEqualTo(2);
    }

    @Test
    void anOutputBehindTheOutputOfALaterInputOfItsKeyIsOutOfOrderButKeysAndPartitionsAreSeparate() {
        count(0, 1, "a");
        count(0, 0, "b");
        count(1, 0, "a");
        assertThat(tally.outOfOrder()).isZero();

        count(0, 0, "a");

        assertThat(tally.outOfOrder()).isEqualTo(1);
        assertThat(tally.exact()).isFalse();
    }

    @Test
    void anOutputNamingAnInputThatDoesNotExistIsRefused() {
        assertThatThrownBy(() -> count(1, 1, "a")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("input partition 1 offset 1");
    }

    private void count(int partition, long offset, String key) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> out = TransactionalRecords.output("out",
                new ConsumerRecord<>("in", partition, offset, keyBytes, new byte[100]));
        tally.count(out.key(), out.value());
    }
}
