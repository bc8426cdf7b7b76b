package dev.kafkaconsumer.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

    @Test
    void recordsOfOnePartitionCountedOnManyThreadsAtOnceAreAllCounted() throws InterruptedException {
        HandlerMeter meter = new HandlerMeter(new long[] {4_000, 4_000});
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int partition = t % 2;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 1_000; i++) {
                    meter.countShared(record(partition));
                }
            }, "counter-" + t);
            thread.start();
            threads.add(thread);
        }
        meter.await("counters", 30);

        assertThat(meter.finish().records()).isEqualTo(8_000);
        for (Thread thread : threads) {
            thread.join();
        }
    }

    @Test
    void aContenderThatFailsEndsTheWaitAtOnceWithItsFailure() {
        HandlerMeter meter = new HandlerMeter(new long[] {1});
        IllegalStateException failure = new IllegalStateException("control thread died");

        long start = System.nanoTime();
        assertThatThrownBy(() -> meter.await("pc", 60, () -> failure))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pc failed")
                .hasCause(failure);
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(30));
    }

    @Test
    void theCpuOfThisJvmFromTheMetersStartToTheLastRecordIsInTheTimingAndWhatComesAfterIsNot() {
        HandlerMeter meter = new HandlerMeter(new long[] {1});
        long during = burn(20);
        meter.count(record(0));
        long after = burn(300);

        DrainTiming timing = meter.finish();

        // read at finish(), it would hold both burns of this thread at least
        assertThat(timing.drainCpuNanos()).isGreaterThan(0).isLessThan(during + after);
    }

    @Test
    void aBatchMeterTakesTheCpuFromItsStartToItsFinish() {
        DrainMeter meter = new DrainMeter(1);
        burn(20);
        meter.batchArrived();
        meter.count(record(0));

        assertThat(meter.finish().drainCpuNanos()).isGreaterThan(0);
    }

    /** Spins on this thread until it has used {@code millis} of CPU; returns the CPU nanoseconds used. */
    static long burn(long millis) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        long spent = 0;
        long sink = 0;
        while (spent < TimeUnit.MILLISECONDS.toNanos(millis)) {
            sink += Long.numberOfTrailingZeros(System.nanoTime());
            spent = threads.getCurrentThreadCpuTime() - start;
        }
        return sink >= 0 ? spent : spent + 1;
    }

    private static ConsumerRecord<byte[], byte[]> record(int partition) {
        return new ConsumerRecord<>("t", partition, 0, null, new byte[100]);
    }
}
