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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.ConsumerStoppedException;

/**
 * The I/O loop turned on the test thread, over kafka-clients' {@link MockConsumer} and a clock that only
 * the test moves: commands, deadlines, the poll step, errors and Throwables, auto-commit, idleness, stop.
 */
class IoLoopTest {

    private final TopicPartition t0 = new TopicPartition("t", 0);
    private final TopicPartition t1 = new TopicPartition("t", 1);
    private final ManualTime time = ManualTime.waiting();
    /** When each poll began, on the engine's clock, so that a test can tell whether the loop backed off between two. */
    private final List<Long> pollStarts = new CopyOnWriteArrayList<>();
    /** The offsets of each synchronous commit, readable after the consumer is closed. */
    private final List<Map<TopicPartition, OffsetAndMetadata>> syncCommits = new CopyOnWriteArrayList<>();
    private MockConsumer<String, String> consumer;
    /** Thrown by the consumer's synchronous commits when set. */
    private volatile Error commitError;
    private EndOffsetsProbe.Source probeSource = EndOffsetsProbe.Source.FETCH_STATE;
    private final ScheduledExecutorService callbacks = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final List<String> listenerSaw = new CopyOnWriteArrayList<>();
    private final ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            listenerSaw.add("revoked " + partitions + " committed " + consumer.committed(Set.copyOf(partitions)));
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            listenerSaw.add("assigned " + partitions);
        }
    };
    private EngineConfig config;
    private RecordBuffers<String, String> buffers;
    private PendingGets<String, String> pendingGets;
    private IoLoop<String, String> loop;

    @BeforeEach
    void wireTheLoop() {
        freshConsumer();
        wire(Map.of("group.id", "g", "auto.commit.interval.ms", 3_600_000, "retry.backoff.ms", 300), 1 << 20, 1 << 24);
        subscribeAndFill();
    }

    /** Subscribes to t, assigns t-0 and t-1 and puts ten records in each. */
    private void subscribeAndFill() {
        subscribe(listener);
        consumer.rebalance(List.of(t0, t1));
        consumer.updateBeginningOffsets(Map.of(t0, 0L, t1, 0L));
        for (int offset = 0; offset < 10; offset++) {
            consumer.addRecord(record(t0, offset));
            consumer.addRecord(record(t1, offset));
        }
    }

    private void freshConsumer() {
        consumer = new MockConsumer<>("earliest") {
            @Override
            public synchronized ConsumerRecords<String, String> poll(Duration timeout) {
                pollStarts.add(time.nanoseconds());
                return super.poll(timeout);
            }

            @Override
            public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
                if (commitError != null) {
                    throw commitError;
                }
                syncCommits.add(Map.copyOf(offsets));
                super.commitSync(offsets, timeout);
            }
        };
    }

    /** A new loop, with its buffers, over the current consumer. */
    private void wire(Map<String, Object> properties, long perPartition, long total) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("bootstrap.servers", "h:1");
        all.put("client.id", "io-test");
        config = new EngineConfig(all, new StringDeserializer(), new StringDeserializer(), perPartition, total);
        buffers = new RecordBuffers<>(config.maxBufferedBytesPerPartition(), config.maxBufferedBytes(), consumer::wakeup);
        pendingGets = new PendingGets<>(buffers, callbacks);
        loop = new IoLoop<>(consumer, config, buffers, pendingGets,
                new EndOffsetsProbe(consumer, config.isolationLevel(), "test", probeSource), time, false);
    }

    private void subscribe(ConsumerRebalanceListener rebalanceListener) {
        loop.context().assignments().apply(Subscription.topics(Set.of("t"), rebalanceListener), time.nanoseconds());
    }

    @AfterEach
    void stopThreads() {
        callbacks.shutdownNow();
        callers.shutdownNow();
    }

    private static ConsumerRecord<String, String> record(TopicPartition tp, long offset) {
        return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, 0L, TimestampType.CREATE_TIME, 1, 1, "k", "v" + offset,
                new RecordHeaders(), Optional.empty());
    }

    private Map<TopicPartition, List<ConsumerRecord<String, String>>> take(int max, TopicPartition... partitions) {
        return buffers.take(max, List.of(partitions), System.nanoTime(), taken -> taken);
    }

    /** Turns the loop, then lets the clock pass for as long as the loop asked to wait. */
    private void turn() {
        time.advanceNanos(loop.runOnce());
    }

    /** A command that notes its name when it runs, and answers with it. */
    private IoCommand<String> noting(String name, List<String> ran, Duration timeout) {
        return command(name, timeout, io -> {
            ran.add(name);
            return name;
        });
    }

    private IoCommand<String> command(String name, Duration timeout, Function<IoContext, String> body) {
        return new IoCommand<>(name, Deadline.after(time, timeout, "default.api.timeout.ms")) {
            @Override
            String execute(IoContext io, Duration left) {
                return body.apply(io);
            }
        };
    }

    // ---------------------------------------------------------------- the poll step

    @Test
    void aRevocationFreezesThePartitionAndCommitsExactlyWhatWasHandedOutBeforeTheListenerRuns() {
        loop.runOnce();
        assertThat(take(3, t0).get(t0)).hasSize(3);

        consumer.rebalance(List.of(t1));

        // the listener read the commit while t-0 was still assigned: the bridge committed before calling it
        assertThat(listenerSaw).anySatisfy(seen -> assertThat(seen).contains("revoked [t-0]").contains("offset=3"));
        assertThat(buffers.assignment()).containsExactly(t1);
        Map<TopicPartition, List<ConsumerRecord<String, String>>> rest = take(100);
        assertThat(rest.keySet()).as("nothing of the revoked partition is handed out").containsExactly(t1);
        assertThat(rest.get(t1)).hasSize(10);
    }

    @Test
    void aRecordThatCannotBeDeserializedIsQueuedInItsTurnAndTheConsumerMovesPastIt() {
        loop.runOnce();
        consumer.setPollException(new RecordDeserializationException(
                RecordDeserializationException.DeserializationExceptionOrigin.VALUE, t0, 10, 0L, TimestampType.CREATE_TIME,
                null, null, new RecordHeaders(), "bad value", new IllegalArgumentException()));
        consumer.updateEndOffsets(Map.of(t0, 11L));
        loop.runOnce();
        assertThat(consumer.position(t0)).isEqualTo(11);
        assertThat(take(100, t0).get(t0)).hasSize(10);
        assertThatThrownBy(() -> take(100, t0)).isInstanceOf(RecordDeserializationException.class);
        assertThat(buffers.read(t0, PartitionBuffer::position).longValue()).isEqualTo(11L);
    }

    @Test
    void aPollErrorReachesTheNextGetCallOnceThePollIsRetriedOnlyAfterTheBackOffAndRecordsFlowAfterIt() {
        consumer.setPollException(new AuthenticationException("wrong password"));
        turn();
        assertThatThrownBy(() -> take(100)).isInstanceOf(AuthenticationException.class).hasMessage("wrong password");
        assertThat(take(100)).as("the error is reported once").isEmpty();
        consumer.addRecord(record(t0, 10));

        // a turn that waits out the back-off, then one that polls again (a third to spare)
        List<ConsumerRecord<String, String>> taken = new ArrayList<>();
        for (int turn = 0; turn < 3 && taken.size() < 21; turn++) {
            turn();
            take(100).values().forEach(taken::addAll);
        }

        assertThat(pollStarts).hasSizeGreaterThanOrEqualTo(2);
        assertThat(Duration.ofNanos(pollStarts.get(1) - pollStarts.get(0)))
                .as("the poll after the failed one waits for the back-off, on the engine's clock")
                .isEqualTo(config.retryBackoff());
        assertThat(taken).filteredOn(r -> r.partition() == 0).extracting(ConsumerRecord::offset)
                .as("what was there before the error, and what came after it")
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(taken).filteredOn(r -> r.partition() == 1).hasSize(10);
    }

    @Test
    void theBackOffDoublesWithEachErrorInARowUpToItsMaximumAndASeekEndsIt() {
        List<Long> waits = new ArrayList<>();
        for (int error = 0; error < 4; error++) {
            consumer.setPollException(new AuthenticationException("wrong password"));
            loop.runOnce();
            long wait = loop.runOnce();
            waits.add(TimeUnit.NANOSECONDS.toMillis(wait));
            time.advanceNanos(wait);
        }
        assertThat(waits).as("retry.backoff.ms=300, doubled, at most retry.backoff.max.ms=1000").containsExactly(300L, 600L, 1000L, 1000L);

        consumer.setPollException(new AuthenticationException("wrong password"));
        loop.runOnce();
        loop.context().poll().resetBackOff();
        int polls = pollStarts.size();
        loop.runOnce();
        assertThat(pollStarts).as("polled at once after the reset").hasSize(polls + 1);
    }

    @Test
    void anUndefinedStartPointIsReportedOnceThoughEveryPollThrowsItUntilTheApplicationSeeks() {
        consumer.setPollException(new NoOffsetForPartitionException(t0));
        loop.runOnce();
        assertThat(loop.runOnce()).as("the next poll waits for a back-off").isEqualTo(config.retryBackoff().toNanos());
        assertThatThrownBy(() -> take(100)).isInstanceOf(NoOffsetForPartitionException.class);
        consumer.setPollException(new NoOffsetForPartitionException(t0));
        loop.context().poll().resetBackOff();
        loop.runOnce();
        assertThat(take(100)).as("reported once").isEmpty();
        assertThat(buffers.planFetching().notToFetch()).contains(t0);
        buffers.reset(t0, 4);
        assertThat(buffers.planFetching().notToFetch()).doesNotContain(t0);
    }

    @Test
    void fullBuffersArePausedInTheConsumerAndResumedOnceDrained() {
        wire(Map.of("group.id", "g"), 5, 1000);
        subscribe(null);
        buffers.assign(List.of(t0, t1));
        loop.runOnce();
        loop.runOnce();
        assertThat(consumer.paused()).containsExactlyInAnyOrder(t0, t1);
        take(100, t0);
        loop.runOnce();
        assertThat(consumer.paused()).containsExactly(t1);
    }

    @Test
    void eachPollPublishesTheEndOffsetsAndThePollTimeOfTheEnginesClock() {
        probeSource = EndOffsetsProbe.Source.CURRENT_LAG; // MockConsumer keeps no end offsets in its fetch state
        freshConsumer();
        wire(Map.of("group.id", "g"), 1 << 20, 1 << 24);
        subscribeAndFill();
        consumer.updateEndOffsets(Map.of(t0, 10L, t1, 10L));
        loop.runOnce();
        long highWatermark = buffers.read(t0, buffer -> buffer.highWatermark);
        long lastPoll = buffers.read(t0, buffer -> buffer.lastPollTimestamp);
        assertThat(highWatermark).isEqualTo(10L);
        assertThat(lastPoll).isEqualTo(time.milliseconds());
    }

    @Test
    void aWaitingAsynchronousGetHearsOfARecordThatCannotBeDeserializedAndOfAPollError() {
        loop.runOnce();
        take(100, t0);
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> poisoned = pendingGets.add(5, List.of(t0), null, false);
        consumer.setPollException(Batches.poison(t0, 10));
        loop.runOnce();
        assertThat(poisoned).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
                .isInstanceOf(RecordDeserializationException.class);

        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> failed = pendingGets.add(5, List.of(t0), null, false);
        consumer.setPollException(new AuthenticationException("wrong password"));
        loop.runOnce();
        assertThat(failed).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void seekCommandsRefusePartitionsNotAssignedAndASeekEndsTheBackOff() {
        TopicPartition other = new TopicPartition("other", 0);
        Deadline deadline = Deadline.after(time, Duration.ofSeconds(30), "default.api.timeout.ms");
        List<IoCommand<?>> refused = List.of(loop.submit(new SeekCommands.Seek(other, 1, deadline)),
                loop.submit(new SeekCommands.SeekToEdge(List.of(other), SeekCommands.Edge.END, deadline)),
                loop.submit(new SeekCommands.SeekToCommitted(List.of(other), deadline)));
        loop.runOnce();
        assertThat(refused).allSatisfy(command -> assertThat(command.result()).failsWithin(Duration.ZERO)
                .withThrowableThat().havingCause().isInstanceOf(IllegalStateException.class).withMessageContaining("other-0"));

        for (IoCommand<?> seek : List.of(new SeekCommands.Seek(t0, 2, deadline),
                new SeekCommands.SeekToEdge(List.of(t0), SeekCommands.Edge.BEGINNING, deadline),
                new SeekCommands.SeekToCommitted(List.of(t0), deadline))) {
            consumer.setPollException(new AuthenticationException("wrong password"));
            loop.runOnce();
            assertThat(loop.runOnce()).as("backing off").isPositive();
            loop.submit(seek);
            int polls = pollStarts.size();
            loop.runOnce();
            assertThat(pollStarts).as(seek + " ended the back-off").hasSize(polls + 1);
        }
    }

    @Test
    void aCommandIsNamedForMessagesAfterItsOperationAndArguments() {
        Deadline deadline = Deadline.after(time, Duration.ofSeconds(30), "default.api.timeout.ms");
        assertThat(List.of(new OffsetCommands.Position(t0, deadline), new OffsetCommands.Committed(t0, deadline),
                new OffsetCommands.Commit(null, deadline), new OffsetCommands.Commit(Map.of(t0, new OffsetAndMetadata(1)), deadline),
                new SeekCommands.Seek(t0, 4, deadline), new SeekCommands.SeekToEdge(List.of(t0), SeekCommands.Edge.BEGINNING, deadline),
                new SeekCommands.SeekToEdge(List.of(), SeekCommands.Edge.END, deadline), new SeekCommands.SeekToCommitted(List.of(t1), deadline),
                new LookupCommands.OffsetsForTimes(Map.of(t0, 1L), deadline), new LookupCommands.ListOffsets(List.of(t0), true, deadline),
                new LookupCommands.ListOffsets(List.of(t1), false, deadline), new LookupCommands.Topics(deadline),
                new LookupCommands.PartitionsFor("t", deadline), new SubscriptionCommands.SubscribedTopics(deadline),
                new SubscriptionCommands.Apply(Subscription.NONE, deadline)))
                .extracting(IoCommand::toString).containsExactly("position(t-0)", "committed(t-0)", "commit()", "commit([t-0])",
                        "seek(t-0, 4)", "seekToBeginning([t-0])", "seekToEnd([])", "seekToCommitted([t-1])", "offsetsForTimes([t-0])",
                        "beginningOffsets([t-0])", "endOffsets([t-1])", "topics()", "partitionsForTopic(t)", "subscription()",
                        "unsubscribe()");
        IoCommand<Void> commitAsync = new OffsetCommands.CommitAsync(Map.of(t0, new OffsetAndMetadata(1)), new CompletableFuture<>(), Runnable::run);
        assertThat(commitAsync.name()).isEqualTo("commitAsync([t-0])");
        assertThat(commitAsync.deadline().describe()).isEqualTo("no deadline");
        assertThat(deadline.describe()).isEqualTo("30000 ms (default.api.timeout.ms)");
        assertThat(deadline.deadlineMs()).isEqualTo(time.milliseconds() + 30_000);
        // a duration too long for a clock means for ever: about 73 years on, never an overflow to the past
        assertThat(Deadline.after(time, Duration.ofMillis(Long.MAX_VALUE), "forever").deadlineMs())
                .isEqualTo(time.milliseconds() + Durations.FOREVER_MILLIS);
    }

    @Test
    void anAsynchronousGetIsServedByThePollThatBringsItsRecords() {
        CompletableFuture<Map<TopicPartition, List<ConsumerRecord<String, String>>>> get = pendingGets.add(5, List.of(t1), null, false);
        assertThat(get).isNotDone();
        loop.runOnce();
        assertThat(get).succeedsWithin(Duration.ofSeconds(10)).satisfies(records -> assertThat(records.get(t1)).hasSize(5));
    }

    // ---------------------------------------------------------------- commands and their deadlines

    @Test
    void commandsRunInTheOrderTheyWereSubmittedAtTheStartOfTheNextTurn() {
        List<String> ran = new ArrayList<>();
        IoCommand<String> first = loop.submit(noting("first", ran, Duration.ofSeconds(30)));
        IoCommand<String> second = loop.submit(noting("second", ran, Duration.ofSeconds(30)));
        IoCommand<String> third = loop.submit(noting("third", ran, Duration.ofSeconds(30)));
        assertThat(loop.queuedCommands()).isEqualTo(3);
        assertThat(ran).isEmpty();

        loop.runOnce();

        assertThat(ran).containsExactly("first", "second", "third");
        assertThat(List.of(first.result(), second.result(), third.result())).allSatisfy(result -> assertThat(result).isDone());
        assertThat(third.result()).isCompletedWithValue("third");
        assertThat(loop.queuedCommands()).isZero();
    }

    @Test
    void aCommandWhoseDeadlineHasPassedBeforeTheLoopReachesItFailsWithoutRunning() {
        List<String> ran = new ArrayList<>();
        IoCommand<String> late = loop.submit(noting("committed(t-0)", ran, Duration.ofSeconds(30)));
        IoCommand<String> inTime = loop.submit(noting("committed(t-1)", ran, Duration.ofSeconds(31)));
        time.advance(Duration.ofSeconds(30));

        loop.runOnce();

        assertThat(ran).containsExactly("committed(t-1)");
        assertThat(late.notRun()).isTrue();
        assertThat(late.result()).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
                .isInstanceOf(TimeoutException.class)
                .withMessageStartingWith("committed(t-0) did not complete within 30000 ms (default.api.timeout.ms)")
                .withMessageContaining("was not run");
        assertThat(inTime.result()).isCompletedWithValue("committed(t-1)");
    }

    @Test
    void aCallerGivesUpAtTheDeadlineWithATimeoutNamingTheOperationAndTheCommandNeverRuns() {
        List<String> ran = new ArrayList<>();
        IoCommand<String> committed = noting("committed(t-0)", ran, Duration.ofSeconds(30));
        CompletableFuture<String> caller = CompletableFuture.supplyAsync(() -> loop.call(committed), callers);
        await().until(() -> loop.queuedCommands() == 1);

        time.advance(Duration.ofSeconds(29));
        assertThat(caller).as("before the deadline").isNotDone();
        time.advance(Duration.ofSeconds(1));

        assertThat(caller).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
                .isInstanceOf(TimeoutException.class)
                .withMessage("committed(t-0) did not complete within 30000 ms (default.api.timeout.ms): the I/O thread did "
                        + "not reach it in time (a rebalance listener or another command held it), so it was not run");
        loop.runOnce();
        assertThat(ran).as("a command whose caller gave up is never run").isEmpty();
        assertThat(committed.notRun()).isTrue();
    }

    @Test
    void aCallerWhoseCommandIsRunningAtTheDeadlineIsToldItMayStillTakeEffect() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        IoCommand<String> commit = command("commit([t-0])", Duration.ofSeconds(30), io -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "done";
        });
        CompletableFuture<String> caller = CompletableFuture.supplyAsync(() -> loop.call(commit), callers);
        await().until(() -> loop.queuedCommands() == 1);
        CompletableFuture<Long> turning = CompletableFuture.supplyAsync(loop::runOnce, callers);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        time.advance(Duration.ofSeconds(30));

        assertThat(caller).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
                .isInstanceOf(TimeoutException.class)
                .withMessage("commit([t-0]) did not complete within 30000 ms (default.api.timeout.ms); it is running on "
                        + "the I/O thread and may still take effect");
        release.countDown();
        assertThat(turning).succeedsWithin(Duration.ofSeconds(10));
        assertThat(commit.result()).isCompletedWithValue("done");
        assertThat(commit.notRun()).isFalse();
    }

    @Test
    void aCallerGetsTheResultOrTheExceptionOfItsCommandAsThrown() {
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> loop.call(command("a", Duration.ofSeconds(30), io -> "b")),
                callers);
        IllegalStateException refused = new IllegalStateException("not assigned");
        CompletableFuture<String> failure = CompletableFuture.supplyAsync(() -> loop.call(command("c", Duration.ofSeconds(30), io -> {
            throw refused;
        })), callers);
        StackOverflowError error = new StackOverflowError("deep");
        CompletableFuture<String> fatal = CompletableFuture.supplyAsync(() -> loop.call(command("d", Duration.ofSeconds(30), io -> {
            throw error;
        })), callers);
        await().until(() -> loop.queuedCommands() == 3);

        loop.runOnce();

        assertThat(answer).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("b");
        assertThat(failure).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause().isSameAs(refused);
        assertThat(fatal).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause().isSameAs(error);
        loop.runOnce(); // the first turn's poll was cut short by the wakeup that each command makes
        assertThat(take(100)).as("a command's failure is its caller's, not the get calls'").isNotEmpty();
    }

    @Test
    void aCommandInterruptedByAWakeupMeantForAPollRunsAgain() {
        AtomicInteger attempts = new AtomicInteger();
        IoCommand<String> command = loop.submit(command("position(t-0)", Duration.ofSeconds(30), io -> {
            if (attempts.incrementAndGet() == 1) {
                throw new WakeupException();
            }
            return "resolved";
        }));
        loop.runOnce();
        assertThat(command.result()).isCompletedWithValue("resolved");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void aCallMadeOnTheLoopsThreadDuringATurnRunsInline() {
        List<String> ran = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        consumer.schedulePollTask(() -> answers.add(loop.call(noting("committed(t-0)", ran, Duration.ofSeconds(30)))));
        loop.runOnce();
        assertThat(answers).containsExactly("committed(t-0)");
        assertThat(loop.queuedCommands()).isZero();
        assertThat(loop.isIoThread()).as("outside a turn, the test thread is a caller again").isFalse();
    }

    @Test
    void onStopQueuedCommandsFailAndLaterOnesAreRefusedWithConsumerStopped() {
        loop.runOnce();
        take(3, t0);
        List<String> ran = new ArrayList<>();
        IoCommand<String> queued = loop.submit(noting("committed(t-0)", ran, Duration.ofSeconds(30)));
        loop.requestStop(Duration.ofSeconds(5));

        loop.run();

        assertThat(ran).isEmpty();
        assertThat(queued.result()).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
                .isInstanceOf(ConsumerStoppedException.class);
        IoCommand<String> late = loop.submit(noting("committed(t-1)", ran, Duration.ofSeconds(30)));
        assertThat(late.result()).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
                .isInstanceOf(ConsumerStoppedException.class);
        assertThat(consumer.closed()).isTrue();
        assertThat(syncCommits).as("the final commit: what was handed out").singleElement()
                .satisfies(offsets -> assertThat(offsets).containsEntry(t0, new OffsetAndMetadata(3)));
        assertThat(loop.terminated()).isDone();
        assertThat(loop.isTerminated()).isTrue();
        assertThatThrownBy(() -> take(1)).isInstanceOf(ConsumerStoppedException.class);
    }

    @Test
    void aStartWaitingForTheFirstAssignmentFailsWhenTheLoopStops() {
        freshConsumer();
        wire(Map.of("group.id", "g"), 1 << 20, 1 << 24);
        subscribe(null);
        loop.join().expect();
        loop.runOnce();
        loop.requestStop(Duration.ofSeconds(1));
        loop.run();
        assertThatThrownBy(() -> loop.join().await(time, Deadline.after(time, Duration.ofSeconds(1), "test"), "join group g"))
                .isInstanceOf(ConsumerStoppedException.class).hasMessage("The consumer engine stopped before it could join group g");
    }

    @Test
    void aStartWaitingForTheFirstAssignmentGivesUpAtItsDeadlineAndSaysTheEngineKeepsTrying() {
        freshConsumer();
        wire(Map.of("group.id", "g"), 1 << 20, 1 << 24);
        subscribe(null);
        loop.join().expect();
        ManualTime jumping = ManualTime.jumpingWaits();
        assertThatThrownBy(() -> loop.join().await(jumping, Deadline.after(jumping, Duration.ofSeconds(60), "default.api.timeout.ms"),
                "join group g")).isInstanceOf(TimeoutException.class)
                .hasMessage("The consumer did not join group g within 60000 ms (default.api.timeout.ms); it keeps trying in the background");
        consumer.rebalance(List.of(t0));
        loop.join().await(jumping, Deadline.after(jumping, Duration.ofSeconds(60), "default.api.timeout.ms"), "join group g");
    }

    // ---------------------------------------------------------------- Throwables

    @Test
    void anErrorThrownInsidePollByADeserializerIsReportedToTheNextGetAndTheLoopGoesOnAfterABackOff() {
        StackOverflowError error = new StackOverflowError("a recursive deserializer");
        consumer.schedulePollTask(() -> {
            throw error;
        });

        long wait = loop.runOnce();

        assertThat(wait).as("the turn ends without throwing").isZero();
        assertThatThrownBy(() -> take(100)).isInstanceOf(KafkaException.class).hasCause(error)
                .hasMessageContaining("The I/O loop threw java.lang.StackOverflowError: a recursive deserializer");
        assertThat(loop.runOnce()).as("then it backs off").isEqualTo(config.retryBackoff().toNanos());
        time.advance(config.retryBackoff());
        loop.runOnce();
        assertThat(take(100)).as("and polls again").isNotEmpty();
    }

    @Test
    void aRuntimeExceptionThatIsNotKafkasIsReportedAsItIs() {
        IllegalStateException bug = new IllegalStateException("an interceptor's bug");
        consumer.schedulePollTask(() -> {
            throw bug;
        });
        loop.runOnce();
        assertThatThrownBy(() -> take(100)).isSameAs(bug);
    }

    @Test
    void anErrorFromARebalanceListenerLetsTheRebalanceCompleteAndIsReportedToTheNextGet() {
        OutOfMemoryError error = new OutOfMemoryError("listener");
        subscribe(new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                throw error;
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                throw new IllegalArgumentException("only logged, as before");
            }
        });
        consumer.rebalance(List.of(t0, t1));
        consumer.addRecord(record(t1, 0));
        loop.runOnce();

        consumer.rebalance(List.of(t1));

        assertThat(buffers.assignment()).as("the revocation went through").containsExactly(t1);
        assertThatThrownBy(() -> take(100)).isInstanceOf(KafkaException.class).hasCause(error)
                .hasMessageContaining("onPartitionsRevoked");
        assertThat(take(100)).as("reported once").isNotEmpty();
    }

    @Test
    void aRuntimeExceptionFromARebalanceListenerIsOnlyLogged() {
        subscribe(new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                throw new IllegalStateException("logged");
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                throw new IllegalStateException("logged");
            }
        });
        consumer.rebalance(List.of(t0, t1));
        consumer.addRecord(record(t0, 0));
        consumer.addRecord(record(t1, 0));
        loop.runOnce();
        consumer.rebalance(List.of(t0));
        assertThat(buffers.assignment()).containsExactly(t0);
        assertThat(take(100)).containsOnlyKeys(t0);
    }

    @Test
    void anErrorBeforeTheFirstAssignmentFailsTheStartThatWaitsForIt() {
        freshConsumer();
        wire(Map.of("group.id", "g"), 1 << 20, 1 << 24);
        subscribe(null);
        loop.join().expect();
        consumer.setPollException(new AuthenticationException("wrong password"));
        loop.runOnce();
        assertThatThrownBy(() -> loop.join().await(time, Deadline.after(time, Duration.ofSeconds(1), "default.api.timeout.ms"), "join group g"))
                .isInstanceOf(AuthenticationException.class);
        time.advance(config.retryBackoff());
        loop.runOnce();
        assertThat(take(100)).as("the start took it; the get calls do not see it again").isEmpty();
    }

    // ---------------------------------------------------------------- the clock

    @Test
    void consumedPositionsAreCommittedWhenTheAutoCommitIntervalHasPassedOnTheEnginesClock() {
        freshConsumer();
        wire(Map.of("group.id", "g", "auto.commit.interval.ms", 60_000), 1 << 20, 1 << 24);
        subscribeAndFill();
        time.advance(Duration.ofSeconds(59));
        loop.start(); // the interval counts from the start
        loop.runOnce();
        take(4, t0);
        time.advance(Duration.ofSeconds(59));
        loop.runOnce();
        assertThat(consumer.committed(Set.of(t0))).as("not before the interval").isEmpty();

        time.advance(Duration.ofSeconds(1));
        loop.runOnce();

        assertThat(consumer.committed(Set.of(t0))).containsEntry(t0, new OffsetAndMetadata(4));
        assertThat(buffers.uncommittedPositions(List.of())).as("marked committed").isEmpty();
    }

    @Test
    void anApplicationThatStopsAskingForRecordsLeavesTheGroupAndRejoinsWhenItAsksAgain() {
        loop.runOnce();
        take(100, t0);
        time.advance(config.maxPollInterval().plusSeconds(10));
        loop.runOnce();
        assertThat(consumer.subscription()).as("left the group").isEmpty();
        assertThat(loop.runOnce()).as("nothing to fetch meanwhile: the loop waits for a command").isPositive();

        pendingGets.add(1, List.of(t0), null, false); // t-0 has nothing left: the get waits, and waiting is asking
        loop.runOnce();

        assertThat(consumer.subscription()).as("rejoined").containsExactly("t");
    }

    @Test
    void withoutAGroupTheTopicsPartitionsAreAssignedAndReadAgainEveryMetadataMaxAge() {
        freshConsumer();
        wire(Map.of("metadata.max.age.ms", 60_000), 1 << 20, 1 << 24);
        listenerSaw.clear();
        TopicPartition t2 = new TopicPartition("t", 2);
        consumer.updatePartitions("t", List.of(partition(0), partition(1)));
        consumer.updateBeginningOffsets(Map.of(t0, 0L, t1, 0L, t2, 0L));
        subscribe(listener);
        loop.runOnce();
        assertThat(consumer.assignment()).containsExactlyInAnyOrder(t0, t1);
        assertThat(listenerSaw).singleElement().asString().startsWith("assigned [").contains("t-0").contains("t-1");
        assertThat(loop.context().assignments().subscribedTopics()).containsExactly("t");

        consumer.updatePartitions("t", List.of(partition(0), partition(1), partition(2)));
        loop.runOnce();
        assertThat(consumer.assignment()).as("not read again before metadata.max.age.ms").hasSize(2);

        time.advance(Duration.ofMinutes(1));
        loop.runOnce();
        assertThat(consumer.assignment()).contains(t2);
        assertThat(listenerSaw).last().isEqualTo("assigned [t-2]");
    }

    @Test
    void withoutAGroupAndBeforeTheTopicExistsThereIsNothingToPollAndTheLoopWaitsForACommand() {
        freshConsumer();
        wire(Map.of(), 1 << 20, 1 << 24);
        subscribe(listener);
        assertThat(loop.runOnce()).as("the loop's longest wait").isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(pollStarts).isEmpty();
        assertThat(consumer.assignment()).isEmpty();

        loop.context().assignments().apply(Subscription.partitions(Set.of(t0)), time.nanoseconds());
        consumer.updateBeginningOffsets(Map.of(t0, 0L));
        assertThat(loop.runOnce()).isZero();
        assertThat(pollStarts).hasSize(1);
    }

    @Test
    void withoutAGroupAFailedMetadataReadIsReportedAndTriedAgainAfterTheMaximumBackOff() {
        MockConsumer<String, String> failing = new MockConsumer<>("earliest") {
            private final AtomicInteger reads = new AtomicInteger();

            @Override
            public synchronized java.util.List<org.apache.kafka.common.PartitionInfo> partitionsFor(String topic) {
                if (reads.incrementAndGet() == 1) {
                    throw new AuthenticationException("no metadata for you");
                }
                return super.partitionsFor(topic);
            }
        };
        failing.updatePartitions("t", List.of(partition(0)));
        failing.updateBeginningOffsets(Map.of(t0, 0L));
        Map<String, Object> all = Map.of("bootstrap.servers", "h:1", "retry.backoff.max.ms", 5000);
        config = new EngineConfig(all, new StringDeserializer(), new StringDeserializer(), 1 << 20, 1 << 24);
        buffers = new RecordBuffers<>(config.maxBufferedBytesPerPartition(), config.maxBufferedBytes(), failing::wakeup);
        pendingGets = new PendingGets<>(buffers, callbacks);
        loop = new IoLoop<>(failing, config, buffers, pendingGets, new EndOffsetsProbe(failing, config.isolationLevel(), "t"), time, false);
        loop.context().assignments().apply(Subscription.topics(Set.of("t"), null), time.nanoseconds());

        loop.runOnce();
        assertThatThrownBy(() -> take(1)).isInstanceOf(AuthenticationException.class);
        loop.runOnce();
        assertThat(failing.assignment()).as("not before the back-off").isEmpty();
        time.advance(Duration.ofSeconds(5));
        loop.runOnce();
        assertThat(failing.assignment()).containsExactly(t0);
    }

    private static org.apache.kafka.common.PartitionInfo partition(int number) {
        return new org.apache.kafka.common.PartitionInfo("t", number, null, null, null);
    }

    @Test
    void anErrorWhileCommittingOnStopStillClosesTheConsumerAndEndsTheLoopLoudly() {
        loop.runOnce();
        take(3, t0);
        IoCommand<String> queued = loop.submit(noting("committed(t-0)", new ArrayList<>(), Duration.ofSeconds(30)));
        commitError = new OutOfMemoryError("on stop");
        loop.requestStop(Duration.ofSeconds(1));

        assertThatThrownBy(loop::run).isSameAs(commitError);

        assertThat(consumer.closed()).isTrue();
        assertThat(loop.terminated()).isDone();
        assertThat(queued.result()).isCompletedExceptionally();
        assertThat(loop.isIoThread()).isFalse();
    }

    @Test
    void theConsumerIsClosedAgainOnceWhenALateWakeupCutsTheFirstCloseShort() {
        AtomicInteger closes = new AtomicInteger();
        MockConsumer<String, String> waking = new MockConsumer<>("earliest") {
            @Override
            public void close(org.apache.kafka.clients.consumer.CloseOptions options) {
                closes.incrementAndGet();
                throw new WakeupException();
            }
        };
        IoLoop<String, String> closing = new IoLoop<>(waking, config, buffers, pendingGets,
                new EndOffsetsProbe(waking, config.isolationLevel(), "test"), time, false);
        closing.requestStop(Duration.ofSeconds(1));
        closing.run();
        assertThat(closes).hasValue(2);
        assertThat(closing.terminated()).isDone();
    }

    @Test
    void aConsumerThatCannotCloseCleanlyStillEndsTheLoop() {
        MockConsumer<String, String> failing = new MockConsumer<>("earliest") {
            @Override
            public void close(org.apache.kafka.clients.consumer.CloseOptions options) {
                throw new KafkaException("broker gone");
            }
        };
        IoLoop<String, String> closing = new IoLoop<>(failing, config, buffers, pendingGets,
                new EndOffsetsProbe(failing, config.isolationLevel(), "test"), time, false);
        closing.requestStop(Duration.ofSeconds(1));
        closing.run();
        assertThat(closing.terminated()).isDone();
    }

    // ---------------------------------------------------------------- the thread

    @Test
    void theLoopOnItsOwnThreadRunsCommandsAtOnceAndStopsWhenAsked() {
        IoLoop<String, String> threaded = new IoLoop<>(consumer, config, buffers, pendingGets,
                new EndOffsetsProbe(consumer, config.isolationLevel(), "test"), Time.SYSTEM, true);
        threaded.context().assignments().apply(Subscription.NONE, 0);
        threaded.start();
        assertThat(threaded.call(new IoCommand<String>("name()", Deadline.after(Time.SYSTEM, Duration.ofSeconds(30), "test")) {
            @Override
            String execute(IoContext io, Duration timeout) {
                return Thread.currentThread().getName();
            }
        })).isEqualTo("kafka-consumer-io-io-test");
        assertThat(threaded.call(new IoCommand<Boolean>("daemon()", Deadline.after(Time.SYSTEM, Duration.ofSeconds(30), "test")) {
            @Override
            Boolean execute(IoContext io, Duration timeout) {
                return Thread.currentThread().isDaemon();
            }
        })).isTrue();

        threaded.requestStop(Duration.ofSeconds(5));

        assertThat(threaded.terminated()).succeedsWithin(Duration.ofSeconds(10));
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void anInterruptedLoopStops() {
        IoLoop<String, String> threaded = new IoLoop<>(consumer, config, buffers, pendingGets,
                new EndOffsetsProbe(consumer, config.isolationLevel(), "test"), Time.SYSTEM, true);
        threaded.context().assignments().apply(Subscription.NONE, 0);
        Thread[] ioThread = new Thread[1];
        threaded.start();
        threaded.call(new IoCommand<Void>("find the thread", Deadline.after(Time.SYSTEM, Duration.ofSeconds(30), "test")) {
            @Override
            Void execute(IoContext io, Duration timeout) {
                ioThread[0] = Thread.currentThread();
                return null;
            }
        });

        ioThread[0].interrupt();

        assertThat(threaded.terminated()).succeedsWithin(Duration.ofSeconds(10));
        assertThat(threaded.isStopRequested()).isTrue();
    }

    @Test
    void aPositionTheConsumerMovedBackByItselfIsReportedOnceAsATruncationWithTheCommitAndTheNewLogEnd() {
        ch.qos.logback.classic.Logger pollLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(PollStep.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        pollLog.addAppender(logged);
        try {
            loop.runOnce();
            assertThat(take(100, t0).get(t0)).hasSize(10);
            buffers.markCommitted(Map.of(t0, new OffsetAndMetadata(10)));

            // kafka-clients found the log truncated at 6 (leader-epoch validation) and moved the position back there itself
            consumer.seek(t0, 6);
            consumer.addRecord(record(t0, 6));
            consumer.addRecord(record(t0, 7));
            loop.runOnce();
            loop.runOnce();

            assertThat(take(100, t0).get(t0)).extracting(ConsumerRecord::offset).containsExactly(6L, 7L);
            assertThat(buffers.uncommittedPositions(List.of(t0)).get(t0).offset()).as("to commit, below the earlier commit")
                    .isEqualTo(8);
            assertThat(logged.list).filteredOn(event -> event.getLevel() == ch.qos.logback.classic.Level.WARN)
                    .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).singleElement().asString()
                    .contains("t-0 was truncated", "expected at offset 10", "committed by this consumer is 10",
                            "goes on from offset 6");
        } finally {
            pollLog.detachAppender(logged);
        }
    }
}
