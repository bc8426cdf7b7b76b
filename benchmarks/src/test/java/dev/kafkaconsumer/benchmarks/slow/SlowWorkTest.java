package dev.kafkaconsumer.benchmarks.slow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;

class SlowWorkTest {

    private final SlowWork work = new SlowWork();

    @Test
    void recordsOfAKeyInOffsetOrderAndOtherKeysInAnyOrderAreNoViolation() {
        work.handle(record(0, 5, "a", 0));
        work.handle(record(0, 3, "b", 0));
        work.handle(record(1, 1, "a", 0));
        work.handle(record(0, 9, "a", 0));

        assertThat(work.violations()).isZero();
        assertThat(work.firstViolation()).isNull();
    }

    @Test
    void aRecordOfAKeyAfterALaterOffsetOfTheSameKeyIsAViolation() {
        work.handle(record(2, 7, "a", 0));
        work.handle(record(2, 6, "a", 0));

        assertThat(work.violations()).isEqualTo(1);
        assertThat(work.firstViolation()).isEqualTo("offset 6 of partition 2 (key a) ran after offset 7 of its key");
    }

    @Test
    void twoRecordsOfOneKeyRunningAtOnceAreAViolation() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        // a record with a delay waits until released; one without passes at once
        SlowWork held = new SlowWork(nanos -> {
            if (nanos > 0) {
                awaitUninterruptibly(release);
            }
        });
        Thread slow = new Thread(() -> held.handle(record(0, 1, "a", 1)), "slow-record");
        slow.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> held.running(0, "a".getBytes(StandardCharsets.UTF_8)));

        held.handle(record(0, 2, "a", 0));
        release.countDown();
        slow.join();

        assertThat(held.violations()).isEqualTo(1);
        assertThat(held.firstViolation()).isEqualTo("offset 2 of partition 0 (key a) ran while another record of its key was running");
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void waitsTheDelayWrittenIntoTheRecord() {
        long start = System.nanoTime();
        work.handle(record(0, 0, "a", 3_000_000));

        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(3_000_000);
    }

    @Test
    void theFloorAddsUpWhatEachHandlerCallTookPerKeyAndPerPartition() {
        // the real wait, noting what was asked for
        long[] waited = new long[1];
        SlowWork timed = new SlowWork(nanos -> waitFor(waited, nanos));
        timed.handle(record(0, 0, "a", 4_000_000));
        timed.handle(record(0, 1, "a", 3_000_000));
        timed.handle(record(0, 2, "b", 5_000_000));
        timed.handle(record(1, 0, "a", 1_000_000));

        HandlerFloor floor = timed.floor();

        // key a of partition 0: at least 7 ms; partition 0: that and key b's 5 ms; all: that and partition 1's 1 ms (a call
        // takes at least its delay, and more on a loaded machine, so only the lower bounds hold exactly)
        assertThat(floor.longestKeyChainNanos()).isGreaterThanOrEqualTo(7_000_000L);
        assertThat(floor.longestPartitionChainNanos()).isGreaterThanOrEqualTo(floor.longestKeyChainNanos() + 5_000_000L);
        assertThat(floor.totalNanos()).isGreaterThanOrEqualTo(floor.longestPartitionChainNanos() + 1_000_000L);
        assertThat(floor.threads()).isEqualTo(1);
        assertThat(floor.lateStartNanos()).isZero();
        assertThat(floor.earlyEndNanos()).isZero();
        // with concurrency 1, the total is the floor; with 100, the longest chain
        assertThat(floor.floorSeconds(true, 1)).isEqualTo(floor.totalNanos() / 1e9);
        assertThat(floor.floorSeconds(true, 100)).isEqualTo(floor.longestKeyChainNanos() / 1e9);
        assertThat(floor.floorSeconds(false, 100)).isEqualTo(floor.longestPartitionChainNanos() / 1e9);
        assertThat(waited[0]).isEqualTo(13_000_000L);
    }

    @Test
    void theThreadTimeWhileHandlingAddsUpToTheWholeAndShowsThreadsThatRanNoCall() {
        HandlerFloor floor = new HandlerFloor(0, 0, 30, 0, 100, 2, 10, 20, 40);

        // 4 threads × 100 ns: 30 in calls, 10 before first calls, 20 between, 40 after last, 2 threads unused (200)
        assertThat(floor.threadTime(4)).containsExactly(new double[] {0.075, 0.025, 0.05, 0.1, 0.5}, within(1e-12));
        assertThat(HandlerFloor.NONE.threadTime(4)).containsOnly(Double.NaN);
        assertThat(new SlowWork().floor()).isEqualTo(HandlerFloor.NONE);
    }

    private static void waitFor(long[] waited, long nanos) {
        SlowWork.waitFor(nanos);
        waited[0] += nanos;
    }

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, String key, long delayNanos) {
        byte[] value = ByteBuffer.allocate(BenchSettings.VALUE_BYTES).putLong(0, delayNanos).array();
        return new ConsumerRecord<>("t", partition, offset, key.getBytes(StandardCharsets.UTF_8), value);
    }
}
