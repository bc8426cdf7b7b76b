package dev.kafkaconsumer.core.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Time;

import dev.kafkaconsumer.core.ConsumerStoppedException;

/**
 * The engine behind {@code ConsumerEngine}: it wires the consumer, the I/O thread, the buffers and the
 * pending asynchronous gets; it owns the lifecycle and the subscription, and implements each operation that
 * talks to the consumer as a typed {@link IoCommand} run on the I/O thread. What is done on the caller's
 * thread from the buffers alone (taking records, reading positions and end offsets) is {@link RecordAccess}'s.
 * Arguments are validated by the facade before they get here.
 *
 * <p>Each command's deadline is the operation's documented timeout: {@code default.api.timeout.ms}, as
 * kafka-clients gives {@code committed}, {@code commitSync}, {@code position}, {@code offsetsForTimes},
 * {@code beginningOffsets}, {@code endOffsets}, {@code listTopics} and {@code partitionsFor}, and as its
 * {@code AsyncKafkaConsumer} gives {@code subscribe}, {@code assign}, {@code unsubscribe} and {@code seek};
 * {@code start()} joins within one such deadline. {@code commitAsync} has none: its future completes
 * when the broker answers, or fails on stop. {@code stop} waits for the I/O thread to close the consumer,
 * which it does within the given timeout unless a rebalance listener holds it, as a listener holds
 * {@code KafkaConsumer.close}.
 *
 * <p>Threads: any caller thread, and the I/O thread when a rebalance listener calls back (its commands then
 * run inline). {@code lock} guards {@code state} and {@code subscription} only; it is never held while
 * waiting, and commands are queued under it so that they reach the I/O thread in the order the
 * subscription changed. It comes before the buffers' lock, never after.
 */
public final class EngineCore<K, V> {

    private static final String API_TIMEOUT = "default.api.timeout.ms";

    private enum State { NEW, RUNNING, STOPPED }

