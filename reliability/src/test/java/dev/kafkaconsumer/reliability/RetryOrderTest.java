package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.Ordering;
import dev.kafkaconsumer.core.RetryPolicy;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * R8: under KEY ordering a handler fails transiently for some records, and one record keeps failing
 * until the test lets it pass. Every key's records are processed in their order; while the blocked
 * record is being retried, the other keys go on, and its partition's committed offset stays exactly on it.
 */
@ExtendWith({KafkaBrokerExtension.class, Results.Extension.class})
class RetryOrderTest {

    private static final int PARTITIONS = 2;
    private static final int KEYS = 20;
    private static final int RECORDS = 2_000;
    /** Key k0, on partition 0: fails until released. */
    private static final long BLOCKER = 1_000;
    private static final int TRANSIENT_FAILURES = 2;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void perKeyOrderHoldsAndNothingIsCommittedPastARecordStillBeingRetried(String protocol, KafkaBroker kafka, Results results)
            throws Exception {
        String topic = Scenarios.unique("r8-" + protocol);
        kafka.createTopic(topic, PARTITIONS);
        Scenarios.shortSessions(kafka, topic, protocol);
        List<Long> acknowledged = Scenarios.produce(kafka, RECORDS,
                i -> new ProducerRecord<>(topic, (i % KEYS) % PARTITIONS, "k" + (i % KEYS), String.valueOf(i)));
        Path events = dir.resolve("r8.events");
        Map<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();
        AtomicLong blockerOffset = new AtomicLong(-1);
        AtomicLong released = new AtomicLong();
        long behindBlocker = acknowledged.stream().filter(s -> s % KEYS == BLOCKER % KEYS && s >= BLOCKER).count();
        Map<Integer, Long> committedWhileBlocked;
        int attemptsWhileBlocked;
        try (EventLog log = EventLog.open(events)) {
            ConsumerContainer<String, String> container = Scenarios.container(kafka, topic, topic, protocol, log, record -> {
                        long sequence = Scenarios.sequence(record.value());
                        int attempt = attempts.computeIfAbsent(sequence, s -> new AtomicInteger()).incrementAndGet();
                        fail(record, sequence, attempt, blockerOffset, released.get() > 0);
                    })
                    .ordering(Ordering.KEY)
                    .concurrency(4)
                    .retryPolicy(RetryPolicy.fixed(Integer.MAX_VALUE, Duration.ofMillis(20)))
                    .build();
            container.start();
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> Scenarios.processed(events).size() == RECORDS - behindBlocker);
                // the blocked record's partition commits up to it, and no further while it is retried
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> Scenarios.committed(kafka, topic, topic).getOrDefault(0, -1L) == blockerOffset.get());
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Scenarios.committed(kafka, topic, topic).getOrDefault(0, -1L) == blockerOffset.get());
                committedWhileBlocked = Scenarios.committed(kafka, topic, topic);
                attemptsWhileBlocked = attempts.get(BLOCKER).get();
                released.set(1);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                        .until(() -> Scenarios.processed(events).size() >= RECORDS);
            } finally {
                container.stop(Duration.ofSeconds(10));
            }
        }

        CheckResult result = Checker.check(List.of(events), acknowledged);
        long outOfKeyOrder = Checker.outOfKeyOrder(Checker.lines(events), KEYS);
        Scenarios.report(results, "R8 retries, key order", protocol, result, String.format("%d records on %d keys, every 97th failing %d times; the blocked "
                + "record (partition 0, offset %d) failed %d times meanwhile, while the other keys finished and the committed "
                + "offsets stayed at %s; records out of key order %d (non-monotonic and skipped count offsets across keys, "
                + "expected under KEY ordering)", RECORDS, KEYS, TRANSIENT_FAILURES, blockerOffset.get(), attemptsWhileBlocked,
                committedWhileBlocked, outOfKeyOrder));
        assertThat(committedWhileBlocked).as("committed while the blocked record was retried")
                .containsEntry(0, blockerOffset.get()).containsEntry(1, (long) RECORDS / PARTITIONS);
        assertThat(attemptsWhileBlocked).isGreaterThan(TRANSIENT_FAILURES + 1);
        assertThat(outOfKeyOrder).as("records processed out of their key's order").isZero();
        assertThat(result.lost()).as("lost").isZero();
        assertThat(result.duplicated()).as("duplicated").isZero();
        assertThat(result.commitsAboveUnprocessed()).as("commits above unprocessed").isZero();
        assertThat(attempts).allSatisfy((sequence, count) -> assertThat(count.get()).as("attempts of %d", sequence)
                .isEqualTo(sequence == BLOCKER ? count.get() : sequence % 97 == 5 ? TRANSIENT_FAILURES + 1 : 1));
        assertThat(Scenarios.committed(kafka, topic, topic)).containsEntry(0, (long) RECORDS / PARTITIONS)
                .containsEntry(1, (long) RECORDS / PARTITIONS);
    }

    private static void fail(ConsumerRecord<String, String> record, long sequence, int attempt, AtomicLong blockerOffset,
            boolean released) {
        if (sequence == BLOCKER && !released) {
            blockerOffset.set(record.offset());
            throw new IllegalStateException("blocked until released");
        }
        if (sequence % 97 == 5 && attempt <= TRANSIENT_FAILURES) {
            throw new IllegalStateException("transient failure " + attempt + " of " + sequence);
        }
    }
}
