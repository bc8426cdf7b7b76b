package dev.kafkaconsumer.core.internal.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.TestViews;

/**
 * The I/O thread's wait for acknowledgements: only the acknowledgement that reaches the count asked for signals, so
 * the wait must never miss that count, whichever of the waiting thread and the acknowledging threads comes first.
 */
class InboxTest {

    /** Longer than any test may take: a wait that returns before it was ended by the count, not by its timeout. */
    private static final long FOREVER_NANOS = TimeUnit.MINUTES.toNanos(10);

    private static final TopicPartition PARTITION = new TopicPartition("orders", 0);

    private final Inbox inbox = new Inbox(() -> { });
    private final ShareTally tally = new ShareTally();
    private final AtomicLong offsets = new AtomicLong();
    private final ExecutorService waiter = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopWaiter() {
        waiter.shutdownNow();
    }

    @Test
    void theAcknowledgementThatReachesTheCountAskedForEndsTheWait() {
        inbox.wakeOnAcknowledgements(3);
        CompletableFuture<Void> waited = waitInBackground();
        inbox.acknowledge(command(), false);
        inbox.acknowledge(command(), false);
        inbox.acknowledge(command(), false);
        await().atMost(Duration.ofSeconds(30)).until(waited::isDone);
    }

    @Test
    void aCountSetBelowTheAcknowledgementsQueuedEndsTheWaitAtOnceThoughNoneSignalledIt() {
        inbox.wakeOnAcknowledgements(100);
        inbox.acknowledge(command(), false);
        inbox.acknowledge(command(), false);
        inbox.acknowledge(command(), false);
        inbox.wakeOnAcknowledgements(2); // the loop took none of the three and asks for two

        CompletableFuture<Void> waited = waitInBackground();
        await().atMost(Duration.ofSeconds(30)).until(waited::isDone);
    }

    @Test
    void aRenewalAlwaysEndsTheWait() {
        inbox.wakeOnAcknowledgements(100);
        CompletableFuture<Void> waited = waitInBackground();
        inbox.acknowledge(command(), true);
        await().atMost(Duration.ofSeconds(30)).until(waited::isDone);
    }

    /**
     * The I/O loop's way: wait, take what came, ask for the rest, wait again. A wait may end early (a signal left
     * from an earlier count, as with any monitor wait), never late: a lost signal would leave this loop waiting its
     * ten minutes.
     */
    @Test
    void manyThreadsAcknowledgingNeverLeaveTheLoopWaiting() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 500; round++) {
                int count = 1 + round % 7;
                CompletableFuture<Integer> taken = CompletableFuture.supplyAsync(() -> takeAll(count), waiter);
                for (int i = 0; i < count; i++) {
                    workers.execute(() -> inbox.acknowledge(command(), false));
                }
                assertThat(taken.get(60, TimeUnit.SECONDS)).isEqualTo(count);
            }
        } finally {
            workers.shutdownNow();
        }
    }

    /** Waits and takes, as the I/O thread does, until {@code count} commands were taken. */
    private int takeAll(int count) {
        int taken = 0;
        try {
            while (taken < count) {
                inbox.wakeOnAcknowledgements(count - taken);
                inbox.await(FOREVER_NANOS);
                while (inbox.poll() != null) {
                    taken++;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return taken;
    }

    private CompletableFuture<Void> waitInBackground() {
        return CompletableFuture.runAsync(() -> {
            try {
                inbox.await(FOREVER_NANOS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, waiter);
    }

    /** A final acknowledgement, queued as its record (the command a container's worker queues per record). */
    private ShareCommand command() {
        ConsumerRecord<String, String> record = new ConsumerRecord<>("orders", 0, offsets.getAndIncrement(), -1L,
                TimestampType.NO_TIMESTAMP_TYPE, -1, -1, "k", "v", new RecordHeaders(), Optional.empty(),
                Optional.of((short) 1));
        return new Acquisition<>(record, PARTITION, 0L, inbox, tally, TestViews::view);
    }
}
