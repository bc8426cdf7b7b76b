package dev.kafkaconsumer.benchmarks.slow;

import static org.assertj.core.api.Assertions.assertThat;
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

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, String key, long delayNanos) {
        byte[] value = ByteBuffer.allocate(BenchSettings.VALUE_BYTES).putLong(0, delayNanos).array();
        return new ConsumerRecord<>("t", partition, offset, key.getBytes(StandardCharsets.UTF_8), value);
    }
}
