package dev.kafkaconsumer.benchmarks.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class BlockingWorkTest {

    @Test
    void everyRecordBlocksItsHandlerTwentyMilliseconds() {
        AtomicLong blocked = new AtomicLong();
        BlockingWork work = new BlockingWork(blocked::addAndGet);

        work.handle(record(0, "a", 0));
        work.handle(record(0, "a", 1));

        assertThat(blocked).hasValue(40);
        assertThat(work.order().violations()).isZero();
    }

    @Test
    void aRecordThatRunsBeforeAnEarlierOneOfItsKeyIsAViolation() {
        BlockingWork work = new BlockingWork(millis -> { });

        work.handle(record(0, "a", 5));
        work.handle(record(0, "a", 3));
        work.handle(record(1, "a", 1)); // another partition: another lane
        work.handle(record(0, "b", 1)); // another key: another lane

        assertThat(work.order().violations()).isEqualTo(1);
        assertThat(work.order().firstViolation()).isEqualTo("offset 3 of partition 0 (key a) ran after offset 5 of its key");
    }

    @Test
    void twoRecordsOfOneKeyRunningAtOnceAreAViolation() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        BlockingWork work = new BlockingWork(millis -> {
            if (calls.getAndIncrement() == 0) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Thread first = new Thread(() -> work.handle(record(0, "a", 0)), "blocking-work-test");
        first.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1);
        work.handle(record(0, "a", 1));
        release.countDown();
        first.join(10_000);

        assertThat(work.order().violations()).isEqualTo(1);
        assertThat(work.order().firstViolation()).contains("offset 1 of partition 0 (key a) ran while another record");
    }

    private static ConsumerRecord<byte[], byte[]> record(int partition, String key, long offset) {
        return new ConsumerRecord<>("t", partition, offset, key.getBytes(StandardCharsets.UTF_8), new byte[100]);
    }
}
