package dev.kafkaconsumer.core.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.ConsumerStoppedException;

/**
 * The engine behind {@code ConsumerEngine}: it wires the consumer, the I/O thread, the buffers and
 * the pending asynchronous gets, and implements each public operation either on the caller's
 * thread (taking records, reading positions and end offsets) or as a command on the I/O thread
 * (anything that talks to the consumer). Arguments are validated by the facade before they get here.
 */
public final class EngineCore<K, V> {

    private static final Logger log = LoggerFactory.getLogger(EngineCore.class);

    private enum State { NEW, RUNNING, STOPPED }

    private final EngineConfig config;
    private final RecordBuffers<K, V> buffers;
    private final PendingGets<K, V> pendingGets;
    private final RebalanceBridge bridge;
    private final IoLoop<K, V> io;
    private final ScheduledExecutorService callbacks;
    /** Read for metrics only: kafka-clients keeps them in a thread-safe registry. */
    private final Consumer<K, V> consumer;
    private final Object lock = new Object();
    private State state = State.NEW;
    private Subscription subscription = Subscription.NONE;

    /**
     * Creates the consumer (which validates the configuration) without starting anything.
     *
     * @param config            the engine configuration
     * @param keyDeserializer   the key deserializer, owned and closed by the consumer
     * @param valueDeserializer the value deserializer, owned and closed by the consumer
     */
    public EngineCore(EngineConfig config, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        this(config, new KafkaConsumer<>(config.consumerProperties(), keyDeserializer, valueDeserializer));
    }

    EngineCore(EngineConfig config, Consumer<K, V> consumer) {
        this(config, consumer, EndOffsetsProbe.Source.FETCH_STATE);
    }

    /**
     * @param endOffsets where high-water marks and last stable offsets come from; tests force the public API
     */
    EngineCore(EngineConfig config, Consumer<K, V> consumer, EndOffsetsProbe.Source endOffsets) {
        this.config = config;
        this.consumer = consumer;
        this.callbacks = newCallbackExecutor(config.clientId());
        this.buffers = new RecordBuffers<>(config.maxBufferedBytesPerPartition(), config.maxBufferedBytes(), consumer::wakeup);
        this.pendingGets = new PendingGets<>(buffers, callbacks);
        this.bridge = new RebalanceBridge(buffers, (offsets, reason) -> ioLoop().commitQuietly(offsets, reason), config.clientId());
        this.io = new IoLoop<>(consumer, config, buffers, pendingGets, bridge,
                new EndOffsetsProbe(consumer, config.isolationLevel(), config.clientId(), endOffsets));
    }

    public Map<MetricName, ? extends Metric> metrics() {
        return consumer.metrics();
    }

    private IoLoop<K, V> ioLoop() {
        return io;
    }

    /** The buffers, for tests that check their bounds. */
    RecordBuffers<K, V> buffers() {
        return buffers;
    }

