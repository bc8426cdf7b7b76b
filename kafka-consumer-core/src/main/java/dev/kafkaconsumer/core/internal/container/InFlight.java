package dev.kafkaconsumer.core.internal.container;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import org.apache.kafka.common.TopicPartition;

/**
 * Counts a container's records taken from the engine and not yet over, against its {@code maxInFlight}
 * bound, and, in a container that commits, each partition's against a bound of its own.
 *
 * <p><b>All together.</b> The dispatcher waits for room before it takes records: it is woken once half of the bound
 * is free (or none is in flight), so that it takes records by the batch, not one at a time as each is done. A share
 * container takes the same way ({@link #room}, {@link #onRoom}).
 *
 * <p><b>Each partition</b> ({@link #perPartition}). With one bound for all, a partition whose handler is behind held
 * half of everything in flight at each take (B10: 51–53 %), and the take waited for the count of all to fall to half,
 * while the workers of the other partitions had nothing to do (2–4 of 6 partitions had nothing in flight at a typical
 * take). So each partition also has a bound, {@link #partitionBound}: its even share of {@code maxInFlight},
 * {@code maxInFlight / partitions assigned} (1,333 of 8,000 for six), but no less than {@code 4 × concurrency} (and no
 * more than {@code maxInFlight}), so that a partition that has records while the others have none still feeds every
 * worker under KEY and UNORDERED ordering. A partition has room once its own count falls to half its bound, and the take
 * leaves out the partitions without room ({@link #partitionRoom}) instead of waiting for them; one left out is told when
 * it has room again ({@link #onPartitionRoom}). The dispatcher still takes by the batch, once half of all is free,
 * whatever the partitions (or once no more than one partition's bound is in flight, when that is more: with two
 * partitions, one whose handler is behind must not keep the other waiting): a take walks every partition with records,
 * so takes of a few records each would cost as much as big ones (B7: 1,000 partitions).
 *
 * <p>Why the even share: the shares add up to the bound of all, so that partitions whose handlers are slow cannot hold
 * all of it while others have nothing in flight. Twice the share, the rule before, let three of six partitions fill the
 * bound of all; the other three then waited until half of it was done. In B3 (six partitions of one key each, handlers
 * of 0–5 ms) that cost 0.6 s of 8.8 with a bound of 2,000 and 3.0 s with 8,000 (2026-12-07). The first version of
 * these bounds also took the even share, but let the dispatcher take again once half of one partition's bound was free
 * in all: in an even drain (B2) that made takes of about 167 records instead of 1,000, and cost CPU per record 1.67 and
 * 1.50 times raw's instead of 1.30 and 1.15; the low water of all (half of it) is what keeps the takes large.
 * When the bounds of the partitions add up to more than {@code maxInFlight} (many partitions, few records in flight
 * each, the floor), the bound of all is the one that holds. With one partition, both are the single bound of before.
 *
 * <p><b>The default bound moves</b> ({@link AdaptiveBound}): between 4 and 16 polls' worth of records, enough for
 * about 50 ms of handling at the rate records were handled lately, and no more than the engine's {@code maxBufferedBytes}
 * holds of records of the sizes taken lately. A bound the application set stays.
 *
 * <p>Threads: the dispatcher ({@link #taken}, {@link #took}, {@link #sampled}, {@link #awaitCapacity}, {@link #partitionRoom} under the
 * engine's buffers lock, {@link #partitions}, {@link #forget}; in a share container, whichever worker takes: {@link #room}), workers,
 * timers and the threads that complete asynchronous stages ({@link #released}, {@link #held}), the stopper
 * ({@link #awaitNone}). Its lock is a leaf: it is only taken to wait or to signal. The counts are atomics, so that
 * {@link #partitionRoom} takes no lock under the engine's.
 */
final class InFlight {

