package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.ConsumerStoppedException;

/** The engine's commits: what they send, with which timeout, what they mark, and when auto-commit is due. */
class OffsetCommitsTest {

    private final TopicPartition t0 = new TopicPartition("t", 0);
    private final ManualTime time = ManualTime.waiting();
    private final StopRequest stop = new StopRequest();
    private final List<Duration> timeouts = new ArrayList<>();
    /** What each commitSync call does before committing: nothing, or throw. */
    private final List<Runnable> beforeCommit = new ArrayList<>();
    private final List<Exception> asyncErrors = new ArrayList<>();
    private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest") {
        @Override
        public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            timeouts.add(timeout);
            if (!beforeCommit.isEmpty()) {
                beforeCommit.remove(0).run();
            }
            super.commitSync(offsets, timeout);
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
            if (!asyncErrors.isEmpty()) {
                callback.onComplete(offsets, asyncErrors.remove(0));
                return;
            }
            super.commitAsync(offsets, callback);
        }
    };
    private final RecordBuffers<String, String> buffers = new RecordBuffers<>(1 << 20, 1 << 24, () -> { });
    private OffsetCommits commits;

    @BeforeEach
    void threeRecordsHandedOut() {
        commits = commits(Map.of("group.id", "g", "auto.commit.interval.ms", 5000, "default.api.timeout.ms", 60_000));
        consumer.assign(List.of(t0));
        buffers.assign(List.of(t0));
        buffers.addFetched(new ConsumerRecords<>(Map.of(t0, Batches.range(t0, 0, 5)), Map.of(t0, new OffsetAndMetadata(5))));
        buffers.poll(3, List.of());
    }

    private OffsetCommits commits(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("bootstrap.servers", "h:1");
        EngineConfig config = new EngineConfig(all, new StringDeserializer(), new StringDeserializer(), 1 << 20, 1 << 24);
        return new OffsetCommits(consumer, buffers, config, time, stop);
    }

    /** The position after the three records handed out, with their leader epoch. */
    private static OffsetAndMetadata handedOut() {
        return new OffsetAndMetadata(3, java.util.Optional.of(3), "");
    }

    private Map<TopicPartition, OffsetAndMetadata> committed() {
        return consumer.committed(java.util.Set.of(t0));
    }

    @Test
    void aSynchronousCommitSendsTheOffsetsWithinItsTimeoutAndMarksThemCommitted() {
        commits.commitSync(buffers.uncommittedPositions(List.of()), Duration.ofSeconds(7));
        assertThat(timeouts).containsExactly(Duration.ofSeconds(7));
        assertThat(committed()).containsEntry(t0, handedOut());
        assertThat(buffers.uncommittedPositions(List.of())).isEmpty();
    }

    @Test
    void onceStoppingACommitFitsInTheCloseTimeoutWhenThatIsShorter() {
        stop.request(Duration.ofSeconds(2));
        commits.commitSync(Map.of(t0, new OffsetAndMetadata(1)), Duration.ofSeconds(7));
        commits.commitSync(Map.of(t0, new OffsetAndMetadata(2)), Duration.ofSeconds(1));
        assertThat(timeouts).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(1));
    }

    @Test
    void aWakeupMeantForAPollMakesTheCommitTryAgainWithWhatIsLeftOfItsTimeout() {
        beforeCommit.add(() -> {
            time.advance(Duration.ofSeconds(3));
            throw new WakeupException();
        });
        commits.commitSync(Map.of(t0, handedOut()), Duration.ofSeconds(10));
        assertThat(timeouts).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(7));
        assertThat(committed()).containsEntry(t0, handedOut());
    }

    @Test
    void aCommitWaitingForTheBrokerWhenTheStopComesIsAbandoned() {
        beforeCommit.add(() -> {
            stop.request(Duration.ofSeconds(1));
            throw new WakeupException();
        });
        assertThatThrownBy(() -> commits.commitSync(Map.of(t0, new OffsetAndMetadata(3)), Duration.ofSeconds(10)))
                .isInstanceOf(ConsumerStoppedException.class).hasMessageContaining("the commit of {t-0=")
                .hasMessageEndingWith("was abandoned");
        assertThat(buffers.uncommittedPositions(List.of())).as("not marked committed").isNotEmpty();
    }

    @Test
    void aQuietCommitLogsAFailureAndCommitsNothingWhenThereIsNothingToCommit() {
        commits.commitQuietly(Map.of(), "before revoking []");
        assertThat(timeouts).isEmpty();
        beforeCommit.add(() -> {
            throw new KafkaException("the coordinator is gone");
        });
        commits.commitQuietly(Map.of(t0, new OffsetAndMetadata(3)), "before revoking [t-0]");
        assertThat(timeouts).as("default.api.timeout.ms").containsExactly(Duration.ofSeconds(60));
        assertThat(buffers.uncommittedPositions(List.of())).isNotEmpty();
    }

    @Test
    void autoCommitIsDueEveryIntervalOnTheEnginesClockAndSendsOnlyWhatIsNotCommitted() {
        commits.restartAutoCommitInterval(time.nanoseconds());
        assertThat(commits.nanosUntilAutoCommit(time.nanoseconds())).isEqualTo(Duration.ofSeconds(5).toNanos());
        time.advance(Duration.ofMillis(4999));
        commits.maybeAutoCommit(time.nanoseconds());
        assertThat(committed()).isEmpty();

        time.advance(Duration.ofMillis(1));
        assertThat(commits.nanosUntilAutoCommit(time.nanoseconds())).isZero();
        commits.maybeAutoCommit(time.nanoseconds());
        assertThat(committed()).containsEntry(t0, handedOut());
        assertThat(commits.nanosUntilAutoCommit(time.nanoseconds())).as("the next interval").isEqualTo(Duration.ofSeconds(5).toNanos());

        consumer.commitSync(Map.of(t0, new OffsetAndMetadata(0)));
        time.advance(Duration.ofSeconds(5));
        commits.maybeAutoCommit(time.nanoseconds());
        assertThat(committed()).as("nothing new was consumed: nothing sent").containsEntry(t0, new OffsetAndMetadata(0));
    }

    @Test
    void aFailedAutoCommitIsNotMarkedCommittedSoTheNextOneSendsItAgain() {
        asyncErrors.add(new KafkaException("rebalancing"));
        time.advance(Duration.ofSeconds(5));
        commits.maybeAutoCommit(time.nanoseconds());
        assertThat(buffers.uncommittedPositions(List.of())).containsEntry(t0, handedOut());
        time.advance(Duration.ofSeconds(5));
        commits.maybeAutoCommit(time.nanoseconds());
        assertThat(buffers.uncommittedPositions(List.of())).isEmpty();
    }

    @Test
    void withoutAutoCommitNothingIsCommittedByTimeOrOnStop() {
        commits = commits(Map.of("group.id", "g", "enable.auto.commit", false));
        assertThat(commits.nanosUntilAutoCommit(time.nanoseconds())).isEqualTo(Long.MAX_VALUE);
        time.advance(Duration.ofHours(1));
        commits.maybeAutoCommit(time.nanoseconds());
        commits.commitOnStop();
        assertThat(committed()).isEmpty();
    }

    @Test
    void theStopCommitsWhatWasHandedOut() {
        stop.request(Duration.ofSeconds(3));
        commits.commitOnStop();
        assertThat(committed()).containsEntry(t0, handedOut());
        assertThat(timeouts).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void anAsynchronousCommitMarksWhatTheBrokerAcceptedAndHandsOnTheOutcome() {
        List<String> outcomes = new ArrayList<>();
        asyncErrors.add(new KafkaException("refused"));
        commits.commitAsync(Map.of(t0, new OffsetAndMetadata(3)), (offsets, error) -> outcomes.add(String.valueOf(error)));
        assertThat(buffers.uncommittedPositions(List.of())).isNotEmpty();
        commits.commitAsync(Map.of(t0, new OffsetAndMetadata(3)), (offsets, error) -> outcomes.add(String.valueOf(error)));
        assertThat(buffers.uncommittedPositions(List.of())).isEmpty();
        assertThat(outcomes).containsExactly("org.apache.kafka.common.KafkaException: refused", "null");
    }
}
