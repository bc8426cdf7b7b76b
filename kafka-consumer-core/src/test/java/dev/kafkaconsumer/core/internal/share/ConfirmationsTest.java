package dev.kafkaconsumer.core.internal.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRecordStateException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.ShareEngineListener;
import dev.kafkaconsumer.core.TestViews;
import dev.kafkaconsumer.core.internal.CallbackExecutor;

/**
 * The commit callback's side of the share engine's bookkeeping, without a consumer: records placed in
 * {@link PolledBatch}es as a poll would, acknowledgements marked and sent as the held records do, and answers as
 * kafka-clients gives them (a partition's offsets of one request, in no particular order, with one outcome).
 */
class ConfirmationsTest {

    private static final TopicPartition PARTITION = new TopicPartition("orders", 0);
    private static final TopicIdPartition ID_PARTITION = new TopicIdPartition(Uuid.ONE_UUID, PARTITION);

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final CallbackExecutor callbacks = new CallbackExecutor("confirmations-test");
    private final ShareTally tally = new ShareTally();
    private final Confirmations confirmations = new Confirmations(new ShareEvents(new ShareEngineListener() {
        @Override
        public void acknowledged(TopicPartition partition, AcknowledgeType type, int count) {
            events.add(type.name() + " " + count);
        }

        @Override
        public void acknowledgementFailed(TopicPartition partition, Set<Long> offsets, Exception error) {
            events.add("failed " + offsets);
        }

        @Override
        public void renewed(TopicPartition partition, int count) {
            events.add("RENEW " + count);
        }
    }, callbacks, tally, "confirmations-test"));
    private final List<String> renewalsFailed = new ArrayList<>();

    ConfirmationsTest() {
        confirmations.renewals((batch, index, error) -> renewalsFailed.add(batch.record(index).offset() + ""));
    }

    @AfterEach
    void shutdown() {
        callbacks.shutdown();
    }

    @Test
    void consecutiveOffsetsAreFoundByIndexAndOffsetsWithGapsBySearch() {
        PolledBatch consecutive = batch(10, 11, 12);
        PolledBatch gapped = batch(20, 23, 24, 30);
        assertThat(consecutive.indexOf(11)).isEqualTo(1);
        assertThat(consecutive.indexOf(9)).isEqualTo(-1);
        assertThat(consecutive.indexOf(13)).isEqualTo(-1);
        assertThat(gapped.indexOf(23)).isEqualTo(1);
        assertThat(gapped.indexOf(30)).isEqualTo(3);
        assertThat(gapped.indexOf(21)).isEqualTo(-1);
        assertThat(gapped.indexOf(31)).isEqualTo(-1);
    }

    @Test
    void anAnswerCountsEachTypeOncePerRecordAndSkipsOffsetsNeverSent() {
        PolledBatch batch = batch(0, 1, 2, 3);
        send(batch, 0, AcknowledgeType.ACCEPT);
        send(batch, 1, AcknowledgeType.ACCEPT);
        send(batch, 2, AcknowledgeType.REJECT);
        send(batch, 3, AcknowledgeType.RELEASE);
        assertThat(confirmations.size()).isEqualTo(4);

        // 7: a gap the consumer acknowledged by itself
        confirmations.onComplete(Map.of(ID_PARTITION, Set.of(3L, 7L, 0L, 2L, 1L)), null);

        assertThat(confirmations.size()).isZero();
        await().until(() -> events.size() == 3);
        assertThat(events).containsExactlyInAnyOrder("ACCEPT 2", "RELEASE 1", "REJECT 1");
        assertThat(batch.isDone()).isTrue();
        assertThat(confirmations.batches().of(PARTITION)).as("a batch nothing needs is dropped").isEmpty();
    }

    @Test
    void aRecordAcknowledgedAgainBeforeItsFirstAnswerIsAnsweredInTheOrderSentWithItsFutures() {
        PolledBatch first = batch(5);
        send(first, 0, AcknowledgeType.RELEASE);
        PolledBatch again = batch(5); // delivered again, before the release was answered
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        send(again, 0, AcknowledgeType.ACCEPT, accepted);

        confirmations.onComplete(Map.of(ID_PARTITION, Set.of(5L)), null);
        await().until(() -> events.contains("RELEASE 1"));
        assertThat(accepted).as("the release is the older").isNotDone();
        assertThat(again.isDone()).isFalse();

        confirmations.onComplete(Map.of(ID_PARTITION, Set.of(5L)), null);
        assertThat(accepted).succeedsWithin(Duration.ofSeconds(5));
        assertThat(events).containsExactly("RELEASE 1", "ACCEPT 1");
        assertThat(confirmations.batches().of(PARTITION)).isEmpty();
    }

