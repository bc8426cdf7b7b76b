package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class CallbackExecutorTest {

    private final CallbackExecutor callbacks = new CallbackExecutor("c");

    @Test
    void completionsRunOnTheNamedDaemonCallbackThreadAndOnTheCallersOnceItHasStopped() throws Exception {
        CompletableFuture<Thread> before = new CompletableFuture<>();
        callbacks.run(() -> before.complete(Thread.currentThread()));
        assertThat(before.get(10, TimeUnit.SECONDS).getName()).isEqualTo("kafka-consumer-callbacks-c");
        assertThat(before.get().isDaemon()).isTrue();

        callbacks.shutdown();
        Thread[] after = new Thread[1];
        callbacks.run(() -> after[0] = Thread.currentThread());
        assertThat(after[0]).isSameAs(Thread.currentThread());
    }

    @Test
    void cancelledExpiriesLeaveTheQueueAndTheOnesLeftDoNotHoldTheStop() throws Exception {
        ScheduledThreadPoolExecutor executor = (ScheduledThreadPoolExecutor) callbacks.executor();
        ScheduledFuture<?> cancelled = executor.schedule(() -> { }, 1, TimeUnit.HOURS);
        cancelled.cancel(false);
        assertThat(executor.getQueue()).isEmpty();
        executor.schedule(() -> { }, 1, TimeUnit.HOURS);
        callbacks.shutdown();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
}
