package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checker on synthetic logs: one clean run, then one run per anomaly kind. */
class CheckerTest {

    private static final List<Long> ACKNOWLEDGED = LongStream.range(0, 6).boxed().toList();

    @Test
    void aCleanHandOverBetweenTwoProcessesHasNoAnomaly() {
        CheckResult result = Checker.check(List.of(
                List.of("assigned 0,1", "processed t 0 0 0", "processed t 1 0 1", "processed t 0 1 2",
                        "committed 0 2", "committed 1 1", "revoked 0,1"),
                List.of("assigned 0,1", "processed t 1 1 3", "processed t 0 2 4", "processed t 1 2 5",
                        "committed 0 3", "committed 1 3")), ACKNOWLEDGED);

        assertThat(result).isEqualTo(new CheckResult(6, 6, 0, 0, 0, 0, 0));
        assertThat(result.clean()).isTrue();
    }

    @Test
    void anAcknowledgedSequenceThatNobodyProcessedIsLost() {
        CheckResult result = Checker.check(List.of(
                List.of("assigned 0", "processed t 0 0 0", "processed t 0 1 1", "processed t 0 2 2", "committed 0 3")),
                ACKNOWLEDGED);

        assertThat(result.lost()).isEqualTo(3);
        assertThat(result.clean()).isFalse();
    }

    @Test
    void aSequenceProcessedAgainBySuccessorAfterAKillIsDuplicated() {
        CheckResult result = Checker.check(List.of(
                List.of("assigned 0", "processed t 0 0 0", "processed t 0 1 1", "committed 0 1", "processed t 0 2 2"),
                List.of("assigned 0", "processed t 0 1 1", "processed t 0 2 2", "processed t 0 3 3",
                        "processed t 0 4 4", "processed t 0 5 5", "committed 0 6")), ACKNOWLEDGED);

        assertThat(result.duplicated()).isEqualTo(2);
        assertThat(result.lost()).isZero();
        assertThat(result.nonMonotonic()).isZero();
        assertThat(result.skipped()).isZero();
        assertThat(result.commitsAboveUnprocessed()).isZero();
    }

    @Test
    void goingBackWithinOneAssignmentIsNonMonotonicButNotAfterANewAssignment() {
        CheckResult backwards = Checker.check(List.of(
                List.of("assigned 0", "processed t 0 0 0", "processed t 0 1 1", "processed t 0 0 0")), ACKNOWLEDGED);
        CheckResult reassigned = Checker.check(List.of(
                List.of("assigned 0", "processed t 0 0 0", "processed t 0 1 1", "revoked 0", "assigned 0", "processed t 0 0 0")),
                ACKNOWLEDGED);

        assertThat(backwards.nonMonotonic()).isEqualTo(1);
        assertThat(reassigned.nonMonotonic()).isZero();
        assertThat(reassigned.duplicated()).isEqualTo(1);
    }

    @Test
    void aRecordHandledAfterALaterOneOfItsKeyIsOutOfKeyOrderButOtherKeysMayOvertakeIt() {
        // two keys (sequence % 2) on one partition: key 0 is 0, 2, 4 at offsets 0, 2, 4; key 1 is 1, 3 at offsets 1, 3
        List<String> keysOvertaking = List.of("assigned 0", "processed t 0 1 1", "processed t 0 3 3", "processed t 0 0 0",
                "processed t 0 2 2", "processed t 0 4 4");
        List<String> keyReordered = List.of("assigned 0", "processed t 0 0 0", "processed t 0 4 4", "processed t 0 2 2",
                "processed t 0 1 1", "processed t 0 3 3");
        List<String> keyRepeated = List.of("assigned 0", "processed t 0 0 0", "processed t 0 2 2", "processed t 0 2 2");

        assertThat(Checker.outOfKeyOrder(keysOvertaking, 2)).isZero();
        assertThat(Checker.check(List.of(keysOvertaking), List.of(0L, 1L, 2L, 3L, 4L)).nonMonotonic()).isEqualTo(1);
        assertThat(Checker.outOfKeyOrder(keyReordered, 2)).isEqualTo(1);
        assertThat(Checker.outOfKeyOrder(keyRepeated, 2)).as("a duplicate is not disorder").isZero();
    }

    @Test
    void jumpingOverOffsetsWithinOneAssignmentIsASkip() {
        CheckResult result = Checker.check(List.of(
                List.of("assigned 0,1", "processed t 0 0 0", "processed t 0 2 2", "processed t 1 0 1", "processed t 1 1 3")),
                ACKNOWLEDGED);

        assertThat(result.skipped()).isEqualTo(1);
        assertThat(result.nonMonotonic()).isZero();
    }