    @Test
    void theReleaseOfAnExpiredRecordTakesTheFirstAnswerOfItsOffsetAndTheNextDeliverysAcceptTheSecond() {
        PolledBatch expired = batch(7);
        expired.state(0, PolledBatch.MARKED);
        expired.mark(0, AcknowledgeType.RELEASE, Confirmations.Origin.EXPIRY);
        expired.sent(0, List.of());
        expired.state(0, PolledBatch.NONE);
        confirmations.sent(1);
        PolledBatch again = batch(7);
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        send(again, 0, AcknowledgeType.ACCEPT, accepted);

        confirmations.onComplete(Map.of(ID_PARTITION, Set.of(7L)), null);
        assertThat(accepted).as("the first answer is the release's, which is not counted").isNotDone();
        assertThat(confirmations.size()).isEqualTo(1);
        confirmations.onComplete(Map.of(ID_PARTITION, Set.of(7L)), new InvalidRecordStateException("taken back"));

        assertThat(accepted).failsWithin(Duration.ofSeconds(5));
        await().until(() -> events.size() == 1);
        assertThat(events).containsExactly("failed [7]");
        assertThat(confirmations.size()).isZero();
        assertThat(confirmations.batches().of(PARTITION)).isEmpty();
    }

    @Test
    void twoAcknowledgementsOfOneRecordUnansweredAtOnceStayInOrder() {
        PolledBatch batch = batch(0);
        send(batch, 0, AcknowledgeType.RENEW);
        batch.state(0, PolledBatch.MARKED); // the renewed record came back and was accepted before the renewal's answer
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        batch.mark(0, AcknowledgeType.ACCEPT, Confirmations.Origin.APPLICATION);
        batch.sent(0, List.of(accepted));
        confirmations.sent(1);

        confirmations.onComplete(Map.of(ID_PARTITION, Set.of(0L)), null);
        await().until(() -> events.contains("RENEW 1"));
        assertThat(accepted).isNotDone();
        confirmations.onComplete(Map.of(ID_PARTITION, Set.of(0L)), null);
        assertThat(accepted).succeedsWithin(Duration.ofSeconds(5));
        assertThat(confirmations.size()).isZero();
    }

    @Test
    void aRefusedAnswerIsReportedOnceWithItsOffsetsExceptTheExpectedRefusalOfAnExpiredRecordsRelease() {
        PolledBatch batch = batch(0, 1, 2);
        send(batch, 0, AcknowledgeType.ACCEPT);
        batch.mark(1, AcknowledgeType.RELEASE, Confirmations.Origin.EXPIRY);
        batch.sent(1, List.of());
        batch.state(1, PolledBatch.NONE);
        confirmations.sent(1);
        send(batch, 2, AcknowledgeType.RENEW);

        confirmations.onComplete(Map.of(ID_PARTITION, Set.of(0L, 1L, 2L)), new InvalidRecordStateException("not acquired"));

        await().until(() -> !events.isEmpty());
        assertThat(events).containsExactly("failed [0, 2]");
        assertThat(renewalsFailed).containsExactly("2");
        assertThat(tally.acknowledgementFailures()).isEqualTo(2);
    }

    @Test
    void theFuturesOfWhatWasNeverAnsweredFailWhenTheEngineStops() {
        PolledBatch batch = batch(0, 1);
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        send(batch, 0, AcknowledgeType.ACCEPT, accepted);
        send(batch, 1, AcknowledgeType.ACCEPT);

        confirmations.failAll(new IllegalStateException("stopped"));

        assertThat(accepted).failsWithin(Duration.ofSeconds(5));
        assertThat(confirmations.size()).isZero();
        assertThat(confirmations.batches().of(PARTITION)).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    /** One poll's records of the partition at these offsets, placed in a batch as the held records do. */
    private PolledBatch batch(long... offsets) {
        List<Acquisition<String, String>> records = new ArrayList<>();
        for (long offset : offsets) {
            ConsumerRecord<String, String> record = new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), offset, -1L,
                    TimestampType.NO_TIMESTAMP_TYPE, -1, -1, "k", "v", new RecordHeaders(), Optional.empty(),
                    Optional.of((short) 1));
            records.add(new Acquisition<>(record, PARTITION, 0L, new Inbox(() -> { }), tally, TestViews::view));
        }
        PolledBatch batch = new PolledBatch(PARTITION, records, 0L);
        batch.startLocks(-1);
        confirmations.batches().add(batch);
        return batch;
    }

    private void send(PolledBatch batch, int index, AcknowledgeType type) {
        send(batch, index, type, null);
    }

    /** Marks and sends one acknowledgement of the application, as the held records do. */
    private void send(PolledBatch batch, int index, AcknowledgeType type, CompletableFuture<Void> future) {
        batch.state(index, PolledBatch.MARKED);
        batch.mark(index, type, Confirmations.Origin.APPLICATION);
        batch.sent(index, future == null ? List.of() : List.of(future));
        batch.state(index, type == AcknowledgeType.RENEW ? PolledBatch.RENEWING : PolledBatch.NONE);
        confirmations.sent(1);
    }
}
