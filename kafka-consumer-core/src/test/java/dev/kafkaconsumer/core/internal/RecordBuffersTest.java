package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.InterruptException;
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
                Map.of(p0, ends(7, 5)), Set.of(p0), 1_000);

        assertThat(takeNow(10).get(p0)).hasSize(2);
        assertThat(buffers.read(p0, buffer -> buffer.highWatermark).longValue()).isEqualTo(7);
        assertThat(buffers.read(p0, buffer -> buffer.lastStableOffset).longValue()).isEqualTo(5);
        assertThat(buffers.read(p0, buffer -> buffer.lastPollTimestamp).longValue()).isEqualTo(1_000);
    }

    @Test
    void aFetchStateOnceKnownStaysKnownAndAPartitionNotFetchedKeepsItsPollTime() {
        buffers.assign(List.of(p0));
        buffers.addFetched(ConsumerRecords.empty(), Map.of(p0, ends(7, 7)), Set.of(p0), 1_000);

        buffers.addFetched(ConsumerRecords.empty(), Map.of(p0, EndOffsetsProbe.Ends.UNKNOWN),
                Set.of(p0), 2_000);
        buffers.addFetched(ConsumerRecords.empty(), Map.of(p0, ends(9, 9)), Set.of(), 3_000);

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
        assertThat(buffers.planFetching().notToFetch()).containsExactly(p0);
        fetched(p1, 0, 4);
        assertThat(buffers.planFetching().notToFetch()).as("150 bytes in all: nothing is fetched").containsExactlyInAnyOrder(p0, p1);
        takeNow(5, p0);
        takeNow(5, p0);
        assertThat(wakeups).as("woken once per plan").hasValue(1);
        assertThat(buffers.planFetching().notToFetch()).as("p1 parked: asked for by nobody").containsExactly(p1);
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
        await().atMost(Duration.ofSeconds(5)).until(() -> buffers.applicationIdleNanos(System.nanoTime()) == 0);
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

    @Test
    void addingAPollTellsWhetherAnyRecordBecameAvailableToTake() {
        buffers.assign(List.of(p0));
        Map<TopicPartition, List<ConsumerRecord<String, String>>> none = new HashMap<>();
        none.put(p0, List.of());
        Map<TopicPartition, List<ConsumerRecord<String, String>>> forP1 = new HashMap<>();
        forP1.put(p1, Batches.range(p1, 0, 2));
        Map<TopicPartition, List<ConsumerRecord<String, String>>> forP0 = new HashMap<>();
        forP0.put(p0, Batches.range(p0, 5, 7));

        assertThat(buffers.addFetched(ConsumerRecords.empty())).as("an empty poll").isFalse();
        assertThat(buffers.addFetched(new ConsumerRecords<>(none, Map.of(p0, new OffsetAndMetadata(5)))))
                .as("past a transaction marker, without records").isFalse();
        assertThat(buffers.read(p0, PartitionBuffer::position).longValue()).isEqualTo(5);
        assertThat(buffers.addFetched(new ConsumerRecords<>(forP1, Map.of(p1, new OffsetAndMetadata(2)))))
                .as("records of a partition not assigned").isFalse();
        assertThat(buffers.bufferedBytes()).isZero();
        assertThat(buffers.addFetched(new ConsumerRecords<>(forP0, Map.of(p0, new OffsetAndMetadata(7))))).isTrue();
        assertThat(buffers.bufferedBytes()).isEqualTo(20);
    }

    @Test
    void theBytesBufferedFollowEveryFetchTakeSeekAndRemoval() {
        buffers.assign(List.of(p0, p1));
        fetched(p0, 0, 5);
        fetched(p1, 0, 3);
        assertThat(buffers.bufferedBytes()).isEqualTo(80);

        takeNow(2, p0);
        assertThat(buffers.bufferedBytes()).isEqualTo(60);
        buffers.reset(p1, 10);
        assertThat(buffers.bufferedBytes()).isEqualTo(30);
        buffers.remove(List.of(p0));
        assertThat(buffers.bufferedBytes()).isZero();
    }

    @Test
    void theFetchStateOfAPartitionNotAssignedIsIgnored() {
        buffers.assign(List.of(p0));

        assertThat(buffers.addFetched(ConsumerRecords.empty(), Map.of(p1, ends(7, 7)), Set.of(p1), 1_000)).isFalse();

        assertThat(buffers.assignment()).containsExactly(p0);
        assertThat(buffers.read(p0, buffer -> buffer.highWatermark).longValue()).isEqualTo(PartitionBuffer.UNKNOWN);
    }

    @Test
    void aPartitionPausedByTheApplicationIsNeitherFetchedNorHandedOutAndResumingItWakesAWaitingGet() throws Exception {
        buffers.assign(List.of(p0, p1));
        fetched(p0, 0, 3);
        buffers.setPausedByUser(List.of(p0), true);

        assertThat(buffers.pausedByUser()).containsExactly(p0);
        assertThat(takeNow(10)).isEmpty();
        assertThat(buffers.planFetching().notToFetch()).containsExactly(p0);
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> waiting = waitingGet(Duration.ofSeconds(30), p0);

        buffers.setPausedByUser(List.of(p0), false);

        assertThat(waiting.get(10, TimeUnit.SECONDS).get(p0)).hasSize(3);
        assertThat(buffers.pausedByUser()).isEmpty();
    }

    @Test
    void pausingAPartitionNotAssignedFailsAndPausesNone() {
        buffers.assign(List.of(p0));

        assertThatIllegalStateException().isThrownBy(() -> buffers.setPausedByUser(List.of(p0, p1), true))
                .withMessageContaining("t-1");

        assertThat(buffers.pausedByUser()).isEmpty();
    }

    @Test
    void theApplicationIsIdleOnlyBetweenItsGetCalls() {
        AtomicLong now = new AtomicLong(1_000);
        RecordBuffers<String, String> timed = new RecordBuffers<>(100, 150, () -> { }, now::get);
        timed.assign(List.of(p0));
        now.addAndGet(500);
        assertThat(timed.applicationIdleNanos(now.get())).isEqualTo(500);

        timed.take(10, List.of(), 0, taken -> taken);
        now.addAndGet(30);
        assertThat(timed.applicationIdleNanos(now.get())).as("since the get ended").isEqualTo(30);

        timed.poll(10, List.of());
        assertThat(timed.applicationIdleNanos(now.get())).as("a poll for a pending get counts").isZero();

        now.addAndGet(70);
        timed.touch();
        assertThat(timed.applicationIdleNanos(now.get())).isZero();
    }

    @Test
    void anUndefinedStartPointIsNewsOnceAndASeekEndsTheWait() {
        buffers.assign(List.of(p0));

        assertThat(buffers.markAwaitingSeek(List.of(p1))).as("not assigned").isFalse();
        assertThat(buffers.markAwaitingSeek(List.of(p0))).isTrue();
        assertThat(buffers.markAwaitingSeek(List.of(p0))).isFalse();
        assertThat(buffers.planFetching().notToFetch()).containsExactly(p0);

        buffers.reset(p0, 3);

        assertThat(buffers.planFetching().notToFetch()).isEmpty();
        assertThat(buffers.markAwaitingSeek(List.of(p0))).isTrue();
    }

    @Test
    void anErrorOfTheIoThreadWakesAWaitingGetWhichThrowsIt() {
        buffers.assign(List.of(p0));
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> waiting = waitingGet(Duration.ofSeconds(30));

        assertThat(buffers.setPendingError(new AuthenticationException("bad password"))).isTrue();

        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(AuthenticationException.class);
    }

    @Test
    void anUndeserializableRecordWakesAWaitingGetWhichThrowsItAndOneOfAPartitionNotAssignedIsIgnored() {
        buffers.assign(List.of(p0));
        buffers.addError(Batches.poison(p1, 0));
        assertThat(takeNow(10)).isEmpty();
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> waiting = waitingGet(Duration.ofSeconds(30));

        buffers.addError(Batches.poison(p0, 4));

        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RecordDeserializationException.class);
        assertThat(buffers.read(p0, PartitionBuffer::position).longValue()).isEqualTo(5);
    }

    @Test
    void anUndeserializableRecordInOnePartitionWaitsForTheRecordsThatOthersHandOutInTheSameCall() {
        buffers.assign(List.of(p0, p1));
        fetched(p0, 0, 2);
        buffers.addError(Batches.poison(p1, 0));

        assertThat(takeNow(10)).containsOnlyKeys(p0);
        assertThatThrownBy(() -> takeNow(10)).isInstanceOf(RecordDeserializationException.class);
    }

    @Test
    void aGetForChosenPartitionsTakesFromThemInTheirOrderUpToItsMaximum() {
        buffers.assign(List.of(p0, p1));
        fetched(p0, 0, 3);
        fetched(p1, 0, 3);

        Map<TopicPartition, List<ConsumerRecord<String, String>>> taken = takeNow(4, p1, p0);

        assertThat(taken.keySet()).containsExactly(p1, p0);
        assertThat(taken.get(p1)).hasSize(3);
        assertThat(taken.get(p0)).hasSize(1);
    }

    @Test
    void aGetForChosenPartitionsSkipsThosePausedOrFrozen() {
        buffers.assign(List.of(p0, p1));
        fetched(p0, 0, 3);
        fetched(p1, 0, 3);
        buffers.setPausedByUser(List.of(p0), true);
        buffers.freeze(List.of(p1));

        assertThat(takeNow(10, p0, p1)).isEmpty();
    }

    @Test
    void aGetWaitingForPartitionsRemovedOutsideARebalanceFailsAtOnce() throws Exception {
        buffers.assign(List.of(p0, p1));
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> waiting = waitingGet(Duration.ofSeconds(30), p0);

        buffers.remove(List.of(p0));

        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("revoked");
    }

    @Test
    void aWaitingGetThatIsInterruptedThrowsKafkasInterruptExceptionAndKeepsItsThreadInterrupted() throws Exception {
        buffers.assign(List.of(p0));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        Thread getter = new Thread(() -> {
            thrown.set(catchThrowable(() -> buffers.take(10, List.of(), Long.MAX_VALUE, taken -> taken)));
            interrupted.set(Thread.currentThread().isInterrupted());
        });
        getter.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> buffers.applicationIdleNanos(System.nanoTime()) == 0);

        getter.interrupt();
        getter.join(10_000);

        assertThat(thrown.get()).isInstanceOf(InterruptException.class);
        assertThat(interrupted.get()).isTrue();
        assertThat(buffers.applicationIdleNanos(System.nanoTime() + 1_000)).as("the get ended").isPositive();
    }

    @Test
    void noOperationLeavesTheLockHeld() throws Exception {
        buffers.assign(List.of(p0));
        fetched(p0, 0, 2);
        takeNow(1);
        buffers.poll(1, List.of());
        buffers.addFetched(ConsumerRecords.empty(), Map.of(p0, ends(2, 2)), Set.of(p0), 1);
        buffers.read(p0, PartitionBuffer::position);
        buffers.markCommitted(Map.of());
        buffers.requireAssigned(List.of(p0));
        catchThrowable(() -> buffers.requireAssigned(List.of(p1)));
        buffers.close();
        catchThrowable(() -> takeNow(1));
        catchThrowable(() -> buffers.poll(1, List.of()));

        assertThat(CompletableFuture.supplyAsync(buffers::bufferedBytes).get(10, TimeUnit.SECONDS))
                .as("another thread takes the lock").isZero();
    }

    @Test
    void takingWakesTheIoThreadOutsideTheLockSoThatItsWakeUpCanTakeTheLock() {
        AtomicReference<RecordBuffers<String, String>> self = new AtomicReference<>();
        AtomicReference<Long> seenByAnotherThread = new AtomicReference<>();
        self.set(new RecordBuffers<>(100, 150, () -> seenByAnotherThread.set(
                CompletableFuture.supplyAsync(() -> self.get().bufferedBytes()).orTimeout(10, TimeUnit.SECONDS).join())));
        self.get().assign(List.of(p0));
        Map<TopicPartition, List<ConsumerRecord<String, String>>> records = new HashMap<>();
        records.put(p0, Batches.range(p0, 0, 10));
        self.get().addFetched(new ConsumerRecords<>(records, Map.of(p0, new OffsetAndMetadata(10))));
        assertThat(self.get().planFetching().notToFetch()).containsExactly(p0);

        self.get().take(1, List.of(), System.nanoTime(), taken -> taken);

        assertThat(seenByAnotherThread.get()).isEqualTo(90);
    }

    @Test
    void aPollForAPendingGetWakesTheIoThreadOncePerPlanToo() {
        buffers.assign(List.of(p0));
        fetched(p0, 0, 12);
        buffers.planFetching();

        buffers.poll(5, List.of());
        buffers.poll(5, List.of());

        assertThat(wakeups).hasValue(1);
        buffers.planFetching();
        buffers.poll(1, List.of());
        assertThat(wakeups).as("nothing was paused by the latest plan").hasValue(1);
    }

    @Test
    void aParkedPartitionAskedForAgainWakesTheIoThread() {
        buffers.assign(List.of(p0, p1));
        takeNow(1, p0);
        fetched(p1, 0, 2);
        fetched(p0, 0, 2);
        assertThat(buffers.planFetching().notToFetch()).as("nobody asked for either since their records came")
                .containsExactlyInAnyOrder(p0, p1);

        takeNow(1, p0);

        assertThat(wakeups).hasValue(1);
        assertThat(buffers.planFetching().notToFetch()).containsExactly(p1);
    }

    @Test
    void aGetForAllPartitionsUnparksEveryPartition() {
        buffers.assign(List.of(p0, p1));
        takeNow(1, p0);
        fetched(p1, 0, 2);
        assertThat(buffers.planFetching().notToFetch()).containsExactly(p1);

        buffers.poll(1, List.of(p0));
        assertThat(wakeups).as("p1 is still not asked for").hasValue(0);
        assertThat(buffers.planFetching().notToFetch()).containsExactly(p1);

        assertThat(takeNow(1)).containsOnlyKeys(p1);
        assertThat(wakeups).hasValue(1);
        assertThat(buffers.planFetching().notToFetch()).isEmpty();
    }

    @Test
    void aRemovedPartitionNoLongerCountsAsPausedByTheLatestPlan() {
        buffers.assign(List.of(p0, p1));
        fetched(p0, 0, 12);
        buffers.planFetching();
        buffers.remove(List.of(p0));
        buffers.assign(List.of(p0));
        fetched(p1, 0, 1);

        takeNow(1, p1);

        assertThat(wakeups).as("p0's new buffer was never paused").hasValue(0);
    }

    @Test
    void theAssignmentAndTheNotAssignedErrorNameThePartitions() {
        buffers.assign(List.of(p0));

        assertThat(buffers.assignment()).containsExactly(p0);
        assertThatIllegalStateException().isThrownBy(() -> buffers.read(p1, PartitionBuffer::position))
                .withMessage("Partition t-1 is not assigned to this consumer; assigned: [t-0]");
        assertThatIllegalStateException().isThrownBy(() -> buffers.reset(p1, 0));
    }

    @Test
    void positionsOfPartitionsNotAssignedAreLeftOutAndTheirCommitsIgnored() {
        buffers.assign(List.of(p0));
        fetched(p0, 0, 3);
        takeNow(3);

        buffers.markCommitted(Map.of(p1, new OffsetAndMetadata(2)));

        assertThat(buffers.uncommittedPositions(List.of(p0, p1))).containsOnlyKeys(p0);
        assertThat(buffers.consumedPositions(List.of(p1))).isEmpty();
    }

    @Test
    void whileAllBuffersTogetherStayFullTakingDoesNotWakeTheIoThread() {
        buffers.assign(List.of(p0, p1));
        fetched(p0, 0, 12);
        fetched(p1, 0, 4);
        assertThat(buffers.planFetching().notToFetch()).as("160 of 150 bytes").containsExactlyInAnyOrder(p0, p1);

        takeNow(1, p0);
        assertThat(wakeups).as("150 of 150 bytes: nothing may be fetched, though p1 is below its own bound").hasValue(0);

        takeNow(1, p0);
        assertThat(wakeups).as("140 of 150 bytes").hasValue(1);
    }

    @Test
    void recordsFetchedBelowWhereThePartitionWasAreATruncationFoundOnceWithTheCommittedOffsetAndTheNewLogEnd() {
        buffers.assign(List.of(p0, p1));
        fetched(p0, 0, 10);
        fetched(p1, 0, 3);
        takeNow(100, p0);
        buffers.markCommitted(Map.of(p0, new OffsetAndMetadata(10)));
        fetched(p0, 10, 12);
        assertThat(buffers.drainTruncations()).as("records where they were expected").isEmpty();

        // kafka-clients found the log truncated at 6 and moved the position back there
        fetched(p0, 6, 8);
        assertThat(buffers.drainTruncations()).containsExactly(new RecordBuffers.Truncation(p0, 12, 10, 6, PartitionBuffer.UNKNOWN));
        assertThat(buffers.drainTruncations()).as("reported once").isEmpty();
        assertThat(takeNow(100, p0).get(p0)).as("records 10 and 11 are gone from the log").extracting(ConsumerRecord::offset)
                .containsExactly(6L, 7L);
        assertThat(buffers.uncommittedPositions(List.of(p0)).get(p0).offset()).as("committed again, below the earlier commit")
                .isEqualTo(8);
        fetched(p1, 3, 5);
        assertThat(buffers.drainTruncations()).isEmpty();
    }

    @Test
    void aPositionMovedBackWithoutRecordsIsATruncationToo() {
        buffers.assign(List.of(p0));
        fetched(p0, 0, 10);
        takeNow(100, p0);
        buffers.addFetched(new ConsumerRecords<>(Map.of(), Map.of(p0, new OffsetAndMetadata(4))));
        assertThat(buffers.drainTruncations()).extracting(RecordBuffers.Truncation::resumedAt).containsExactly(4L);
    }

    @Test
    void aSoughtPartitionIsNoTruncation() {
        buffers.assign(List.of(p0));
        fetched(p0, 0, 10);
        takeNow(100, p0);
        buffers.reset(p0, 2);
        fetched(p0, 2, 4);
        assertThat(buffers.drainTruncations()).isEmpty();
    }

    // ---------------------------------------------------------------- the container's take, bounded per partition

    private Map<TopicPartition, List<ConsumerRecord<String, String>>> takeNow(int max, ToIntFunction<TopicPartition> room) {
        return buffers.take(max, room, System.nanoTime(), taken -> taken);
    }

    @Test
    void aTakeWithRoomTakesNoMoreOfAPartitionThanItsRoomAndLeavesOutThoseWithout() {
        buffers.assign(List.of(p0, p1));
        fetched(p0, 0, 5);
        fetched(p1, 0, 5);

        Map<TopicPartition, List<ConsumerRecord<String, String>>> taken = takeNow(10, partition -> partition.equals(p0) ? 0 : 2);

        assertThat(taken).containsOnlyKeys(p1);
        assertThat(taken.get(p1)).extracting(ConsumerRecord::offset).containsExactly(0L, 1L);
        assertThat(takeNow(10, partition -> 10).get(p0)).as("p0 kept its turn and its records").hasSize(5);
    }

    @Test
    void aPartitionLeftOutForWantOfRoomIsNotParked() {
        buffers.assign(List.of(p0, p1));
        fetched(p0, 0, 2);
        fetched(p1, 0, 2);

        takeNow(10, partition -> partition.equals(p0) ? 0 : 10);

        assertThat(buffers.planFetching().notToFetch()).as("p0 is fetched on, up to its bytes bound (a get for p1 alone would "
                + "park it)").isEmpty();
        fetched(p0, 2, 12);
        assertThat(buffers.planFetching().notToFetch()).as("at its bytes bound").containsExactly(p0);
    }

    @Test
    void aTakeWaitingForRoomAsksAgainWhenToldThatRoomChanged() throws Exception {
        buffers.assign(List.of(p0));
        fetched(p0, 0, 5);
        AtomicInteger room = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> waiting =
                CompletableFuture.supplyAsync(() -> buffers.take(100, partition -> room.get(), deadline, taken -> taken));
        await().atMost(Duration.ofSeconds(5)).until(() -> buffers.applicationIdleNanos(System.nanoTime()) == 0);

        room.set(3);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !waiting.isDone());
        buffers.roomChanged();

        assertThat(waiting.get(10, TimeUnit.SECONDS).get(p0)).hasSize(3);
    }

    private static EndOffsetsProbe.Ends ends(long highWatermark, long lastStableOffset) {
        return new EndOffsetsProbe.Ends(highWatermark, lastStableOffset, PartitionBuffer.UNKNOWN);
    }
}