    @Test
    void offsetsWithoutARecordForTheConsumerAreNeitherSkippedNorUnprocessedBelowACommit() {
        // read_committed: offsets 2 and 3 are an aborted transaction's records, 6 its abort marker
        List<List<String>> log = List.of(List.of("assigned 0", "processed t 0 0 0", "processed t 0 1 1", "committed 0 2",
                "processed t 0 4 2", "processed t 0 5 3", "committed 0 7"));
        List<Long> acknowledged = LongStream.range(0, 4).boxed().toList();

        assertThat(Checker.check(log, acknowledged, Map.of(0, Set.of(2L, 3L, 6L))).clean()).isTrue();
        CheckResult unaware = Checker.check(log, acknowledged);
        assertThat(unaware.skipped()).isOne();
        assertThat(unaware.commitsAboveUnprocessed()).isOne();
        assertThat(Checker.check(log, acknowledged, Map.of(0, Set.of(2L, 6L))).skipped())
                .as("a gap with a record in it is still a skip").isOne();
    }

    @Test
    void aCommitAboveARecordNotYetProcessedBreaksTheInvariant() {
        CheckResult result = Checker.check(List.of(
                List.of("assigned 0", "processed t 0 0 0", "committed 0 1", "committed 0 2", "processed t 0 1 1",
                        "committed 0 2")), ACKNOWLEDGED);

        assertThat(result.commitsAboveUnprocessed()).isEqualTo(1);
    }

    @Test
    void aCommitWithinTheRecordsOfAnEarlierOwnerIsNotJudged() {
        CheckResult result = Checker.check(List.of(
                List.of("assigned 0", "committed 0 3", "processed t 0 3 3", "processed t 0 4 4", "committed 0 5")),
                ACKNOWLEDGED);

        assertThat(result.commitsAboveUnprocessed()).isZero();
    }

    @Test
    void theUncommittedBoundCountsRecordsAtOrAboveTheLastCommitOfTheirPartition() {
        List<String> killed = List.of("assigned 0,1", "processed t 0 0 0", "processed t 0 1 1", "processed t 1 0 2",
                "committed 0 1", "processed t 0 2 3", "processed t 1 1 4");

        // partition 0: offsets 1 and 2 are at or above the commit of 1; partition 1 was never committed: both
        assertThat(Checker.processedButNotCommitted(killed)).isEqualTo(4);
    }

    @Test
    void aLineCutShortByAKillIsIgnoredAndAnEventLogRoundTrips(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("p.log");
        try (EventLog log = EventLog.open(file)) {
            log.assigned(List.of(1, 0));
            log.processed("t", 0, 0, 0);
            log.committed(0, 1);
            log.revoked(List.of());
        }
        Files.writeString(file, "processed t 0 1", StandardOpenOption.APPEND);

        assertThat(Checker.lines(file)).containsExactly("assigned 0,1", "processed t 0 0 0", "committed 0 1", "revoked -");
        assertThat(Checker.check(List.of(file), List.of(0L))).isEqualTo(new CheckResult(1, 1, 0, 0, 0, 0, 0));
    }

    @Test
    void anAbortedTransactionsRecordsHandledAgainAreDuplicatesButItsCommitIsJudged(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.log");
        try (EventLog log = EventLog.open(file)) {
            log.assigned(List.of(0));
            log.processed("t", 0, 0, 0);
            log.processed("t", 0, 1, 1);
            log.aborted("org.apache.kafka.common.errors.ProducerFencedException: fenced\n\tat somewhere");
            log.processed("t", 0, 0, 0);
            log.processed("t", 0, 1, 1);
            log.committed(0, 3);
        }

        assertThat(Checker.lines(file)).contains("aborted org.apache.kafka.common.errors.ProducerFencedException: fenced at somewhere");
        CheckResult result = Checker.check(List.of(file), List.of(0L, 1L));
        assertThat(result.duplicated()).isEqualTo(2);
        assertThat(result.nonMonotonic()).isEqualTo(1);
        assertThat(result.commitsAboveUnprocessed()).isEqualTo(1);
    }

    @Test
    void aLineThatIsNotAnEventIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Checker.check(List.of(List.of("polled t 0 0")), ACKNOWLEDGED))
                .withMessageContaining("polled t 0 0");
    }

    @Test
    void rendersAMarkdownRowUnderItsHeader() {
        CheckResult result = new CheckResult(20000, 20150, 0, 150, 0, 0, 0);

        assertThat(CheckResult.markdownHeader().lines().findFirst().orElseThrow().split("\\|"))
                .hasSameSizeAs(result.markdownRow("R2 classic").split("\\|"));
        assertThat(result.markdownRow("R2 classic")).isEqualTo("| R2 classic | 20000 | 20150 | 0 | 150 | 0 | 0 | 0 |");
    }
}
