package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.ConsumerStoppedException;

/** Asynchronous gets over real buffers, with a scheduler the test drives: nothing here waits. */
class PendingGetsTest {

    private final TopicPartition p0 = new TopicPartition("t", 0);
    private final TopicPartition p1 = new TopicPartition("t", 1);
    private final RecordBuffers<String, String> buffers = new RecordBuffers<>(1_000, 10_000, () -> { });
    private final ManualScheduler callbacks = new ManualScheduler();
    private final PendingGets<String, String> gets = new PendingGets<>(buffers, callbacks);

    @BeforeEach
    void assignTwoPartitions() {
        buffers.assign(List.of(p0, p1));
    }

    private void fetched(TopicPartition tp, long from, long to) {
        Map<TopicPartition, List<ConsumerRecord<String, String>>> records = new HashMap<>();
        records.put(tp, Batches.range(tp, from, to));
        buffers.addFetched(new ConsumerRecords<>(records, Map.of(tp, new OffsetAndMetadata(to))));
    }

    private CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> getMany(int max,
            TopicPartition... wanted) {
        return gets.add(max, List.of(wanted), Duration.ofSeconds(5), false);
    }

    @Test
    void aGetIsServedAtOnceWhenRecordsAreBufferedAlready() {
        fetched(p0, 0, 3);

        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> get = getMany(10);
        callbacks.runTasks();

        assertThat(get).isCompleted();
        assertThat(get.join().get(p0)).extracting(ConsumerRecord::offset).containsExactly(0L, 1L, 2L);
        assertThat(gets.isEmpty()).isTrue();
    }

    @Test
    void aGetWaitsUntilAServeFindsRecordsForIt() {
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> get = getMany(10);
        callbacks.runTasks();
        assertThat(get).isNotDone();
        assertThat(gets.isEmpty()).as("a waiting get counts as the application asking").isFalse();

        gets.serve();
        callbacks.runTasks();
        assertThat(get).as("nothing came yet").isNotDone();

        fetched(p1, 0, 2);
        gets.serve();
        callbacks.runTasks();

        assertThat(get.join()).containsOnlyKeys(p1);
        assertThat(gets.isEmpty()).isTrue();
    }

    @Test
    void eachGetTakesAtMostItsMaximumFromItsOwnPartitions() {
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> fromP1 = getMany(2, p1);
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> fromAll = getMany(2);
        fetched(p0, 0, 5);
        fetched(p1, 0, 5);

        gets.serve();
        callbacks.runTasks();

        assertThat(fromP1.join().get(p1)).extracting(ConsumerRecord::offset).containsExactly(0L, 1L);
        assertThat(fromAll.join().values().stream().mapToInt(List::size).sum()).isEqualTo(2);
        assertThat(buffers.bufferedBytes()).as("6 of 10 records are left").isEqualTo(60);
    }

    @Test
    void recordsCompleteAGetOnTheCallbackThreadNotOnTheThreadServingIt() {
        fetched(p0, 0, 1);
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> get = getMany(10);

        assertThat(get).as("served, but not completed by the serving thread").isNotDone();
        assertThat(callbacks.runTasks()).isEqualTo(1);
        assertThat(get).isCompleted();
    }

    @Test
    void aTimedGetExpiresEmptyAtItsTimeoutAndThenTakesNothing() {
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> get = getMany(10);
        assertThat(callbacks.scheduled()).singleElement().extracting(ManualScheduler.Scheduled::delay)
                .isEqualTo(Duration.ofSeconds(5));

        callbacks.scheduled().get(0).task().run();
        callbacks.runTasks();
        fetched(p0, 0, 3);
        gets.serve();

        assertThat(get.join()).isEmpty();
        assertThat(gets.isEmpty()).isTrue();
        assertThat(buffers.bufferedBytes()).as("the expired get took nothing").isEqualTo(30);
    }

    @Test
    void anExpiryAfterTheGetWasServedChangesNothing() {
        fetched(p0, 0, 1);
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> get = getMany(10);
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> other = getMany(10);

        callbacks.scheduled().get(0).task().run();
        callbacks.runTasks();

        assertThat(get.join()).containsOnlyKeys(p0);
        assertThat(other).as("the other get still waits").isNotDone();
        assertThat(gets.isEmpty()).isFalse();
    }

    @Test
    void aGetWithoutTimeoutWaitsWithoutExpiryAndANegativeTimeoutExpiresAtOnce() {
        gets.add(1, List.of(), null, true);
        assertThat(callbacks.scheduled()).isEmpty();

        gets.add(1, List.of(), Duration.ofMillis(-5), false);
        assertThat(callbacks.scheduled()).singleElement().extracting(ManualScheduler.Scheduled::delay)
                .isEqualTo(Duration.ZERO);
    }

