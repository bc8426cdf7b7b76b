package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * R12: a consumer process is paused past its session (SIGSTOP for twice the session timeout, as a long GC or a
 * stopped VM pauses it) while it handles records; its partitions move to the other member; then it is continued
 * (SIGCONT). The woken process is a zombie until it learns it was fenced: whatever it then commits for the
 * partitions it lost must be refused, and its late results must not move any committed offset. The checker finds
 * nothing lost and no commit above an unprocessed record; the duplicates are only records the zombie had taken
 * before the pause and not committed.
 */
@ExtendWith({KafkaBrokerExtension.class, Results.Extension.class})
class PauseTest {

    private static final int RECORDS = 20_000;
    private static final int PARTITIONS = 4;
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(2);

    /** Kept when the test fails, with every event log and process output, for the post-mortem. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aConsumerPausedPastItsSessionIsFencedAndItsLateCommitsMoveNothing(String protocol, KafkaBroker kafka,
            Results results) throws Exception {
        String topic = "r12-" + protocol + "-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.createTopic(topic, PARTITIONS);
        List<String> options = new ArrayList<>(List.of(
                // simulated work: the pause lands while records are being handled, and more wait behind them
                "-Dreliability.handler-delay-us=1000", "-Dreliability.commit-interval-ms=200", "-Dkafka.max.poll.records=100"));
        try (Admin admin = kafka.admin()) {
            options.addAll(Groups.sessionTimeout(admin, topic, protocol, SESSION_TIMEOUT));
        }
        List<Long> acknowledged = SequenceProducer.sendAll(kafka, topic, PARTITIONS, RECORDS);

        try (ConsumerProcess first = ConsumerProcess.start(dir, "first", kafka.bootstrapServers(), topic, protocol, options);
                ConsumerProcess second = ConsumerProcess.start(dir, "second", kafka.bootstrapServers(), topic, protocol, options)) {
            Pause pause;
            try {
                // both members share the partitions, and the first is busy with its share
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                        .until(() -> !Logs.owned(first.log()).isEmpty() && !Logs.owned(second.log()).isEmpty()
                                && Logs.owned(first.log()).size() + Logs.owned(second.log()).size() == PARTITIONS
                                && Logs.processed(first.log()) >= RECORDS / 20);
                pause = Pause.of(first, second);
                // its partitions move to the second, and the pause lasts at least twice the session
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> Logs.owned(second.log()).size() == PARTITIONS);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> pause.pausedFor().compareTo(SESSION_TIMEOUT.multipliedBy(2)) >= 0);
                pause.end();
                // the zombie learns that it lost its partitions; the second goes on, and the zombie may rejoin
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> Zombie.of(Logs.lines(first.log()), pause.linesBefore, pause.owned, Map.of()).learnedItLost());
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Logs.allProcessed(List.of(first.log(), second.log()), acknowledged));
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("The group did not go on after the pause; output:\n" + first.output() + second.output(), e);
            } finally {
                first.terminate();
                second.terminate();
            }

            Zombie zombie = Zombie.of(Logs.lines(first.log()), pause.linesBefore, pause.owned,
                    pause.takenOverAt(Logs.lines(second.log())));
            CheckResult result = Checker.check(List.of(first.log(), second.log()), acknowledged);
            String notes = String.format("paused %.1f s (session %d s) owning %s, %d processed and not committed then; after the "
                    + "wake: %d commit(s) refused (%s), %d accepted for lost partitions, %d record(s) handled late",
                    pause.pausedFor().toMillis() / 1000.0, SESSION_TIMEOUT.toSeconds(), pause.owned, pause.uncommitted,
                    zombie.refusedCommits, zombie.refusal, zombie.acceptedForLost, zombie.lateProcessed);
            System.out.printf("R12 %s: %s%n", protocol, notes);
            results.record("R12 pause past the session", protocol, result, notes);
            assertThat(result.lost()).as("lost").isZero();
            assertThat(result.commitsAboveUnprocessed()).as("commits above an unprocessed record").isZero();
            assertThat(zombie.acceptedForLost).as("commits of the woken process accepted for the partitions it had lost").isZero();
            assertThat(result.duplicated()).as("duplicated, at most what the paused process had taken and not committed")
                    .isLessThanOrEqualTo(pause.uncommitted + zombie.lateProcessed);
            assertThat(result.skipped()).as("skipped").isZero();
        }
    }

    /**
     * The pause of a process: what it owned and had not committed when it froze, how long it has lasted, and where the
     * other member's log stood then.
     */
    private static final class Pause {
        final ConsumerProcess process;
        final int linesBefore;
        final int otherLinesBefore;
        final Set<Integer> owned;
        final long uncommitted;
        final long frozenAt;
        long endedAt;

