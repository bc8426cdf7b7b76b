package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    @Test
    void aWaitingGetReturnsWhenARevocationBeginsAndNoGetWithATimeoutWaitsUntilItEnds() throws Exception {
        buffers.assign(List.of(p0, p1));
        long inTenSeconds = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> waiting =
                CompletableFuture.supplyAsync(() -> buffers.take(100, List.of(), inTenSeconds, taken -> taken));
        // a get is waiting once the application counts as busy
        await().atMost(Duration.ofSeconds(5)).until(() -> buffers.applicationIdleNanos(System.nanoTime()) == 0);

        buffers.freeze(List.of(p0));

        // the revocation's listener may wait for whoever holds this get: it must not be kept for ten seconds
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEmpty();
        long start = System.nanoTime();
        assertThat(buffers.take(100, List.of(), inTenSeconds, taken -> taken)).isEmpty();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
        fetched(p1, 0, 3);
        assertThat(buffers.take(100, List.of(), inTenSeconds, taken -> taken).get(p1)).hasSize(3);

        buffers.remove(List.of(p0));
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> afterwards =
                CompletableFuture.supplyAsync(() -> buffers.take(100, List.of(), inTenSeconds, taken -> taken));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !afterwards.isDone());
        fetched(p1, 3, 4);
        assertThat(afterwards.get(5, TimeUnit.SECONDS).get(p1)).hasSize(1);
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