    /** The records handled at once; each partition's bound is at least 4 times that. */
    private final int concurrency;
    /** Whether each partition has a bound of its own (a container that commits), besides the bound of all. */
    private final boolean perPartition;
    /** What moves the default bound; {@code null} for a bound the application set, which stays. */
    private final AdaptiveBound adaptive;
    /** The bound of all in force (see {@link #adaptive}). */
    private volatile int max;
    /** Records of partitions taken since the start, counted by {@link #taken(PartitionCount, int)}; the dispatcher's only. */
    private long takenInAll;
    private final AtomicInteger count = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    /** Told when room came back (at the low-water mark, or none left in flight); see {@link #onRoom}. */
    private volatile Runnable onRoom = () -> {
    };
    /** Told when a partition that a take left out for want of room has room again; see {@link #onPartitionRoom}. */
    private volatile Runnable onPartitionRoom = () -> {
    };
    /** Each partition's count, once records of it were taken; empty without bounds per partition. */
    private final ConcurrentHashMap<TopicPartition, PartitionCount> partitions = new ConcurrentHashMap<>();
    /** The most records in flight of one partition, for the partitions assigned now (see {@link #partitions}). */
    private volatile int partitionBound;
    /** The count at or below which all records together leave room to take: half the bound, or a partition's bound. */
    private volatile int lowWater;

    /**
     * One bound for all records, as a share container has.
     *
     * @param max the most records in flight, at least 1
     */
    InFlight(int max) {
        this(max, 1, false, null);
    }

    private InFlight(int max, int concurrency, boolean perPartition, AdaptiveBound adaptive) {
        this.concurrency = Math.max(1, concurrency);
        this.perPartition = perPartition;
        this.adaptive = adaptive;
        this.max = adaptive != null ? adaptive.initial() : max;
        this.partitionBound = this.max;
        this.lowWater = this.max / 2;
    }

    /**
     * A bound for all records and one for each partition, as a container that commits has.
     *
     * @param max         the most records in flight, at least 1
     * @param concurrency the records handled at once: a partition's bound is at least 4 times that
     */
    static InFlight perPartition(int max, int concurrency) {
        return new InFlight(max, concurrency, true, null);
    }

    /**
     * A bound for all records that follows the handling rate and the records' size ({@link AdaptiveBound}), as a
     * container's default bound does, and one for each partition.
     *
     * @param concurrency the records handled at once: a partition's bound is at least 4 times that
     */
    static InFlight perPartition(AdaptiveBound bound, int concurrency) {
        return new InFlight(0, concurrency, true, bound);
    }

    /**
     * Records were taken, at {@code nowNanos}: a default bound follows the rate at which records were handled (taken, and
     * no longer in flight). Takes effect at the next wait for room, which sets the bounds that follow from it
     * ({@link #partitions}). Dispatcher, after it counted them ({@link #taken(PartitionCount, int)}).
     */
    void took(long nowNanos) {
        if (adaptive != null) {
            max = adaptive.handled(takenInAll - count.get(), nowNanos);
        }
    }

    /**
     * A record just taken has {@code recordBytes} of key and value: a default bound holds no more records than its bytes
     * allow. Dispatcher, for the last record of each partition of a take.
     */
    void sampled(long recordBytes) {
        if (adaptive != null) {
            max = adaptive.sampled(recordBytes);
        }
    }

    /** The bound of all in force now. */
    int max() {
        return max;
    }

    /**
     * Sets what is told, on the releasing thread and outside the lock, when room comes back: the count fell to half
     * the bound, or to none. A share container takes more records then, on the worker that made the room, instead of
     * waking a dispatcher that waits in {@link #awaitCapacity}.
     */
    void onRoom(Runnable listener) {
        this.onRoom = listener;
    }

    /**
     * Sets what is told, on the releasing thread and outside the lock, when a partition that {@link #partitionRoom}
     * found without room has some again: the dispatcher waits for records in the engine then, and the engine must ask
     * again.
     */
    void onPartitionRoom(Runnable listener) {
        this.onPartitionRoom = listener;
    }

    /**
     * Sets each partition's bound for the number of partitions assigned now (see the class comment); the dispatcher
     * calls it before it waits for room. Nothing without bounds per partition.
     */
    void partitions(int assigned) {
        if (!perPartition) {
            return;
        }
        int all = max;
        long share = assigned <= 1 ? all : all / assigned;
        int bound = (int) Math.min(all, Math.max(Math.min(all, 4L * concurrency), share));
        partitionBound = bound;
        // a partition whose handler is behind may hold its whole bound: were that above the low water, the others, drained,
        // would wait for it
        lowWater = assigned <= 1 ? all / 2 : Math.max(all / 2, bound);
    }

    /** The most records in flight of one partition now. */
    int partitionBound() {
        return partitionBound;
    }

    /**
     * The count of a partition, to give each work of it; {@code null} without bounds per partition. Dispatcher, under
     * the dispatch lock.
     */
    PartitionCount partition(TopicPartition partition) {
        return !perPartition ? null : partitions.computeIfAbsent(partition, key -> new PartitionCount());
    }

