package dev.kafkaconsumer.core.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;

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
 * <p>One lock guards all partitions: taking records, moving positions and freezing partitions for a
 * revocation are atomic with respect to each other, so a position read or committed under the lock
 * covers exactly the records handed out. Partitions with records wait in a round-robin queue so that
 * no partition starves the others. The I/O thread is woken (through {@code spaceFreed}) only when a
 * partition that it paused for lack of space has been drained below its limit.
 */
final class RecordBuffers<K, V> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<TopicPartition, PartitionBuffer<K, V>> partitions = new LinkedHashMap<>();
    private final ReadyQueue<K, V> queue = new ReadyQueue<>();
    private final ByteBudget budget;
    private final ErrorChannel errors = new ErrorChannel();
    private final IdleClock idle;
    private final Runnable spaceFreed;
    /** What the application asked for lately, which parks the partitions it did not ask for. */
    private Demand demand = Demand.NONE;
    /** The I/O thread's latest plan of what not to fetch. */
    private FetchPlan plan = FetchPlan.NOTHING_PAUSED;
    /** Whether the I/O thread was woken since its latest plan; it is woken once per plan, not on every take. */
    private boolean spaceSignalled;
    private boolean closed;
    /**
     * Whether a revocation has begun and no assignment has ended it yet: meanwhile a get for chosen
     * partitions that are all gone keeps waiting, since a rebalance may give them back.
     */
    private boolean rebalancing;

    RecordBuffers(long maxBytesPerPartition, long maxBytesTotal, Runnable spaceFreed) {
        this(maxBytesPerPartition, maxBytesTotal, spaceFreed, System::nanoTime);
    }

    /** @param nanoTime the clock of the idleness rule, {@code System::nanoTime} but in tests */
    RecordBuffers(long maxBytesPerPartition, long maxBytesTotal, Runnable spaceFreed, LongSupplier nanoTime) {
        this.budget = new ByteBudget(new FetchPlan.Bounds(maxBytesPerPartition, maxBytesTotal));
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
        Map<TopicPartition, List<ConsumerRecord<K, V>>> result;
        boolean signal;
        lock.lock();
        try {
            ensureOpen();
            requireAssigned(wanted);
            idle.getStarted();
            try {
                result = takeAvailable(max, wanted);
                while (result.isEmpty()) {
                    if (closed) {
                        return stopped.apply(result);
                    }
                    if (!wanted.isEmpty() && !rebalancing && wanted.stream().noneMatch(partitions::containsKey)) {
                        throw new IllegalStateException("Partitions " + wanted + " were revoked while waiting for records");
                    }
                    long remaining = deadlineNanos - System.nanoTime();
                    if (remaining <= 0) {
                        return result;
                    }
                    changed.awaitNanos(remaining);
                    result = takeAvailable(max, wanted);
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
            result = takeAvailable(max, wanted);
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

    private Map<TopicPartition, List<ConsumerRecord<K, V>>> takeAvailable(int max, Collection<TopicPartition> wanted) {
        errors.throwPending();
        HandOut<K, V> handOut = new HandOut<>(max);
        demand = demand.after(wanted);
        if (wanted.isEmpty()) {
            queue.takeInTurn(handOut);
        } else {
            for (TopicPartition partition : wanted) {
                PartitionBuffer<K, V> buffer = partitions.get(partition);
                if (buffer != null) {
                    buffer.markAsked();
                }
                if (handOut.remaining() > 0 && buffer != null && buffer.deliverable()) {
                    handOut.takeFrom(buffer, handOut.remaining());
                }
            }
        }
        return handOut.records();
    }

    /**
     * Whether a partition that the I/O thread stopped fetching (for lack of space, or parked) may be
     * fetched again; true once per pause plan, so the I/O thread is woken once, not on every take.
     */
    private boolean spaceNeedsSignal() {
        if (spaceSignalled) {
            return false;
        }
        boolean resumable = plan.mayFetchMore(budget.bounds(), budget.total(), demand, partitions::get);
        spaceSignalled = resumable;
        return resumable;
    }

    /** Runs {@code action} on the buffer of an assigned partition, under the lock. */
    <T> T read(TopicPartition partition, Function<PartitionBuffer<K, V>, T> action) {
        lock.lock();
        try {
            return action.apply(assigned(partition));
        } finally {
            lock.unlock();
        }
    }

    void requireAssigned(Collection<TopicPartition> wanted) {
        lock.lock();
        try {
            for (TopicPartition partition : wanted) {
                assigned(partition);
            }
        } finally {
            lock.unlock();
        }
    }

    private PartitionBuffer<K, V> assigned(TopicPartition partition) {
        PartitionBuffer<K, V> buffer = partitions.get(partition);
        if (buffer == null) {
            throw new IllegalStateException("Partition " + partition + " is not assigned to this consumer; assigned: "
                    + partitions.keySet());
        }
        return buffer;
    }

    Set<TopicPartition> assignment() {
        lock.lock();
        try {
            return Set.copyOf(partitions.keySet());
        } finally {
            lock.unlock();
        }
    }

    Set<TopicPartition> pausedByUser() {
        lock.lock();
        try {
            Set<TopicPartition> paused = new LinkedHashSet<>();
            partitions.values().stream().filter(PartitionBuffer::pausedByUser).forEach(b -> paused.add(b.partition()));
            return Collections.unmodifiableSet(paused);
        } finally {
            lock.unlock();
        }
    }

    /** Nanoseconds since the application last waited for records; 0 while it waits. */
    long applicationIdleNanos(long nowNanos) {
        lock.lock();
        try {
            return idle.idleNanos(nowNanos);
        } finally {
            lock.unlock();
        }
    }

    /** Counts the application as active, as when it calls a get method. */
    void touch() {
        lock.lock();
        try {
            idle.touch();
        } finally {
            lock.unlock();
        }
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
     * @param endOffsets {high-water mark, last stable offset} by partition, each {@link PartitionBuffer#UNKNOWN}
     *                   before the partition's first fetch response
     * @param fetched    the partitions the poll fetched (not paused)
     * @param nowMillis  the time of the poll
     * @return whether any record became available to take
     */
    boolean addFetched(ConsumerRecords<K, V> records, Map<TopicPartition, long[]> endOffsets, Set<TopicPartition> fetched,
            long nowMillis) {
        Map<TopicPartition, OffsetAndMetadata> next = records.nextOffsets();
        if (next.isEmpty() && endOffsets.isEmpty()) {
            return false;
        }
        lock.lock();
        try {
            updateFetchState(endOffsets, fetched, nowMillis);
            boolean added = false;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : next.entrySet()) {
                PartitionBuffer<K, V> buffer = partitions.get(entry.getKey());
                if (buffer == null) {
                    continue;
                }
                List<ConsumerRecord<K, V>> fetchedRecords = records.records(entry.getKey());
                buffer.append(fetchedRecords, entry.getValue(), demand.asksForAll());
                queue.offer(buffer);
                added |= !fetchedRecords.isEmpty();
            }
            if (added) {
                changed.signalAll();
            }
            return added;
        } finally {
            lock.unlock();
        }
    }

    private void updateFetchState(Map<TopicPartition, long[]> endOffsets, Set<TopicPartition> fetched, long nowMillis) {
        for (Map.Entry<TopicPartition, long[]> entry : endOffsets.entrySet()) {
            PartitionBuffer<K, V> buffer = partitions.get(entry.getKey());
            if (buffer != null) {
                buffer.updateFetchState(entry.getValue()[0], entry.getValue()[1], fetched.contains(entry.getKey()),
                        nowMillis);
            }
        }
    }

    void addError(RecordDeserializationException error) {
        lock.lock();
        try {
            PartitionBuffer<K, V> buffer = partitions.get(error.topicPartition());
            if (buffer != null) {
                buffer.appendError(error);
                queue.offer(buffer);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Keeps an error to throw from the next get call; a second error before then is dropped. */
    boolean setPendingError(RuntimeException error) {
        lock.lock();
        try {
            if (!errors.offer(error)) {
                return false;
            }
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks partitions whose start point is undefined; they wait for a seek.
     *
     * @return whether any of them was not waiting already, so the error is news to the application
     */
    boolean markAwaitingSeek(Collection<TopicPartition> awaiting) {
        lock.lock();
        try {
            boolean fresh = false;
            for (TopicPartition partition : awaiting) {
                PartitionBuffer<K, V> buffer = partitions.get(partition);
                if (buffer != null && buffer.awaitSeek()) {
                    fresh = true;
                }
            }
            return fresh;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts tracking newly assigned partitions (their position is unknown until fetched, resolved or
     * sought) and ends a rebalance; an empty collection only ends it.
     */
    void assign(Collection<TopicPartition> assigned) {
        lock.lock();
        try {
            for (TopicPartition partition : assigned) {
                partitions.computeIfAbsent(partition, key -> new PartitionBuffer<>(key, budget));
            }
            rebalancing = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops handing out records of these partitions: a revocation has begun, which the next assignment ends. */
    void freeze(Collection<TopicPartition> revoked) {
        lock.lock();
        try {
            for (TopicPartition partition : revoked) {
                PartitionBuffer<K, V> buffer = partitions.get(partition);
                if (buffer != null) {
                    buffer.freeze();
                    rebalancing = true;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Forgets partitions that are no longer assigned, with their buffered records. */
    void remove(Collection<TopicPartition> revoked) {
        lock.lock();
        try {
            for (TopicPartition partition : revoked) {
                PartitionBuffer<K, V> buffer = partitions.remove(partition);
                if (buffer != null) {
                    queue.remove(buffer);
                    buffer.clear();
                }
            }
            plan = plan.without(revoked);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Drops a partition's buffered records and sets its position, as after a seek. */
    void reset(TopicPartition partition, long position) {
        lock.lock();
        try {
            assigned(partition).reset(position);
        } finally {
            lock.unlock();
        }
    }

    void setPausedByUser(Collection<TopicPartition> targets, boolean paused) {
        lock.lock();
        try {
            targets.forEach(this::assigned);
            for (TopicPartition partition : targets) {
                if (paused) {
                    assigned(partition).pauseByUser();
                } else {
                    assigned(partition).resumeByUser();
                }
            }
            if (!paused) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Decides which partitions the consumer must not fetch now: those paused by the application,
     * those waiting for a seek, those whose buffers are full, and those parked with records that the
     * application has not asked for.
     */
    Set<TopicPartition> partitionsNotToFetch() {
        return new HashSet<>(planFetching().notToFetch());
    }

    /**
     * Decides what the consumer must not fetch now (see {@link FetchPlan}) and keeps the plan, so that a take that
     * makes a paused partition fetchable again wakes the I/O thread, once.
     */
    FetchPlan planFetching() {
        lock.lock();
        try {
            plan = FetchPlan.decide(budget.bounds(), budget.total(), demand, partitions.values());
            spaceSignalled = false;
            return plan;
        } finally {
            lock.unlock();
        }
    }

    /** Positions handed out since the last commit, for the given partitions or all when empty. */
    Map<TopicPartition, OffsetAndMetadata> uncommittedPositions(Collection<TopicPartition> only) {
        return collect(only, PartitionBuffer::uncommittedPosition);
    }

    /** Positions of every partition whose position is known, for the given partitions or all when empty. */
    Map<TopicPartition, OffsetAndMetadata> consumedPositions(Collection<TopicPartition> only) {
        return collect(only, PartitionBuffer::consumedPosition);
    }

    private Map<TopicPartition, OffsetAndMetadata> collect(Collection<TopicPartition> only,
            Function<PartitionBuffer<K, V>, OffsetAndMetadata> value) {
        lock.lock();
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            Collection<PartitionBuffer<K, V>> buffers = only.isEmpty() ? partitions.values()
                    : only.stream().map(partitions::get).filter(b -> b != null).toList();
            for (PartitionBuffer<K, V> buffer : buffers) {
                OffsetAndMetadata offset = value.apply(buffer);
                if (offset != null) {
                    offsets.put(buffer.partition(), offset);
                }
            }
            return offsets;
        } finally {
            lock.unlock();
        }
    }

    void markCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
        lock.lock();
        try {
            offsets.forEach((partition, offset) -> {
                PartitionBuffer<K, V> buffer = partitions.get(partition);
                if (buffer != null) {
                    buffer.markCommitted(offset.offset());
                }
            });
        } finally {
            lock.unlock();
        }
    }

    /** Stops every hand-out and wakes every waiting caller; for stop. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Serialized bytes buffered for all partitions. */
    long bufferedBytes() {
        lock.lock();
        try {
            return budget.total();
        } finally {
            lock.unlock();
        }
    }
}
