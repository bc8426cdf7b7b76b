package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's rebalance listener: the order of freezing, committing, the application's listener and dropping. */
class RebalanceBridgeTest {

    private final TopicPartition t0 = new TopicPartition("t", 0);
    private final TopicPartition t1 = new TopicPartition("t", 1);
    private final ScheduledExecutorService callbacks = Executors.newSingleThreadScheduledExecutor();
    private final RecordBuffers<String, String> buffers = new RecordBuffers<>(1 << 20, 1 << 24, () -> { });
    private final GroupJoin join = new GroupJoin();
    private final ErrorChannel errors = new ErrorChannel(join, buffers, new PendingGets<>(buffers, callbacks), "test");
    private final List<String> events = new ArrayList<>();
    private final RebalanceBridge.PositionCommitter committer = (offsets, reason) -> events.add("commit " + offsets.keySet()
            + " at " + offsets.values().stream().map(OffsetAndMetadata::offset).toList() + " " + reason
            + ", handed out after freezing: " + buffers.poll(10, List.of(t0)).size());
    private RebalanceBridge bridge = new RebalanceBridge(buffers, committer, errors, join, true, "test");

    @BeforeEach
    void twoPartitionsWithRecordsOneOfThemHandedOutInPart() {
        bridge.onPartitionsAssigned(List.of(t0, t1));
        buffers.addFetched(new ConsumerRecords<>(Map.of(t0, Batches.range(t0, 0, 5), t1, Batches.range(t1, 0, 5)),
                Map.of(t0, new OffsetAndMetadata(5), t1, new OffsetAndMetadata(5))));
        buffers.poll(2, List.of(t0));
        events.clear();
    }

    @AfterEach
    void stopCallbacks() {
        callbacks.shutdownNow();
    }

    private ConsumerRebalanceListener recording(RuntimeException or, Error orError) {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                events.add("revoked " + partitions + ", still assigned " + buffers.assignment().contains(t0));
                throwIfAsked();
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                events.add("assigned " + partitions + ", buffers exist " + buffers.assignment().containsAll(partitions));
                throwIfAsked();
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                events.add("lost " + partitions);
                throwIfAsked();
            }