    @Test
    void onStopAGetOneFailsAndAGetManyReturnsNothing() {
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> one = gets.add(1, List.of(), null, true);
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> many = getMany(10);

        gets.closeAll();
        gets.serve();
        callbacks.runTasks();

        assertThat(gets.isEmpty()).as("ended gets are forgotten").isTrue();
        assertThat(one).isCompletedExceptionally();
        assertThat(one.handle((records, error) -> error)).isCompletedWithValueMatching(
                error -> error instanceof ConsumerStoppedException);
        assertThat(many.join()).isEmpty();
        assertThat(gets.isEmpty()).isTrue();
    }

    @Test
    void aGetServedAfterTheBuffersClosedEndsAsOnStop() {
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> one = gets.add(1, List.of(), null, true);
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> many = getMany(10);
        buffers.close();

        gets.serve();
        callbacks.runTasks();

        assertThat(one.handle((records, error) -> error)).isCompletedWithValueMatching(
                error -> error instanceof ConsumerStoppedException);
        assertThat(many.join()).isEmpty();
        assertThat(gets.isEmpty()).isTrue();
    }

    @Test
    void anErrorOfTheIoThreadFailsTheFirstWaitingGetOnly() {
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> first = getMany(10);
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> second = getMany(10);
        buffers.setPendingError(new AuthenticationException("bad password"));

        gets.serve();
        callbacks.runTasks();

        assertThat(first.handle((records, error) -> error)).isCompletedWithValueMatching(
                error -> error instanceof AuthenticationException && error.getMessage().equals("bad password"));
        assertThat(second).isNotDone();
        assertThat(gets.isEmpty()).isFalse();
    }

    @Test
    void aGetForAPartitionNotAssignedIsRefusedAtOnce() {
        assertThatIllegalStateException().isThrownBy(() -> getMany(1, new TopicPartition("t", 9)))
                .withMessageContaining("not assigned");
        assertThat(gets.isEmpty()).isTrue();
        assertThat(callbacks.scheduled()).isEmpty();
    }

    @Test
    void onceTheCallbackThreadIsGoneGetsCompleteOnTheThreadThatEndsThem() {
        fetched(p0, 0, 1);
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> waiting = getMany(10, p1);
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> failing = getMany(10, p1);
        callbacks.shutdown();

        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> one =
                gets.add(1, List.of(p0), null, true);
        buffers.setPendingError(new AuthenticationException("bad password"));
        gets.serve();
        gets.closeAll();

        assertThat(one.join()).containsOnlyKeys(p0);
        assertThat(waiting.handle((records, error) -> error)).isCompletedWithValueMatching(
                error -> error instanceof AuthenticationException);
        assertThat(failing.join()).isEmpty();
        assertThat(callbacks.pendingTasks()).isZero();
    }

    @Test
    void aGetThatFailedWithAnErrorIsNotCompletedAgain() {
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> get = getMany(10);
        buffers.setPendingError(new AuthenticationException("bad password"));
        gets.serve();
        fetched(p0, 0, 1);
        gets.serve();
        callbacks.runTasks();

        assertThat(get).isCompletedExceptionally();
        assertThatCompletion(get);
        assertThat(buffers.bufferedBytes()).as("the record waits for the next get").isEqualTo(10);
    }

    @Test
    void aGetItsCallerCancelledOrTimedOutTakesNoRecordsThatNobodyWouldReceive() {
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> cancelled = getMany(10);
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> timedOut = getMany(10);
        cancelled.cancel(false);
        timedOut.completeExceptionally(new java.util.concurrent.TimeoutException("as orTimeout does"));
        fetched(p0, 0, 3);

        gets.serve();
        callbacks.runTasks();

        assertThat(buffers.bufferedBytes()).as("the records wait for a get that someone receives").isEqualTo(30);
        assertThat(buffers.uncommittedPositions(List.of())).as("nothing was handed out").isEmpty();
        assertThat(gets.isEmpty()).as("abandoned gets no longer count as the application asking").isTrue();
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> next = getMany(10);
        callbacks.runTasks();
        assertThat(next.join().get(p0)).hasSize(3);
    }

    @Test
    void aTimedGetRacingWithStopEndsAsOnStopInsteadOfThrowingTheSchedulersRejection() {
        callbacks.shutdown();

        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> get = getMany(10);

        assertThat(get.join()).isEmpty();
        assertThat(gets.isEmpty()).isTrue();
    }

    private static void assertThatCompletion(CompletableFuture<?> future) {
        assertThat(future.handle((value, error) -> error instanceof CompletionException ? error.getCause() : error))
                .isCompletedWithValueMatching(AuthenticationException.class::isInstance);
    }
}
