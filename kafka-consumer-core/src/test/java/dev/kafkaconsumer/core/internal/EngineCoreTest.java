package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.ConsumerStoppedException;

/**
 * The engine core over kafka-clients' {@link MockConsumer}, its I/O loop turned by the test thread and its
 * clock moved by the test: every public operation, the deadline of each command (what the documented
 * timeout says), and calls from rebalance listeners, without a broker. Callers run on a pool of their own.
 */
class EngineCoreTest {

    private static final MetricName METRIC = new MetricName("records-lag", "consumer-fetch-manager-metrics", "", Map.of());
    private final TopicPartition t0 = new TopicPartition("t", 0);
    private final TopicPartition t1 = new TopicPartition("t", 1);
    private final ManualTime time = ManualTime.waiting();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    /** The timeout that each blocking call of the consumer was given, by method. */
    private final Map<String, Duration> consumerTimeouts = new HashMap<>();
    private final List<Duration> positionTimeouts = new CopyOnWriteArrayList<>();
    private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest") {
        @Override
        public synchronized Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout) {
            consumerTimeouts.put("committed", timeout);
            return super.committed(partitions, timeout);
        }

        @Override
        public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps, Duration timeout) {
            consumerTimeouts.put("offsetsForTimes", timeout);
            Map<TopicPartition, OffsetAndTimestamp> found = new HashMap<>();
            timestamps.forEach((partition, timestamp) -> found.put(partition, new OffsetAndTimestamp(timestamp / 1000, timestamp)));
            return found;
        }

        @Override
        public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            consumerTimeouts.put("commitSync", timeout);
            syncCommits.add(Map.copyOf(offsets));
            super.commitSync(offsets, timeout);
        }

        @Override
        public synchronized long position(TopicPartition partition, Duration timeout) {
            positionTimeouts.add(timeout);
            return super.position(partition, timeout);
        }

        @Override
        public synchronized Map<MetricName, ? extends Metric> metrics() {
            return Map.of(METRIC, new KafkaMetric(new Object(), METRIC, (Measurable) (config, now) -> 1.0, new MetricConfig(),
                    org.apache.kafka.common.utils.Time.SYSTEM));
        }
    };
    /** What each synchronous commit sent: MockConsumer forgets its commits on assign and unsubscribe. */
    private final List<Map<TopicPartition, OffsetAndMetadata>> syncCommits = new CopyOnWriteArrayList<>();
    private EngineCore<String, String> core;

    @BeforeEach
    void buildTheCore() {
        core = core(Map.of("group.id", "g", "default.api.timeout.ms", 60_000));
        consumer.updateBeginningOffsets(Map.of(t0, 0L, t1, 0L));
        consumer.updateEndOffsets(Map.of(t0, 10L, t1, 10L));
    }

    private EngineCore<String, String> core(Map<String, Object> properties) {
        return core(properties, time, false);
    }

    private EngineCore<String, String> core(Map<String, Object> properties, org.apache.kafka.common.utils.Time clock, boolean ioThread) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("bootstrap.servers", "h:1");
        all.put("client.id", "core-test");
        EngineConfig config = new EngineConfig(all, new StringDeserializer(), new StringDeserializer(), 1 << 20, 1 << 24);
        return new EngineCore<>(config, consumer, EndOffsetsProbe.Source.CURRENT_LAG, clock, ioThread);
    }

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
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

    /** Starts a call on a caller thread, and waits until it has queued a command. */
    private <T> CompletableFuture<T> queued(Callable<T> call) {
        int before = core.io().queuedCommands();
        CompletableFuture<T> result = CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, callers);
        await().until(() -> core.io().queuedCommands() > before || result.isDone());
        return result;
    }

    /** Stops the engine from a caller thread, the test thread running the loop to its end. */
    private void stop() {
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> core.stop(Duration.ofSeconds(1)), callers);
        await().until(core.io()::isStopRequested);
        core.io().run();
        assertThat(stopped).succeedsWithin(Duration.ofSeconds(10));
    }

    /** Asserts that a call has not returned: it waits for the I/O thread, which nobody turns. */
    private static void stillWaiting(CompletableFuture<?> call) {
        assertThatThrownBy(() -> call.get(100, java.util.concurrent.TimeUnit.MILLISECONDS))
                .isInstanceOf(java.util.concurrent.TimeoutException.class);
    }

    /** Waits until the consumer was woken, as the next poll tells. */
    private void awaitWakeup() {
        await().until(() -> {
            try {
                consumer.poll(Duration.ZERO);
                return false;
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                return true;
            }
        });
    }

    private void startAssigned(TopicPartition... partitions) {
        core.assign(Set.of(partitions));
        turning(core::start);
    }

    private void addRecords(TopicPartition partition, int count) {
        for (int offset = 0; offset < count; offset++) {
            consumer.addRecord(new ConsumerRecord<>(partition.topic(), partition.partition(), offset, 0L, TimestampType.CREATE_TIME,
                    1, 2, "k", "v" + offset, new RecordHeaders(), Optional.empty()));
        }
    }

    private List<ConsumerRecord<String, String>> takeAll() {
        List<ConsumerRecord<String, String>> taken = new ArrayList<>();
        core.records().getMany(Duration.ZERO, 1000, List.of()).values().forEach(taken::addAll);
        return taken;
    }

    // ---------------------------------------------------------------- lifecycle

    @Test
    void startWithATopicSubscriptionReturnsOnceTheGroupHasAssignedPartitions() {
        core.subscribe(Set.of("t"), null);
        CompletableFuture<Void> started = CompletableFuture.runAsync(core::start, callers);
        await().pollInSameThread().pollInterval(Duration.ofMillis(1)).until(() -> {
            core.io().runOnce();
            return consumer.subscription().contains("t");
        });
        assertThat(started).as("the group has not assigned anything yet").isNotDone();

        consumer.rebalance(List.of(t0, t1));

        assertThat(started).succeedsWithin(Duration.ofSeconds(10));
        assertThat(core.records().assignment()).containsExactlyInAnyOrder(t0, t1);
        assertThat(core.isRunning()).isTrue();
        assertThat(core.subscription()).containsExactly("t");
    }

    @Test
    void startGivesUpAtDefaultApiTimeoutNamingTheGroupAndTheEngineKeepsRunning() {
        core.subscribe(Set.of("t"), null);
        CompletableFuture<Void> started = queued(() -> {
            core.start();
            return null;
        });
        core.io().runOnce();
        time.advance(Duration.ofSeconds(59));
        assertThat(started).isNotDone();
        time.advance(Duration.ofSeconds(1));

        assertThat(started).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
                .isInstanceOf(TimeoutException.class)
                .withMessage("The consumer did not join group g within 60000 ms (default.api.timeout.ms); it keeps trying in the background");
        assertThat(core.isRunning()).isTrue();
    }

    @Test
    void withoutAGroupStartWaitsForThePartitionsOfTheTopicsToBeRead() {
        core = core(Map.of());
        consumer.updatePartitions("t", List.of(new PartitionInfo("t", 0, null, null, null)));
        core.subscribe(Set.of("t"), null);
        turning(core::start);
        assertThat(core.records().assignment()).containsExactly(t0);
        assertThatThrownBy(() -> core.committed(t0)).isInstanceOf(InvalidGroupIdException.class);
        assertThatThrownBy(core::commit).isInstanceOf(InvalidGroupIdException.class);
        assertThatThrownBy(() -> core.commit(Map.of(t0, new OffsetAndMetadata(1)))).isInstanceOf(InvalidGroupIdException.class);
        assertThatThrownBy(() -> core.commitAsync(null)).isInstanceOf(InvalidGroupIdException.class);
        assertThatThrownBy(() -> core.seekToCommitted(List.of(t0))).isInstanceOf(InvalidGroupIdException.class);
    }

    @Test
    void startIsRefusedTwiceAndAfterStop() {
        startAssigned(t0);
        assertThatThrownBy(core::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
        stop();
        assertThatThrownBy(core::start).isInstanceOf(ConsumerStoppedException.class).hasMessageContaining("create a new one");
    }

    @Test
    void callsNeedAStartedEngineAndAfterStopThrowConsumerStopped() {
        assertThatThrownBy(() -> core.position(t0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("call start() first");
        assertThatThrownBy(() -> core.records().getMany(Duration.ZERO, 1, List.of())).isInstanceOf(IllegalStateException.class);
        startAssigned(t0);
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> waiting = core.records().getManyAsync(null, 1, List.of());

        stop();

        assertThat(consumer.closed()).isTrue();
        assertThat(core.isRunning()).isFalse();
        assertThat(waiting).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(Map.of());
        assertThatThrownBy(() -> core.position(t0)).isInstanceOf(ConsumerStoppedException.class);
        assertThatThrownBy(() -> core.committed(t0)).isInstanceOf(ConsumerStoppedException.class);
        assertThatThrownBy(() -> core.records().getOne(Duration.ZERO, List.of())).isInstanceOf(ConsumerStoppedException.class);
        assertThatThrownBy(() -> core.records().getOneAsync(List.of())).isInstanceOf(ConsumerStoppedException.class);
        assertThatThrownBy(() -> core.subscribe(Set.of("t"), null)).isInstanceOf(ConsumerStoppedException.class);
        assertThatThrownBy(() -> core.seek(t0, 1)).isInstanceOf(ConsumerStoppedException.class);
        core.stop(Duration.ofSeconds(1)); // idempotent
    }

    @Test
    void anEngineStoppedBeforeItStartedClosesItsConsumerOnTheCallersThread() {
        core.stop(Duration.ofSeconds(1));
        assertThat(consumer.closed()).isTrue();
        assertThat(core.isRunning()).isFalse();
        assertThat(core.io().isIoThread()).as("the caller is a caller again").isFalse();
        assertThatThrownBy(() -> core.position(t0)).isInstanceOf(ConsumerStoppedException.class);
    }

    // ---------------------------------------------------------------- subscription

    @Test
    void anAssignmentBeforeStartTakesEffectAtOnceAndASeekMadeThenIsWhereConsumptionBegins() {
        core.assign(Set.of(t0, t1));
        assertThat(core.records().assignment()).containsExactlyInAnyOrder(t0, t1);
        core.assign(Set.of(t0));
        assertThat(core.records().assignment()).containsExactly(t0);
        core.seek(t0, 5);
        core.records().pause(List.of(t0));
        assertThat(core.records().paused()).containsExactly(t0);

        turning(core::start);

        assertThat(consumer.assignment()).containsExactly(t0);
        assertThat(consumer.position(t0)).isEqualTo(5);
        assertThat(core.records().currentPosition(t0)).hasValue(5);
        core.io().runOnce();
        assertThat(consumer.paused()).as("the pause made before start holds").containsExactly(t0);
        core.records().resume(List.of(t0));
        core.io().runOnce();
        assertThat(consumer.paused()).isEmpty();
    }

    @Test
    void subscriptionsAndAssignmentsAreMutuallyExclusiveUntilUnsubscribed() {
        core.subscribe(Set.of("t"), null);
        assertThatThrownBy(() -> core.assign(Set.of(t0))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("currently subscribed to [t]");
        core.unsubscribe();
        core.assign(Set.of(t0));
        assertThatThrownBy(() -> core.subscribe(Pattern.compile("t.*"), null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("currently assigned [t-0]");
        core.assign(Set.of());
        core.subscribe(Pattern.compile("t.*"), null);
        assertThatThrownBy(() -> core.assign(Set.of(t0))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("currently subscribed to pattern t.*");
        core.subscribe(Set.of(), null);
        assertThat(core.subscription()).isEmpty();
    }

    @Test
    void aChangeOfSubscriptionWhileRunningIsAppliedByTheIoThreadInTheOrderItWasMade() {
        startAssigned(t0);
        turning(() -> core.assign(Set.of(t1)));
        assertThat(consumer.assignment()).containsExactly(t1);
        assertThat(core.records().assignment()).containsExactly(t1);
        turning(core::unsubscribe);
        assertThat(consumer.assignment()).isEmpty();
        consumer.updatePartitions("topic-a", List.of(new PartitionInfo("topic-a", 0, null, null, null)));
        turning(() -> core.subscribe(Pattern.compile("topic-.*"), null));
        assertThat(turning(core::subscription)).as("the topics the pattern matches, read on the I/O thread").containsExactly("topic-a");
    }

    @Test
    void aChangeOfSubscriptionThatTimedOutBeforeTheIoThreadReachedItIsNotWhatTheEngineReports() {
        startAssigned(t0);
        CompletableFuture<Void> change = queued(() -> {
            core.assign(Set.of(t1));
            return null;
        });

        time.advance(Duration.ofSeconds(60));

        assertThat(change).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
                .isInstanceOf(TimeoutException.class).withMessageStartingWith("assign([t-1]) did not complete within 60000 ms");
        core.io().runOnce();
        assertThat(consumer.assignment()).as("never applied").containsExactly(t0);
        assertThatThrownBy(() -> core.subscribe(Set.of("t"), null)).as("the engine still says: assigned t-0")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("currently assigned [t-0]");
    }

    // ---------------------------------------------------------------- records

    @Test
    void recordsFetchedByTheLoopAreTakenOnTheCallersThreadInEveryWay() {
        startAssigned(t0);
        addRecords(t0, 5);
        core.io().runOnce();

        assertThat(core.records().getOne(Duration.ZERO, List.of(t0)).offset()).isZero();
        assertThat(core.records().getOneAsync(List.of())).succeedsWithin(Duration.ofSeconds(10))
                .satisfies(record -> assertThat(record.offset()).isEqualTo(1));
        assertThat(core.records().getManyAsync(Duration.ofSeconds(1), 2, List.of())).succeedsWithin(Duration.ofSeconds(10))
                .satisfies(records -> assertThat(records.get(t0)).extracting(ConsumerRecord::offset).containsExactly(2L, 3L));
        assertThat(core.records().getMany(Duration.ZERO, 10, List.of(t0)).get(t0)).extracting(ConsumerRecord::offset).containsExactly(4L);
        assertThat(core.records().getOne(Duration.ZERO, List.of())).as("nothing left").isNull();
        assertThat(core.records().currentPosition(t0)).hasValue(5);
        assertThat(core.records().highwater(t0)).hasValue(10);
        assertThat(core.records().lastStableOffset(t0)).as("unknown through currentLag under read_uncommitted").isEmpty();
        assertThat(core.records().lastPollTimestamp(t0)).hasValue(time.milliseconds());
    }

    @Test
    void aRebalanceListenerCallsTheEngineInlineOnTheIoThreadButMayNotWaitForRecords() {
        List<Object> seen = new CopyOnWriteArrayList<>();
        core.subscribe(Set.of("t"), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                core.commit();
                seen.add("revoked, committed " + core.committed(t0));
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                seen.add("position " + core.position(t0));
                core.seek(t0, 2);
                seen.add("position after seek " + core.position(t0));
                try {
                    core.records().getMany(Duration.ZERO, 1, List.of());
                } catch (IllegalStateException e) {
                    seen.add(e.getMessage());
                }
                try {
                    core.records().getOne(Duration.ZERO, List.of());
                } catch (IllegalStateException e) {
                    seen.add("getOne too");
                }
            }
        });
        CompletableFuture<Void> started = CompletableFuture.runAsync(core::start, callers);
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(t0)));
        await().pollInSameThread().pollInterval(Duration.ofMillis(1)).until(() -> {
            core.io().runOnce();
            return started.isDone();
        });
        assertThat(started).succeedsWithin(Duration.ZERO);
        consumer.schedulePollTask(() -> consumer.rebalance(List.of()));
        core.io().runOnce();

        assertThat(seen).containsExactly("position 0", "position after seek 2",
                "Records cannot be awaited on the engine's I/O thread (inside a rebalance listener): the I/O thread is the one that fetches them",
                "getOne too",
                "revoked, committed OffsetAndMetadata{offset=2, leaderEpoch=null, metadata=''}");
    }

    // ---------------------------------------------------------------- positions, commits, seeks, lookups

    @Test
    void positionWaitsForTheStartPointWhenNothingIsBuffered() {
        consumer.updateBeginningOffsets(Map.of(t0, 7L));
        startAssigned(t0);
        assertThat(turning(() -> core.position(t0))).isEqualTo(7L);
        assertThat(core.position(t0)).as("known now, read without the I/O thread").isEqualTo(7L);
    }

    @Test
    void commitCommitsWhatWasHandedOutAndCommittedReadsItBack() {
        startAssigned(t0);
        addRecords(t0, 5);
        core.io().runOnce();
        core.records().getMany(Duration.ZERO, 3, List.of());

        turning(() -> core.commit());

        assertThat(turning(() -> core.committed(t0))).isEqualTo(new OffsetAndMetadata(3));
        turning(() -> core.commit(Map.of(t0, new OffsetAndMetadata(4))));
        assertThat(turning(() -> core.committed(t0))).isEqualTo(new OffsetAndMetadata(4));
        CompletableFuture<Void> async = core.commitAsync(null);
        core.io().runOnce();
        assertThat(async).succeedsWithin(Duration.ofSeconds(10));
        assertThat(turning(() -> core.committed(t0))).as("the consumed position").isEqualTo(new OffsetAndMetadata(3));
        CompletableFuture<Void> given = core.commitAsync(Map.of(t0, new OffsetAndMetadata(5)));
        core.io().runOnce();
        assertThat(given).succeedsWithin(Duration.ofSeconds(10));
        assertThat(consumer.committed(Set.of(t0))).containsEntry(t0, new OffsetAndMetadata(5));
    }

    @Test
    void commitsOfPartitionsAnotherMemberOwnsAreRefusedUnderASubscription() {
        core.subscribe(Set.of("t"), null);
        CompletableFuture<Void> started = CompletableFuture.runAsync(core::start, callers);
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(t0)));
        await().pollInSameThread().pollInterval(Duration.ofMillis(1)).until(() -> {
            core.io().runOnce();
            return started.isDone();
        });

        assertThatThrownBy(() -> turning(() -> core.commit(Map.of(t1, new OffsetAndMetadata(1)))))
                .isInstanceOf(CommitFailedException.class).hasMessageStartingWith("Cannot commit [t-1]: not assigned to this member");
        CompletableFuture<Void> refused = core.commitAsync(Map.of(t1, new OffsetAndMetadata(1)));
        core.io().runOnce();
        assertThat(refused).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause().isInstanceOf(CommitFailedException.class);
        assertThat(consumer.committed(Set.of(t1))).isEmpty();
    }

    @Test
    void eachCommandsDeadlineIsDefaultApiTimeoutAndTheConsumerGetsWhatIsLeftOfIt() {
        startAssigned(t0);
        CompletableFuture<OffsetAndMetadata> committed = queued(() -> core.committed(t0));
        time.advance(Duration.ofSeconds(10));
        core.io().runOnce();
        assertThat(committed).succeedsWithin(Duration.ofSeconds(10));
        assertThat(consumerTimeouts).containsEntry("committed", Duration.ofSeconds(50));

        CompletableFuture<Void> commit = queued(() -> {
            core.commit(Map.of(t0, new OffsetAndMetadata(1)));
            return null;
        });
        time.advance(Duration.ofSeconds(59));
        core.io().runOnce();
        assertThat(commit).succeedsWithin(Duration.ofSeconds(10));
        assertThat(consumerTimeouts).containsEntry("commitSync", Duration.ofSeconds(1));

        assertThat(turning(() -> core.offsetsForTimes(Map.of(t0, 5000L)))).containsEntry(t0, new OffsetAndTimestamp(5, 5000L));
        assertThat(consumerTimeouts).containsEntry("offsetsForTimes", Duration.ofSeconds(60));
        turning(() -> core.seekToEnd(List.of(t0)));
        assertThat(positionTimeouts).as("besides the probe's").contains(Duration.ofSeconds(60));
    }

    @Test
    void aCallerWhoseCommandTheIoThreadDoesNotReachGetsATimeoutNamingTheOperation() {
        startAssigned(t0);
        CompletableFuture<OffsetAndMetadata> committed = queued(() -> core.committed(t0));
        CompletableFuture<Map<TopicPartition, Long>> ends = queued(() -> core.endOffsets(List.of(t0)));

        time.advance(Duration.ofSeconds(60));

        assertThat(committed).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
                .isInstanceOf(TimeoutException.class)
                .withMessageStartingWith("committed(t-0) did not complete within 60000 ms (default.api.timeout.ms)");
        assertThat(ends).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
                .isInstanceOf(TimeoutException.class)
                .withMessageStartingWith("endOffsets([t-0]) did not complete within 60000 ms (default.api.timeout.ms)");
        assertThat(core.io().queuedCommands()).isEqualTo(2);
        core.io().runOnce();
        assertThat(consumerTimeouts).as("never run").doesNotContainKey("committed");
    }

    @Test
    void seeksMoveTheConsumerAndTheBufferAndReportWhatTheyDid() {
        startAssigned(t0, t1);
        addRecords(t0, 5);
        core.io().runOnce();

        turning(() -> core.seek(t0, 3));
        assertThat(consumer.position(t0)).isEqualTo(3);
        assertThat(core.records().currentPosition(t0)).as("the buffer dropped what it held").hasValue(3);

        turning(() -> core.seekToEnd(List.of(t0)));
        assertThat(core.records().currentPosition(t0)).hasValue(10);
        turning(() -> core.seekToBeginning(List.of()));
        assertThat(core.records().currentPosition(t0)).hasValue(0);
        assertThat(core.records().currentPosition(t1)).hasValue(0);

        turning(() -> core.commit(Map.of(t0, new OffsetAndMetadata(4))));
        Map<TopicPartition, OffsetAndMetadata> committed = turning(() -> core.seekToCommitted(List.of()));
        assertThat(committed).containsEntry(t0, new OffsetAndMetadata(4)).containsEntry(t1, null);
        assertThat(core.records().currentPosition(t0)).hasValue(4);
        assertThat(consumer.position(t0)).isEqualTo(4);
        assertThat(core.records().currentPosition(t1)).as("left where it was").hasValue(0);

        TopicPartition other = new TopicPartition("other", 0);
        assertThatThrownBy(() -> core.seek(other, 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("other-0");
        assertThatThrownBy(() -> core.seekToEnd(List.of(other))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> core.seekToCommitted(List.of(other))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("other-0");
    }

    @Test
    void lookupsReachTheConsumerThroughTheIoThread() {
        startAssigned(t0);
        consumer.updatePartitions("t", List.of(new PartitionInfo("t", 0, null, null, null), new PartitionInfo("t", 1, null, null, null)));
        assertThat(turning(() -> core.beginningOffsets(List.of(t0, t1)))).isEqualTo(Map.of(t0, 0L, t1, 0L));
        assertThat(turning(() -> core.endOffsets(List.of(t0)))).isEqualTo(Map.of(t0, 10L));
        assertThat(turning(core::topics)).containsExactly("t");
        assertThat(turning(() -> core.partitionsForTopic("t"))).containsExactlyInAnyOrder(0, 1);
        assertThat(turning(() -> core.partitionsForTopic("none"))).isEmpty();
    }

    // ---------------------------------------------------------------- more of the contract

    @Test
    void everyCallThatNeedsTheConsumerRefusesAnEngineNotStarted() {
        core = core(Map.of("group.id", "g"), ManualTime.jumpingWaits(), false);
        List<Runnable> calls = List.of(() -> core.position(t0), () -> core.committed(t0), core::commit,
                () -> core.commit(Map.of(t0, new OffsetAndMetadata(1))), () -> core.commitAsync(null),
                () -> core.seekToBeginning(List.of()), () -> core.seekToEnd(List.of()), () -> core.seekToCommitted(List.of()),
                () -> core.offsetsForTimes(Map.of(t0, 1L)), () -> core.beginningOffsets(List.of(t0)), () -> core.endOffsets(List.of(t0)),
                core::topics, () -> core.partitionsForTopic("t"), () -> core.records().getOne(Duration.ZERO, List.of()),
                () -> core.records().getOneAsync(List.of()), () -> core.records().getManyAsync(Duration.ZERO, 1, List.of()));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("call start() first");
        }
    }

    @Test
    void startWithoutASubscriptionReturnsAtOnceAndStartWaitsForItsSubscriptionToBeApplied() {
        core.start();
        assertThat(core.isRunning()).isTrue();
        assertThat(core.io().queuedCommands()).isZero();

        core = core(Map.of("group.id", "g"));
        core.assign(Set.of(t0));
        CompletableFuture<Void> started = CompletableFuture.runAsync(core::start, callers);
        await().until(() -> core.io().queuedCommands() == 1);
        stillWaiting(started);
        core.io().runOnce();
        assertThat(started).succeedsWithin(Duration.ofSeconds(10));
    }

    @Test
    void anErrorBeforeTheGroupIsJoinedIsWhatStartThrows() {
        core.subscribe(Set.of("t"), null);
        CompletableFuture<Void> started = CompletableFuture.runAsync(core::start, callers);
        await().until(() -> core.io().queuedCommands() == 1);
        consumer.setPollException(new org.apache.kafka.common.errors.SaslAuthenticationException("wrong password"));
        core.io().runOnce();
        assertThat(started).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
                .isInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class).withMessage("wrong password");
        assertThat(core.isRunning()).as("it keeps trying").isTrue();
    }

    @Test
    void stopReturnsOnlyOnceTheIoThreadHasClosedTheConsumerAndACommitItNeverSentFailsWithConsumerStopped() {
        startAssigned(t0);
        CompletableFuture<Void> never = core.commitAsync(Map.of(t0, new OffsetAndMetadata(1)));
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> core.stop(Duration.ofSeconds(1)), callers);
        await().until(core.io()::isStopRequested);
        stillWaiting(stopped);
        core.io().run();
        assertThat(stopped).succeedsWithin(Duration.ofSeconds(10));
        assertThat(never).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
                .isInstanceOf(ConsumerStoppedException.class);
    }

    @Test
    void metricsAreTheConsumersReadWithoutTheIoThread() {
        assertThat(core.metrics()).containsOnlyKeys(METRIC);
        assertThat(core.config().clientId()).isEqualTo("core-test");
    }

    @Test
    void aCommitOfPartitionsThisMemberOwnsGoesThroughUnderASubscription() {
        core.subscribe(Set.of("t"), null);
        CompletableFuture<Void> started = CompletableFuture.runAsync(core::start, callers);
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(t0)));
        await().pollInSameThread().pollInterval(Duration.ofMillis(1)).until(() -> {
            core.io().runOnce();
            return started.isDone();
        });
        turning(() -> core.commit(Map.of(t0, new OffsetAndMetadata(1))));
        assertThat(consumer.committed(Set.of(t0))).containsEntry(t0, new OffsetAndMetadata(1));
    }

    @Test
    void pausingResumingAndChangingTheSubscriptionWakeTheIoThreadSoItActsAtOnce() {
        startAssigned(t0, t1);
        addRecords(t0, 3);
        core.io().runOnce();
        core.records().pause(List.of(t0));
        awaitWakeup();
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> waiting =
                core.records().getManyAsync(Duration.ofSeconds(30), 5, List.of(t0));
        assertThat(waiting).as("what is buffered is held back while paused").isNotDone();

        core.records().resume(List.of(t0));

        assertThat(waiting).as("served by the resume").succeedsWithin(Duration.ofSeconds(10));
        awaitWakeup();
        CompletableFuture<Void> change = queued(() -> {
            core.assign(Set.of(t1));
            return null;
        });
        awaitWakeup();
        core.io().runOnce();
        assertThat(change).succeedsWithin(Duration.ofSeconds(10));
    }

    @Test
    void aTimedGetWaitsForRecordsThatComeLater() {
        startAssigned(t0);
        CompletableFuture<ConsumerRecord<String, String>> one = CompletableFuture.supplyAsync(
                () -> core.records().getOne(Duration.ofSeconds(30), List.of()), callers);
        CompletableFuture<ConsumerRecord<String, String>> forever = CompletableFuture.supplyAsync(
                () -> core.records().getOne(null, List.of()), callers);
        await().until(() -> core.buffers().applicationIdleNanos(Long.MAX_VALUE) == 0); // a get waits in the buffers
        addRecords(t0, 2);
        core.io().runOnce();
        assertThat(one).succeedsWithin(Duration.ofSeconds(10)).isNotNull();
        assertThat(forever).succeedsWithin(Duration.ofSeconds(10)).isNotNull();
    }

    @Test
    void unassigningCommitsWhatWasHandedOutFirst() {
        startAssigned(t0);
        addRecords(t0, 5);
        core.io().runOnce();
        core.records().getMany(Duration.ZERO, 2, List.of());
        turning(core::unsubscribe);
        assertThat(syncCommits).singleElement().satisfies(offsets -> assertThat(offsets.get(t0).offset()).isEqualTo(2));
        assertThat(consumer.assignment()).isEmpty();
        assertThat(core.records().assignment()).isEmpty();
    }

    @Test
    void aStartedEngineRunsItsCommandsOnItsOwnIoThread() {
        core = core(Map.of("group.id", "g"), org.apache.kafka.common.utils.Time.SYSTEM, true);
        core.assign(Set.of(t0));
        core.start();
        try {
            assertThat(core.position(t0)).isZero();
            assertThat(core.committed(t0)).isNull();
        } finally {
            core.stop(Duration.ofSeconds(1));
        }
        assertThat(consumer.closed()).isTrue();
    }
}