        private Pause(ConsumerProcess process, int linesBefore, int otherLinesBefore, Set<Integer> owned, long uncommitted) {
            this.process = process;
            this.linesBefore = linesBefore;
            this.otherLinesBefore = otherLinesBefore;
            this.owned = owned;
            this.uncommitted = uncommitted;
            this.frozenAt = System.nanoTime();
        }

        /** Freezes the process, then reads its log: nothing is written to it while it is frozen. */
        static Pause of(ConsumerProcess process, ConsumerProcess other) throws Exception {
            process.freeze();
            List<String> lines = Logs.lines(process.log());
            return new Pause(process, lines.size(), Logs.lines(other.log()).size(), Set.copyOf(Logs.owned(process.log())),
                    Checker.processedButNotCommitted(lines));
        }

        /**
         * Where the other member started each partition of the pause once it took it over: the first record of it that
         * it handled after its assignment, which is the offset committed when it was assigned.
         */
        Map<Integer, Long> takenOverAt(List<String> otherLines) {
            Map<Integer, Long> startedAt = new HashMap<>();
            Set<Integer> assigned = new HashSet<>();
            for (String line : otherLines.subList(Math.min(otherLinesBefore, otherLines.size()), otherLines.size())) {
                String[] fields = line.split(" ");
                if (fields[0].equals("assigned") && !fields[1].equals("-")) {
                    for (String partition : fields[1].split(",")) {
                        assigned.add(Integer.valueOf(partition));
                    }
                } else if (fields[0].equals("processed")) {
                    Integer partition = Integer.valueOf(fields[2]);
                    if (owned.contains(partition) && assigned.contains(partition)) {
                        startedAt.putIfAbsent(partition, Long.valueOf(fields[3]));
                    }
                }
            }
            return startedAt;
        }

        Duration pausedFor() {
            return Duration.ofNanos((endedAt == 0 ? System.nanoTime() : endedAt) - frozenAt);
        }

        void end() throws Exception {
            endedAt = System.nanoTime();
            process.thaw();
        }
    }

    /**
     * What the woken process did with the partitions it owned before the pause, read from its log after the pause:
     * until a new assignment of a partition, a commit of it is the zombie's, and a record of it handled was taken
     * before the pause. A commit logged after the pause at exactly the offset the other member started the partition
     * from is not one: it was sent before the freeze, the broker took it before the handover, and only its answer
     * waited for the process to wake (CI under load found one so).
     */
    private static final class Zombie {
        long refusedCommits;
        String refusal = "-";
        long acceptedForLost;
        long lateProcessed;
        /** Partitions of the pause the process still believes it owns: not revoked, lost or assigned again. */
        final Set<Integer> believed;
        /**
         * Partitions of the pause not assigned to the process again: a commit of one is the zombie's, and a record of
         * one handled now was taken before the pause (its workers may finish such records after the loss is reported).
         */
        final Set<Integer> stale;

        private Zombie(Set<Integer> owned) {
            this.believed = new HashSet<>(owned);
            this.stale = new HashSet<>(owned);
        }

        /** @param takenOverAt where the other member started each partition it took over, when known */
        static Zombie of(List<String> lines, int from, Set<Integer> owned, Map<Integer, Long> takenOverAt) {
            Zombie zombie = new Zombie(owned);
            for (String line : lines.subList(Math.min(from, lines.size()), lines.size())) {
                String[] fields = line.split(" ");
                switch (fields[0]) {
                    case "revoked", "assigned" -> {
                        if (!fields[1].equals("-")) {
                            for (String partition : fields[1].split(",")) {
                                zombie.believed.remove(Integer.valueOf(partition));
                                if (fields[0].equals("assigned")) {
                                    zombie.stale.remove(Integer.valueOf(partition));
                                }
                            }
                        }
                    }
                    case "committed" -> {
                        Integer partition = Integer.valueOf(fields[1]);
                        boolean beforeTheHandover = Long.valueOf(fields[2]).equals(takenOverAt.get(partition));
                        if (zombie.stale.contains(partition) && !beforeTheHandover) {
                            zombie.acceptedForLost++;
                        }
                    }
                    case "commit-failed" -> {
                        zombie.refusedCommits++;
                        zombie.refusal = fields.length > 2 ? fields[2].replaceAll(":$", "") : "?";
                    }
                    case "processed" -> {
                        if (zombie.stale.contains(Integer.valueOf(fields[2]))) {
                            zombie.lateProcessed++;
                        }
                    }
                    default -> {
                    }
                }
            }
            return zombie;
        }

        /** Whether the process was told it no longer owns every partition it had before the pause. */
        boolean learnedItLost() {
            return believed.isEmpty();
        }
    }
}
