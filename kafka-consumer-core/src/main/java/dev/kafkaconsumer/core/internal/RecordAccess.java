package dev.kafkaconsumer.core.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToIntFunction;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;

import dev.kafkaconsumer.core.ConsumerStoppedException;

/**
 * What {@code ConsumerEngine} does on the caller's thread, from the buffers, with no round trip through
 * the I/O thread: taking records ({@code getOne}, {@code getMany} and their asynchronous forms), reading
 * the assignment, positions and the latest fetch state, and pausing partitions (the I/O thread is woken
 * to pause them in the consumer). Arguments are validated by the facade before they get here.
 *
 * <p>Threads: any caller thread; a rebalance listener on the I/O thread may read, never wait for records.
 * It holds no state of its own: the buffers (their own lock) and the pending gets are thread-safe.
 */
public final class RecordAccess<K, V> {

    private final RecordBuffers<K, V> buffers;
    private final PendingGets<K, V> pendingGets;
    private final IoLoop<K, V> io;
    private final Time time;
    private final Runnable ensureRunning;

    /**
     * @param ensureRunning throws unless the engine runs (or the caller is the I/O thread)
     */
    RecordAccess(RecordBuffers<K, V> buffers, PendingGets<K, V> pendingGets, IoLoop<K, V> io, Time time, Runnable ensureRunning) {
        this.buffers = buffers;
        this.pendingGets = pendingGets;
        this.io = io;
        this.time = time;
        this.ensureRunning = ensureRunning;
    }

    public Map<TopicPartition, List<ConsumerRecord<K, V>>> getMany(Duration timeout, int maxRecords,
            Collection<TopicPartition> partitions) {
        ensureCanWaitForRecords();
        return buffers.take(maxRecords, partitions, deadlineNanos(timeout), taken -> taken);
    }

    /**
     * Takes records of all partitions in turn, as {@code getMany} for all partitions does, but no more of a partition
     * than {@code room} allows it: a partition without room is left out of this take <em>without</em> being parked
     * (see {@link FetchPlan}), so its fetching goes on up to its bytes bound, where a get call for chosen partitions
     * would park the others. Not part of {@code ConsumerEngine}: it serves the container, whose dispatcher bounds the
     * records in flight of each partition, so that one partition whose handler is behind does not hold the room the
     * others need. A waiting take asks {@code room} again when records arrive, and when {@link #roomChanged()} says so.
     *
     * @param room how many records of a partition may be taken now; called under the buffers' lock, so it must
     *             neither block nor take a lock
     */
    public Map<TopicPartition, List<ConsumerRecord<K, V>>> getMany(Duration timeout, int maxRecords,
            ToIntFunction<TopicPartition> room) {
        ensureCanWaitForRecords();
        return buffers.take(maxRecords, room, deadlineNanos(timeout), taken -> taken);
    }

    /** Wakes the takes waiting in {@link #getMany(Duration, int, ToIntFunction)}, to ask their room again. */
    public void roomChanged() {
        buffers.roomChanged();
    }

    /** @param timeout how long to wait, or {@code null} until a record comes or the engine stops */
    public ConsumerRecord<K, V> getOne(Duration timeout, Collection<TopicPartition> partitions) {
        ensureCanWaitForRecords();
        Map<TopicPartition, List<ConsumerRecord<K, V>>> taken = buffers.take(1, partitions, deadlineNanos(timeout), none -> {
            throw new ConsumerStoppedException("The consumer engine stopped while waiting for a record");
        });
        return first(taken);
    }

    public CompletableFuture<ConsumerRecord<K, V>> getOneAsync(Collection<TopicPartition> partitions) {
        ensureRunning.run();
        return pendingGets.add(1, partitions, null, true).thenApply(RecordAccess::first);
    }

    public CompletableFuture<Map<TopicPartition, List<ConsumerRecord<K, V>>>> getManyAsync(Duration timeout, int maxRecords,
            Collection<TopicPartition> partitions) {
        ensureRunning.run();
        return pendingGets.add(maxRecords, partitions, timeout, false);
    }

    private static <K, V> ConsumerRecord<K, V> first(Map<TopicPartition, List<ConsumerRecord<K, V>>> taken) {
        return taken.isEmpty() ? null : taken.values().iterator().next().get(0);
    }

    private void ensureCanWaitForRecords() {
        ensureRunning.run();
        if (io.isIoThread()) {
            throw new IllegalStateException("Records cannot be awaited on the engine's I/O thread (inside a rebalance "
                    + "listener): the I/O thread is the one that fetches them");
        }
    }

    /** The deadline of a take, on the engine's clock; the buffers wait for it. */
    private long deadlineNanos(Duration timeout) {
        long now = time.nanoseconds();
        long nanos = timeout == null ? Long.MAX_VALUE : Durations.nanos(timeout);
        return nanos >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos;
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
}
