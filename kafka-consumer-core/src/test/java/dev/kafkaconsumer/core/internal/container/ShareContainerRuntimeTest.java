package dev.kafkaconsumer.core.internal.container;

import static org.apache.kafka.clients.consumer.AcknowledgeType.ACCEPT;
import static org.apache.kafka.clients.consumer.AcknowledgeType.REJECT;
import static org.apache.kafka.clients.consumer.AcknowledgeType.RELEASE;
import static org.apache.kafka.clients.consumer.AcknowledgeType.RENEW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.Completions;
import dev.kafkaconsumer.core.ConsumerStoppedException;
import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.FailedRecord;
import dev.kafkaconsumer.core.RecordProcessor;
import dev.kafkaconsumer.core.Recoverer;
import dev.kafkaconsumer.core.RetryPolicy;
import dev.kafkaconsumer.core.ShareAcknowledgement;
import dev.kafkaconsumer.core.ShareContainerSnapshot;

/**
 * The share container's rules over a stand-in engine and broker ({@link FakeShareEngine}), no broker: what each
 * outcome acknowledges, retries in place, redeliveries up to the delivery limit, recovery, manual acknowledgement,
 * lock expiry, concurrency, the in-flight bound, start, stop and failures.
 */
class ShareContainerRuntimeTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final Duration STOP = Duration.ofSeconds(5);

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<FailedRecord<String, String>> recovered = new CopyOnWriteArrayList<>();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final AtomicBoolean recovererClosed = new AtomicBoolean();
    private FakeShareEngine engine;
    private ShareContainerRuntime<String, String> runtime;
    private int deliveryLimit = 5;

    @AfterEach
    void stopTheContainer() {
        if (runtime != null) {
            runtime.stop(Duration.ofSeconds(1));
        }
    }

    /** Tells {@link #events} what listeners hear. */
    private final ContainerListener listener = new ContainerListener() {
        @Override
        public void recordsTaken(String container, TopicPartition partition, int count) {
            events.add("taken " + count);
        }

        @Override
        public void retrying(String container, TopicPartition partition, int attempt) {
            events.add("retrying after " + attempt);
        }

        @Override
        public void recovered(String container, FailedRecord<?, ?> failed, String recoverer) {
            events.add("recovered " + failed.offset() + " by " + recoverer);
        }

        @Override
        public void acknowledged(String container, TopicPartition partition, AcknowledgeType type, int count) {
            events.add(type.name() + " " + count);
        }

        @Override
        public void lockExpired(String container, TopicPartition partition, long offset, int deliveryCount) {
            events.add("lock expired " + offset + "/" + deliveryCount);
        }
    };

    /** Takes every record it is given into {@link #recovered}. */
    private final Recoverer<String, String> recoverer = new Recoverer<>() {
        @Override
        public void recover(FailedRecord<String, String> failed) {
            recovered.add(failed);
        }

        @Override
        public String kind() {
            return "test";
        }

        @Override
        public void close() {
            recovererClosed.set(true);
        }
    };

    /** Values "bad" cannot be deserialized. */
    private static final Deserializer<String> PICKY = (topic, data) -> {
        String value = new String(data, StandardCharsets.UTF_8);
        if (value.equals("bad")) {
            throw new IllegalArgumentException("not a string I accept");
        }
        return value;
    };

    /** Handles records into {@link #handled}, three deliveries at most, no back-off between attempts. */
    private ShareContainerConfig.Builder<String, String> config() {
        return ShareContainerConfig.builder("c", new StringDeserializer(), PICKY)
                .property("group.id", "g").property("bootstrap.servers", "127.0.0.1:9").topics(List.of("t"))
                .recordProcessor(RecordProcessor.of(record -> handled.add(record.value()))).recoverer(recoverer)
                .retryPolicy(RetryPolicy.fixed(2, Duration.ZERO)).maxDeliveries(3).listener(listener);
    }

    private ShareContainerRuntime<String, String> runtime(ShareContainerConfig.Builder<String, String> config) {
        runtime = new ShareContainerRuntime<>(config.build(), events -> engine = new FakeShareEngine(events, deliveryLimit),
                listener -> this.events.add("started"), listener -> this.events.add("stopped"));
        return runtime;
    }

    private ShareContainerRuntime<String, String> running(ShareContainerConfig.Builder<String, String> config) {
        ShareContainerRuntime<String, String> container = runtime(config);
        container.start();
        await().until(container::state, state -> state == ContainerState.RUNNING);
        return container;
    }

    /** A recoverer whose recoveries complete with the stage given, as a dead-letter send does. */
    private static Recoverer<String, String> recoveringWith(CompletableFuture<?> stage) {
        return new Recoverer<>() {
            @Override
            public void recover(FailedRecord<String, String> failed) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<?> recoverAsync(FailedRecord<String, String> failed) {
                return stage;
            }
        };
    }

    private static RecordProcessor<String, String> failingOn(String value, AtomicInteger calls) {
        return RecordProcessor.of(record -> {
            if (record.value().equals(value)) {
                calls.incrementAndGet();
                throw new IllegalStateException("cannot handle " + value);
            }
        });
    }

    // ---------------------------------------------------------------- outcomes

    @Test
    void aRecordHandledIsAcceptedAndCountedOnce() {
        ShareContainerRuntime<String, String> container = running(config());

        engine.produce(P0, "a", "b");
        engine.produce(P1, "c");

        await().until(() -> engine.acks.size() == 3);
        assertThat(handled).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(engine.acks).extracting(FakeShareEngine.Ack::type).containsOnly(ACCEPT);
        ShareContainerSnapshot snapshot = container.snapshot();
        assertThat(snapshot.acknowledgements()).containsEntry(ACCEPT, 3L).containsEntry(RELEASE, 0L);
        assertThat(snapshot.deliveryCounts()).containsExactly(Map.entry(1, 3L));
        assertThat(snapshot.inFlight()).isZero();
        assertThat(events).contains("ACCEPT 1").doesNotContain("RELEASE 1");
    }

    @Test
    void theWorkersTakeRecordsThemselvesWithinTheInFlightBound() {
        running(config().maxInFlight(4));

        engine.produce(P0, "a", "b", "c", "d", "e", "f", "g", "h", "i", "j");

        await().until(() -> engine.acks.size() == 10);
        assertThat(handled).hasSize(10);
        // records are taken again on the worker that made room, not handed over by the dispatcher
        assertThat(engine.takes).anySatisfy(take -> assertThat(take).startsWith("kafka-consumer-worker-c-"));
        assertThat(engine.takes).allSatisfy(take -> assertThat(Integer.parseInt(take.substring(take.indexOf(':') + 1)))
                .isBetween(1, 4));
    }

    @Test
    void aFailingRecordIsRetriedInPlaceThenReleasedUntilItsLastDeliveryThenRecoveredAndRejected() {
        AtomicInteger calls = new AtomicInteger();
        List<Integer> deliveriesSeen = new CopyOnWriteArrayList<>();
        running(config().recordProcessor((record, acknowledgement) -> {
            deliveriesSeen.add(record.deliveryCount().orElseThrow().intValue());
            return failingOn("poison", calls).process(record, acknowledgement);
        }));

        engine.produce(P0, "poison");

        await().until(() -> engine.acks.size() == 3);
        // two attempts per delivery; released on deliveries 1 and 2; recovered and rejected on 3, never again
        assertThat(engine.acks).extracting(Object::toString).containsExactly("0/1 RELEASE", "0/2 RELEASE", "0/3 REJECT");
        assertThat(deliveriesSeen).containsExactly(1, 1, 2, 2, 3, 3);
        assertThat(calls).hasValue(6);
        assertThat(recovered).singleElement().satisfies(failed -> {
            assertThat(failed.attempts()).isEqualTo(2);
            assertThat(failed.raw().deliveryCount()).contains((short) 3);
            assertThat(failed.record().deliveryCount()).contains((short) 3);
            assertThat(failed.failure()).hasMessage("cannot handle poison");
        });
        assertThat(events).containsSubsequence("retrying after 1", "RELEASE 1", "retrying after 1", "RELEASE 1",
                "retrying after 1", "recovered 0 by test", "REJECT 1");
        assertThat(engine.handedOut()).isZero();
        assertThat(runtime.snapshot().recovered()).isEqualTo(1);
        assertThat(runtime.snapshot().deliveryCounts()).containsExactly(Map.entry(1, 1L), Map.entry(2, 1L), Map.entry(3, 1L));
    }

    @Test
    void aRecordThatSucceedsOnALaterDeliveryIsAccepted() {
        AtomicInteger calls = new AtomicInteger();
        running(config().retryPolicy(RetryPolicy.none()).recordProcessor(RecordProcessor.of(record -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("not yet");
            }
        })));

        engine.produce(P0, "a");

        await().until(() -> engine.acks.size() == 2);
        assertThat(engine.acks).extracting(Object::toString).containsExactly("0/1 RELEASE", "0/2 ACCEPT");
        assertThat(recovered).isEmpty();
    }

    @Test
    void aFailureThatNoRetryCanCureGoesToTheRecovererOnItsFirstDelivery() {
        AtomicInteger calls = new AtomicInteger();
        running(config().recordProcessor(RecordProcessor.of(record -> {
            calls.incrementAndGet();
            throw new ClassCastException("a bug");
        })));

        engine.produce(P0, "a");

        await().until(() -> engine.acks.size() == 1);
        assertThat(engine.acks).extracting(Object::toString).containsExactly("0/1 REJECT");
        assertThat(calls).hasValue(1);
        assertThat(recovered).singleElement().extracting(FailedRecord::attempts).isEqualTo(1);
    }

    @Test
    void aRecordThatCannotBeDeserializedGoesToTheRecovererAtOnceWithItsBytes() {
        running(config());

        engine.produce(P0, "bad", "good");

        await().until(() -> engine.acks.size() == 2);
        assertThat(engine.acks).extracting(Object::toString).containsExactlyInAnyOrder("0/1 REJECT", "1/1 ACCEPT");
        assertThat(handled).containsExactly("good");
        assertThat(recovered).singleElement().satisfies(failed -> {
            assertThat(failed.deserializationFailed()).isTrue();
            assertThat(failed.attempts()).isZero();
            assertThat(new String(failed.raw().value(), StandardCharsets.UTF_8)).isEqualTo("bad");
        });
    }

    @Test
    void aRecovererThatFailsReleasesTheRecordAndTheContainerGoesOn() {
        deliveryLimit = 4;
        AtomicInteger recoveries = new AtomicInteger();
        running(config().retryPolicy(RetryPolicy.none()).maxDeliveries(2)
                .recordProcessor(failingOn("poison", new AtomicInteger())).recoverer(failed -> {
                    recoveries.incrementAndGet();
                    throw new IllegalStateException("the dead-letter topic is down");
                }));

        engine.produce(P0, "poison", "fine");

        // released on delivery 1 (below the limit), then on 2, 3 and 4 because the recoverer fails; the broker's own
        // limit (4 here) archives it after that
        await().until(() -> engine.offsets(RELEASE).size() == 4);
        assertThat(engine.acks).filteredOn(ack -> ack.offset() == 0).extracting(Object::toString)
                .containsExactly("0/1 RELEASE", "0/2 RELEASE", "0/3 RELEASE", "0/4 RELEASE");
        assertThat(recoveries).hasValue(3);
        assertThat(engine.offsets(ACCEPT)).containsExactly(1L);
        assertThat(runtime.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(runtime.snapshot().recovered()).isZero();
    }

    @Test
    void aRecoveryThatCompletesLaterHoldsTheRecordInFlightThenRejectsIt() {
        CompletableFuture<Void> deadLetterSent = new CompletableFuture<>();
        running(config().maxDeliveries(1).recordProcessor(failingOn("poison", new AtomicInteger()))
                .recoverer(recoveringWith(deadLetterSent)));

        engine.produce(P0, "poison");

        await().until(() -> runtime.snapshot().inFlight() == 1 && engine.handedOut() == 1);
        assertThat(engine.acks).isEmpty();
        deadLetterSent.complete(null);
        await().until(() -> engine.acks.size() == 1);
        assertThat(engine.acks).extracting(Object::toString).containsExactly("0/1 REJECT");
        assertThat(runtime.snapshot().inFlight()).isZero();
    }

    @Test
    void aRecoveryThatFailsLaterReleasesTheRecord() {
        deliveryLimit = 1;
        running(config().maxDeliveries(1).recordProcessor(failingOn("poison", new AtomicInteger()))
                .recoverer(recoveringWith(CompletableFuture.supplyAsync(() -> {
                    throw new KafkaException("the dead-letter topic is down");
                }))));

        engine.produce(P0, "poison");

        await().until(() -> engine.acks.size() == 1);
        assertThat(engine.acks).extracting(Object::toString).containsExactly("0/1 RELEASE");
        await().until(() -> runtime.snapshot().inFlight() == 0);
    }

    @Test
    void anAsynchronousProcessorsRecordIsAcceptedWhenItsStageCompletes() {
        CompletableFuture<Void> stage = new CompletableFuture<>();
        running(config().recordProcessor((record, acknowledgement) -> stage));

        engine.produce(P0, "a");

        await().until(() -> runtime.snapshot().inFlight() == 1);
        assertThat(engine.acks).isEmpty();
        stage.complete(null);
        await().until(() -> engine.acks.size() == 1);
        assertThat(engine.acks).extracting(Object::toString).containsExactly("0/1 ACCEPT");
    }

    // ---------------------------------------------------------------- manual acknowledgement

    @Test
    void aShareHandlerAcknowledgesEachRecordAsItSays() {
        running(config().shareHandler((record, acknowledgement) -> {
            switch (record.value()) {
                case "accept" -> acknowledgement.accept();
                case "reject" -> acknowledgement.reject();
                default -> {
                    if (record.deliveryCount().orElseThrow() == 1) {
                        acknowledgement.release();
                    } else {
                        acknowledgement.accept();
                    }
                }
            }
        }));

        engine.produce(P0, "accept", "reject", "again");

        await().until(() -> engine.acks.size() == 4);
        assertThat(engine.acks).extracting(Object::toString)
                .containsExactlyInAnyOrder("0/1 ACCEPT", "1/1 REJECT", "2/1 RELEASE", "2/2 ACCEPT");
        assertThat(recovered).isEmpty();
    }

    @Test
    void aShareHandlerThatReturnsWithoutAcknowledgingHoldsTheRecordUntilItDoesAndOnlyTheFirstAcknowledgementCounts() {
        AtomicReference<ShareAcknowledgement> later = new AtomicReference<>();
        running(config().shareHandler((record, acknowledgement) -> later.set(acknowledgement)));

        engine.produce(P0, "a");

        await().until(() -> later.get() != null && runtime.snapshot().inFlight() == 1);
        assertThat(engine.acks).isEmpty();
        later.get().renew();
        later.get().accept();
        later.get().reject();
        later.get().renew();

        assertThat(engine.acks).extracting(Object::toString).containsExactly("0/1 RENEW", "0/1 ACCEPT");
        assertThat(engine.refused).as("acknowledgements the container sent after the first final one").isEmpty();
        assertThat(runtime.snapshot().inFlight()).isZero();
    }

    @Test
    void aShareHandlerThatThrowsBeforeAcknowledgingFailsLikeAnyHandler() {
        AtomicInteger calls = new AtomicInteger();
        running(config().maxDeliveries(1).shareHandler((record, acknowledgement) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("no");
        }));

        engine.produce(P0, "a");

        await().until(() -> engine.acks.size() == 1);
        assertThat(calls).hasValue(2);
        assertThat(engine.acks).extracting(Object::toString).containsExactly("0/1 REJECT");
        assertThat(recovered).hasSize(1);
    }

    @Test
    void aShareHandlerThatThrowsAfterAcknowledgingIsNeitherRetriedNorRecovered() {
        AtomicInteger calls = new AtomicInteger();
        running(config().shareHandler((record, acknowledgement) -> {
            calls.incrementAndGet();
            acknowledgement.accept();
            throw new IllegalStateException("after the fact");
        }));

        engine.produce(P0, "a");

        await().until(() -> engine.acks.size() == 1);
        await().during(Duration.ofMillis(200)).until(() -> engine.acks.size() == 1 && calls.get() == 1);
        assertThat(engine.acks).extracting(Object::toString).containsExactly("0/1 ACCEPT");
        assertThat(recovered).isEmpty();
    }

    @Test
    void aHeldRecordWhoseLockExpiresIsInFlightNoMoreAndItsLateAcknowledgementIsNotSent() {
        AtomicReference<ShareAcknowledgement> later = new AtomicReference<>();
        running(config().shareHandler((record, acknowledgement) -> {
            if (record.deliveryCount().orElseThrow() == 1) {
                later.set(acknowledgement);
            } else {
                acknowledgement.accept();
            }
        }));
        engine.produce(P0, "a");
        await().until(() -> later.get() != null && runtime.snapshot().inFlight() == 1);

        engine.expire(P0, 0);

        await().until(() -> engine.acks.size() == 1);
        assertThat(engine.acks).extracting(Object::toString).containsExactly("0/2 ACCEPT");
        assertThat(runtime.snapshot().inFlight()).isZero();
        later.get().accept();
        assertThat(engine.acks).hasSize(1);
        assertThat(engine.refused).as("acknowledgements sent for the expired delivery").isEmpty();
        assertThat(events).contains("lock expired 0/1");
        assertThat(runtime.snapshot().lockExpirations()).isEqualTo(1);
    }

    @Test
    void aRecordWhoseLockExpiresWhileItsManualHandlerRunsIsNotHeldInFlightAfterTheHandlerReturns() {
        AtomicReference<ShareAcknowledgement> later = new AtomicReference<>();
        running(config().shareHandler((record, acknowledgement) -> {
            if (record.deliveryCount().orElseThrow() == 1) {
                engine.expire(P0, 0); // reported before the delivery is held: it must find out by itself
                later.set(acknowledgement);
            } else {
                acknowledgement.accept();
            }
        }));
        engine.produce(P0, "a");

        await().until(() -> engine.acks.size() == 1);
        assertThat(engine.acks).extracting(Object::toString).containsExactly("0/2 ACCEPT");
        await().until(() -> runtime.snapshot().inFlight() == 0);
        later.get().accept();
        assertThat(engine.acks).hasSize(1);
        assertThat(engine.refused).as("acknowledgements sent for the expired delivery").isEmpty();
    }

    @Test
    void aRecordWhoseLockExpiresWhileItsHandlerRunsIsNotAcknowledgedWhenTheHandlerSucceeds() {
        running(config().recordProcessor(RecordProcessor.of(record -> {
            if (record.deliveryCount().orElseThrow() == 1) {
                engine.expire(P0, 0);
            }
        })));
        engine.produce(P0, "a");

        await().until(() -> engine.acks.size() == 1);
        await().during(Duration.ofMillis(200)).until(() -> engine.acks.size() == 1);
        assertThat(engine.acks).extracting(Object::toString).containsExactly("0/2 ACCEPT");
        assertThat(engine.refused).as("acknowledgements sent for the expired delivery").isEmpty();
        assertThat(runtime.snapshot().inFlight()).isZero();
    }

    @Test
    void aRecordWhoseLockExpiresWhileItWaitsForARetryIsNotRetriedAnyMore() {
        List<Integer> deliveries = new CopyOnWriteArrayList<>();
        running(config().retryPolicy(RetryPolicy.fixed(3, Duration.ofMillis(500))).recordProcessor(RecordProcessor.of(record -> {
            int delivery = record.deliveryCount().orElseThrow();
            deliveries.add(delivery);
            if (delivery == 1) {
                throw new IllegalStateException("not yet");
            }
        })));
        engine.produce(P0, "a");
        await().until(() -> deliveries.size() == 1);

        engine.expire(P0, 0);

        await().until(() -> engine.acks.size() == 1);
        await().during(Duration.ofMillis(700)).until(() -> deliveries.size() == 2);
        assertThat(deliveries).containsExactly(1, 2);
        assertThat(engine.acks).extracting(Object::toString).containsExactly("0/2 ACCEPT");
        assertThat(engine.refused).isEmpty();
    }

    // ---------------------------------------------------------------- concurrency and bounds

    @Test
    void recordsOfOnePartitionAreHandledUpToTheConcurrencyAtOnceAndNeverMore() throws InterruptedException {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        running(config().concurrency(4).recordProcessor(RecordProcessor.of(record -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                release.await();
            } finally {
                running.decrementAndGet();
            }
        })));

        engine.produce(P0, "1", "2", "3", "4", "5", "6", "7", "8");

        await().until(() -> running.get() == 4);
        await().during(Duration.ofMillis(200)).until(() -> running.get() == 4);
        release.countDown();
        await().until(() -> engine.acks.size() == 8);
        assertThat(most).hasValue(4);
    }

    @Test
    void noMoreRecordsAreTakenThanTheInFlightBound() {
        CountDownLatch release = new CountDownLatch(1);
        running(config().concurrency(1).maxInFlight(2).recordProcessor(RecordProcessor.of(record -> release.await())));

        engine.produce(P0, "1", "2", "3", "4", "5");

        await().until(() -> engine.handedOut() == 2);
        await().during(Duration.ofMillis(200)).until(() -> engine.handedOut() == 2);
        assertThat(runtime.snapshot().acquired()).isEqualTo(5);
        release.countDown();
        await().until(() -> engine.acks.size() == 5);
    }

    // ---------------------------------------------------------------- lifecycle

    @Test
    void startSubscribesStartsTheEngineAndTellsListenersStopReleasesWhatIsLeftAndClosesTheRecoverer() {
        ShareContainerRuntime<String, String> container = running(config());
        assertThat(engine.calls).containsExactly("subscribe [t]", "start");
        assertThat(events).contains("started");

        container.stop(STOP);

        assertThat(container.state()).isEqualTo(ContainerState.STOPPED);
        assertThat(engine.calls).containsExactly("subscribe [t]", "start", "stop");
        assertThat(events).endsWith("stopped");
        assertThat(recovererClosed).isTrue();
        container.stop(STOP);
        assertThat(engine.calls).hasSize(3);
        assertThatIllegalStateException().isThrownBy(container::start).withMessageContaining("build a new one");
    }

    @Test
    void aStopLetsTheRecordsBeingHandledFinishAndStartsNoneOfThoseWaiting() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        ShareContainerRuntime<String, String> container = running(config().concurrency(1).recordProcessor(RecordProcessor.of(record -> {
            handled.add(record.value());
            started.countDown();
            finish.await();
        })));
        engine.produce(P0, "1", "2", "3");
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        await().until(() -> engine.handedOut() == 3);

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> container.stop(STOP));
        await().until(container::state, state -> state == ContainerState.STOPPING);
        finish.countDown();
        stopped.join();

        assertThat(handled).containsExactly("1");
        // the one handled is accepted; the engine releases the two never started
        assertThat(engine.acks).extracting(Object::toString).containsExactlyInAnyOrder("0/1 ACCEPT", "1/1 RELEASE", "2/1 RELEASE");
    }

    @Test
    void aStopWaitsForAHeldRecordsAcknowledgementUntilItsTimeout() {
        AtomicReference<ShareAcknowledgement> later = new AtomicReference<>();
        ShareContainerRuntime<String, String> container = running(config().shareHandler((record, acknowledgement) -> {
            later.set(acknowledgement);
        }));
        engine.produce(P0, "a", "b");
        await().until(() -> runtime.snapshot().inFlight() == 2);

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> container.stop(Duration.ofSeconds(1)));
        await().during(Duration.ofMillis(200)).until(() -> !stopped.isDone());
        // the handler kept only the last acknowledgement: the first record waits until the timeout
        later.get().accept();

        stopped.join();
        assertThat(engine.acks).extracting(Object::toString).containsExactlyInAnyOrder("1/1 ACCEPT", "0/1 RELEASE");
    }

    @Test
    void aContainerStoppedBeforeItsStartNeverStarts() {
        ShareContainerRuntime<String, String> container = runtime(config());

        container.stop(STOP);

        assertThat(container.state()).isEqualTo(ContainerState.STOPPED);
        assertThat(engine.calls).containsExactly("stop");
        assertThat(events).doesNotContain("started", "stopped");
        assertThat(recovererClosed).isTrue();
    }

    @Test
    void anEngineThatCannotStartFailsTheContainerWithTheReason() {
        ShareContainerRuntime<String, String> container = runtime(config());
        engine.onStart(fake -> {
            throw new IllegalArgumentException("bad property");
        });

        container.start();

        await().until(container::state, state -> state == ContainerState.FAILED);
        assertThat(container.snapshot().failure()).hasValueSatisfying(
                reason -> assertThat(reason).contains("its engine did not start").contains("bad property"));
        await().until(() -> events.contains("stopped"));
        assertThat(engine.calls).endsWith("stop");
    }

    @Test
    void listenersAreToldOfTheStartBeforeTheEngineStartsSoAFailedStartIsToldAfterIt() {
        CountDownLatch engineStarting = new CountDownLatch(1);
        // the listener gives the engine a second to start before it is told: time enough, were the engine started first
        ShareContainerRuntime<String, String> container = new ShareContainerRuntime<>(config().build(),
                events -> engine = new FakeShareEngine(events, deliveryLimit), listener -> {
                    try {
                        events.add(engineStarting.await(1, TimeUnit.SECONDS) ? "started, after the engine" : "started");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, listener -> events.add("stopped"));
        runtime = container;
        engine.onStart(fake -> {
            engineStarting.countDown();
            events.add("engine starts");
            throw new IllegalArgumentException("bad property");
        });

        container.start();

        await().until(container::state, state -> state == ContainerState.FAILED);
        await().untilAsserted(() -> assertThat(events).containsExactly("started", "engine starts", "stopped"));
    }

    @Test
    void anEngineThatStopsUnderTheContainerFailsIt() {
        ShareContainerRuntime<String, String> container = running(config());

        engine.failNextGet(new ConsumerStoppedException("its I/O thread died"));

        await().until(container::state, state -> state == ContainerState.FAILED);
        assertThat(container.snapshot().failure()).hasValue("its engine stopped: its I/O thread died");
    }

    @Test
    void aConsumerErrorIsLoggedAndTheContainerGoesOn() {
        ShareContainerRuntime<String, String> container = running(config());

        engine.failNextGet(new KafkaException("not authorized"));
        engine.produce(P0, "a");

        await().until(() -> engine.acks.size() == 1);
        assertThat(container.state()).isEqualTo(ContainerState.RUNNING);
    }

    @Test
    void theSnapshotSaysWhatTheContainerHoldsAndWhatBecameOfItsRecords() {
        CountDownLatch release = new CountDownLatch(1);
        ShareContainerRuntime<String, String> container = running(config().maxDeliveries(1).concurrency(2)
                .recordProcessor(RecordProcessor.of(record -> {
                    if (record.value().equals("slow")) {
                        release.await();
                    } else if (record.value().equals("poison")) {
                        throw new IllegalStateException("no");
                    }
                })));

        engine.produce(P0, "fine", "poison", "slow");

        await().until(() -> engine.acks.size() == 2 && container.snapshot().inFlight() == 1);
        ShareContainerSnapshot snapshot = container.snapshot();
        assertThat(snapshot.name()).isEqualTo("c");
        assertThat(snapshot.groupId()).isEqualTo("g");
        assertThat(snapshot.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(snapshot.subscription()).containsExactly("t");
        assertThat(snapshot.acquired()).isEqualTo(1);
        assertThat(snapshot.inFlight()).isEqualTo(1);
        assertThat(snapshot.acknowledgements()).containsExactly(Map.entry(ACCEPT, 1L), Map.entry(RELEASE, 0L),
                Map.entry(REJECT, 1L), Map.entry(RENEW, 0L));
        assertThat(snapshot.recovered()).isEqualTo(1);
        assertThat(snapshot.failure()).isEmpty();
        release.countDown();
    }

    @Test
    void listenersHearTheRecordsTakenAndInterceptorsWrapEachCall() {
        List<String> intercepted = new CopyOnWriteArrayList<>();
        running(config().interceptor((container, records, invocation) -> {
            intercepted.add(container + " " + records.stream().map(ConsumerRecord::value).toList());
            return invocation.proceed();
        }));

        engine.produce(P0, "a");

        await().until(() -> engine.acks.size() == 1);
        assertThat(intercepted).containsExactly("c [a]");
        assertThat(events).containsSubsequence("taken 1", "ACCEPT 1");
    }

    @Test
    void aHandlerOverItsProcessingTimeoutIsInterruptedAndFailsLikeAnyOther() {
        running(config().maxDeliveries(1).retryPolicy(RetryPolicy.none()).processingTimeout(Duration.ofMillis(100))
                .recordProcessor(RecordProcessor.of(record -> new CountDownLatch(1).await())));

        engine.produce(P0, "stuck");

        await().until(() -> engine.acks.size() == 1);
        assertThat(engine.acks).extracting(Object::toString).containsExactly("0/1 REJECT");
        assertThat(recovered).singleElement().extracting(FailedRecord::failure).isInstanceOf(InterruptedException.class);
    }

    @Test
    void aDoneStageIsAcceptedWithoutAContinuation() {
        running(config().recordProcessor((record, acknowledgement) -> Completions.DONE));

        engine.produce(P0, "a");

        await().until(() -> engine.acks.size() == 1);
        assertThat(engine.acks).extracting(Object::toString).containsExactly("0/1 ACCEPT");
    }
}
