package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import dev.kafkaconsumer.core.CommitMode;
import dev.kafkaconsumer.core.ConsumerStoppedException;
import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.ContainerSnapshot;
import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.FailedRecord;
import dev.kafkaconsumer.core.PartitionSnapshot;
import dev.kafkaconsumer.core.RecordProcessor;
import dev.kafkaconsumer.core.Recoverer;
import dev.kafkaconsumer.core.SeekTarget;

/** The container's start, stop, failures, pauses, rebalances, seeks, commits and snapshots over a stand-in engine; no broker. */
class ContainerRuntimeTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final Duration STOP = Duration.ofSeconds(5);

    private final FakeEngine engine = new FakeEngine();
    private final List<Long> handled = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final CountDownLatch joined = new CountDownLatch(1);
    private final AtomicBoolean recovererClosed = new AtomicBoolean();
    private ContainerRuntime<String, String> runtime;

    @AfterEach
    void stopTheContainer() {
        if (runtime != null) {
            runtime.stop(Duration.ofSeconds(1));
        }
    }

    private final ContainerListener listener = new ContainerListener() {
        @Override
        public void assigned(String container, Collection<TopicPartition> partitions) {
            events.add("assigned " + partitions);
        }

        @Override
        public void unassigned(String container, Collection<TopicPartition> partitions, boolean lost) {
            events.add((lost ? "lost " : "revoked ") + partitions);
        }
    };

    private final Recoverer<String, String> skipping = new Recoverer<>() {
        @Override
        public void recover(FailedRecord<String, String> failed) {
            events.add("recovered " + failed.offset());
        }

        @Override
        public void close() {
            recovererClosed.set(true);
        }
    };

    /** A group subscription to topic t, handling records into {@link #handled}, committing only when told to. */
    private ContainerConfig.Builder<String, String> config() {
        return unsubscribed().topics(List.of("t"));
    }

    private ContainerConfig.Builder<String, String> unsubscribed() {
        return ContainerConfig.builder("c", new StringDeserializer(), new StringDeserializer())
                .property("group.id", "g").property("bootstrap.servers", "127.0.0.1:9")
                .recordProcessor(RecordProcessor.of(record -> handled.add(record.offset())))
                .commitInterval(Duration.ofHours(1)).recoverer(skipping).listener(listener);
    }

    private ContainerRuntime<String, String> runtime(ContainerConfig.Builder<String, String> config) {
        runtime = new ContainerRuntime<>(config.build(), engine, listener -> events.add("started"),
                listener -> events.add("stopped"));
        return runtime;
    }

    private ContainerRuntime<String, String> running(ContainerConfig.Builder<String, String> config) {
        engine.assignsOnStart(P0);
        ContainerRuntime<String, String> container = runtime(config);
        container.start();
        await().until(container::state, state -> state == ContainerState.RUNNING);
        return container;
    }

    private void awaitHandled(Long... offsets) {
        await().untilAsserted(() -> assertThat(handled).containsExactly(offsets));
    }

    @Test
    void aContainerJoinsOnItsDispatcherThreadAndRunsOnceJoined() throws InterruptedException {
        engine.onStart(fake -> joined.await()).assignsOnStart(P0);
        engine.produce(P0, 3);
        ContainerRuntime<String, String> container = runtime(config());
        assertThat(container.state()).isEqualTo(ContainerState.NEW);
        assertThat(container.name()).isEqualTo("c");

        container.start();

        assertThat(container.state()).as("start() does not wait for the join").isEqualTo(ContainerState.STARTING);
        assertThat(events).containsExactly("started");
        joined.countDown();
        await().until(container::state, state -> state == ContainerState.RUNNING);
        awaitHandled(0L, 1L, 2L);
        assertThat(events).contains("assigned [t-0]");
        assertThat(container.metrics()).hasSize(1).containsOnlyKeys(engine.metrics().keySet());
        await().untilAsserted(() -> assertThat(engine.calls).as("a topic subscription is checked for missing topics")
                .contains("topics"));
    }

    @Test
    void aStopDrainsCommitsTheDonePrefixAndReleasesEverythingOnce() {
        engine.produce(P0, 5);
        ContainerRuntime<String, String> container = running(config());
        awaitHandled(0L, 1L, 2L, 3L, 4L);

        container.stop(STOP);

        assertThat(container.state()).isEqualTo(ContainerState.STOPPED);
        assertThat(engine.lastCommitted()).containsEntry(P0, 5L);
        assertThat(engine.stopped()).isTrue();
        assertThat(recovererClosed).isTrue();
        assertThat(events).containsSubsequence("started", "stopped");
        container.stop(STOP);
        assertThat(events.stream().filter("stopped"::equals)).as("a second stop does nothing").hasSize(1);
        assertThatIllegalStateException().isThrownBy(container::start)
                .withMessage("Container c was started or stopped already; build a new one");
    }

    @Test
    void aStopWaitsForTheRecordBeingHandledAndCommitsIt() throws Exception {
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ContainerRuntime<String, String> container = running(config().recordProcessor(RecordProcessor.of(record -> {
            inFirst.countDown();
            release.await();
            handled.add(record.offset());
        })));
        engine.produce(P0, 3);
        assertThat(inFirst.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> container.stop(STOP));
        await().until(container::state, state -> state == ContainerState.STOPPING);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !stop.isDone());
        release.countDown();
        stop.get(10, TimeUnit.SECONDS);

        assertThat(handled).as("the records taken but not started are left").containsExactly(0L);
        assertThat(engine.lastCommitted()).containsEntry(P0, 1L);
    }

    @Test
    void aContainerStoppedBeforeItsStartReleasesItsEngineAndCannotStartLater() {
        ContainerRuntime<String, String> container = runtime(config());

        container.stop(STOP);

        assertThat(container.state()).isEqualTo(ContainerState.STOPPED);
        assertThat(engine.stopped()).isTrue();
        assertThat(recovererClosed).isTrue();
        assertThat(events).as("it never started, so it never stopped either").isEmpty();
        assertThatIllegalStateException().isThrownBy(container::start);
    }

    @Test
    void aStopWhileJoiningEndsTheJoinAndHandlesNothing() {
        engine.onStart(FakeEngine::awaitStop);
        engine.produce(P0, 3);
        ContainerRuntime<String, String> container = runtime(config());
        container.start();

        container.stop(STOP);

        assertThat(container.state()).isEqualTo(ContainerState.STOPPED);
        assertThat(handled).isEmpty();
        assertThat(engine.commits).isEmpty();
        assertThat(events).containsExactly("started", "stopped");
    }

    @Test
    void aPauseWhileJoiningHoldsOnceJoinedAndPausesThePartitionsTheGroupAssigns() {
        engine.onStart(fake -> joined.await()).assignsOnStart(P0);
        engine.produce(P0, 3);
        ContainerRuntime<String, String> container = runtime(config());
        container.start();

        container.pause();
        assertThat(container.state()).isEqualTo(ContainerState.STARTING);
        joined.countDown();

        await().until(container::state, state -> state == ContainerState.PAUSED);
        assertThat(engine.paused()).containsExactly(P0);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(handled::isEmpty);
        container.resume();
        assertThat(container.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(engine.paused()).isEmpty();
        awaitHandled(0L, 1L, 2L);
    }

    @Test
    void aPauseOfARunningContainerPausesEveryAssignedPartitionAndAResumeResumesThem() {
        ContainerRuntime<String, String> container = running(config());

        container.pause();

        assertThat(container.state()).isEqualTo(ContainerState.PAUSED);
        assertThat(engine.paused()).containsExactly(P0);
        engine.produce(P0, 2);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(handled::isEmpty);
        container.resume();
        awaitHandled(0L, 1L);
    }

    @Test
    void pauseAndResumeOfAContainerNotStartedTouchNoPartition() {
        ContainerRuntime<String, String> container = runtime(config());

        container.pause();
        container.resume();

        assertThat(engine.calls).isEmpty();
        assertThat(container.state()).isEqualTo(ContainerState.NEW);
    }

    @Test
    void aRecordThatCanBeNeitherHandledNorRecoveredFailsTheContainerWhichStopsItselfCommittingOnlyWhatIsDone() {
        ContainerRuntime<String, String> container = running(config()
                .recordProcessor(RecordProcessor.of(record -> {
                    handled.add(record.offset());
                    if (record.offset() == 2) {
                        throw new IllegalStateException("poison");
                    }
                }))
                .retryPolicy(dev.kafkaconsumer.core.RetryPolicy.none())
                .recoverer(failed -> {
                    throw new IllegalStateException("the dead-letter topic is down");
                }));

        engine.produce(P0, 5);
        await().until(container::state, state -> state == ContainerState.FAILED);
        await().until(engine::stopped);

        assertThat(container.snapshot().failure()).hasValue("record t-0 could be neither handled nor recovered "
                + "(java.lang.IllegalStateException: the dead-letter topic is down)");
        await().untilAsserted(() -> assertThat(engine.lastCommitted()).containsEntry(P0, 2L));
        await().untilAsserted(() -> assertThat(events).contains("stopped"));
        container.pause();
        container.stop(STOP);
        assertThat(container.state()).as("a pause or a stop keeps FAILED").isEqualTo(ContainerState.FAILED);
        assertThat(handled).as("nothing after the failed record is handled").containsExactly(0L, 1L, 2L);
    }

    @Test
    void anEngineThatCannotJoinInTimeLeavesTheContainerRunningWhileItKeepsTrying() {
        engine.onStart(fake -> {
            throw new TimeoutException("Consumer did not join group g in time; it keeps trying");
        });
        ContainerRuntime<String, String> container = runtime(config());

        container.start();

        await().until(container::state, state -> state == ContainerState.RUNNING);
        assertThat(container.snapshot().failure()).isEmpty();
    }

    @Test
    void aConsumerErrorBeforeTheJoinShowsInTheSnapshotUntilTheGroupAssignsPartitions() {
        engine.onStart(fake -> {
            throw new KafkaException("authentication failed");
        });
        ContainerRuntime<String, String> container = runtime(config());
        container.start();
        await().until(container::state, state -> state == ContainerState.RUNNING);

        assertThat(container.snapshot().error()).hasValueSatisfying(error -> assertThat(error).contains("authentication failed"));
        engine.assignGroup(List.of(P0));
        assertThat(container.snapshot().error()).isEmpty();
    }

    @Test
    void anEngineThatFailsToStartFailsTheContainer() {
        engine.onStart(fake -> {
            throw new IllegalArgumentException("bad");
        });
        ContainerRuntime<String, String> container = runtime(config());

        container.start();

        await().until(container::state, state -> state == ContainerState.FAILED);
        assertThat(container.snapshot().failure()).hasValue("its engine did not start: java.lang.IllegalArgumentException: bad");
        await().untilAsserted(() -> assertThat(events).containsExactly("started", "stopped"));
    }

    @Test
    void listenersAreToldOfTheStartBeforeTheEngineStartsSoAFailedStartIsToldAfterIt() {
        CountDownLatch engineStarting = new CountDownLatch(1);
        engine.onStart(fake -> {
            engineStarting.countDown();
            events.add("engine starts");
            throw new IllegalArgumentException("bad");
        });
        // the listener gives the engine a second to start before it is told: time enough, were the engine started first
        ContainerRuntime<String, String> container = new ContainerRuntime<>(config().build(), engine, listener -> {
            try {
                events.add(engineStarting.await(1, TimeUnit.SECONDS) ? "started, after the engine" : "started");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, listener -> events.add("stopped"));
        runtime = container;

        container.start();

        await().until(container::state, state -> state == ContainerState.FAILED);
        await().untilAsserted(() -> assertThat(events).containsExactly("started", "engine starts", "stopped"));
    }

    @Test
    void aListenerThatStopsTheContainerWhenToldOfItsStartLeavesItStoppedWithoutStartingTheEngine() {
        engine.onStart(fake -> events.add("engine starts"));
        ContainerRuntime<String, String> container = new ContainerRuntime<>(config().build(), engine, listener -> {
            events.add("started");
            runtime.stop(Duration.ofSeconds(5));
        }, listener -> events.add("stopped"));
        runtime = container;

        container.start();

        assertThat(container.state()).isEqualTo(ContainerState.STOPPED);
        assertThat(events).containsExactly("started", "stopped");
    }

    @Test
    void theEngineStoppingUnderTheDispatcherFailsTheContainer() {
        ContainerRuntime<String, String> container = running(config());

        engine.failNextGet(new ConsumerStoppedException("its I/O thread died"));

        await().until(container::state, state -> state == ContainerState.FAILED);
        assertThat(container.snapshot().failure()).hasValue("its engine stopped: its I/O thread died");
    }

    @Test
    void aBugInTheDispatcherFailsTheContainer() {
        ContainerRuntime<String, String> container = running(config());

        engine.failNextGet(new IllegalStateException("a bug"));

        await().until(container::state, state -> state == ContainerState.FAILED);
        assertThat(container.snapshot().failure()).hasValue("its dispatcher failed: java.lang.IllegalStateException: a bug");
    }

    @Test
    void aConsumerErrorWhileTakingIsReportedAndTheContainerKeepsTaking() {
        ContainerRuntime<String, String> container = running(config());

        engine.failNextGet(new KafkaException("not authorized to read t"));
        engine.produce(P0, 2);

        awaitHandled(0L, 1L);
        assertThat(container.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(container.snapshot().error()).hasValueSatisfying(error -> assertThat(error).contains("not authorized"));
    }

    @Test
    void aRevocationLetsTheRunningRecordFinishCommitsItAndLeavesTheRestToTheNextOwner() throws Exception {
        CountDownLatch inSecond = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> userCalls = new CopyOnWriteArrayList<>();
        engine.produce(P0, 5);
        running(config()
                .recordProcessor(RecordProcessor.of(record -> {
                    handled.add(record.offset());
                    if (record.offset() == 1) {
                        inSecond.countDown();
                        release.await();
                    }
                }))
                .rebalanceListener(throwing())
                .rebalanceListener(recording(userCalls)));
        assertThat(inSecond.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> revocation = CompletableFuture.runAsync(() -> engine.revoke(List.of(P0)));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !revocation.isDone());
        release.countDown();
        revocation.get(10, TimeUnit.SECONDS);

        assertThat(handled).containsExactly(0L, 1L);
        assertThat(engine.lastCommitted()).containsEntry(P0, 2L);
        assertThat(events).contains("revoked [t-0]");
        assertThat(userCalls).as("after the container's own work, past a listener that threw")
                .containsExactly("assigned [t-0]", "revoked [t-0]");
        assertThat(runtime.snapshot().partitions()).isEmpty();
    }

    @Test
    void aRevocationWaitsNoLongerThanTheRevocationTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        engine.produce(P0, 2);
        running(config().revocationTimeout(Duration.ofMillis(50))
                .recordProcessor(RecordProcessor.of(record -> {
                    handled.add(record.offset());
                    release.await();
                })));
        awaitHandled(0L);

        engine.revoke(List.of(P0));

        assertThat(engine.lastCommitted()).as("the record still running is not committed").containsEntry(P0, 0L);
        release.countDown();
    }

    @Test
    void lostPartitionsStopAtOnceWithoutACommit() {
        List<String> userCalls = new CopyOnWriteArrayList<>();
        engine.produce(P0, 3);
        running(config().rebalanceListener(throwing()).rebalanceListener(recording(userCalls)));
        awaitHandled(0L, 1L, 2L);

        engine.lose(List.of(P0));

        assertThat(engine.commits).isEmpty();
        assertThat(events).contains("lost [t-0]");
        assertThat(userCalls).containsExactly("assigned [t-0]", "lost [t-0]");
    }

    @Test
    void theUserRebalanceListenersHearOfEveryAssignmentAfterTheContainer() {
        List<String> userCalls = new CopyOnWriteArrayList<>();
        running(config().rebalanceListener(throwing()).rebalanceListener(recording(userCalls)));

        engine.assignGroup(List.of(P1));
        engine.revoke(List.of());

        assertThat(userCalls).containsExactly("assigned [t-0]", "assigned [t-1]", "revoked []");
        assertThat(events).as("the container's listeners hear of no empty revocation")
                .containsExactlyInAnyOrder("started", "assigned [t-0]", "assigned [t-1]");
    }

    private static ConsumerRebalanceListener throwing() {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                throw new IllegalStateException("a listener's bug");
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                throw new IllegalStateException("a listener's bug");
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                throw new IllegalStateException("a listener's bug");
            }
        };
    }

    private static ConsumerRebalanceListener recording(List<String> calls) {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                calls.add("revoked " + partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                calls.add("assigned " + partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                calls.add("lost " + partitions);
            }
        };
    }

    @Test
    void aPartitionAssignedWhileThePauseHoldsIsPausedAtOnce() {
        ContainerRuntime<String, String> container = running(config());
        container.pause();

        engine.assignGroup(List.of(P1));

        assertThat(engine.paused()).containsExactlyInAnyOrder(P0, P1);
    }

    @Test
    void aSeekMovesThePartitionRestartsItsProgressThereAndResumesIt() {
        engine.produce(P0, 5);
        ContainerRuntime<String, String> container = running(config().commitInterval(Duration.ofMillis(20)));
        awaitHandled(0L, 1L, 2L, 3L, 4L);
        await().untilAsserted(() -> assertThat(engine.lastCommitted()).containsEntry(P0, 5L));

        assertThat(container.seek(List.of(), SeekTarget.offset(3))).containsExactly(Map.entry(P0, 3L));

        awaitHandled(0L, 1L, 2L, 3L, 4L, 3L, 4L);
        assertThat(engine.paused()).isEmpty();
        assertThat(engine.calls).contains("pause [t-0]", "resume [t-0]");
        assertThat(container.seek(List.of(P0), SeekTarget.beginning())).containsExactly(Map.entry(P0, 0L));
        await().untilAsserted(() -> assertThat(handled).hasSize(12));
        assertThat(container.seek(List.of(P0), SeekTarget.end())).containsExactly(Map.entry(P0, 5L));
        assertThat(container.seek(List.of(P0), SeekTarget.timestamp(1500))).containsExactly(Map.entry(P0, 2L));
        await().untilAsserted(() -> assertThat(handled).hasSize(15));
        assertThat(container.seek(List.of(P0), SeekTarget.timestamp(60_000))).as("none that recent: the end")
                .containsExactly(Map.entry(P0, 5L));
        await().untilAsserted(() -> assertThat(engine.lastCommitted()).containsEntry(P0, 5L));
    }

    @Test
    void aSeekCommitsTheNewPositionAtOnceUnderTimeCommits() {
        engine.produce(P0, 3);
        ContainerRuntime<String, String> container = running(config());
        awaitHandled(0L, 1L, 2L);
        container.pause();

        container.seek(List.of(P0), SeekTarget.offset(1));

        await().untilAsserted(() -> assertThat(engine.lastCommitted()).containsEntry(P0, 1L));
    }

    @Test
    void aSeekUnderBatchCommitsWaitsForTheNextBatchToCommit() {
        engine.produce(P0, 3);
        ContainerRuntime<String, String> container = running(config().commitMode(CommitMode.BATCH));
        awaitHandled(0L, 1L, 2L);
        await().untilAsserted(() -> assertThat(engine.lastCommitted()).containsEntry(P0, 3L));
        container.pause();

        container.seek(List.of(P0), SeekTarget.offset(1));

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(engine.lastCommitted()).containsEntry(P0, 3L));
    }

    @Test
    void aSeekOfAPausedContainerLeavesItsPartitionsPaused() {
        engine.produce(P0, 3);
        ContainerRuntime<String, String> container = running(config());
        awaitHandled(0L, 1L, 2L);
        container.pause();

        container.seek(List.of(P0), SeekTarget.beginning());

        assertThat(engine.paused()).containsExactly(P0);
        assertThat(container.state()).isEqualTo(ContainerState.PAUSED);
    }

    @Test
    void badSeeksAreRefusedBeforeAnythingChanges() {
        ContainerRuntime<String, String> container = runtime(config());
        assertThatIllegalStateException().isThrownBy(() -> container.seek(List.of(P0), SeekTarget.beginning()))
                .withMessage("Container c is NEW; a seek needs it running or paused");
        engine.assignsOnStart(P0).produce(P0, 5);
        container.start();
        await().until(container::state, state -> state == ContainerState.RUNNING);
        awaitHandled(0L, 1L, 2L, 3L, 4L);

        assertThatIllegalArgumentException().isThrownBy(() -> container.seek(List.of(P1), SeekTarget.beginning()))
                .withMessage("Container c cannot seek [t-1]: not assigned to it; assigned: [t-0]");
        assertThatIllegalArgumentException().isThrownBy(() -> container.seek(List.of(P0), SeekTarget.offset(6)))
                .withMessage("Offset 6 lies outside t-0, which holds offsets 0 to 5 (its end)");
        assertThat(engine.calls).as("nothing paused").noneMatch(call -> call.startsWith("pause"));
        engine.revoke(List.of(P0));
        assertThatIllegalArgumentException().isThrownBy(() -> container.seek(List.of(), SeekTarget.beginning()))
                .withMessage("Container c cannot seek now: no partition is assigned");
    }

    @Test
    void underBatchCommitsEachTakeIsCommittedOnceItsRecordsAreDone() {
        ContainerRuntime<String, String> container = running(config().commitMode(CommitMode.BATCH));

        engine.produce(P0, 3);

        await().untilAsserted(() -> assertThat(engine.lastCommitted()).containsEntry(P0, 3L));
        container.stop(STOP);
    }

    @Test
    void underTimeCommitsTheDonePrefixIsCommittedOnSchedule() {
        running(config().commitInterval(Duration.ofMillis(20)));

        engine.produce(P0, 4);

        await().untilAsserted(() -> assertThat(engine.lastCommitted()).containsEntry(P0, 4L));
    }

    @Test
    void underTimeCommitsTheOffsetPassesTheMarkersBehindTheLastRecordHandled() {
        running(config().commitInterval(Duration.ofMillis(20)));

        engine.produce(P0, 3);
        engine.produceMarkers(P0, 2);

        await().untilAsserted(() -> assertThat(engine.lastCommitted()).containsEntry(P0, 5L));
    }

    @Test
    void underBatchCommitsMarkersBehindAnIdlePartitionAreCommittedWithoutAnotherBatch() {
        ContainerRuntime<String, String> container = running(config().commitMode(CommitMode.BATCH));
        engine.produce(P0, 3);
        awaitHandled(0L, 1L, 2L);
        await().untilAsserted(() -> assertThat(engine.lastCommitted()).containsEntry(P0, 3L));

        engine.produceMarkers(P0, 1);

        await().untilAsserted(() -> assertThat(engine.lastCommitted()).containsEntry(P0, 4L));
        container.stop(STOP);
    }

    @Test
    void markersBehindARecordStillBeingHandledAreNotCommittedBeforeIt() throws Exception {
        CountDownLatch inLast = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        running(config().commitInterval(Duration.ofMillis(20)).recordProcessor(RecordProcessor.of(record -> {
            if (record.offset() == 2) {
                inLast.countDown();
                release.await();
            }
            handled.add(record.offset());
        })));
        engine.produce(P0, 3);
        engine.produceMarkers(P0, 2);
        assertThat(inLast.await(10, TimeUnit.SECONDS)).isTrue();

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(engine.lastCommitted().getOrDefault(P0, -1L)).isLessThanOrEqualTo(2L));
        release.countDown();

        await().untilAsserted(() -> assertThat(engine.lastCommitted()).containsEntry(P0, 5L));
    }

    @Test
    void markersAloneOnAPartitionThatHandledNothingSinceItsAssignmentAreNotCommitted() {
        engine.produceMarkers(P0, 2);
        engine.produce(P1, 1);
        engine.assignsOnStart(P0, P1);
        ContainerRuntime<String, String> container = runtime(config().commitInterval(Duration.ofMillis(20)));
        container.start();
        await().untilAsserted(() -> assertThat(engine.lastCommitted()).containsEntry(P1, 1L));

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(engine.lastCommitted()).doesNotContainKey(P0));
        assertThat(engine.currentPosition(P0)).as("the engine passed them").hasValue(2);
    }

    @Test
    void aStopCommitsPastTheMarkersBehindTheLastRecord() {
        engine.produce(P0, 2);
        engine.produceMarkers(P0, 1);
        ContainerRuntime<String, String> container = running(config());
        awaitHandled(0L, 1L);

        container.stop(STOP);

        assertThat(engine.lastCommitted()).containsEntry(P0, 3L);
    }

    @Test
    void partitionsAssignedByHandAreHandledWithoutAGroupAndNothingIsCommitted() {
        engine.produce(P0, 2);
        ContainerRuntime<String, String> container = runtime(ContainerConfig.builder("c", new StringDeserializer(),
                new StringDeserializer()).partitions(List.of(P0)).commitInterval(Duration.ofMillis(10))
                .recordProcessor(RecordProcessor.of(record -> handled.add(record.offset()))));

        container.start();

        awaitHandled(0L, 1L);
        assertThat(container.snapshot().groupId()).isNull();
        assertThat(engine.calls).as("no topic to check").doesNotContain("topics");
        assertThat(container.snapshot().subscription()).as("no topic subscription, and nothing the engine subscribed").isEmpty();
        container.stop(STOP);
        assertThat(engine.commits).isEmpty();
    }

    @Test
    void aPatternSubscriptionShowsTheTopicsItMatchesNow() {
        ContainerRuntime<String, String> container = runtime(unsubscribed().pattern(Pattern.compile("t.*")));
        assertThat(container.snapshot().subscription()).as("not started: nothing matched yet").isEmpty();
        engine.assignsOnStart(P0);

        container.start();
        await().until(container::state, state -> state == ContainerState.RUNNING);

        assertThat(container.snapshot().subscription()).containsExactly("t");
    }

    @Test
    void theSnapshotShowsEachPartitionsPositionCommittedOffsetLagAndRecordsInFlight() {
        CountDownLatch release = new CountDownLatch(1);
        engine.produce(P0, 6);
        ContainerRuntime<String, String> container = running(config().commitInterval(Duration.ofMillis(20))
                .recordProcessor(RecordProcessor.of(record -> {
                    handled.add(record.offset());
                    if (record.offset() == 4) {
                        release.await();
                    }
                })));
        await().untilAsserted(() -> assertThat(engine.lastCommitted()).containsEntry(P0, 4L));
        await().untilAsserted(() -> assertThat(container.snapshot().partitions().get(0).committed()).hasValue(4));

        ContainerSnapshot snapshot = container.snapshot();
        release.countDown();

        assertThat(snapshot.name()).isEqualTo("c");
        assertThat(snapshot.groupId()).isEqualTo("g");
        assertThat(snapshot.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(snapshot.subscription()).containsExactly("t");
        PartitionSnapshot partition = snapshot.partitions().get(0);
        assertThat(partition.partition()).isEqualTo(P0);
        assertThat(partition.position()).hasValue(6);
        assertThat(partition.highWatermark()).hasValue(6);
        assertThat(partition.lastStableOffset()).hasValue(4);
        assertThat(partition.lag()).as("high-water mark 6 - committed 4").hasValue(2);
        assertThat(partition.inFlight()).as("the work of the six records taken together is not over").isEqualTo(6);
        assertThat(partition.lastPollTimestamp()).hasValue(42);
    }

    @Test
    void underReadCommittedTheLagIsMeasuredAgainstTheLastStableOffset() {
        engine.produce(P0, 6);
        ContainerRuntime<String, String> container = running(config().commitInterval(Duration.ofMillis(20))
                .property("isolation.level", "read_committed"));
        await().untilAsserted(() -> assertThat(container.snapshot().partitions().get(0).committed()).hasValue(6));

        assertThat(container.snapshot().partitions().get(0).lag()).as("last stable 4 - committed 6, never below 0").hasValue(0);
    }

    @Test
    void snapshotsListPartitionsByTopicThenPartitionAndLeaveLagEmptyBeforeACommit() {
        TopicPartition a1 = new TopicPartition("a", 1);
        TopicPartition a0 = new TopicPartition("a", 0);
        engine.assignsOnStart(P1, a1, P0, a0);
        ContainerRuntime<String, String> container = runtime(config());
        container.start();
        await().until(container::state, state -> state == ContainerState.RUNNING);

        List<PartitionSnapshot> partitions = container.snapshot().partitions();

        assertThat(partitions).extracting(PartitionSnapshot::partition).containsExactly(a0, a1, P0, P1);
        assertThat(partitions.get(0).committed()).isEmpty();
        assertThat(partitions.get(0).lag()).isEmpty();
    }

    @Test
    void aRecovererThatFailsToCloseDoesNotHoldTheStopUp() {
        ContainerRuntime<String, String> container = running(config().recoverer(new Recoverer<>() {
            @Override
            public void recover(FailedRecord<String, String> failed) {
            }

            @Override
            public void close() {
                throw new IllegalStateException("the producer is gone");
            }
        }));

        container.stop(STOP);

        assertThat(container.state()).isEqualTo(ContainerState.STOPPED);
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void virtualThreadsOnAnOlderJavaFailTheStartAndReleaseTheEngine() {
        ContainerRuntime<String, String> container = runtime(config().virtualThreads(true));

        assertThatIllegalStateException().isThrownBy(container::start).withMessageContaining("need Java 21 or later");

        assertThat(container.state()).isEqualTo(ContainerState.FAILED);
        assertThat(container.snapshot().failure()).hasValueSatisfying(failure -> assertThat(failure).startsWith("it did not start"));
        assertThat(engine.stopped()).isTrue();
        container.stop(STOP);
        assertThat(events).isEmpty();
    }

    @Test
    void theEnginesPropertiesTurnAutoCommitOffAndNameTheClientAfterTheContainer() {
        Map<String, Object> properties = ContainerRuntime.engineProperties(config().property("enable.auto.commit", true).build());

        assertThat(properties).containsEntry("enable.auto.commit", false).containsEntry("client.id", "c")
                .containsEntry("group.id", "g");
        assertThat(ContainerRuntime.engineProperties(config().property("client.id", "mine").build()))
                .containsEntry("client.id", "mine");
    }
}
