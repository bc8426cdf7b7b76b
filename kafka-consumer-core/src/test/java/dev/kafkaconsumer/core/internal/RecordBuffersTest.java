package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.ConsumerStoppedException;

class RecordBuffersTest {

    private final TopicPartition p0 = new TopicPartition("t", 0);
    private final TopicPartition p1 = new TopicPartition("t", 1);
    private final AtomicInteger wakeups = new AtomicInteger();
    private final RecordBuffers<String, String> buffers = new RecordBuffers<>(100, 150, wakeups::incrementAndGet);

    private void fetched(TopicPartition tp, long from, long to) {
        Map<TopicPartition, List<ConsumerRecord<String, String>>> records = new HashMap<>();
        records.put(tp, Batches.range(tp, from, to));
        buffers.addFetched(new ConsumerRecords<>(records, Map.of(tp, new OffsetAndMetadata(to))));
    }

    private Map<TopicPartition, List<ConsumerRecord<String, String>>> takeNow(int max, TopicPartition... wanted) {
        return buffers.take(max, List.of(wanted), System.nanoTime(), taken -> taken);
    }

    @Test
    void partitionsTakeTurnsSoThatNoneStarvesTheOthers() {
        buffers.assign(List.of(p0, p1));
        fetched(p0, 0, 5);
        fetched(p1, 0, 5);
        assertThat(takeNow(1).keySet()).containsExactly(p0);
        assertThat(takeNow(1).keySet()).containsExactly(p1);
        assertThat(takeNow(1).keySet()).containsExactly(p0);
        Map<TopicPartition, List<ConsumerRecord<String, String>>> rest = takeNow(100);
        assertThat(rest.get(p0)).hasSize(3);
        assertThat(rest.get(p1)).hasSize(4);
    }

    @Test
    void aTakeSharesItsMaximumEvenlyAmongThePartitionsWithRecords() {
        buffers.assign(List.of(p0, p1));
        fetched(p0, 0, 6);
        fetched(p1, 0, 6);

        Map<TopicPartition, List<ConsumerRecord<String, String>>> taken = takeNow(6);

        assertThat(taken.get(p0)).hasSize(3);
        assertThat(taken.get(p1)).hasSize(3);
    }

    @Test
    void partitionsThatCannotHandOutRecordsTakeNoShare() {
        buffers.assign(List.of(p0, p1));
        fetched(p0, 0, 6);
        fetched(p1, 0, 6);
        buffers.freeze(List.of(p1));

        assertThat(takeNow(6).get(p0)).hasSize(6);
    }

    @Test
    void frozenPartitionsHandOutNothingAndRemovedOnesAreForgotten() {
        buffers.assign(List.of(p0, p1));
        fetched(p0, 0, 5);
        fetched(p1, 0, 5);
        buffers.freeze(List.of(p0));
        assertThat(takeNow(100).keySet()).containsExactly(p1);
        buffers.remove(List.of(p0));
        assertThat(buffers.assignment()).containsExactly(p1);
        assertThatIllegalStateException().isThrownBy(() -> takeNow(1, p0)).withMessageContaining("not assigned");
        fetched(p0, 5, 10);
        assertThat(takeNow(100)).isEmpty();
    }

