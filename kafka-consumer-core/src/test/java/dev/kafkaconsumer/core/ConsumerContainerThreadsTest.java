package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * Which of a container's threads keep the JVM alive: the dispatcher while the container runs, the
 * stopper of a failed container while it makes its final commit, and nothing after a stop.
 */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerContainerThreadsTest {

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void aRunningContainerKeepsTheJvmAliveThroughItsDispatcherAlone(boolean virtualThreads, KafkaBroker kafka) {
        assumeThat(!virtualThreads || Runtime.version().feature() >= 21).as("virtual threads need Java 21").isTrue();
        String name = Engines.unique("c-alive");
        String topic = Engines.topicWithRecords(kafka, name, 1, 5);
        AtomicInteger handled = new AtomicInteger();
        try (ConsumerContainer<String, String> container = Containers.builder(kafka, name, topic)
                .virtualThreads(virtualThreads).concurrency(2).handler(record -> handled.incrementAndGet()).build()) {
            container.start();
            await().until(() -> handled.get() == 5);
            assertThat(threadsOf(name)).as("threads of the container").isNotEmpty();
            assertThat(nonDaemonThreadsOf(name)).extracting(Thread::getName)
                    .containsExactly("kafka-consumer-dispatch-" + name + "-1");
        }
    }

    @Test
    void aStoppedContainerLeavesNoThreadThatKeepsTheJvmAliveNotEvenAWorkerStuckInItsHandler(KafkaBroker kafka) {
        String name = Engines.unique("c-stuck");
        String topic = Engines.topicWithRecords(kafka, name, 1, 1);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> worker = new AtomicReference<>();
        ConsumerContainer<String, String> container = Containers.builder(kafka, name, topic).handler(record -> {
            worker.set(Thread.currentThread());
            entered.countDown();
            awaitIgnoringInterrupts(release);
        }).build();
        try {
            container.start();
            await().until(() -> entered.getCount() == 0);
            container.stop(Duration.ofMillis(200));
            await().atMost(Duration.ofSeconds(5)).until(() -> nonDaemonThreadsOf(name).isEmpty());
            assertThat(worker.get().isAlive()).as("the handler ignores interrupts, so its worker still runs").isTrue();
            assertThat(worker.get().isDaemon()).isTrue();
        } finally {
            release.countDown();
            container.stop();
        }
    }

    @Test
    void aFailedContainerStopsAndCommitsOnAThreadThatKeepsTheJvmAlive(KafkaBroker kafka) {
        String name = Engines.unique("c-failed");
        String topic = Engines.topicWithRecords(kafka, name, 1, 3);
        AtomicReference<Thread> stoppedOn = new AtomicReference<>();
        ConsumerContainer<String, String> container = Containers.builder(kafka, name, topic)
                .retryPolicy(RetryPolicy.none())
                .recoverer(Recoverers.stopContainer())
                .listener(new ContainerListener() {
                    @Override
                    public void stopped(ConsumerContainer<?, ?> stopped) {
                        stoppedOn.set(Thread.currentThread());
                    }
                })
                .handler(record -> {
                    if (record.offset() == 2) {
                        throw new IllegalStateException("broken");
                    }
                }).build();
        try {
            container.start();
            await().until(() -> stoppedOn.get() != null);
            assertThat(container.state()).isEqualTo(ContainerState.FAILED);
            assertThat(stoppedOn.get().getName()).isEqualTo("kafka-consumer-stop-" + name);
            assertThat(stoppedOn.get().isDaemon()).as("the thread that made the final commit is no daemon").isFalse();
        } finally {
            container.stop();
        }
    }

    private static List<Thread> threadsOf(String container) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().contains(container))
                .toList();
    }

    private static List<Thread> nonDaemonThreadsOf(String container) {
        return threadsOf(container).stream().filter(thread -> !thread.isDaemon()).toList();
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        while (latch.getCount() > 0) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                // a handler deaf to interruption, as some blocking libraries are
            }
        }
    }
}
