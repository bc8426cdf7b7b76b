package dev.kafkaconsumer.benchmarks.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class ShareSlowRecordsTest {

    @Test
    void theSameSeedGivesTheSameDelaysEachWithinZeroToFiveMilliseconds() {
        ShareSlowRecords first = new ShareSlowRecords(6, 1000, 10);
        ShareSlowRecords again = new ShareSlowRecords(6, 1000, 10);
        ShareSlowRecords other = new ShareSlowRecords(7, 1000, 10);

        long differ = 0;
        for (int i = 0; i < 1000; i++) {
            assertThat(first.delayNanos(i)).isEqualTo(again.delayNanos(i)).isBetween(0L, ShareSlowRecords.MAX_DELAY_NANOS);
            differ += first.delayNanos(i) == other.delayNanos(i) ? 0 : 1;
        }
        assertThat(differ).isGreaterThan(990);
    }

    @Test
    void aRecordGoesToPartitionZeroWithItsKeyAndCarriesItsDelayInAHundredByteValue() {
        ShareSlowRecords records = new ShareSlowRecords(6, 30, 10);

        ProducerRecord<byte[], byte[]> record = records.record("t", 23);

        assertThat(record.partition()).isZero();
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("key-3");
        assertThat(record.value()).hasSize(100);
        assertThat(ShareSlowRecords.delayOf(new ConsumerRecord<>("t", 0, 23, record.key(), record.value())))
                .isEqualTo(records.delayNanos(23));
    }

    @Test
    void theLongestKeyChainSumsTheDelaysOfOneKey() {
        ShareSlowRecords records = new ShareSlowRecords(6, 4, 2);

        assertThat(records.longestKeyChainNanos()).isEqualTo(Math.max(records.delayNanos(0) + records.delayNanos(2),
                records.delayNanos(1) + records.delayNanos(3)));
        assertThat(records.totalNanos()).isEqualTo(records.delayNanos(0) + records.delayNanos(1) + records.delayNanos(2)
                + records.delayNanos(3));
    }

    @Test
    void refusesNoRecordsOrNoKeys() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ShareSlowRecords(6, 0, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new ShareSlowRecords(6, 1, 0));
    }
}