    private CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> waitingGet(Duration timeout,
            TopicPartition... wanted) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> get =
                CompletableFuture.supplyAsync(() -> buffers.take(100, List.of(wanted), deadline, taken -> taken));
        // a get is waiting once the application counts as busy
        await().atMost(Duration.ofSeconds(5)).until(() -> buffers.applicationIdleNanos(System.nanoTime()) == 0);
        return get;
    }

    @Test
    void aWaitingGetKeepsWaitingThroughARevocationAndTakesTheRecordsOfTheNewAssignment() throws Exception {
        buffers.assign(List.of(p0, p1));
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> waiting = waitingGet(Duration.ofSeconds(30));

        buffers.freeze(List.of(p0, p1));
        buffers.remove(List.of(p0, p1));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !waiting.isDone());
        buffers.assign(List.of(p1));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !waiting.isDone());
        fetched(p1, 0, 3);

        assertThat(waiting.get(10, TimeUnit.SECONDS).get(p1)).hasSize(3);
    }

    @Test
    void aGetWaitingThroughARevocationReturnsEmptyOnlyAtItsDeadline() throws Exception {
        buffers.assign(List.of(p0));
        long start = System.nanoTime();
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> waiting = waitingGet(Duration.ofSeconds(1));

        buffers.freeze(List.of(p0));

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(System.nanoTime() - start).as("waited for its whole timeout").isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void aGetDuringARevocationTakesTheRecordsOfThePartitionsThatStay() throws Exception {
        buffers.assign(List.of(p0, p1));
        fetched(p0, 0, 3);
        buffers.freeze(List.of(p0));
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> waiting = waitingGet(Duration.ofSeconds(30));

        fetched(p1, 0, 2);

        assertThat(waiting.get(10, TimeUnit.SECONDS)).containsOnlyKeys(p1);
    }

    @Test
    void aGetForChosenPartitionsWaitsWhileARebalanceMayGiveThemBackAndFailsOnceItDidNot() throws Exception {
        buffers.assign(List.of(p0, p1));
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> givenBack = waitingGet(Duration.ofSeconds(30), p0);
        buffers.freeze(List.of(p0, p1));
        buffers.remove(List.of(p0, p1));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !givenBack.isDone());
        buffers.assign(List.of(p0, p1));
        fetched(p0, 0, 1);
        assertThat(givenBack.get(10, TimeUnit.SECONDS).get(p0)).hasSize(1);

        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> takenAway = waitingGet(Duration.ofSeconds(30), p0);
        buffers.freeze(List.of(p0));
        buffers.remove(List.of(p0));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !takenAway.isDone());
        buffers.assign(List.of());

        assertThatThrownBy(() -> takenAway.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("revoked");
    }

    @Test
    void aRecordIsHandedOutTogetherWithItsPartitionsFetchState() {
        buffers.assign(List.of(p0));
        Map<TopicPartition, List<ConsumerRecord<String, String>>> records = new HashMap<>();
        records.put(p0, Batches.range(p0, 0, 2));

        buffers.addFetched(new ConsumerRecords<>(records, Map.of(p0, new OffsetAndMetadata(2))),
                Map.of(p0, new long[] {7, 5}), Set.of(p0), 1_000);

        assertThat(takeNow(10).get(p0)).hasSize(2);
        assertThat(buffers.read(p0, buffer -> buffer.highWatermark).longValue()).isEqualTo(7);
        assertThat(buffers.read(p0, buffer -> buffer.lastStableOffset).longValue()).isEqualTo(5);
        assertThat(buffers.read(p0, buffer -> buffer.lastPollTimestamp).longValue()).isEqualTo(1_000);
    }

    @Test
    void aFetchStateOnceKnownStaysKnownAndAPartitionNotFetchedKeepsItsPollTime() {
        buffers.assign(List.of(p0));
        buffers.addFetched(ConsumerRecords.empty(), Map.of(p0, new long[] {7, 7}), Set.of(p0), 1_000);

        buffers.addFetched(ConsumerRecords.empty(), Map.of(p0, new long[] {PartitionBuffer.UNKNOWN, PartitionBuffer.UNKNOWN}),
                Set.of(p0), 2_000);
        buffers.addFetched(ConsumerRecords.empty(), Map.of(p0, new long[] {9, 9}), Set.of(), 3_000);

        assertThat(buffers.read(p0, buffer -> buffer.highWatermark).longValue()).isEqualTo(9);
        assertThat(buffers.read(p0, buffer -> buffer.lastPollTimestamp).longValue()).as("paused at the last poll").isEqualTo(1_000);
    }

    @Test
    void aPendingErrorIsThrownOnceBeforeAnyRecord() {
        buffers.assign(List.of(p0));
        fetched(p0, 0, 5);
        buffers.setPendingError(new AuthenticationException("bad password"));
        assertThat(buffers.setPendingError(new AuthenticationException("second"))).isFalse();
        assertThatThrownBy(() -> takeNow(10)).isInstanceOf(AuthenticationException.class).hasMessage("bad password");
        assertThat(takeNow(10).get(p0)).hasSize(5);
    }

    @Test
    void aDeserializationErrorWaitsForTheRecordsBeforeItInOneCall() {
        buffers.assign(List.of(p0));
        fetched(p0, 0, 2);
        buffers.addError(Batches.poison(p0, 2));
        assertThat(takeNow(10).get(p0)).hasSize(2);
        assertThatThrownBy(() -> takeNow(10)).isInstanceOf(RecordDeserializationException.class);
        assertThat(buffers.read(p0, PartitionBuffer::position).longValue()).isEqualTo(3L);
        assertThat(takeNow(10)).isEmpty();
    }

    @Test
    void fullBuffersStopFetchingAndTakingWakesTheIoThreadOnce() {
        buffers.assign(List.of(p0, p1));
        fetched(p0, 0, 12);
        assertThat(buffers.partitionsNotToFetch()).containsExactly(p0);
        fetched(p1, 0, 4);
        assertThat(buffers.partitionsNotToFetch()).as("150 bytes in all: nothing is fetched").containsExactlyInAnyOrder(p0, p1);
        takeNow(5, p0);
        takeNow(5, p0);
        assertThat(wakeups).as("woken once per plan").hasValue(1);
        assertThat(buffers.partitionsNotToFetch()).as("p1 parked: asked for by nobody").containsExactly(p1);
    }

    @Test
    void waitingCallersAreWokenByRecordsAndByClose() throws Exception {
        buffers.assign(List.of(p0));
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> waiting = CompletableFuture.supplyAsync(
                () -> buffers.take(10, List.of(), Long.MAX_VALUE, taken -> taken));
        fetched(p0, 0, 3);
        assertThat(waiting.get(10, TimeUnit.SECONDS).get(p0)).hasSize(3);

        CompletableFuture<Object> stopped = CompletableFuture.supplyAsync(() -> buffers.take(10, List.of(), Long.MAX_VALUE, taken -> {
            throw new ConsumerStoppedException("stopped");
        }));
        buffers.close();
        assertThatThrownBy(() -> stopped.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ConsumerStoppedException.class);
        assertThatThrownBy(() -> takeNow(1)).isInstanceOf(ConsumerStoppedException.class);
    }

    @Test
    void uncommittedPositionsCoverOnlyWhatWasHandedOut() {
        buffers.assign(List.of(p0, p1));
        fetched(p0, 0, 5);
        fetched(p1, 0, 5);
        takeNow(3, p0);
        assertThat(buffers.uncommittedPositions(List.of())).containsOnlyKeys(p0);
        assertThat(buffers.uncommittedPositions(List.of()).get(p0).offset()).isEqualTo(3);
        buffers.markCommitted(Map.of(p0, new OffsetAndMetadata(3)));
        assertThat(buffers.uncommittedPositions(List.of())).isEmpty();
        assertThat(buffers.consumedPositions(List.of(p0)).get(p0).offset()).isEqualTo(3);
    }
}
