package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.ContainerListener;

class ProcessingWatchdogTest {

    private static final TopicPartition TP = new TopicPartition("orders", 3);

    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final ContainerListener listener = new ContainerListener() {
        @Override
        public void processingTimedOut(String container, TopicPartition partition, long offset, Duration elapsed) {
            reports.add(container + " " + partition + "@" + offset + " " + Thread.currentThread().getName());
        }
    };

    @Test
    void aCallOverTheTimeoutIsReportedOnceAndItsWorkerInterruptedAndTheInterruptDoesNotOutliveTheCall() throws Exception {
        ProcessingWatchdog watchdog = ProcessingWatchdog.of("c", Duration.ofMinutes(1), listener);
        CountDownLatch inCall = new CountDownLatch(1);
        CompletableFuture<Boolean> interruptedAfterTheCall = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            ProcessingWatchdog.Slot slot = watchdog.started(TP, 42);
            inCall.countDown();
            while (!Thread.currentThread().isInterrupted()) {
                LockSupport.park(); // a handler blocked in interruptible I/O
            }
            watchdog.finished(slot);
            interruptedAfterTheCall.complete(Thread.currentThread().isInterrupted());
        }, "worker-1");
        worker.start();
        assertThat(inCall.await(10, TimeUnit.SECONDS)).isTrue();

        watchdog.scan(System.nanoTime());
        assertThat(reports).as("within the timeout").isEmpty();
        watchdog.scan(System.nanoTime() + Duration.ofMinutes(2).toNanos());
        watchdog.scan(System.nanoTime() + Duration.ofMinutes(3).toNanos());

        assertThat(interruptedAfterTheCall.get(10, TimeUnit.SECONDS)).as("interrupt flag after finished()").isFalse();
        assertThat(reports).containsExactly("c orders-3@42 main");
        assertThat(watchdog.timeouts()).isEqualTo(1);
    }

    @Test
    void aCallThatEndedIsNeitherReportedNorInterruptedByALaterScan() throws Exception {
        ProcessingWatchdog watchdog = ProcessingWatchdog.of("c", Duration.ofMillis(1), listener);
        CountDownLatch ended = new CountDownLatch(1);
        CountDownLatch scanned = new CountDownLatch(1);
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            watchdog.finished(watchdog.started(TP, 7));
            ended.countDown();
            try {
                interrupted.set(!scanned.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        }, "worker-1");
        worker.start();
        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
        watchdog.scan(System.nanoTime() + Duration.ofMinutes(1).toNanos());
        scanned.countDown();
        worker.join(10_000);
        assertThat(interrupted.get()).isFalse();
        assertThat(reports).isEmpty();
    }

    @Test
    void aDisabledWatchdogKeepsNoSlotAndNoThread() {
        ProcessingWatchdog watchdog = ProcessingWatchdog.of("c", null, listener);
        watchdog.start();
        ProcessingWatchdog.Slot slot = watchdog.started(TP, 1);
        assertThat(slot).isNull();
        watchdog.finished(slot);
        watchdog.scan(System.nanoTime() + Duration.ofDays(1).toNanos());
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.getName().startsWith("kafka-consumer-watchdog-c"));
        watchdog.close();
    }

    @Test
    void itsOwnThreadFindsAStuckCallWithinTheTimeoutAndAQuarter() throws Exception {
        ProcessingWatchdog watchdog = ProcessingWatchdog.of("scanning", Duration.ofMillis(200), listener);
        watchdog.start();
        try {
            CompletableFuture<Long> interruptedAfter = new CompletableFuture<>();
            Thread worker = new Thread(() -> {
                long started = System.nanoTime();
                ProcessingWatchdog.Slot slot = watchdog.started(TP, 9);
                while (!Thread.currentThread().isInterrupted()) {
                    LockSupport.parkNanos(Duration.ofSeconds(30).toNanos());
                }
                watchdog.finished(slot);
                interruptedAfter.complete(System.nanoTime() - started);
            }, "worker-2");
            worker.start();
            assertThat(Duration.ofNanos(interruptedAfter.get(10, TimeUnit.SECONDS))).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            await().atMost(Duration.ofSeconds(5)).until(() -> reports.size() == 1);
            assertThat(reports).containsExactly("scanning orders-3@9 kafka-consumer-watchdog-scanning");
        } finally {
            watchdog.close();
        }
    }
}
