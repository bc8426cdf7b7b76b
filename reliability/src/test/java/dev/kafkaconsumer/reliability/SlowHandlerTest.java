package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ch.qos.logback.classic.Level;
import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.Ordering;
import dev.kafkaconsumer.core.RetryPolicy;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * R6: a handler call twice as long as the session timeout (but under the processing timeout) costs no
 * rebalance and no duplicate; a handler call stuck past the processing timeout is reported, interrupted,
 * retried by the retry policy, and nothing is lost.
 */
@ExtendWith({KafkaBrokerExtension.class, Results.Extension.class})
class SlowHandlerTest {

    private static final int PARTITIONS = 2;
    private static final int RECORDS = 40;
    /** On partition 0: takes 2 × the session timeout. */
    private static final long SLOW = 4;
    /** On partition 1, at offset 3: blocks in an interruptible wait on its first attempt, until interrupted. */
    private static final long STUCK = 7;
    private static final Duration SLOW_FOR = Scenarios.SESSION_TIMEOUT.multipliedBy(2);
    private static final Duration PROCESSING_TIMEOUT = Scenarios.SESSION_TIMEOUT.multipliedBy(3);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aSlowHandlerCostsNoRebalanceAndAStuckOneIsReportedInterruptedAndRetried(String protocol, KafkaBroker kafka, Results results)
            throws Exception {
        String topic = Scenarios.unique("r6-" + protocol);
        kafka.createTopic(topic, PARTITIONS);
        Scenarios.shortSessions(kafka, topic, protocol);
        List<Long> acknowledged = Scenarios.produce(kafka, RECORDS,
                i -> new ProducerRecord<>(topic, i % PARTITIONS, (String) null, String.valueOf(i)));
        Path events = dir.resolve("r6.events");
        Map<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();
        List<String> timedOut = new CopyOnWriteArrayList<>();
        List<Throwable> stuckFailures = new CopyOnWriteArrayList<>();
        long slowMillis;
        List<String> beforeStop;
        try (EventLog log = EventLog.open(events); LogCapture warnings = LogCapture.of("dev.kafkaconsumer.core.internal.container.ProcessingWatchdog")) {
            ConsumerContainer<String, String> container = Scenarios.container(kafka, topic, topic, protocol, log,
                            record -> handle(record, attempts, stuckFailures))
                    .ordering(Ordering.PARTITION)
                    .concurrency(PARTITIONS)
                    .processingTimeout(PROCESSING_TIMEOUT)
                    .retryPolicy(RetryPolicy.fixed(3, Duration.ofMillis(100)))
                    .listener(new ContainerListener() {
                        @Override
                        public void processingTimedOut(String name, TopicPartition partition, long offset, Duration elapsed) {
                            timedOut.add(partition + "@" + offset);
                        }
                    })
                    .build();
            long started = System.nanoTime();
            container.start();
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Scenarios.processed(events).size() >= RECORDS);
                slowMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                beforeStop = Checker.lines(events);
            } finally {
                container.stop(Duration.ofSeconds(10));
            }
            assertThat(warnings.messages(Level.WARN)).singleElement().asString()
                    .contains(topic + "-1@3", "over the processing timeout", "kafka-consumer-worker-" + topic, "interrupting it",
                            "StuckHandler", "Stack of kafka-consumer-worker-" + topic);
        }

        CheckResult result = Checker.check(List.of(events), acknowledged);
        long assignments = beforeStop.stream().filter(line -> line.startsWith("assigned ")).count();
        long revocations = beforeStop.stream().filter(line -> line.startsWith("revoked ")).count();
        Scenarios.report(results, "R6 slow and stuck handlers", protocol, result, String.format("a %d ms handler call with a %d ms session: %d assignment(s), "
                + "%d revocation(s) before the stop; a call stuck past the %d ms processing timeout: reported %s, failed with %s, "
                + "attempts %d; all %d records processed in %d ms", SLOW_FOR.toMillis(), Scenarios.SESSION_TIMEOUT.toMillis(),
                assignments, revocations, PROCESSING_TIMEOUT.toMillis(), timedOut, stuckFailures, attempts.get(STUCK).get(),
                RECORDS, slowMillis));
        assertThat(assignments).as("assignments before the stop: one, no rebalance").isEqualTo(1);
        assertThat(revocations).as("revocations before the stop").isZero();
        assertThat(timedOut).as("calls over the processing timeout").containsExactly(topic + "-1@3");
        assertThat(stuckFailures).singleElement().isInstanceOf(InterruptedException.class);
        assertThat(attempts.get(STUCK)).as("the stuck record: interrupted, then retried once").hasValue(2);
        assertThat(attempts.get(SLOW)).as("the slow record: one call, no redelivery").hasValue(1);
        assertThat(result.clean()).as("lost, duplicated, skipped, non-monotonic, commits above unprocessed all 0: " + result).isTrue();
        assertThat(result.processed()).isEqualTo(RECORDS);
    }

    private static void handle(ConsumerRecord<String, String> record, Map<Long, AtomicInteger> attempts, List<Throwable> stuckFailures) {
        long sequence = Scenarios.sequence(record.value());
        int attempt = attempts.computeIfAbsent(sequence, s -> new AtomicInteger()).incrementAndGet();
        if (sequence == SLOW) {
            long deadline = System.nanoTime() + SLOW_FOR.toNanos();
            for (long left = SLOW_FOR.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                LockSupport.parkNanos(left); // simulated work that is slow but not stuck
            }
        } else if (sequence == STUCK && attempt == 1) {
            try {
                // interruptible I/O that never answers
                new CountDownLatch(1).await(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                stuckFailures.add(e);
                Thread.currentThread().interrupt(); // as a well-behaved handler does; the container clears it
                throw new IllegalStateException("interrupted while waiting", e);
            }
        }
    }
}
