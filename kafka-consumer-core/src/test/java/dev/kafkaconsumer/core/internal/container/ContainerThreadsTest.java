package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The container's threads: named for their container and job, daemons or not as the JVM's life needs; no broker. */
class ContainerThreadsTest {

    @Test
    void namedThreadsCountFromOneAndAreDaemonsOnlyWhenAsked() {
        ThreadFactory dispatchers = ContainerThreads.named("kafka-consumer-dispatch-c", false);
        ThreadFactory timers = ContainerThreads.named("kafka-consumer-timer-c", true);

        Thread first = dispatchers.newThread(() -> { });
        Thread second = dispatchers.newThread(() -> { });
        Thread timer = timers.newThread(() -> { });

        assertThat(first.getName()).isEqualTo("kafka-consumer-dispatch-c-1");
        assertThat(second.getName()).isEqualTo("kafka-consumer-dispatch-c-2");
        assertThat(first.isDaemon()).as("the dispatcher keeps the JVM alive").isFalse();
        assertThat(timer.isDaemon()).isTrue();
        assertThat(first.getUncaughtExceptionHandler()).isNotSameAs(first.getThreadGroup());
    }

    @Test
    void workersAreDaemonThreadsNamedForTheirContainer() throws Exception {
        ExecutorService workers = ContainerThreads.workers("c", 2, false);
        try {
            Future<Thread> worker = workers.submit(Thread::currentThread);

            assertThat(worker.get(10, TimeUnit.SECONDS).getName()).isEqualTo("kafka-consumer-worker-c-1");
            assertThat(worker.get().isDaemon()).isTrue();
        } finally {
            workers.shutdownNow();
        }
    }
}
