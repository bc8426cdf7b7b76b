package dev.kafkaconsumer.core.internal.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidRecordStateException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.AcquiredRecord;
import dev.kafkaconsumer.core.AcquisitionLockExpiredException;
import dev.kafkaconsumer.core.ConsumerStoppedException;
import dev.kafkaconsumer.core.ShareEngineListener;
import dev.kafkaconsumer.core.TestViews;
import dev.kafkaconsumer.core.internal.ManualTime;
import dev.kafkaconsumer.core.internal.Turning;

/**
 * The share engine's I/O side without a broker: the test turns the loop ({@link ShareIoLoop#runOnce()}) on its own
 * thread, over a {@link FakeShareConsumer} that refuses what the real one refuses in explicit mode, with a clock it
 * moves.
 */
class ShareIoLoopTest {

    private static final TopicPartition PARTITION = new TopicPartition(FakeShareConsumer.TOPIC, 0);

    private final FakeShareConsumer consumer = new FakeShareConsumer();
    private final ManualTime time = ManualTime.waiting();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final ShareEngineListener listener = new ShareEngineListener() {
        @Override
        public void acknowledged(TopicPartition partition, AcknowledgeType type, int count) {
            events.add("acknowledged " + partition + " " + type.name() + " " + count);
        }

        @Override
        public void acknowledgementFailed(TopicPartition partition, Set<Long> offsets, Exception error) {
            events.add("failed " + partition + " " + offsets + " " + error.getClass().getSimpleName());
        }

        @Override
        public void lockExpired(AcquiredRecord<?, ?> record, Duration heldFor) {
            events.add("expired " + record.offset() + " after " + heldFor.toSeconds() + " s");
        }

        @Override
        public void renewed(TopicPartition partition, int count) {
            events.add("renewed " + partition + " " + count);
        }
    };
    private ShareEngineCore<String, String> core;

