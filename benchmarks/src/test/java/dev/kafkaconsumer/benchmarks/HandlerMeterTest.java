package dev.kafkaconsumer.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class HandlerMeterTest {

    @Test
    void isDoneOnlyWhenEveryPartitionReachedItsEndAndEmptyPartitionsCountAsDone() {
        HandlerMeter meter = new HandlerMeter(new long[] {2, 0, 1});

        meter.count(record(0));
        meter.count(record(2));
        assertThat(meter.done()).isFalse();
        meter.count(record(0));

        assertThat(meter.done()).isTrue();
        DrainTiming timing = meter.finish();
        assertThat(timing.records()).isEqualTo(3);
        assertThat(timing.valueBytes()).isEqualTo(300);
        assertThat(timing.firstBatchRecords()).isEqualTo(1);
        assertThat(timing.totalNanos()).isGreaterThanOrEqualTo(timing.afterFirstNanos());
    }

    @Test
    void aTopicWithoutRecordsIsDoneAtOnce() {
        assertThat(new HandlerMeter(new long[] {0, 0}).done()).isTrue();
    }

    private static ConsumerRecord<byte[], byte[]> record(int partition) {
        return new ConsumerRecord<>("t", partition, 0, null, new byte[100]);
    }
}