    private static ScheduledExecutorService newCallbackExecutor(String clientId) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "kafka-consumer-callbacks-" + clientId);
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, e) -> log.error("[{}] A callback failed on {}", clientId, t.getName(), e));
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    public EngineConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- lifecycle

    public void start() {
        boolean waitForJoin;
        CompletableFuture<Void> subscribed = CompletableFuture.completedFuture(null);
        synchronized (lock) {
            if (state == State.STOPPED) {
                throw new ConsumerStoppedException("The consumer engine is stopped; create a new one");
            }
            if (state == State.RUNNING) {
                throw new IllegalStateException("The consumer engine is already started");
            }
            state = State.RUNNING;
            waitForJoin = subscription.byTopics();
            if (waitForJoin) {
                bridge.awaitingJoin();
            }
            if (subscription.kind() != Subscription.Kind.NONE) {
                // the I/O thread's first command: errors of the subscription surface here
                subscribed = io.submit(apply(subscription));
            }
            io.start();
        }
        IoLoop.await(subscribed);
        if (waitForJoin) {
            awaitFirstAssignment();
        }
    }

    private void awaitFirstAssignment() {
        Duration timeout = config.defaultApiTimeout();
        String joining = config.groupId() != null ? "join group " + config.groupId()
                : "read the partitions of the subscribed topics (no group)";
        try {
            bridge.firstAssignment().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("The consumer did not " + joining + " within " + timeout.toMillis()
                    + " ms (default.api.timeout.ms); it keeps trying in the background");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof KafkaException error && !(error instanceof ConsumerStoppedException)) {
                // the consumer failed before joining (authentication, authorization); it keeps trying
                throw error;
            }
            throw new ConsumerStoppedException("The consumer engine stopped before it could " + joining);
        }
    }

    public void stop(Duration timeout) {
        State previous;
        synchronized (lock) {
            previous = state;
            state = State.STOPPED;
        }
        if (previous == State.NEW) {
            // no I/O thread was started: close the consumer on this thread
            io.requestStop(timeout);
            io.run();
        } else if (previous == State.RUNNING) {
            io.requestStop(timeout);
        }
        if (!io.isIoThread()) {
            IoLoop.await(io.terminated());
        }
        callbacks.shutdown();
    }

    public boolean isRunning() {
        synchronized (lock) {
            return state == State.RUNNING && !io.isTerminated();
        }
    }

    private void ensureRunning() {
        if (io.isIoThread()) {
            // a rebalance listener, possibly the last one, run while the engine closes its consumer
            return;
        }
        synchronized (lock) {
            if (state == State.NEW) {
                throw new IllegalStateException("The consumer engine is not started; call start() first");
            }
            if (state == State.STOPPED || io.isTerminated()) {
                throw new ConsumerStoppedException("The consumer engine is stopped");
            }
        }
    }

    // ---------------------------------------------------------------- records

    public Map<TopicPartition, List<ConsumerRecord<K, V>>> getMany(Duration timeout, int maxRecords,
            Collection<TopicPartition> partitions) {
        ensureCanWaitForRecords();
        return buffers.take(maxRecords, partitions, deadline(timeout), taken -> taken);
    }

    public ConsumerRecord<K, V> getOne(Duration timeout, Collection<TopicPartition> partitions) {
        ensureCanWaitForRecords();
        Map<TopicPartition, List<ConsumerRecord<K, V>>> taken = buffers.take(1, partitions, deadline(timeout), none -> {
            throw new ConsumerStoppedException("The consumer engine stopped while waiting for a record");
        });
        return first(taken);
    }

    public CompletableFuture<ConsumerRecord<K, V>> getOneAsync(Collection<TopicPartition> partitions) {
        ensureRunning();
        return pendingGets.add(1, partitions, null, true).thenApply(EngineCore::first);
    }

    public CompletableFuture<Map<TopicPartition, List<ConsumerRecord<K, V>>>> getManyAsync(Duration timeout, int maxRecords,
            Collection<TopicPartition> partitions) {
        ensureRunning();
        return pendingGets.add(maxRecords, partitions, timeout, false);
    }

    private static <K, V> ConsumerRecord<K, V> first(Map<TopicPartition, List<ConsumerRecord<K, V>>> taken) {
        return taken.isEmpty() ? null : taken.values().iterator().next().get(0);
    }

    private void ensureCanWaitForRecords() {
        ensureRunning();
        if (io.isIoThread()) {
            throw new IllegalStateException("Records cannot be awaited on the engine's I/O thread (inside a rebalance "
                    + "listener): the I/O thread is the one that fetches them");
        }
    }

    private static long deadline(Duration timeout) {
        long now = System.nanoTime();
        long nanos = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
        return nanos >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos;
    }

    // ---------------------------------------------------------------- positions and offsets

    public long position(TopicPartition partition) {
        ensureRunning();
        long position = buffers.read(partition, PartitionBuffer::position);
        if (position != PartitionBuffer.UNKNOWN) {
            return position;
        }
        return io.call(consumer -> {
            long known = buffers.read(partition, PartitionBuffer::position);
            if (known != PartitionBuffer.UNKNOWN) {
                return known;
            }
            // nothing fetched for the partition is buffered, so the consumer's position is the engine's
            long resolved = consumer.position(partition, config.defaultApiTimeout());
            return buffers.read(partition, buffer -> {
                buffer.resolvePosition(resolved);
                return buffer.position();
            });
        });
    }

    public OffsetAndMetadata committed(TopicPartition partition) {
        ensureRunning();
        requireGroup();
        return io.call(consumer -> consumer.committed(Set.of(partition), config.defaultApiTimeout()).get(partition));
    }

    public void commit() {
        ensureRunning();
        requireGroup();
        io.call(consumer -> {
            io.commitSync(buffers.consumedPositions(List.of()));
            return null;
        });
    }

    public void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        ensureRunning();
        requireGroup();
        Map<TopicPartition, OffsetAndMetadata> copy = Map.copyOf(offsets);
        io.call(consumer -> {
            requireOwned(copy.keySet());
            io.commitSync(copy);
            return null;
        });
    }

    /**
     * Under a topic or pattern subscription in a group, refuses offsets of partitions this member does not
     * own: brokers accept a live member's commit of any partition, which would overwrite the offsets of
     * the member a rebalance gave it to. On the I/O thread, where the assignment changes.
     */
    private void requireOwned(Collection<TopicPartition> partitions) {
        synchronized (lock) {
            if (!subscription.byTopics() || config.groupId() == null) {
                return;
            }
        }
        Set<TopicPartition> assigned = buffers.assignment();
        List<TopicPartition> notOwned = partitions.stream().filter(partition -> !assigned.contains(partition)).toList();
        if (!notOwned.isEmpty()) {
            throw new CommitFailedException("Cannot commit " + notOwned + ": not assigned to this member (assigned: "
                    + assigned + "); a rebalance gave them to another member, whose offsets this commit would overwrite. "
                    + "Commit in onPartitionsRevoked to commit partitions before they go");
        }
    }

    public CompletableFuture<Void> commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        ensureRunning();
        requireGroup();
        Map<TopicPartition, OffsetAndMetadata> copy = offsets == null ? null : Map.copyOf(offsets);
        CompletableFuture<Void> result = new CompletableFuture<>();
        Function<Consumer<K, V>, Void> commit = consumer -> {
            Map<TopicPartition, OffsetAndMetadata> toCommit = copy != null ? copy : buffers.consumedPositions(List.of());
            try {
                requireOwned(toCommit.keySet());
            } catch (CommitFailedException e) {
                onCallbackThread(() -> result.completeExceptionally(e));
                return null;
            }
            consumer.commitAsync(toCommit, (committed, error) -> {
                if (error == null) {
                    buffers.markCommitted(committed);
                }
                onCallbackThread(() -> {
                    if (error == null) {
                        result.complete(null);
                    } else {
                        result.completeExceptionally(error);
                    }
                });
            });
            return null;
        };
        if (io.isIoThread()) {
            io.call(commit);
        } else {
            io.submit(commit).whenComplete((ignored, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                }
            });
        }
        return result;
    }

    /** Completes a future on the callback thread, or here once that thread has stopped with the engine. */
    private void onCallbackThread(Runnable completion) {
        try {
            callbacks.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run();
        }
    }

    private void requireGroup() {
        if (config.groupId() == null) {
            throw new InvalidGroupIdException("To use the group management or offset commit APIs, you must provide a "
                    + "valid group.id in the consumer configuration.");
        }
    }

    public void seek(TopicPartition partition, long offset) {
        synchronized (lock) {
            if (state == State.NEW) {
                // kept by the partition's buffer; the I/O thread seeks the consumer there when it assigns the partition
                buffers.reset(partition, offset);
                return;
            }
        }
        ensureRunning();
        buffers.requireAssigned(List.of(partition));
        io.call(consumer -> {
            buffers.requireAssigned(List.of(partition));
            consumer.seek(partition, offset);
            buffers.reset(partition, offset);
            io.resetBackOff();
            return null;
        });
        io.wakeup();
    }

    public void seekToBeginning(Collection<TopicPartition> partitions) {
        seekAndResolve(partitions, Consumer::seekToBeginning);
    }

    public void seekToEnd(Collection<TopicPartition> partitions) {
        seekAndResolve(partitions, Consumer::seekToEnd);
    }

    private void seekAndResolve(Collection<TopicPartition> partitions,
            java.util.function.BiConsumer<Consumer<K, V>, Collection<TopicPartition>> seek) {
        ensureRunning();
        buffers.requireAssigned(partitions);
        io.call(consumer -> {
            Collection<TopicPartition> targets = partitions.isEmpty() ? buffers.assignment() : partitions;
            buffers.requireAssigned(targets);
            seek.accept(consumer, targets);
            for (TopicPartition partition : targets) {
                buffers.reset(partition, consumer.position(partition, config.defaultApiTimeout()));
            }
            io.resetBackOff();
            return null;
        });
    }

    public Map<TopicPartition, OffsetAndMetadata> seekToCommitted(Collection<TopicPartition> partitions) {
        ensureRunning();
        requireGroup();
        buffers.requireAssigned(partitions);
        return io.call(consumer -> {
            Set<TopicPartition> targets = new LinkedHashSet<>(partitions.isEmpty() ? buffers.assignment() : partitions);
            buffers.requireAssigned(targets);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(targets, config.defaultApiTimeout());
            Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
            for (TopicPartition partition : targets) {
                OffsetAndMetadata offset = committed.get(partition);
                result.put(partition, offset);
                if (offset != null) {
                    consumer.seek(partition, offset);
                    buffers.reset(partition, offset.offset());
                }
            }
            io.resetBackOff();
            return result;
        });
    }

    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
        ensureRunning();
        Map<TopicPartition, Long> copy = Map.copyOf(timestamps);
        return io.call(consumer -> consumer.offsetsForTimes(copy, config.defaultApiTimeout()));
    }

    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        ensureRunning();
        List<TopicPartition> copy = List.copyOf(partitions);
        return io.call(consumer -> consumer.beginningOffsets(copy, config.defaultApiTimeout()));
    }

    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        ensureRunning();
        List<TopicPartition> copy = List.copyOf(partitions);
        return io.call(consumer -> consumer.endOffsets(copy, config.defaultApiTimeout()));
    }

    public OptionalLong currentPosition(TopicPartition partition) {
        return known(buffers.read(partition, PartitionBuffer::position));
    }

    public OptionalLong highwater(TopicPartition partition) {
        return known(buffers.read(partition, buffer -> buffer.highWatermark));
    }

    public OptionalLong lastStableOffset(TopicPartition partition) {
        return known(buffers.read(partition, buffer -> buffer.lastStableOffset));
    }

    public OptionalLong lastPollTimestamp(TopicPartition partition) {
        return known(buffers.read(partition, buffer -> buffer.lastPollTimestamp));
    }

    private static OptionalLong known(long value) {
        return value == PartitionBuffer.UNKNOWN ? OptionalLong.empty() : OptionalLong.of(value);
    }

    // ---------------------------------------------------------------- subscription

    public void subscribe(Set<String> topics, ConsumerRebalanceListener listener) {
        changeSubscription(topics.isEmpty() ? Subscription.NONE : Subscription.topics(topics, listener));
    }

    public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        changeSubscription(Subscription.pattern(pattern, listener));
    }

    public void assign(Set<TopicPartition> partitions) {
        changeSubscription(partitions.isEmpty() ? Subscription.NONE : Subscription.partitions(partitions));
    }

    public void unsubscribe() {
        changeSubscription(Subscription.NONE);
    }

    private void changeSubscription(Subscription next) {
        synchronized (lock) {
            if (state == State.STOPPED) {
                throw new ConsumerStoppedException("The consumer engine is stopped");
            }
            boolean fromTopicsToManual = subscription.byTopics() && next.kind() == Subscription.Kind.PARTITIONS;
            boolean fromManualToTopics = subscription.kind() == Subscription.Kind.PARTITIONS && next.byTopics();
            if (fromTopicsToManual || fromManualToTopics) {
                throw new IllegalStateException("Subscription to topics, partition assignment and pattern subscription "
                        + "are mutually exclusive; call unsubscribe() before switching (currently " + describe(subscription) + ")");
            }
            subscription = next;
            if (state == State.NEW) {
                // before start, an assignment by hand takes effect at once, so that pause, resume and seek work on
                // it; start() hands the subscription to the consumer
                Set<TopicPartition> gone = new HashSet<>(buffers.assignment());
                gone.removeAll(next.partitions());
                buffers.remove(gone);
                buffers.assign(next.partitions());
                return;
            }
        }
        io.call(apply(next));
    }

    private Function<Consumer<K, V>, Void> apply(Subscription next) {
        return consumer -> {
            io.applySubscription(next);
            return null;
        };
    }

    private static String describe(Subscription subscription) {
        return switch (subscription.kind()) {
            case TOPICS -> "subscribed to " + subscription.topics();
            case PATTERN -> "subscribed to pattern " + subscription.pattern();
            case PARTITIONS -> "assigned " + subscription.partitions();
            case NONE -> "nothing";
        };
    }

    public Set<String> subscription() {
        Subscription current;
        synchronized (lock) {
            current = subscription;
        }
        if (current.kind() == Subscription.Kind.PATTERN && isRunning()) {
            return io.call(consumer -> io.subscribedTopics());
        }
        return current.topics();
    }

    public Set<TopicPartition> assignment() {
        return buffers.assignment();
    }

    public void pause(Collection<TopicPartition> partitions) {
        buffers.setPausedByUser(partitions, true);
        io.wakeup();
    }

    public void resume(Collection<TopicPartition> partitions) {
        buffers.setPausedByUser(partitions, false);
        pendingGets.serve();
        io.wakeup();
    }

    public Set<TopicPartition> paused() {
        return buffers.pausedByUser();
    }

    public Set<String> topics() {
        ensureRunning();
        return io.call(consumer -> Set.copyOf(consumer.listTopics(config.defaultApiTimeout()).keySet()));
    }

    public Set<Integer> partitionsForTopic(String topic) {
        ensureRunning();
        return io.call(consumer -> {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, config.defaultApiTimeout());
            Set<Integer> numbers = new HashSet<>();
            partitions.forEach(info -> numbers.add(info.partition()));
            return Set.copyOf(numbers);
        });
    }
}
