package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaconsumer.core.ShareConsumerContainer;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * S1: a share consumer in a JVM of its own holds acquired records (its handlers are stuck for good) while two share
 * containers of the same group in the test's JVM read on; then the first one dies, in one of two ways:
 * <ul>
 * <li>SIGKILL: its connections close, and the broker releases what its share session held at once, without waiting
 * for the acquisition locks (a share session ends when its connection does);</li>
 * <li>SIGSTOP (frozen, its connections open, its locks no longer renewed): the broker takes the records back when
 * their acquisition lock expires ({@code share.record.lock.duration.ms}, 2 s here), while the process still lives.</li>
 * </ul>
 * Either way the others get the records again, with a delivery count above 1. Nothing acknowledged may be lost; the
 * only duplicates allowed are records the dead process had processed.
 */
@ExtendWith({KafkaBrokerExtension.class, Results.Extension.class})
class ShareConsumerKillTest {

    private static final int RECORDS = 2_000;
    private static final int HOLD_AFTER = 200;
    private static final int DOOMED_CONCURRENCY = 4;
    private static final Duration LOCK = Duration.ofSeconds(2);

    /** Kept when the test fails, with every event log and process output, for the post-mortem. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void theRecordsAKilledShareConsumerHeldGoToTheOthersWhenItsConnectionClosesAndNothingIsLost(KafkaBroker kafka,
            Results results) throws Exception {
        Outcome outcome = run(kafka, false);

        results.record("S1 share consumer SIGKILL", "share", outcome.result(), outcome.notes("the kill"));
        outcome.assertNothingLostAndTheStuckRecordsRedelivered();
    }

    @Test
    void theRecordsAFrozenShareConsumerHeldGoToTheOthersOnceTheirLockExpires(KafkaBroker kafka, Results results)
            throws Exception {
        Outcome outcome = run(kafka, true);

        results.record("S1 share consumer frozen (SIGSTOP)", "share", outcome.result(), outcome.notes("the freeze"));
        outcome.assertNothingLostAndTheStuckRecordsRedelivered();
        assertThat(outcome.backWhileAlive()).as("the stuck records came back while the frozen process still held its connection")
                .isTrue();
        if (FullSuite.active()) {
            // the lock had been renewed at most half a lock before the freeze; the broker's session timeout (10 s) is later
            assertThat(Duration.ofMillis(outcome.stuckBackMillis())).as("the stuck records back after the freeze")
                    .isBetween(LOCK.dividedBy(2), LOCK.plusSeconds(5));
        }
    }

    /**
     * One run: the doomed process gets stuck holding records, the survivors start, the doomed one is killed (or frozen,
     * and killed once its stuck records are back), and the survivors finish.
     */
    private Outcome run(KafkaBroker kafka, boolean freeze) throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String topic = "r12-" + id;
        String group = "r12-share-" + id;
        kafka.createTopic(topic, 1);
        try (Admin admin = kafka.admin()) {
            Groups.shareGroup(admin, group, LOCK);
        }
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, RECORDS)
                .mapToObj(i -> new ProducerRecord<>(topic, 0, (String) null, String.valueOf(i))).toList());
        // send(...) returns only when every record is acknowledged
        List<Long> acknowledged = LongStream.range(0, RECORDS).boxed().toList();

        List<Path> logs = new ArrayList<>();
        List<EventLog> survivorLogs = new ArrayList<>();
        List<ShareConsumerContainer<String, String>> survivors = new ArrayList<>();
        // sequence -> when a survivor processed it with a delivery count above 1 (System.nanoTime())
        Map<Long, Long> redelivered = new ConcurrentHashMap<>();
        Set<Long> stuck;
        String held;
        long diedAt;
        boolean backWhileAlive = false;
        long survivorExpirations = 0;
        try {
            try (ConsumerProcess doomed = ConsumerProcess.startShare(dir, "doomed", kafka.bootstrapServers(), topic, group,
                    List.of("-Dreliability.hold-after=" + HOLD_AFTER, "-Dreliability.concurrency=" + DOOMED_CONCURRENCY))) {
                logs.add(doomed.log());
                try {
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                            .until(() -> stuckSequences(doomed.output()).size() == DOOMED_CONCURRENCY
                                    && lastHolding(doomed.output()) != null);
                } catch (ConditionTimeoutException e) {
                    throw new AssertionError("The first process did not get stuck holding records; output:\n" + doomed.output(), e);
                }
                for (int i = 0; i < 2; i++) {
                    Path log = dir.resolve("survivor" + i + ".events");
                    logs.add(log);
                    EventLog events = EventLog.open(log);
                    survivorLogs.add(events);
                    ShareConsumerContainer<String, String> survivor = ShareLoggingConsumer
                            .builder("r12-survivor" + i + "-" + id, kafka.bootstrapServers(), topic, group, events, record -> {
                            }, record -> {
                                if (record.deliveryCount().orElse((short) 1) > 1) {
                                    redelivered.putIfAbsent(Long.valueOf(record.value()), System.nanoTime());
                                }
                            })
                            .concurrency(2)
                            .build();
                    survivors.add(survivor);
                    survivor.start();
                }
                // the survivors have joined and take records while the first process still holds its own (the broker
                // may hand every record to one of them: a share group balances nothing per consumer)
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                        .until(() -> Logs.processed(logs.get(1)) + Logs.processed(logs.get(2)) > 0);
                held = lastHolding(doomed.output());
                stuck = stuckSequences(doomed.output());
                diedAt = System.nanoTime();
                if (freeze) {
                    doomed.freeze();
                    try {
                        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                                .until(() -> redelivered.keySet().containsAll(stuck));
                        backWhileAlive = true;
                    } catch (ConditionTimeoutException e) {
                        // reported by the assertions below, after the survivors finished
                    }
                }
                doomed.kill();
            }
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> Logs.allProcessed(logs, acknowledged));
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("The survivors did not process every record; missing " + missing(logs, acknowledged), e);
            }
        } finally {
            survivors.forEach(survivor -> survivor.stop(Duration.ofSeconds(10)));
            survivorLogs.forEach(EventLog::close);
        }
        // a survivor's own record whose lock ran out before its accept (a loaded machine, a 2 s lock) is handled again:
        // at-least-once, and reported by the container
        survivorExpirations = survivors.stream().mapToLong(survivor -> survivor.snapshot().lockExpirations()).sum();
        Set<Long> doomedProcessed = Logs.sequences(List.of(logs.get(0)));
        Set<Long> twice = new HashSet<>(doomedProcessed);
        twice.retainAll(Logs.sequences(logs.subList(1, 3)));
        long stuckBackMillis = stuck.stream().map(redelivered::get).filter(at -> at != null)
                .mapToLong(at -> TimeUnit.NANOSECONDS.toMillis(at - diedAt)).max().orElse(-1);
        long backBefore = stuck.stream().map(redelivered::get).filter(at -> at != null && at - diedAt < 0).count();
        return new Outcome(Checker.check(logs, acknowledged), stuck, Set.copyOf(redelivered.keySet()), doomedProcessed.size(),
                twice.size(), held, stuckBackMillis, backBefore, backWhileAlive, survivorExpirations);
    }

    /**
     * What a run came to.
     *
     * @param result          the checker's counts over the three logs
     * @param stuck           the sequences the doomed process was stuck on
     * @param redelivered     the sequences the survivors got with a delivery count above 1
     * @param doomedProcessed how many records the doomed process had processed
     * @param twice           how many of those a survivor processed again
     * @param held            the doomed process's last report of what it held
     * @param stuckBackMillis from the kill or freeze until the last stuck record was processed by a survivor
     * @param backBefore      how many stuck records a survivor processed before the kill or freeze (their locks expired
     *                        while the process was still renewing them: a renewal late on a loaded machine)
     * @param backWhileAlive  whether the stuck records were back before the (frozen) process was killed
     * @param survivorExpirations records whose acquisition lock expired in a survivor before its acknowledgement,
     *                        as the survivors' containers reported them: each may be handled once more
     */
    private record Outcome(CheckResult result, Set<Long> stuck, Set<Long> redelivered, int doomedProcessed, int twice,
            String held, long stuckBackMillis, long backBefore, boolean backWhileAlive, long survivorExpirations) {

        String notes(String fault) {
            String notes = String.format("stuck on %d records after %d processed (%s); they came back to the others with a "
                    + "delivery count above 1 within %.1f s of %s (lock %d s; %d of them before it); %d records redelivered "
                    + "in all; %d locks expired in the survivors (each a possible duplicate); non-monotonic and skipped count "
                    + "offsets other consumers took, not anomalies", stuck.size(), doomedProcessed,
                    held.substring(ShareLoggingConsumer.HOLDING.length()), stuckBackMillis / 1000.0, fault, LOCK.toSeconds(),
                    backBefore, redelivered.size(), survivorExpirations);
            System.out.println("S1 " + fault + ": " + notes);
            return notes;
        }

        void assertNothingLostAndTheStuckRecordsRedelivered() {
            assertThat(result.lost()).as("lost").isZero();
            assertThat(stuck).as("the records the doomed consumer was stuck on, redelivered to the others")
                    .hasSize(DOOMED_CONCURRENCY).allSatisfy(sequence -> assertThat(redelivered).contains(sequence));
            assertThat(result.duplicated()).as("duplicated: the records the doomed process had processed, each once more, "
                    + "and at most one more handling per lock a survivor reported expired (%d)", survivorExpirations)
                    .isBetween((long) twice, twice + survivorExpirations);
            assertThat(result.commitsAboveUnprocessed()).as("commits above an unprocessed record").isZero();
            // a share group hands one partition's records to every consumer and takes expired ones back out of order:
            // non-monotonic and skipped offsets within one process are what it does, not anomalies (reported in the row)
        }
    }

    /** The sequences the process said it got stuck on. */
    private static Set<Long> stuckSequences(String output) {
        return output.lines().filter(line -> line.startsWith(ShareLoggingConsumer.STUCK))
                .map(line -> Long.valueOf(line.substring(ShareLoggingConsumer.STUCK.length()).trim()))
                .collect(Collectors.toSet());
    }

    /** The process's last report of what it holds, or null before the first. */
    private static String lastHolding(String output) {
        List<String> holding = output.lines().filter(line -> line.startsWith(ShareLoggingConsumer.HOLDING)).toList();
        return holding.isEmpty() ? null : holding.get(holding.size() - 1);
    }

    private static String missing(List<Path> logs, List<Long> acknowledged) throws IOException {
        Set<Long> processed = Logs.sequences(logs);
        List<Long> missing = acknowledged.stream().filter(sequence -> !processed.contains(sequence)).toList();
        return missing.size() + " " + missing.subList(0, Math.min(20, missing.size()));
    }
}
