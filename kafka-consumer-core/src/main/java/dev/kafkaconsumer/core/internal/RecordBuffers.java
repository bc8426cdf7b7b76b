package dev.kafkaconsumer.core.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordDeserializationException;

import dev.kafkaconsumer.core.ConsumerStoppedException;

/**
 * The fetched records of every assigned partition, shared by the I/O thread that fills them and the
 * application threads that take from them directly, without a round trip through the I/O thread.
 *
 * <p>A facade over the classes that each own one part of the state: {@link AssignedPartitions} (a
 * {@link PartitionBuffer} per assigned partition, and whether a revocation is under way), {@link ReadyQueue} (the
 * round-robin order of partitions with records), {@link ByteBudget} (the bytes buffered against their bounds),
 * {@link FetchPlan} and {@link Demand} (what not to fetch, and what the application asked for), {@link PendingError}
 * (the I/O thread's error for the next get call) and {@link IdleClock} (how long the application has not asked).
 *
 * <p><b>Threads.</b> The I/O thread ({@code kafka-consumer-io-<id>}) adds fetched records, errors and fetch state,
 * plans fetching, tracks the assignment (also from the rebalance listener it runs) and commits positions. Application
 * threads take records ({@link #take}: callers of the engine's get methods; {@link #poll}: whichever thread serves
 * {@link PendingGets}) and read positions and the assignment. Before the engine starts, the thread that assigns
 * partitions or seeks changes the assignment and positions directly.
 *
 * <p><b>Lock.</b> One {@link ReentrantLock} guards all of that state, and its condition wakes the callers waiting in
 * {@link #take}: taking records, moving positions and freezing partitions for a revocation are atomic with respect to
 * each other, so a position read or committed under the lock covers exactly the records handed out. It is the
 * innermost lock: nothing is called under it that takes another lock, and {@code spaceFreed} (the consumer's
 * {@code wakeup}) runs after it is released. {@link PendingGets} calls in while holding its own monitor, never the
 * reverse. The I/O thread is woken only when a partition that it paused for space or parking may be fetched again,
 * once per plan.
 */
