package dev.kafkaconsumer.core.internal;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.ConsumerStoppedException;

/**
 * The engine's I/O thread: the only thread that touches the {@link Consumer}. Each turn of its loop
 * runs the queued commands, decides which partitions may be fetched, polls, hands the records to the
 * buffers, and commits consumed positions when the auto-commit interval has passed. Because it polls
 * all the time, heartbeats and rebalances never wait for the application.
 *
 * <p>Commands come from any thread through {@link #call} and {@link #submit}; a call made on this
 * thread (from a rebalance listener) runs inline. Every blocking consumer call retries once it is
 * interrupted by {@link Consumer#wakeup()}, which the engine uses to cut a poll short.
 */
final class IoLoop<K, V> implements Runnable, RebalanceBridge.PositionCommitter {

    private static final Logger log = LoggerFactory.getLogger(IoLoop.class);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Consumer<K, V> consumer;
    private final EngineConfig config;
    private final RecordBuffers<K, V> buffers;
    private final PendingGets<K, V> pendingGets;
    private final RebalanceBridge bridge;
    private final EndOffsetsProbe probe;
    private final BlockingQueue<Command<K, V, ?>> commands = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile boolean stopRequested;
    private volatile boolean acceptingCommands = true;
    private volatile Duration closeTimeout = Duration.ofSeconds(30);

    // state of the I/O thread only
    private Subscription subscription = Subscription.NONE;
    /** The partitions of a topic or pattern subscription without a group; null otherwise. */
    private LocalAssignment localAssignment;
    private boolean leftForIdleness;
    private long nextAutoCommitNanos;
    private long backoffUntilNanos;
    private int consecutiveErrors;

    IoLoop(Consumer<K, V> consumer, EngineConfig config, RecordBuffers<K, V> buffers, PendingGets<K, V> pendingGets,
            RebalanceBridge bridge) {
        this(consumer, config, buffers, pendingGets, bridge, new EndOffsetsProbe(consumer, config.isolationLevel(), config.clientId()));
    }

    IoLoop(Consumer<K, V> consumer, EngineConfig config, RecordBuffers<K, V> buffers, PendingGets<K, V> pendingGets,
            RebalanceBridge bridge, EndOffsetsProbe probe) {
        this.consumer = consumer;
        this.config = config;
        this.buffers = buffers;
        this.pendingGets = pendingGets;
        this.bridge = bridge;
        this.probe = probe;
        this.thread = new Thread(this, "kafka-consumer-io-" + config.clientId());
        this.thread.setDaemon(true);
        this.thread.setUncaughtExceptionHandler((t, e) -> log.error("[{}] The I/O thread {} died", config.clientId(), t.getName(), e));
        bridge.commitOnRevoke(config.autoCommit());
    }

    void start() {
        nextAutoCommitNanos = System.nanoTime() + config.autoCommitInterval().toNanos();
        thread.start();
    }

    boolean isIoThread() {
        return Thread.currentThread() == thread;
    }

    boolean isTerminated() {
        return terminated.isDone();
    }

    /** Completes when the I/O thread has closed the consumer and ended. */
    CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** Cuts the current poll short, so the loop looks at its commands and buffers again. */
    void wakeup() {
        consumer.wakeup();
    }

    /** Asks the loop to stop; the consumer is closed within {@code timeout} once the loop sees it. */
    void requestStop(Duration timeout) {
        closeTimeout = timeout;
        stopRequested = true;
        consumer.wakeup();
    }

    // ---------------------------------------------------------------- commands

    /** Runs {@code action} on the I/O thread and waits for its result; inline when called on it. */
    <T> T call(Function<Consumer<K, V>, T> action) {
        if (isIoThread()) {
            return withWakeupRetry(action);
        }
        return await(submit(action));
    }