            private void throwIfAsked() {
                if (or != null) {
                    throw or;
                }
                if (orError != null) {
                    throw orError;
                }
            }
        };
    }

    @Test
    void aRevocationFreezesCommitsWhatWasHandedOutCallsTheListenerThenDropsTheBuffers() {
        bridge.listener(recording(null, null));
        bridge.onPartitionsRevoked(List.of(t0));
        assertThat(events).containsExactly(
                "commit [t-0] at [2] before revoking [t-0], handed out after freezing: 0",
                "revoked [t-0], still assigned true");
        assertThat(buffers.assignment()).containsExactly(t1);
    }

    @Test
    void withoutAutoCommitARevocationCommitsNothing() {
        bridge = new RebalanceBridge(buffers, committer, errors, join, false, "test");
        bridge.listener(recording(null, null));
        bridge.onPartitionsRevoked(List.of(t0));
        assertThat(events).containsExactly("revoked [t-0], still assigned true");
        assertThat(buffers.assignment()).containsExactly(t1);
    }

    @Test
    void anEmptyRevocationOnlyTellsTheListener() {
        bridge.listener(recording(null, null));
        bridge.onPartitionsRevoked(List.of());
        assertThat(events).containsExactly("revoked [], still assigned true");
        assertThat(buffers.assignment()).containsExactlyInAnyOrder(t0, t1);
    }

    @Test
    void lostPartitionsAreNotCommittedTheirOwnerHasChanged() {
        bridge.listener(recording(null, null));
        bridge.onPartitionsLost(List.of(t0));
        assertThat(events).containsExactly("lost [t-0]");
        assertThat(buffers.assignment()).containsExactly(t1);
    }

    @Test
    void buffersExistBeforeTheListenerHearsOfAnAssignmentAndTheFirstAssignmentCompletesTheJoin() {
        GroupJoin fresh = new GroupJoin();
        fresh.expect();
        bridge = new RebalanceBridge(buffers, committer, errors, fresh, true, "test");
        bridge.listener(recording(null, null));
        TopicPartition t2 = new TopicPartition("t", 2);
        ManualTime time = ManualTime.jumpingWaits();
        assertThatThrownBy(() -> fresh.await(time, Deadline.after(time, java.time.Duration.ofSeconds(1), "test"), "join"))
                .as("not before the first assignment").isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);

        bridge.onPartitionsAssigned(List.of(t2));

        assertThat(events).containsExactly("assigned [t-2], buffers exist true");
        assertThat(buffers.assignment()).containsExactlyInAnyOrder(t0, t1, t2);
        fresh.await(time, Deadline.after(time, java.time.Duration.ofSeconds(1), "test"), "join");
    }

    @Test
    void aListenersRuntimeExceptionIsLoggedAndTheRebalanceGoesOn() {
        bridge.listener(recording(new IllegalStateException("bug"), null));
        bridge.onPartitionsRevoked(List.of(t0));
        bridge.onPartitionsLost(List.of(t1));
        bridge.onPartitionsAssigned(List.of(t0));
        assertThat(buffers.assignment()).containsExactly(t0);
        assertThat(buffers.poll(10, List.of())).as("nothing reported to the get calls").isEmpty();
    }

    @Test
    void aListenersErrorIsReportedAndTheRebalanceGoesOn() {
        StackOverflowError error = new StackOverflowError();
        bridge.listener(recording(null, error));
        bridge.onPartitionsRevoked(List.of(t0));
        assertThat(buffers.assignment()).containsExactly(t1);
        assertThatThrownBy(() -> buffers.poll(10, List.of())).isInstanceOf(KafkaException.class).hasCause(error)
                .hasMessageContaining("The application's rebalance listener (onPartitionsRevoked) threw");
    }

    @Test
    void anErrorWhileCommittingBeforeARevocationIsReportedAndTheRevocationGoesOn() {
        OutOfMemoryError error = new OutOfMemoryError();
        bridge = new RebalanceBridge(buffers, (offsets, reason) -> {
            throw error;
        }, errors, join, true, "test");
        bridge.listener(recording(null, null));
        bridge.onPartitionsRevoked(List.of(t0));
        assertThat(events).containsExactly("revoked [t-0], still assigned true");
        assertThat(buffers.assignment()).containsExactly(t1);
        assertThatThrownBy(() -> buffers.poll(10, List.of())).hasCause(error).hasMessageContaining("The commit before revoking [t-0]");
    }

    @Test
    void aListenerErrorBeforeTheFirstAssignmentFailsTheWaitingStart() {
        OutOfMemoryError error = new OutOfMemoryError("listener");
        GroupJoin fresh = new GroupJoin();
        fresh.expect();
        bridge = new RebalanceBridge(buffers, committer, new ErrorChannel(fresh, buffers, new PendingGets<>(buffers, callbacks), "test"),
                fresh, true, "test");
        bridge.listener(recording(null, error));
        bridge.onPartitionsAssigned(List.of(new TopicPartition("t", 2)));
        CompletableFuture<Void> start = CompletableFuture.runAsync(() -> fresh.await(ManualTime.jumpingWaits(),
                Deadline.after(ManualTime.jumpingWaits(), java.time.Duration.ofSeconds(1), "test"), "join group g"));
        assertThat(start).failsWithin(java.time.Duration.ofSeconds(10)).withThrowableThat().havingCause()
                .isInstanceOf(KafkaException.class).withCause(error);
    }

    @Test
    void withoutAnApplicationListenerTheBuffersStillFollowTheAssignment() {
        bridge.listener(null);
        bridge.onPartitionsRevoked(List.of(t0));
        bridge.onPartitionsLost(List.of(t1));
        assertThat(buffers.assignment()).isEmpty();
        assertThat(events).singleElement().asString().startsWith("commit [t-0]");
    }
}