    private final EngineConfig config;
    private final Time time;
    private final RecordBuffers<K, V> buffers;
    private final PendingGets<K, V> pendingGets;
    private final IoLoop<K, V> io;
    private final CallbackExecutor callbacks;
    private final RecordAccess<K, V> records;
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
        this(config, new KafkaConsumer<>(config.consumerProperties(), keyDeserializer, valueDeserializer),
                EndOffsetsProbe.Source.FETCH_STATE);
    }

    /** @param endOffsets where high-water marks and last stable offsets come from; tests force the public API */
    EngineCore(EngineConfig config, Consumer<K, V> consumer, EndOffsetsProbe.Source endOffsets) {
        this(config, consumer, endOffsets, Time.SYSTEM, true);
    }

    /**
     * @param time      the clock of the whole engine: deadlines, intervals, poll times
     * @param ioThread  false for tests that turn the loop themselves ({@link IoLoop#runOnce()})
     */
    EngineCore(EngineConfig config, Consumer<K, V> consumer, EndOffsetsProbe.Source endOffsets, Time time, boolean ioThread) {
        this.config = config;
        this.time = time;
        this.consumer = consumer;
        this.callbacks = new CallbackExecutor(config.clientId());
        this.buffers = new RecordBuffers<>(config.maxBufferedBytesPerPartition(), config.maxBufferedBytes(),
                new FetchHold(config.fetchMaxWait().toNanos(), config.recordsPerIoPoll()), consumer::wakeup, time::nanoseconds);
        this.pendingGets = new PendingGets<>(buffers, callbacks.executor());
        this.io = new IoLoop<>(consumer, config, buffers, pendingGets,
                new EndOffsetsProbe(consumer, config.isolationLevel(), config.clientId(), endOffsets), time, ioThread);
        this.records = new RecordAccess<>(buffers, pendingGets, io, time, this::ensureRunning);
    }

    /** Taking records and reading the buffers, on the caller's thread. */
    public RecordAccess<K, V> records() {
        return records;
    }

    public Map<MetricName, ? extends Metric> metrics() {
        return consumer.metrics();
    }

    /** The buffers, for tests that check their bounds. */
    RecordBuffers<K, V> buffers() {
        return buffers;
    }

    /** The I/O loop, for tests that turn it. */
    IoLoop<K, V> io() {
        return io;
    }

    public EngineConfig config() {
        return config;
    }

    private Deadline apiDeadline() {
        return Deadline.after(time, config.defaultApiTimeout(), API_TIMEOUT);
    }

    // ---------------------------------------------------------------- lifecycle

    public void start() {
        Deadline deadline = apiDeadline();
        boolean waitForJoin;
        IoCommand<Void> subscribed = null;
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
                io.join().expect();
            }
            if (subscription.kind() != Subscription.Kind.NONE) {
                // the I/O thread's first command: errors of the subscription surface here
                subscribed = io.enqueue(new SubscriptionCommands.Apply(subscription, deadline));
            }
            io.start();
        }
        if (subscribed != null) {
            subscribed.await(time);
        }
        if (waitForJoin) {
            io.join().await(time, deadline, config.groupId() != null ? "join group " + config.groupId()
                    : "read the partitions of the subscribed topics (no group)");
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
            IoCommand.resultOf(io.terminated());
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

    // ---------------------------------------------------------------- positions and offsets

    public long position(TopicPartition partition) {
        ensureRunning();
        long position = buffers.read(partition, PartitionBuffer::position);
        if (position != PartitionBuffer.UNKNOWN) {
            return position;
        }
        // nothing fetched for the partition is buffered: the consumer's position is the start point
        return io.call(new OffsetCommands.Position(partition, apiDeadline()));
    }

    public OffsetAndMetadata committed(TopicPartition partition) {
        ensureRunning();
        requireGroup();
        return io.call(new OffsetCommands.Committed(partition, apiDeadline()));
    }

    public void commit() {
        ensureRunning();
        requireGroup();
        io.call(new OffsetCommands.Commit(null, apiDeadline()));
    }

    public void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        ensureRunning();
        requireGroup();
        io.call(new OffsetCommands.Commit(Map.copyOf(offsets), apiDeadline()));
    }

    public CompletableFuture<Void> commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        ensureRunning();
        requireGroup();
        CompletableFuture<Void> result = new CompletableFuture<>();
        OffsetCommands.CommitAsync command = new OffsetCommands.CommitAsync(offsets == null ? null : Map.copyOf(offsets),
                result, callbacks::run);
        if (io.isIoThread()) {
            io.call(command);
        } else {
            io.submit(command).result().whenComplete((ignored, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                }
            });
        }
        return result;
    }

    public ConsumerGroupMetadata groupMetadata() {
        ensureRunning();
        if (config.groupId() == null) {
            throw new IllegalStateException("The consumer engine has no group id, so it has no group metadata to send "
                    + "offsets to a transaction with; set group.id (groupId(...)) to consume in a group");
        }
        return io.call(new LookupCommands.GroupMetadata(apiDeadline()));
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
        io.call(new SeekCommands.Seek(partition, offset, apiDeadline()));
        io.wakeup();
    }

    public void seekToBeginning(Collection<TopicPartition> partitions) {
        seekToEdge(partitions, SeekCommands.Edge.BEGINNING);
    }

    public void seekToEnd(Collection<TopicPartition> partitions) {
        seekToEdge(partitions, SeekCommands.Edge.END);
    }

    private void seekToEdge(Collection<TopicPartition> partitions, SeekCommands.Edge edge) {
        ensureRunning();
        buffers.requireAssigned(partitions);
        io.call(new SeekCommands.SeekToEdge(partitions, edge, apiDeadline()));
    }

    public Map<TopicPartition, OffsetAndMetadata> seekToCommitted(Collection<TopicPartition> partitions) {
        ensureRunning();
        requireGroup();
        buffers.requireAssigned(partitions);
        return io.call(new SeekCommands.SeekToCommitted(partitions, apiDeadline()));
    }

    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
        ensureRunning();
        return io.call(new LookupCommands.OffsetsForTimes(timestamps, apiDeadline()));
    }

    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        ensureRunning();
        return io.call(new LookupCommands.ListOffsets(partitions, true, apiDeadline()));
    }

    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        ensureRunning();
        return io.call(new LookupCommands.ListOffsets(partitions, false, apiDeadline()));
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
        Subscription previous;
        SubscriptionCommands.Apply apply;
        synchronized (lock) {
            if (state == State.STOPPED) {
                throw new ConsumerStoppedException("The consumer engine is stopped");
            }
            boolean fromTopicsToManual = subscription.byTopics() && next.kind() == Subscription.Kind.PARTITIONS;
            boolean fromManualToTopics = subscription.kind() == Subscription.Kind.PARTITIONS && next.byTopics();
            if (fromTopicsToManual || fromManualToTopics) {
                throw new IllegalStateException("Subscription to topics, partition assignment and pattern subscription "
                        + "are mutually exclusive; call unsubscribe() before switching (currently " + subscription.describe() + ")");
            }
            previous = subscription;
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
            apply = new SubscriptionCommands.Apply(next, apiDeadline());
            if (!io.isIoThread()) {
                io.enqueue(apply);
            }
        }
        if (io.isIoThread()) {
            io.call(apply);
            return;
        }
        io.wakeup();
        try {
            apply.await(time);
        } catch (TimeoutException e) {
            if (apply.notRun()) {
                synchronized (lock) {
                    if (subscription == next) {
                        subscription = previous; // never applied: what the engine says is what the consumer has
                    }
                }
            }
            throw e;
        }
    }

    public Set<String> subscription() {
        Subscription current;
        synchronized (lock) {
            current = subscription;
        }
        if (current.kind() == Subscription.Kind.PATTERN && isRunning()) {
            return io.call(new SubscriptionCommands.SubscribedTopics(apiDeadline()));
        }
        return current.topics();
    }

    public Set<String> topics() {
        ensureRunning();
        return io.call(new LookupCommands.Topics(apiDeadline()));
    }

    public Set<Integer> partitionsForTopic(String topic) {
        ensureRunning();
        return io.call(new LookupCommands.PartitionsFor(topic, apiDeadline()));
    }
}