    /** Queues {@code action} for the I/O thread. */
    <T> CompletableFuture<T> submit(Function<Consumer<K, V>, T> action) {
        Command<K, V, T> command = new Command<>(action, new CompletableFuture<>());
        if (!acceptingCommands) {
            command.result.completeExceptionally(stopped());
            return command.result;
        }
        commands.add(command);
        if (!acceptingCommands) {
            // the loop ended between the check and the add: it will never run this command
            failPendingCommands();
        } else {
            consumer.wakeup();
        }
        return command.result;
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new KafkaException(cause);
        }
    }

    private <T> T withWakeupRetry(Function<Consumer<K, V>, T> action) {
        while (true) {
            try {
                return action.apply(consumer);
            } catch (WakeupException e) {
                // meant for a poll; the wakeup is consumed, so the retry runs through
            }
        }
    }

    private void runCommands() {
        Command<K, V, ?> command;
        while ((command = commands.poll()) != null) {
            runCommand(command);
        }
    }

    private <T> void runCommand(Command<K, V, T> command) {
        try {
            command.result.complete(withWakeupRetry(command.action));
        } catch (RuntimeException | Error e) {
            command.result.completeExceptionally(e);
        }
    }

    private void failPendingCommands() {
        Command<K, V, ?> command;
        while ((command = commands.poll()) != null) {
            command.result.completeExceptionally(stopped());
        }
    }

    private static ConsumerStoppedException stopped() {
        return new ConsumerStoppedException("The consumer engine is stopped");
    }

    // ---------------------------------------------------------------- subscription, on the I/O thread

    void applySubscription(Subscription next) {
        if (subscription.kind() == Subscription.Kind.PARTITIONS && next.kind() != Subscription.Kind.PARTITIONS) {
            assignPartitions(Set.of());
        }
        if (localAssignment != null && !next.byTopics()) {
            revokeLocally(consumer.assignment());
        }
        localAssignment = null;
        if (next.kind() == Subscription.Kind.NONE) {
            // the revocation that unsubscribing causes is the old listener's to see
            consumer.unsubscribe();
            buffers.assign(Set.of());
        }
        bridge.listener(next.listener());
        switch (next.kind()) {
            case TOPICS, PATTERN -> {
                if (inGroup(next)) {
                    subscribeInGroup(next);
                } else {
                    // assigned on the loop's next turn, so that subscribe() does not wait for the metadata
                    localAssignment = new LocalAssignment(next, config.metadataMaxAge(), config.defaultApiTimeout(),
                            config.excludeInternalTopics());
                }
            }
            case PARTITIONS -> assignPartitions(next.partitions());
            case NONE -> { }
        }
        subscription = next;
        leftForIdleness = false;
        buffers.touch();
    }

    private boolean inGroup(Subscription next) {
        return next.byTopics() && config.groupId() != null;
    }

    private void subscribeInGroup(Subscription next) {
        if (next.kind() == Subscription.Kind.TOPICS) {
            consumer.subscribe(next.topics(), bridge);
        } else {
            consumer.subscribe(next.pattern(), bridge);
        }
    }

    /** The topics subscribed now; for a pattern, those it matches. Called on the I/O thread. */
    Set<String> subscribedTopics() {
        return localAssignment != null ? localAssignment.matchedTopics() : Set.copyOf(consumer.subscription());
    }

    private void assignPartitions(Set<TopicPartition> partitions) {
        Set<TopicPartition> before = buffers.assignment();
        Set<TopicPartition> removed = new HashSet<>(before);
        removed.removeAll(partitions);
        buffers.freeze(removed);
        if (config.autoCommit()) {
            commitQuietly(buffers.uncommittedPositions(removed), "before unassigning " + removed);
        }
        Set<TopicPartition> added = new HashSet<>(partitions);
        added.removeAll(consumer.assignment());
        consumer.assign(partitions);
        buffers.remove(removed);
        buffers.assign(partitions);
        // a position sought before the engine started (kept by the buffer) is where the consumer begins
        for (TopicPartition partition : added) {
            long sought = buffers.read(partition, PartitionBuffer::position);
            if (sought != PartitionBuffer.UNKNOWN) {
                consumer.seek(partition, sought);
            }
        }
    }

    /**
     * Reads the partitions of a subscription without a group when due, and assigns them, telling the
     * listener through the bridge as a group's rebalance would: revocations first, then assignments.
     */
    private void refreshLocalAssignment(long now) {
        if (localAssignment == null || !localAssignment.due(now)) {
            return;
        }
        Set<TopicPartition> target;
        try {
            target = localAssignment.readPartitions(consumer);
        } catch (WakeupException e) {
            return; // a command or a stop came first; read again on the next turn
        } catch (KafkaException e) {
            log.warn("[{}] Cannot read the partitions of {}: {}", config.clientId(), describeTopics(), e.toString());
            localAssignment.failed(now, config.retryBackoffMax());
            deliverError(e);
            return;
        }
        boolean first = localAssignment.refreshed(now);
        Set<TopicPartition> current = consumer.assignment();
        Set<TopicPartition> added = new HashSet<>(target);
        added.removeAll(current);
        Set<TopicPartition> revoked = new HashSet<>(current);
        revoked.removeAll(target);
        if (!first && added.isEmpty() && revoked.isEmpty()) {
            return;
        }
        revokeLocally(revoked);
        consumer.assign(target);
        bridge.onPartitionsAssigned(added);
    }

    private void revokeLocally(Set<TopicPartition> revoked) {
        if (!revoked.isEmpty()) {
            bridge.onPartitionsRevoked(revoked);
        }
    }

    private String describeTopics() {
        return subscription.kind() == Subscription.Kind.PATTERN ? "pattern " + subscription.pattern() : "topics " + subscription.topics();
    }

    @Override
    public void commitQuietly(Map<TopicPartition, OffsetAndMetadata> offsets, String reason) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            commitSync(offsets);
        } catch (KafkaException e) {
            log.warn("[{}] Could not commit {} {}: {}", config.clientId(), offsets, reason, e.toString());
        }
    }

    /**
     * Commits on the I/O thread and remembers what was committed. Once stopping, every commit (the final
     * one, those of the last revocation) fits in the close timeout; and a commit that was already waiting
     * for the broker when the stop came is abandoned, not retried, since it would otherwise hold the stop
     * for {@code default.api.timeout.ms} with the brokers gone (the stop makes its own final commit).
     */
    void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        while (true) {
            boolean stopping = stopRequested;
            Duration timeout = stopping && closeTimeout.compareTo(config.defaultApiTimeout()) < 0
                    ? closeTimeout : config.defaultApiTimeout();
            try {
                consumer.commitSync(offsets, timeout);
                break;
            } catch (WakeupException e) {
                if (!stopping && stopRequested) {
                    throw new ConsumerStoppedException("The consumer engine is stopping; the commit of " + offsets
                            + " was abandoned");
                }
                // meant for a poll; commit again
            }
        }
        buffers.markCommitted(offsets);
    }

    // ---------------------------------------------------------------- the loop

    @Override
    public void run() {
        log.debug("[{}] I/O thread started", config.clientId());
        try {
            while (!stopRequested) {
                try {
                    runOnce();
                } catch (WakeupException e) {
                    // a command arrived while the loop was outside poll
                } catch (RuntimeException e) {
                    log.error("[{}] Unexpected error in the I/O loop; retrying after a back-off", config.clientId(), e);
                    deliverError(e);
                    backOff();
                }
            }
        } finally {
            shutdown();
        }
    }

    /** One turn of the loop; package-private for tests that drive the loop without its thread. */
    void runOnce() {
        runCommands();
        if (stopRequested) {
            return;
        }
        long now = System.nanoTime();
        leaveOrRejoinForIdleness(now);
        refreshLocalAssignment(now);
        if (!hasSomethingToFetch()) {
            awaitCommand(MAX_POLL_NANOS);
            return;
        }
        if (now < backoffUntilNanos) {
            awaitCommand(backoffUntilNanos - now);
            return;
        }
        pauseAndResume();
        ConsumerRecords<K, V> records = ConsumerRecords.empty();
        try {
            records = consumer.poll(Duration.ofNanos(pollTimeoutNanos(now)));
            consecutiveErrors = 0;
        } catch (WakeupException e) {
            // a command, a stop, or room in a buffer: look again
        } catch (RecordDeserializationException e) {
            log.warn("[{}] Record at {} offset {} cannot be deserialized; it is reported once and skipped",
                    config.clientId(), e.topicPartition(), e.offset());
            buffers.addError(e);
            consumer.seek(e.topicPartition(), e.offset() + 1);
            pendingGets.serve();
        } catch (InvalidOffsetException e) {
            // the consumer throws this on every poll until the application seeks: report it once, and
            // poll again only after a back-off, which a seek cuts short
            if (buffers.markAwaitingSeek(e.partitions())) {
                deliverError(e);
            }
            backOff();
        } catch (KafkaException e) {
            log.warn("[{}] Poll failed: {}", config.clientId(), e.toString());
            deliverError(e);
            backOff();
        }
        if (addFetched(records)) {
            pendingGets.serve();
        }
        maybeAutoCommit(System.nanoTime());
    }

    private boolean hasSomethingToFetch() {
        if (inGroup(subscription)) {
            return !leftForIdleness;
        }
        return localAssignment != null ? !consumer.assignment().isEmpty()
                : subscription.kind() == Subscription.Kind.PARTITIONS && !subscription.partitions().isEmpty();
    }

    private long pollTimeoutNanos(long now) {
        long timeout = MAX_POLL_NANOS;
        if (config.autoCommit()) {
            timeout = Math.min(timeout, Math.max(0, nextAutoCommitNanos - now));
        }
        return timeout;
    }

    private void awaitCommand(long nanos) {
        try {
            Command<K, V, ?> command = commands.poll(nanos, TimeUnit.NANOSECONDS);
            if (command != null) {
                runCommand(command);
            }
        } catch (InterruptedException e) {
            log.warn("[{}] The I/O thread was interrupted; stopping (use stop() to stop an engine)", config.clientId());
            stopRequested = true;
        }
        maybeAutoCommit(System.nanoTime());
    }

    /** aiokafka's liveness rule: an application that stops asking for records leaves the group. */
    private void leaveOrRejoinForIdleness(long now) {
        if (!inGroup(subscription)) {
            return;
        }
        long idle = pendingGets.isEmpty() ? buffers.applicationIdleNanos(now) : 0;
        long limit = config.maxPollInterval().toNanos();
        if (!leftForIdleness && idle > limit) {
            log.warn("[{}] The application has not asked for records for more than max.poll.interval.ms ({} ms); "
                    + "leaving the group until it does", config.clientId(), config.maxPollInterval().toMillis());
            consumer.unsubscribe();
            leftForIdleness = true;
        } else if (leftForIdleness && idle < limit) {
            log.info("[{}] The application asks for records again; rejoining the group", config.clientId());
            Subscription again = subscription;
            applySubscription(again);
        }
    }

    private void pauseAndResume() {
        Set<TopicPartition> assigned = consumer.assignment();
        Set<TopicPartition> wanted = buffers.partitionsNotToFetch();
        wanted.retainAll(assigned);
        Set<TopicPartition> paused = consumer.paused();
        Set<TopicPartition> toResume = new HashSet<>(paused);
        toResume.removeAll(wanted);
        toResume.retainAll(assigned);
        wanted.removeAll(paused);
        if (!wanted.isEmpty()) {
            consumer.pause(wanted);
        }
        if (!toResume.isEmpty()) {
            consumer.resume(toResume);
        }
    }

    /** Hands the poll's records to the buffers together with the fetch state they came with. */
    private boolean addFetched(ConsumerRecords<K, V> records) {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return buffers.addFetched(records);
        }
        Set<TopicPartition> fetched = new HashSet<>(assigned);
        fetched.removeAll(consumer.paused());
        return buffers.addFetched(records, probe.read(assigned), fetched, System.currentTimeMillis());
    }

    private void maybeAutoCommit(long now) {
        if (!config.autoCommit() || now < nextAutoCommitNanos) {
            return;
        }
        nextAutoCommitNanos = now + config.autoCommitInterval().toNanos();
        Map<TopicPartition, OffsetAndMetadata> offsets = buffers.uncommittedPositions(List.of());
        if (offsets.isEmpty()) {
            return;
        }
        consumer.commitAsync(offsets, (committed, error) -> {
            if (error == null) {
                buffers.markCommitted(committed);
            } else {
                log.warn("[{}] Auto-commit of {} failed: {}", config.clientId(), offsets, error.toString());
            }
        });
    }

    private void deliverError(RuntimeException error) {
        if (bridge.failJoin(error)) {
            return; // start() throws it; the loop keeps trying, and later errors go to the get calls
        }
        if (buffers.setPendingError(error)) {
            pendingGets.serve();
        }
    }

    /** Ends a back-off early: the application did something (a seek) that may cure the error. */
    void resetBackOff() {
        consecutiveErrors = 0;
        backoffUntilNanos = 0;
    }

    private void backOff() {
        consecutiveErrors++;
        long backoff = config.retryBackoff().toNanos() << Math.min(consecutiveErrors - 1, 20);
        backoffUntilNanos = System.nanoTime() + Math.min(backoff, config.retryBackoffMax().toNanos());
    }

    private void shutdown() {
        acceptingCommands = false;
        buffers.close();
        pendingGets.closeAll();
        try {
            if (config.autoCommit() && subscription.kind() != Subscription.Kind.NONE) {
                commitQuietly(buffers.uncommittedPositions(List.of()), "on stop");
            }
            closeConsumer();
        } finally {
            failPendingCommands();
            bridge.firstAssignment().completeExceptionally(stopped());
            terminated.complete(null);
            log.info("[{}] Consumer engine stopped", config.clientId());
        }
    }

    private void closeConsumer() {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                consumer.close(CloseOptions.timeout(closeTimeout));
                return;
            } catch (WakeupException e) {
                // a late wakeup; close again
            } catch (RuntimeException e) {
                log.warn("[{}] The consumer did not close cleanly", config.clientId(), e);
                return;
            }
        }
    }

    private record Command<K, V, T>(Function<Consumer<K, V>, T> action, CompletableFuture<T> result) {
    }
}
