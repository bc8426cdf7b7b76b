package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.Ordering;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * R9: {@code stop(timeout)} while records are in flight. Every record whose handler started finishes, the
 * final commit carries exactly what was processed (the periodic commit is too rare to help), and a
 * successor in the same group processes the rest: nothing twice, nothing lost.
 */
@ExtendWith({KafkaBrokerExtension.class, Results.Extension.class})
class GracefulShutdownTest {

    private static final int PARTITIONS = 4;
    private static final int RECORDS = 4_000;
    private static final Duration WORK = Duration.ofMillis(2);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aGracefulStopFinishesInFlightWorkCommitsItAndTheSuccessorRepeatsNothing(String protocol, KafkaBroker kafka, Results results)
            throws Exception {
        String topic = Scenarios.unique("r9-" + protocol);
        kafka.createTopic(topic, PARTITIONS);
        Scenarios.shortSessions(kafka, topic, protocol);
        List<Long> acknowledged = Scenarios.produce(kafka, RECORDS,
                i -> new ProducerRecord<>(topic, i % PARTITIONS, (String) null, String.valueOf(i)));
        Path first = dir.resolve("first.events");
        Path second = dir.resolve("second.events");
        Set<Long> started = ConcurrentHashMap.newKeySet();

        int inFlightAtStop;
        long stopMillis;
        try (EventLog log = EventLog.open(first)) {
            ConsumerContainer<String, String> container = member(kafka, topic, protocol, log, started);
            container.start();
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                        .until(() -> Scenarios.processed(first).size() >= RECORDS / 4);
            } finally {
                inFlightAtStop = container.snapshot().inFlight();
                long stopping = System.nanoTime();
                container.stop(Duration.ofSeconds(30));
                stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
            }
        }
        List<String[]> processedFirst = Scenarios.processed(first);
        Set<Long> finished = new HashSet<>();
        Map<Integer, Long> nextAfterProcessed = new TreeMap<>();
        for (String[] fields : processedFirst) {
            finished.add(Long.parseLong(fields[4]));
            nextAfterProcessed.merge(Integer.parseInt(fields[2]), Long.parseLong(fields[3]) + 1, Math::max);
        }
        Map<Integer, Long> committedAtStop = Scenarios.committed(kafka, topic, topic);

        try (EventLog log = EventLog.open(second)) {
            ConsumerContainer<String, String> successor = member(kafka, topic, protocol, log, ConcurrentHashMap.newKeySet());
            successor.start();
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> processedFirst.size() + Scenarios.processed(second).size() >= RECORDS);
            } finally {
                successor.stop(Duration.ofSeconds(30));
            }
        }

        CheckResult result = Checker.check(List.of(first, second), acknowledged);
        Scenarios.report(results, "R9 graceful stop", protocol, result, String.format("stop(30 s) with %d records in flight returned in %d ms; "
                + "the first member processed %d, every record it started (%d) finished, committed at stop %s; the successor "
                + "processed %d", inFlightAtStop, stopMillis, processedFirst.size(), started.size(), committedAtStop,
                result.processed() - processedFirst.size()));
        assertThat(inFlightAtStop).as("records in flight when stop was called").isPositive();
        assertThat(finished).as("records whose handler started finished before stop returned").isEqualTo(started);
        // a partition whose records were taken but none started is committed at its first offset, 0: where it began
        Map<Integer, Long> expectedCommits = new TreeMap<>(nextAfterProcessed);
        committedAtStop.keySet().forEach(partition -> expectedCommits.putIfAbsent(partition, 0L));
        assertThat(committedAtStop).as("the final commit: the offset after the last processed record of each partition")
                .isEqualTo(expectedCommits);
        assertThat(result.clean()).as("lost, duplicated, skipped, non-monotonic, commits above unprocessed all 0: " + result).isTrue();
    }

    /** A member whose periodic commit never comes before the stop: only the final commit counts. */
    private static ConsumerContainer<String, String> member(KafkaBroker kafka, String topic, String protocol, EventLog log,
            Set<Long> started) {
        return Scenarios.container(kafka, topic, topic, protocol, log, record -> {
                    started.add(Scenarios.sequence(record.value()));
                    LockSupport.parkNanos(WORK.toNanos()); // simulated work
                })
                .ordering(Ordering.PARTITION)
                .concurrency(PARTITIONS)
                .commitInterval(Duration.ofMinutes(5))
                .build();
    }
}