final class RecordBuffers<K, V> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ByteBudget budget;
    private final AssignedPartitions<K, V> partitions;
    private final ReadyQueue<K, V> queue = new ReadyQueue<>();
    private final PendingError pendingError = new PendingError();
    private final IdleClock idle;
    private final Runnable spaceFreed;
    private final LongSupplier nanoTime;
    /** What the application asked for lately, which parks the partitions it did not ask for. */
    private Demand demand = Demand.NONE;
    /** The I/O thread's latest plan of what not to fetch. */
    private FetchPlan plan = FetchPlan.NOTHING_PAUSED;
    /** When the plan may hold caught-up partitions back while a backlogged one is paused for space. */
    private final FetchHold hold;
    /** Whether the I/O thread was woken since its latest plan; it is woken once per plan, not on every take. */
    private boolean spaceSignalled;
    private boolean closed;
    /** Truncations found by {@link #addFetched}, until the I/O thread reports them. */
    private final List<Truncation> truncations = new ArrayList<>();

    /**
     * @param maxBytesPerPartition bytes at which one partition's buffer is full and the partition is not fetched
     * @param maxBytesTotal        bytes at which all buffers together are full and nothing is fetched
     * @param spaceFreed           wakes the I/O thread when a partition it paused may be fetched again; called on the
     *                             application thread that took records, outside the lock
     */
    RecordBuffers(long maxBytesPerPartition, long maxBytesTotal, Runnable spaceFreed) {
        this(maxBytesPerPartition, maxBytesTotal, spaceFreed, System::nanoTime);
    }

    /** Buffers whose plans never hold caught-up partitions back (as with {@code fetch.max.wait.ms} of zero). */
    RecordBuffers(long maxBytesPerPartition, long maxBytesTotal, Runnable spaceFreed, LongSupplier nanoTime) {
        this(maxBytesPerPartition, maxBytesTotal, new FetchHold(0, 0), spaceFreed, nanoTime);
    }

    /**
     * @param hold     how long, and which, caught-up partitions a plan may hold back (see {@link FetchHold})
     * @param nanoTime the engine's clock ({@code Time#nanoseconds}), of the idleness rule, of the hold and of the
     *                 deadlines of waiting takes, which callers compute from the same clock
     */
    RecordBuffers(long maxBytesPerPartition, long maxBytesTotal, FetchHold hold, Runnable spaceFreed,
            LongSupplier nanoTime) {
        this.hold = hold;
        this.budget = new ByteBudget(new FetchPlan.Bounds(maxBytesPerPartition, maxBytesTotal));
        this.partitions = new AssignedPartitions<>(budget);
        this.nanoTime = nanoTime;
        this.idle = new IdleClock(nanoTime);
        this.spaceFreed = spaceFreed;
    }

    // ---------------------------------------------------------------- application side

    /**
     * Takes up to {@code max} records, waiting until {@code deadlineNanos} for at least one. A revocation
     * does not end the wait: records of the partitions that stay, and of those the rebalance assigns, are
     * taken as they come, within the same deadline (aiokafka's rule: gets block while the rebalance
     * listeners run). A caller must therefore not hold anything its rebalance listener waits for.
     *
     * @param wanted  partitions to take from, or empty for all
     * @param stopped what to return, or throw, when the engine stops while waiting
     * @return records by partition; empty when the deadline passed
     * @throws IllegalStateException when, after a rebalance, none of the wanted partitions is assigned
     */
    Map<TopicPartition, List<ConsumerRecord<K, V>>> take(int max, Collection<TopicPartition> wanted, long deadlineNanos,
            Function<Map<TopicPartition, List<ConsumerRecord<K, V>>>, Map<TopicPartition, List<ConsumerRecord<K, V>>>> stopped) {
        return take(max, wanted, ReadyQueue.ANY, deadlineNanos, stopped);
    }

    /**
     * Takes up to {@code max} records of all partitions in turn, as {@link #take(int, Collection, long, Function)} does
     * for all, but no more of a partition than {@code room} allows it. The call counts as asking for all partitions:
     * a partition left out for want of room is not parked, and keeps being fetched up to its bytes bound. A take
     * waiting for records asks {@code room} again when records arrive and when {@link #roomChanged()} says so.
     *
     * @param room how many records of a partition may be taken now; called under the lock, so it must neither block
     *             nor take a lock
     */
    Map<TopicPartition, List<ConsumerRecord<K, V>>> take(int max, ToIntFunction<TopicPartition> room, long deadlineNanos,
            Function<Map<TopicPartition, List<ConsumerRecord<K, V>>>, Map<TopicPartition, List<ConsumerRecord<K, V>>>> stopped) {
        return take(max, List.of(), room, deadlineNanos, stopped);
    }

    private Map<TopicPartition, List<ConsumerRecord<K, V>>> take(int max, Collection<TopicPartition> wanted,
            ToIntFunction<TopicPartition> room, long deadlineNanos,
            Function<Map<TopicPartition, List<ConsumerRecord<K, V>>>, Map<TopicPartition, List<ConsumerRecord<K, V>>>> stopped) {
        Map<TopicPartition, List<ConsumerRecord<K, V>>> result;
        boolean signal;
        lock.lock();
        try {
            ensureOpen();
            partitions.requireAssigned(wanted);
            idle.getStarted();
            try {
                result = takeAvailable(max, wanted, room);
                while (result.isEmpty()) {
                    if (closed) {
                        return stopped.apply(result);
                    }
                    if (partitions.allGone(wanted)) {
                        throw new IllegalStateException("Partitions " + wanted + " were revoked while waiting for records");
                    }
                    long remaining = deadlineNanos - nanoTime.getAsLong();
                    if (remaining <= 0) {
                        return result;
                    }
                    changed.awaitNanos(remaining);
                    result = takeAvailable(max, wanted, room);
                }
                signal = spaceNeedsSignal();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            } finally {
                idle.getEnded();
            }
        } finally {
            lock.unlock();
        }
        if (signal) {
            spaceFreed.run();
        }
        return result;
    }

    /** Takes what is buffered now, without waiting; for pending asynchronous gets. */
    Map<TopicPartition, List<ConsumerRecord<K, V>>> poll(int max, Collection<TopicPartition> wanted) {
        Map<TopicPartition, List<ConsumerRecord<K, V>>> result;
        boolean signal;
        lock.lock();
        try {
            ensureOpen();
            result = takeAvailable(max, wanted, ReadyQueue.ANY);
            idle.touch();
            signal = spaceNeedsSignal();
        } finally {
            lock.unlock();
        }
        if (signal) {
            spaceFreed.run();
        }
        return result;
    }

    private Map<TopicPartition, List<ConsumerRecord<K, V>>> takeAvailable(int max, Collection<TopicPartition> wanted,
            ToIntFunction<TopicPartition> room) {
        pendingError.throwPending();
        HandOut<K, V> handOut = new HandOut<>(max);
        demand = demand.after(wanted);
        if (wanted.isEmpty()) {
            queue.takeInTurn(handOut, room);
            return handOut.records();
        }
        for (TopicPartition partition : wanted) {
            PartitionBuffer<K, V> buffer = partitions.find(partition);
            if (buffer != null) {
                buffer.markAsked();
                if (handOut.remaining() > 0 && buffer.deliverable()) {
                    handOut.takeFrom(buffer, handOut.remaining());
                }
            }
        }
        return handOut.records();
    }

    /**
     * Wakes the takes that wait for records with a {@code room} (see {@link #take(int, ToIntFunction, long, Function)}),
     * so that they ask it again: a partition that had none may have some now.
     */
    void roomChanged() {
        runUnderLock(changed::signalAll);
    }

    /**
     * Whether a partition that the I/O thread stopped fetching (for lack of space, or parked) may be
     * fetched again; true once per plan, so the I/O thread is woken once, not on every take.
     */
    private boolean spaceNeedsSignal() {
        if (spaceSignalled) {
            return false;
        }
        spaceSignalled = plan.mayFetchMore(budget.bounds(), budget.total(), demand, partitions::find);
        return spaceSignalled;
    }

    /** Runs {@code action} on the buffer of an assigned partition, under the lock. */
    <T> T read(TopicPartition partition, Function<PartitionBuffer<K, V>, T> action) {
        return underLock(() -> action.apply(partitions.get(partition)));
    }

    /** @throws IllegalStateException naming the first of {@code wanted} that is not assigned */
    void requireAssigned(Collection<TopicPartition> wanted) {
        runUnderLock(() -> partitions.requireAssigned(wanted));
    }

    Set<TopicPartition> assignment() {
        return underLock(partitions::partitions);
    }

    Set<TopicPartition> pausedByUser() {
        return underLock(partitions::pausedByUser);
    }

    /** Nanoseconds since the application last waited for records; 0 while it waits. */
    long applicationIdleNanos(long nowNanos) {
        return underLock(() -> idle.idleNanos(nowNanos));
    }

    /** Counts the application as active, as when it calls a get method. */
    void touch() {
        runUnderLock(idle::touch);
    }

    private void ensureOpen() {
        if (closed) {
            throw new ConsumerStoppedException("The consumer engine is stopped");
        }
    }

    // ---------------------------------------------------------------- I/O thread side

    /** Adds the records of one poll, with no fetch state; for tests of the buffers alone. */
    boolean addFetched(ConsumerRecords<K, V> records) {
        return addFetched(records, Map.of(), Set.of(), PartitionBuffer.UNKNOWN);
    }

    /**
     * Adds the records of one poll together with the broker's view of each partition after it (high-water
     * mark, last stable offset, fetch time), under one lock: once a record is taken, the fetch state of
     * its partition is known.
     *
     * @param endOffsets end offsets and lag by partition, each {@link PartitionBuffer#UNKNOWN} before the
     *                   partition's first fetch response
     * @param fetched    the partitions the poll fetched (not paused)
     * @param nowMillis  the time of the poll
     * @return whether any record became available to take
     */
    boolean addFetched(ConsumerRecords<K, V> records, Map<TopicPartition, EndOffsetsProbe.Ends> endOffsets, Set<TopicPartition> fetched,
            long nowMillis) {
        Map<TopicPartition, OffsetAndMetadata> next = records.nextOffsets();
        if (next.isEmpty() && endOffsets.isEmpty()) {
            return false;
        }
        lock.lock();
        try {
            partitions.updateFetchState(endOffsets, fetched, nowMillis);
            boolean added = false;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : next.entrySet()) {
                PartitionBuffer<K, V> buffer = partitions.find(entry.getKey());
                if (buffer != null) {
                    List<ConsumerRecord<K, V>> fetchedRecords = records.records(entry.getKey());
                    long start = fetchedRecords.isEmpty() ? entry.getValue().offset() : fetchedRecords.get(0).offset();
                    long expected = buffer.expectedFetchOffset();
                    if (expected != PartitionBuffer.UNKNOWN && start < expected) {
                        truncations.add(new Truncation(entry.getKey(), expected, buffer.lastCommitted(), start,
                                buffer.highWatermark()));
                        buffer.truncateTo(start);
                    }
                    buffer.append(fetchedRecords, entry.getValue(), demand.asksForAll());
                    queue.offer(buffer);
                    added |= !fetchedRecords.isEmpty();
                }
            }
            if (added) {
                changed.signalAll();
            }
            return added;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The truncations found since the last call: partitions whose fetched records started below where the buffer
     * expected them, without a seek. I/O thread.
     */
    List<Truncation> drainTruncations() {
        return underLock(() -> {
            List<Truncation> found = List.copyOf(truncations);
            truncations.clear();
            return found;
        });
    }

    /**
     * kafka-clients moved a partition's position back by itself: its log was truncated below what this engine had
     * fetched (an unclean leader election; found by leader-epoch validation, or as an offset out of range and reset
     * by {@code auto.offset.reset}).
     *
     * @param partition     the partition
     * @param expected      the offset the next fetched record was expected at
     * @param committed     the offset this engine last committed for it, {@link PartitionBuffer#UNKNOWN} if none
     * @param resumedAt     the offset fetching went on from: the new log end, or where the reset put it
     * @param highWatermark the partition's high-water mark as last fetched, {@link PartitionBuffer#UNKNOWN} if not known
     */
    record Truncation(TopicPartition partition, long expected, long committed, long resumedAt, long highWatermark) {
    }

    /** Queues a record that could not be deserialized, to be thrown once, after the records fetched before it. */
    void addError(RecordDeserializationException error) {
        runUnderLock(() -> {
            PartitionBuffer<K, V> buffer = partitions.find(error.topicPartition());
            if (buffer != null) {
                buffer.appendError(error);
                queue.offer(buffer);
                changed.signalAll();
            }
        });
    }

    /** Keeps an error to throw from the next get call; a second error before then is dropped. */
    boolean setPendingError(RuntimeException error) {
        return underLock(() -> {
            boolean kept = pendingError.offer(error);
            if (kept) {
                changed.signalAll();
            }
            return kept;
        });
    }

    /**
     * Marks partitions whose start point is undefined; they wait for a seek.
     *
     * @return whether any of them was not waiting already, so the error is news to the application
     */
    boolean markAwaitingSeek(Collection<TopicPartition> awaiting) {
        return underLock(() -> partitions.awaitSeek(awaiting));
    }

    /**
     * Starts tracking newly assigned partitions (their position is unknown until fetched, resolved or
     * sought) and ends a rebalance; an empty collection only ends it.
     */
    void assign(Collection<TopicPartition> assigned) {
        runUnderLock(() -> {
            partitions.assign(assigned);
            changed.signalAll();
        });
    }

    /** Stops handing out records of these partitions: a revocation has begun, which the next assignment ends. */
    void freeze(Collection<TopicPartition> revoked) {
        runUnderLock(() -> partitions.freeze(revoked));
    }

    /** Forgets partitions that are no longer assigned, with their buffered records. */
    void remove(Collection<TopicPartition> revoked) {
        runUnderLock(() -> {
            partitions.remove(revoked).forEach(queue::remove);
            plan = plan.without(revoked);
            changed.signalAll();
        });
    }

    /** Drops a partition's buffered records and sets its position, as after a seek. */
    void reset(TopicPartition partition, long position) {
        runUnderLock(() -> partitions.get(partition).reset(position));
    }

    /**
     * Pauses or resumes partitions for the application: a paused partition is neither fetched nor handed out.
     *
     * @throws IllegalStateException when one of them is not assigned, and then changes nothing
     */
    void setPausedByUser(Collection<TopicPartition> targets, boolean paused) {
        runUnderLock(() -> {
            partitions.setPausedByUser(targets, paused);
            if (!paused) {
                changed.signalAll();
            }
        });
    }

    /**
     * Decides what the consumer must not fetch now (see {@link FetchPlan}) and keeps the plan, so that a take that
     * makes a paused partition fetchable again wakes the I/O thread, once.
     */
    FetchPlan planFetching() {
        return underLock(() -> {
            long now = nanoTime.getAsLong();
            plan = FetchPlan.decide(budget.bounds(), budget.total(), demand, partitions.buffers(), hold.mayHold(now),
                    hold.nearlyCaughtUp());
            hold.planned(!plan.held().isEmpty(), now);
            spaceSignalled = false;
            return plan;
        });
    }

    /** How long until the latest plan's hold has run its course and the I/O thread must plan again; see {@link FetchHold}. */
    long nanosUntilHoldEnds() {
        return underLock(() -> hold.nanosUntilRelease(nanoTime.getAsLong()));
    }

    /** Positions handed out since the last commit, for the given partitions or all when empty. */
    Map<TopicPartition, OffsetAndMetadata> uncommittedPositions(Collection<TopicPartition> only) {
        return underLock(() -> partitions.positions(only, PartitionBuffer::uncommittedPosition));
    }

    /** Positions of every partition whose position is known, for the given partitions or all when empty. */
    Map<TopicPartition, OffsetAndMetadata> consumedPositions(Collection<TopicPartition> only) {
        return underLock(() -> partitions.positions(only, PartitionBuffer::consumedPosition));
    }

    /** Records that these positions were committed, so that they are not committed again. */
    void markCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
        runUnderLock(() -> partitions.markCommitted(offsets));
    }

    /** Stops every hand-out and wakes every waiting caller; for stop. */
    void close() {
        runUnderLock(() -> {
            closed = true;
            changed.signalAll();
        });
    }

    /** Serialized bytes buffered for all partitions. */
    long bufferedBytes() {
        return underLock(budget::total);
    }

    private <T> T underLock(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    private void runUnderLock(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }
}