    /**
     * The partitions are no longer assigned: their counts are forgotten. Records of them still in flight count on
     * in all, and on the count their works hold. Under the dispatch lock.
     */
    void forget(Collection<TopicPartition> revoked) {
        revoked.forEach(partitions::remove);
    }

    /**
     * How many records of {@code partition} may be taken now: none while more than half its bound is in flight (taken
     * by the batch, as all records are), else the room its bound leaves. Called by the engine under its buffers' lock:
     * takes no lock. A partition found without room is marked, so that the release that gives it room tells
     * {@link #onPartitionRoom}.
     */
    int partitionRoom(TopicPartition partition) {
        PartitionCount counted = partitions.get(partition);
        int bound = partitionBound;
        if (counted == null) {
            return bound;
        }
        // marked before the count is read: a release that brings it down after the read sees the mark
        counted.refused = true;
        int now = counted.count.get();
        if (now > bound / 2) {
            return 0;
        }
        counted.refused = false;
        return bound - now;
    }

    /**
     * How many records may be taken now, without waiting: none while more than half the bound is in flight (records
     * are taken by the batch, as {@link #awaitCapacity} does), else the room left.
     */
    int room() {
        int now = count.get();
        return now > lowWater ? 0 : Math.max(0, max - now);
    }

    /** The records not yet over. */
    int count() {
        return count.get();
    }

    /** Records were taken from the engine. */
    void taken(int records) {
        count.addAndGet(records);
    }

    /**
     * Records of a partition were taken from the engine; {@code partition} is {@code null} without bounds per partition.
     * Dispatcher only: it also counts them for the rate of a default bound ({@link #took}).
     */
    void taken(PartitionCount partition, int records) {
        if (partition != null) {
            partition.count.addAndGet(records);
        }
        count.addAndGet(records);
        takenInAll += records;
    }

    /** A record stays in flight beyond its work (its recovery completes later). */
    void held() {
        count.incrementAndGet();
    }

    /** A record of a partition stays in flight beyond its work; {@code partition} may be {@code null}. */
    void held(PartitionCount partition) {
        if (partition != null) {
            partition.count.incrementAndGet();
        }
        count.incrementAndGet();
    }

    /** Records of a partition are over; {@code partition} is {@code null} without bounds per partition. */
    void released(PartitionCount partition, int records) {
        if (records == 0) {
            return;
        }
        if (partition != null) {
            int after = partition.count.addAndGet(-records);
            if (partition.refused && after <= partitionBound / 2) {
                partition.refused = false;
                onPartitionRoom.run();
            }
        }
        released(records);
    }

    /** Records are over: done, recovered, or given up. */
    void released(int records) {
        if (records == 0) {
            return;
        }
        int after = count.addAndGet(-records);
        int low = lowWater;
        // only the dispatcher (waiting for room) and the stopper (waiting for none) wait for this
        if (after != 0 && !(after <= low && after + records > low)) {
            return;
        }
        lock.lock();
        try {
            freed.signalAll();
        } finally {
            lock.unlock();
        }
        onRoom.run();
    }

    /**
     * Waits until there is room for records, and says how much.
     *
     * @param stopping whether the container stops: then there is no room
     * @param maxWaitMillis how long to wait before asking {@code stopping} again
     * @return how many records may be taken, 0 when stopping
     * @throws InterruptedException if interrupted while waiting
     */
    int awaitCapacity(BooleanSupplier stopping, long maxWaitMillis) throws InterruptedException {
        lock.lock();
        try {
            while (count.get() > lowWater && !stopping.getAsBoolean()) {
                freed.await(maxWaitMillis, TimeUnit.MILLISECONDS);
            }
            return stopping.getAsBoolean() ? 0 : Math.max(0, max - count.get());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no record is in flight, or the deadline passes.
     *
     * @param deadlineNanos a {@link System#nanoTime()} deadline
     * @throws InterruptedException if interrupted while waiting
     */
    void awaitNone(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (count.get() > 0) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    return;
                }
                freed.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A partition's records in flight. Each work of the partition holds the one its records were counted on, so that
     * releasing them needs no look-up, and counts there even after the partition is forgotten.
     */
    static final class PartitionCount {

        private final AtomicInteger count = new AtomicInteger();
        /** Set when a take found the partition without room; the release that gives it room clears it. */
        private volatile boolean refused;

        /** The partition's records not yet over. */
        int count() {
            return count.get();
        }
    }
}