    private ShareEngineCore<String, String> core(boolean lockRenewal, Duration maxLockRenewal) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("bootstrap.servers", "h:1");
        properties.put("group.id", "g");
        properties.put("client.id", "share-test");
        ShareEngineConfig config = new ShareEngineConfig(properties, new StringDeserializer(), new StringDeserializer(),
                lockRenewal, maxLockRenewal, Duration.ofMillis(100));
        core = new ShareEngineCore<>(config, consumer, listener, TestViews::view, time, false);
        core.subscribe(Set.of(FakeShareConsumer.TOPIC));
        turning(core::start);
        return core;
    }

    private ShareEngineCore<String, String> core() {
        return core(true, Duration.ofMinutes(5));
    }

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    // ---------------------------------------------------------------- polling

    @Test
    void theEnginePollsOnlyWhenAskedAndNeverWhileARecordIsUnacknowledged() {
        core();
        consumer.deliver(0, 3);
        turns(3);
        assertThat(consumer.polls).as("nobody asked for records").isZero();

        assertThat(core.getMany(Duration.ZERO, 10)).isEmpty();
        turns(2); // the first poll throws the wakeup that start() left pending, as the real consumer's does
        assertThat(consumer.polls).isEqualTo(1);
        List<AcquiredRecord<String, String>> taken = core.getMany(Duration.ZERO, 10);
        assertThat(taken).extracting(AcquiredRecord::offset).containsExactly(0L, 1L, 2L);

        consumer.deliver(3, 5);
        assertThat(core.getMany(Duration.ZERO, 10)).isEmpty();
        taken.get(0).accept();
        taken.get(1).accept();
        turns(3);
        assertThat(consumer.polls).as("a record of the last poll is not acknowledged").isEqualTo(1);

        taken.get(2).accept();
        turns(1);
        assertThat(consumer.polls).isEqualTo(2);
        assertThat(consumer.sent()).as("the poll carried the acknowledgements")
                .containsOnlyKeys(0L, 1L, 2L).containsValue(AcknowledgeType.ACCEPT);
        assertThat(consumer.commitsAsync).isZero();
        assertThat(core.getMany(Duration.ZERO, 10)).extracting(AcquiredRecord::offset).containsExactly(3L, 4L);
    }

    @Test
    void acknowledgementsWaitForTheIntervalAndLeaveTogether() {
        core();
        List<AcquiredRecord<String, String>> taken = take(3);
        taken.get(0).accept();
        turns(1);
        time.advance(Duration.ofMillis(50));
        taken.get(1).release();
        turns(1);
        assertThat(consumer.sent()).as("within the interval, while a record is in flight").isEmpty();

        time.advance(Duration.ofMillis(60));
        turns(1);
        assertThat(consumer.commitsAsync).isEqualTo(1);
        assertThat(consumer.sent()).containsExactly(Map.entry(0L, AcknowledgeType.ACCEPT), Map.entry(1L, AcknowledgeType.RELEASE));
    }

    @Test
    void acknowledgementsLeaveAtOnceWhenNothingIsLeftInFlight() {
        core();
        List<AcquiredRecord<String, String>> taken = take(2);
        taken.get(0).accept();
        taken.get(1).accept();
        turns(1);
        assertThat(consumer.sent()).containsOnlyKeys(0L, 1L);
    }

    @Test
    void whoeverAFutureWakesFindsItsAcknowledgementAlreadyCounted() {
        core();
        List<AcquiredRecord<String, String>> taken = take(1);
        CompletableFuture<Long> countedWhenConfirmed = taken.get(0).accept()
                .thenApply(confirmed -> core.snapshot().acknowledgements().get(AcknowledgeType.ACCEPT));
        turns(1);
        consumer.answer(null);
        turns(1);
        assertThat(countedWhenConfirmed).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(1L);
    }

    @Test
    void theBrokersAnswerCompletesTheFuturesAndCountsEachType() {
        core();
        List<AcquiredRecord<String, String>> taken = take(3);
        CompletableFuture<Void> accepted = taken.get(0).accept();
        CompletableFuture<Void> released = taken.get(1).release();
        CompletableFuture<Void> rejected = taken.get(2).reject();
        turns(1);
        assertThat(accepted).isNotDone();
        consumer.answer(null);
        turns(1);
        assertThat(CompletableFuture.allOf(accepted, released, rejected)).succeedsWithin(Duration.ofSeconds(5));
        assertThat(core.snapshot().acknowledgements()).containsEntry(AcknowledgeType.ACCEPT, 1L)
                .containsEntry(AcknowledgeType.RELEASE, 1L).containsEntry(AcknowledgeType.REJECT, 1L)
                .containsEntry(AcknowledgeType.RENEW, 0L);
        await().until(() -> events.size() == 3);
        assertThat(events).containsExactlyInAnyOrder("acknowledged orders-0 ACCEPT 1", "acknowledged orders-0 RELEASE 1",
                "acknowledged orders-0 REJECT 1");
        assertThat(core.snapshot().acquired()).isZero();
    }

    @Test
    void anAnswerCompletesItsFutureWhileAnotherRecordIsStillInFlight() {
        core();
        List<AcquiredRecord<String, String>> taken = take(2);
        CompletableFuture<Void> accepted = taken.get(0).accept();
        turns(1);
        time.advance(Duration.ofMillis(100));
        turns(1);
        assertThat(consumer.sent()).containsOnlyKeys(0L);
        consumer.answer(null);
        turns(1); // no poll (record 1 is in flight) and nothing to send: the loop still lets the callback run
        assertThat(accepted).succeedsWithin(Duration.ofSeconds(5));
        assertThat(consumer.polls).isEqualTo(1);
    }

    @Test
    void anAcknowledgementTheBrokerRefusesFailsItsFutureAndIsReported() {
        core();
        CompletableFuture<Void> accepted = take(1).get(0).accept();
        turns(1);
        consumer.answer(new InvalidRecordStateException("the record is not acquired"));
        turns(1);
        assertThat(accepted).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(InvalidRecordStateException.class);
        assertThat(core.snapshot().acknowledgementFailures()).isEqualTo(1);
        assertThat(core.snapshot().acknowledgements()).containsEntry(AcknowledgeType.ACCEPT, 0L);
        await().until(() -> !events.isEmpty());
        assertThat(events).containsExactly("failed orders-0 [0] InvalidRecordStateException");
    }

    @Test
    void aFinalAcknowledgementWithoutAFutureIsSentAndCountedAsOneWithAFutureIs() {
        core();
        consumer.deliver(0, 3);
        assertThat(core.getAcquisitions(Duration.ZERO, 3)).isEmpty();
        turns(2);
        List<Acquisition<String, String>> taken = core.getAcquisitions(Duration.ZERO, 3);
        assertThat(taken).hasSize(3);
        assertThat(taken.get(0).acknowledgeUnanswered(AcknowledgeType.ACCEPT)).isTrue();
        assertThat(taken.get(1).acknowledgeUnanswered(AcknowledgeType.RELEASE)).isTrue();
        CompletableFuture<Void> rejected = taken.get(2).acknowledge(AcknowledgeType.REJECT);
        assertThatThrownBy(() -> taken.get(0).acknowledgeUnanswered(AcknowledgeType.REJECT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("was already accepted");
        turns(1);
        assertThat(consumer.sent()).containsExactly(Map.entry(0L, AcknowledgeType.ACCEPT),
                Map.entry(1L, AcknowledgeType.RELEASE), Map.entry(2L, AcknowledgeType.REJECT));
        consumer.answer(null);
        turns(1);
        assertThat(rejected).succeedsWithin(Duration.ofSeconds(5));
        assertThat(core.snapshot().acknowledgements()).containsEntry(AcknowledgeType.ACCEPT, 1L)
                .containsEntry(AcknowledgeType.RELEASE, 1L).containsEntry(AcknowledgeType.REJECT, 1L);
        assertThat(core.snapshot().acquired()).isZero();
        assertThat(core.snapshot().handedOut()).isZero();
    }

    @Test
    void anAcknowledgementWithoutAFutureAfterTheLockExpiredSendsNothingAndTheExpiryIsReportedOnce() {
        core(false, Duration.ofMinutes(5));
        consumer.deliver(0, 1);
        assertThat(core.getAcquisitions(Duration.ZERO, 1)).isEmpty();
        turns(2);
        Acquisition<String, String> record = core.getAcquisitions(Duration.ZERO, 1).get(0);
        time.advance(Duration.ofSeconds(30));
        turns(1);
        assertThat(record.isExpired()).isTrue();
        assertThat(record.acknowledgeUnanswered(AcknowledgeType.ACCEPT)).as("nothing is queued").isFalse();
        turns(2);
        assertThat(consumer.acknowledgements).containsExactly("0:RELEASE");
        await().until(() -> events.contains("expired 0 after 30 s"));
        assertThat(events).containsExactly("expired 0 after 30 s");
        assertThat(core.snapshot().lockExpirations()).isEqualTo(1);
    }

    @Test
    void theFirstFinalAcknowledgementWinsAndASecondIsRefusedNamingBoth() {
        core();
        AcquiredRecord<String, String> record = take(1).get(0);
        assertThat(record.isAcknowledged()).isFalse();
        record.accept();
        assertThat(record.isAcknowledged()).isTrue();
        assertThatThrownBy(record::release).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("orders-0@0 (delivery 1) was already accepted; release is refused");
        assertThatThrownBy(record::renew).isInstanceOf(IllegalStateException.class).hasMessageContaining("renew is refused");
        turns(1);
        assertThat(consumer.acknowledgements).containsExactly("0:ACCEPT");
    }

    @Test
    void theDeliveryCountIsTheRecordsAndCountedBySnapshot() {
        core();
        consumer.deliverOne(0, 3);
        AcquiredRecord<String, String> record = askAndPoll(1).get(0);
        assertThat(record.deliveryCount()).isEqualTo(3);
        assertThat(core.snapshot().deliveryCounts()).containsExactly(Map.entry(3, 1L));
        assertThat(core.snapshot().acquired()).isEqualTo(1);
        assertThat(core.snapshot().handedOut()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- locks

    @Test
    void aRecordNotYetAcknowledgedIsRenewedWhenHalfItsLockHasPassed() {
        core();
        AcquiredRecord<String, String> record = take(1).get(0);
        assertThat(core.acquisitionLockTimeout()).contains(Duration.ofSeconds(30));
        time.advance(Duration.ofSeconds(14));
        turns(1);
        assertThat(consumer.acknowledgements).isEmpty();
        time.advance(Duration.ofSeconds(1));
        turns(1);
        assertThat(consumer.acknowledgements).containsExactly("0:RENEW");
        assertThat(consumer.sent()).as("a renewal leaves at once").containsExactly(Map.entry(0L, AcknowledgeType.RENEW));
        consumer.answer(null);
        turns(2);
        await().until(() -> events.contains("renewed orders-0 1"));

        time.advance(Duration.ofSeconds(15));
        turns(1);
        assertThat(consumer.acknowledgements).as("the lock restarted with the renewal").containsExactly("0:RENEW", "0:RENEW");
        consumer.answer(null);
        turns(2);
        CompletableFuture<Void> accepted = record.accept();
        turns(1);
        consumer.answer(null);
        turns(1);
        assertThat(accepted).succeedsWithin(Duration.ofSeconds(5));
        assertThat(core.snapshot().acknowledgements()).containsEntry(AcknowledgeType.RENEW, 2L).containsEntry(AcknowledgeType.ACCEPT, 1L);
        assertThat(core.snapshot().lockExpirations()).isZero();
    }

    @Test
    void anAcknowledgementMadeWhileItsRecordRenewsWaitsUntilThePollReturnsIt() {
        core();
        AcquiredRecord<String, String> record = take(1).get(0);
        time.advance(Duration.ofSeconds(15));
        turns(1);
        CompletableFuture<Void> accepted = record.accept();
        turns(2);
        assertThat(consumer.acknowledgements).as("the consumer cannot take it while it renews").containsExactly("0:RENEW");
        consumer.answer(null);
        turns(2);
        assertThat(consumer.acknowledgements).containsExactly("0:RENEW", "0:ACCEPT");
        consumer.answer(null);
        turns(1);
        assertThat(accepted).succeedsWithin(Duration.ofSeconds(5));
    }

    @Test
    void aRecordHeldLongerThanMaxLockRenewalIsNotRenewedAndExpires() {
        core(true, Duration.ofSeconds(40));
        AcquiredRecord<String, String> record = take(1).get(0);
        for (int renewal = 0; renewal < 2; renewal++) {
            time.advance(Duration.ofSeconds(15));
            turns(1);
            consumer.answer(null);
            turns(2);
        }
        assertThat(consumer.acknowledgements).containsExactly("0:RENEW", "0:RENEW");
        time.advance(Duration.ofSeconds(15)); // 45 s after its acquisition
        turns(1);
        assertThat(consumer.acknowledgements).containsExactly("0:RENEW", "0:RENEW");
        time.advance(Duration.ofSeconds(15)); // the last renewal's lock passes
        turns(1);
        assertThat(consumer.acknowledgements).containsExactly("0:RENEW", "0:RENEW", "0:RELEASE");
        await().until(() -> events.contains("expired 0 after 60 s"));
        assertThat(record.accept()).isCompletedExceptionally();
    }

    @Test
    void withoutRenewalARecordWhoseLockPassesExpiresOnceAndItsAcceptSendsNothing() {
        core(false, Duration.ofMinutes(5));
        AcquiredRecord<String, String> record = take(1).get(0);
        time.advance(Duration.ofMillis(28_999));
        turns(1);
        assertThat(consumer.acknowledgements).isEmpty();
        time.advance(Duration.ofMillis(1));
        turns(3);
        assertThat(consumer.acknowledgements).as("released 1 s before the broker's 30 s lock ends, so that the release"
                + " reaches the broker while the record is still this delivery's, and the next poll is allowed")
                .containsExactly("0:RELEASE");
        await().until(() -> events.contains("expired 0 after 29 s"));

        assertThat(record.accept()).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(AcquisitionLockExpiredException.class)
                .withMessageContaining("orders-0@0 (delivery 1) expired 29000 ms after it was acquired");
        assertThatThrownBy(record::accept).as("the accept counts as the record's final acknowledgement")
                .isInstanceOf(IllegalStateException.class);
        consumer.answer(new InvalidRecordStateException("the lock had expired"));
        turns(3);
        assertThat(consumer.acknowledgements).containsExactly("0:RELEASE");
        assertThat(events).containsExactly("expired 0 after 29 s");
        assertThat(core.snapshot().lockExpirations()).isEqualTo(1);
        assertThat(core.snapshot().acknowledgementFailures()).as("the refused release is expected").isZero();
        assertThat(core.snapshot().acquired()).isZero();
        assertThat(core.snapshot().handedOut()).isZero();
    }

    @Test
    void theNextDeliverysAcceptWaitsForTheAnswerToTheExpiredDeliverysReleaseAndEachAnswerGoesToItsOwn() {
        AcquiredRecord<String, String> again = deliveredAgainAfterItsLockExpired();
        assertThat(again.deliveryCount()).isEqualTo(2);
        CompletableFuture<Void> accepted = again.accept();
        turns(3);
        assertThat(consumer.acknowledgements).as("kafka-clients would merge an accept sent now with the unanswered "
                + "release, and answer the two once").containsExactly("0:RELEASE");
        assertThat(consumer.polls).as("the accept is still to be sent: no poll").isEqualTo(2);

        consumer.answer(null); // the release's answer, apart from the accept's
        turns(3);
        assertThat(consumer.acknowledgements).containsExactly("0:RELEASE", "0:ACCEPT");
        assertThat(accepted).as("the release's answer is not the accept's").isNotDone();
        consumer.answer(new InvalidRecordStateException("the record was no longer this delivery's"));
        turns(3);

        assertThat(accepted).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(InvalidRecordStateException.class);
        await().until(() -> events.contains("failed orders-0 [0] InvalidRecordStateException"));
        assertThat(events).containsExactly("expired 0 after 29 s", "failed orders-0 [0] InvalidRecordStateException");
        assertThat(core.snapshot().acknowledgements()).containsEntry(AcknowledgeType.ACCEPT, 0L)
                .containsEntry(AcknowledgeType.RELEASE, 0L);
        assertThat(core.snapshot().acknowledgementFailures()).isEqualTo(1);
    }

    @Test
    void aReleaseStillUnansweredAfterASecondIsTakenAsMergedWithTheNextDeliverysAccept() {
        core(false, Duration.ofMinutes(5));
        consumer.deliver(0, 2);
        List<AcquiredRecord<String, String>> first = askAndPoll(2);
        first.get(1).accept();
        time.advance(Duration.ofSeconds(29));
        consumer.deliverOne(0, 2);
        consumer.deliverOne(2, 1);
        List<AcquiredRecord<String, String>> again = askAndPoll(2);
        assertThat(again).extracting(AcquiredRecord::offset).containsExactly(0L, 2L);
        again.get(1).accept();
        CompletableFuture<Void> accepted = again.get(0).accept();
        turns(3);
        assertThat(consumer.acknowledgements).as("only the accept after an unanswered release waits")
                .containsExactly("1:ACCEPT", "0:RELEASE", "2:ACCEPT");

        time.advance(Duration.ofMillis(999)); // kafka-clients still holds the release: no answer comes
        turns(3);
        assertThat(consumer.acknowledgements).containsExactly("1:ACCEPT", "0:RELEASE", "2:ACCEPT");
        time.advance(Duration.ofMillis(1));
        turns(3);
        assertThat(consumer.acknowledgements).containsExactly("1:ACCEPT", "0:RELEASE", "2:ACCEPT", "0:ACCEPT");

        consumer.answer(null); // one answer for offset 0: the release and the accept went as one
        turns(3);
        assertThat(accepted).succeedsWithin(Duration.ofSeconds(5));
        await().until(() -> events.contains("acknowledged orders-0 ACCEPT 3"));
        assertThat(core.snapshot().acknowledgements()).containsEntry(AcknowledgeType.ACCEPT, 3L)
                .containsEntry(AcknowledgeType.RELEASE, 0L);
        assertThat(core.snapshot().acknowledgementFailures()).isZero();
    }

    @Test
    void theStopSendsADeferredAcceptAtOnce() {
        deliveredAgainAfterItsLockExpired().accept();
        turns(3);
        assertThat(consumer.acknowledgements).containsExactly("0:RELEASE");

        stop();

        assertThat(consumer.acknowledgements).containsExactly("0:RELEASE", "0:ACCEPT");
        assertThat(consumer.commitsSync).isEqualTo(1);
    }

    @Test
    void aRecordWaitingToBeTakenWhoseLockPassesIsNeverHandedOut() {
        core(false, Duration.ofMinutes(5));
        consumer.deliver(0, 2);
        askAndPoll(1).get(0).accept();
        time.advance(Duration.ofSeconds(30));
        turns(1);
        assertThat(core.getMany(Duration.ZERO, 1)).isEmpty();
        await().until(() -> events.contains("expired 1 after 30 s"));
        assertThat(consumer.acknowledgements).containsExactly("0:ACCEPT", "1:RELEASE");
    }

    // ---------------------------------------------------------------- errors and stop

    @Test
    void aPollErrorReachesTheNextGetCallOnce() {
        core();
        consumer.failNextPoll(new TopicAuthorizationException(Set.of(FakeShareConsumer.TOPIC)));
        consumer.deliver(0, 1);
        assertThat(core.getMany(Duration.ZERO, 1)).isEmpty();
        turns(2);
        assertThatThrownBy(() -> core.getMany(Duration.ZERO, 1)).isInstanceOf(TopicAuthorizationException.class);
        assertThat(core.getMany(Duration.ZERO, 1)).isEmpty();
        time.advance(Duration.ofSeconds(1)); // the back-off
        turns(1);
        assertThat(core.getMany(Duration.ZERO, 1)).hasSize(1);
    }

    @Test
    void stopReleasesWhatIsHeldAndSendsItWithCommitSync() {
        core();
        consumer.deliver(0, 3);
        List<AcquiredRecord<String, String>> taken = askAndPoll(2);
        taken.get(0).accept();
        stop();
        assertThat(consumer.acknowledgements).containsExactlyInAnyOrder("0:ACCEPT", "1:RELEASE", "2:RELEASE");
        assertThat(consumer.commitsSync).isEqualTo(1);
        assertThat(consumer.sent()).containsOnlyKeys(0L, 1L, 2L);
        assertThat(consumer.closed).isTrue();
        assertThat(taken.get(1).accept()).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(ConsumerStoppedException.class);
        assertThat(core.snapshot().acquired()).isZero();
        assertThat(core.isRunning()).isFalse();
        assertThatThrownBy(() -> core.getMany(Duration.ZERO, 1)).isInstanceOf(ConsumerStoppedException.class);
    }

    @Test
    void aSubscriptionTheIoThreadDoesNotReachInTimeIsNotApplied() throws Exception {
        core();
        CompletableFuture<Void> subscribing = CompletableFuture.runAsync(() -> core.subscribe(Set.of("other")), callers);
        await().until(() -> !subscribing.isDone() && time.hasWaiters());
        time.advance(Duration.ofSeconds(60));
        assertThat(subscribing).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(TimeoutException.class)
                .withMessageContaining("subscribe([other]) did not complete within 60000 ms (default.api.timeout.ms)")
                .withMessageContaining("not applied");
        turns(1);
        assertThat(consumer.subscription()).containsExactly(FakeShareConsumer.TOPIC);
        assertThat(core.subscription()).containsExactly(FakeShareConsumer.TOPIC);
    }

    // ---------------------------------------------------------------- helpers

    /** Delivers {@code count} records (offsets from 0) and takes them. */
    private List<AcquiredRecord<String, String>> take(int count) {
        consumer.deliver(0L, count);
        List<AcquiredRecord<String, String>> taken = askAndPoll(count);
        assertThat(taken).hasSize(count);
        return taken;
    }

    /** A get that finds nothing, the turns of the loop that poll for it, and a get that takes up to {@code max}. */
    private List<AcquiredRecord<String, String>> askAndPoll(int max) {
        assertThat(core.getMany(Duration.ZERO, max)).isEmpty();
        turns(2); // the first poll after start() throws the wakeup it left pending, as the real consumer's does
        return core.getMany(Duration.ZERO, max);
    }

    /**
     * Without renewal, a record whose lock expires, and its second delivery, which the poll that sends the expiry's
     * release brings.
     */
    private AcquiredRecord<String, String> deliveredAgainAfterItsLockExpired() {
        core(false, Duration.ofMinutes(5));
        take(1);
        time.advance(Duration.ofSeconds(29));
        consumer.deliverOne(0, 2);
        return askAndPoll(1).get(0);
    }

    private void turns(int count) {
        for (int i = 0; i < count; i++) {
            core.io().runOnce();
        }
    }

    /** Makes a call on a caller thread while the test thread turns the loop, until the call returns. */
    private <T> T turning(Callable<T> call) {
        return Turning.turning(callers, () -> core.io().runOnce(), call);
    }

    private void turning(Runnable call) {
        turning(() -> {
            call.run();
            return null;
        });
    }

    /** Stops the engine from a caller thread, the test thread running the loop to its end. */
    private void stop() {
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> core.stop(Duration.ofSeconds(1)), callers);
        await().until(core.io()::isStopRequested);
        core.io().run();
        assertThat(stopped).succeedsWithin(Duration.ofSeconds(10));
    }
}
