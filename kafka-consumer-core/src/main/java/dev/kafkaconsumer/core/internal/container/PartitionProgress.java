package dev.kafkaconsumer.core.internal.container;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * What a container has taken, finished and committed of one partition in one assignment. Records are
 * dispatched in offset order; they may finish in any order (KEY and UNORDERED), so the offset to commit
 * is the lowest record not yet done, or the offset after the last dispatched one when all are done.
 * Thread-safe: the dispatcher adds records, workers (and the threads completing their stages) mark them
 * done, the committer and snapshots read, the threads that close partitions close and wait; its monitor is
 * a leaf lock, which workers do not take for a record started or done out of order ({@link #mayStart},
 * {@link #done(Take, int)}). Owned by the {@link OffsetTracker}.
 *
 * <p>The records not yet done, and those done above them, are kept as the takes they were dispatched in, in offset
 * order ({@link Take}); the head of the first take is the lowest record not done. Dispatching a take keeps its list as it
 * is, without reading each record: copying each record's offset and epoch was 60 % of the dispatcher's CPU (the records
 * were made on the I/O thread, and each is a cache miss on the dispatcher's core), and the dispatcher's CPU fell from
 * about 38 to 14 ns per record without it (B2, PARTITION ordering, concurrency 1). A worker marks its record done by
 * its place in the take ({@link #done(Take, int)}): in order, the head moves under the monitor; out of order (KEY and
 * UNORDERED ordering, whose takes are made with their done flags), the flag is set without it. Marking one done by its
 * offset (manual acknowledgements, recoveries) is a look at the head record, or a binary search and a flag. Once
 * {@link #TAKES_WITH_RECORDS} takes wait (a record is stuck, waiting for a retry, say, while others are done above it),
 * each further take keeps only the offsets and epochs of its records once the next one comes, so that a stuck record
 * keeps alive no more than those takes' records.
 *
 * <p>The offset to commit carries a leader epoch, as kafka-clients' own commits do, so that
 * a member that starts from it after an unclean leader election truncated the log below it finds out (kafka-clients
 * validates a committed offset with an epoch against the leader) and goes on from the new log end, rather than from
 * {@code auto.offset.reset}, which with {@code latest} skips what was written meanwhile. Once every record is done
 * it is the epoch of the last one, before the offset to commit (as kafka-clients' position); while the record at
 * the offset to commit is undone, that record's own epoch: the one before it may have been done long ago, and any
 * epoch of a record at or after the offset to commit says truly that the log reached it (epochs only grow along the
 * log), where an older one could make kafka-clients see a truncation that is not there.
 */
final class PartitionProgress {

    private static final int NO_EPOCH = -1;
    /** How many takes keep their records; those dispatched behind them keep offsets and epochs only. */
    static final int TAKES_WITH_RECORDS = 8;

    /** The takes with records not done, oldest first; the first one's head is the lowest record not done. */
    private final ArrayDeque<Take> takes = new ArrayDeque<>();
    private long next;
    /** The leader epoch of the record before {@link #next}, {@link #NO_EPOCH} when unknown. */
    private int nextEpoch = NO_EPOCH;
    /** The first offset of this progress: where it was sought to, or its first record; -1 before either. */
    private long first = -1;
    private long committed = -1;
    private int inFlight;
    /** Set when the partition is revoked, lost or sought: records above {@link #horizon} are not started. */
    private volatile boolean closed;
    /**
     * The highest offset whose handling started, or was about to when the partition closed (KEY and UNORDERED ordering
     * only); raised without the monitor, which every record of six workers on one partition contended for.
     */
    private final AtomicLong maxStarted = new AtomicLong(-1);
    /** Once closed, the highest offset that may still start; guarded by the monitor. */
    private long horizon = Long.MAX_VALUE;

    /** Progress of a newly assigned partition: nothing to commit before the first dispatch. */
    PartitionProgress() {
        this(-1);
    }

    /**
     * Progress that starts at a position chosen by a seek: that position is the offset to commit
     * until records are dispatched, so a restart resumes there even when nothing arrives.
     */
    PartitionProgress(long start) {
        this.next = start;
        this.first = start;
    }

    /** The records, in offset order, were taken from the engine and are in flight; they finish in order, mostly. */
    Take dispatched(List<ConsumerRecord<byte[], byte[]>> records) {
        return dispatched(records, false);
    }

    /**
     * The records, in offset order, were taken from the engine and are in flight.
     *
     * @param outOfOrder whether they finish out of order (KEY and UNORDERED ordering): their take then has its done
     *                   flags from the start, which {@link #done(Take, int)} sets without the monitor
     * @return the take, for {@link #done(Take, int)}; null for no records
     */
    synchronized Take dispatched(List<ConsumerRecord<byte[], byte[]>> records, boolean outOfOrder) {
        if (records.isEmpty()) {
            return null;
        }
        if (takes.size() >= TAKES_WITH_RECORDS) {
            takes.peekLast().dropRecords();
        }
        Take take = new Take(records, outOfOrder);
        takes.addLast(take);
        ConsumerRecord<byte[], byte[]> last = records.get(records.size() - 1);
        next = take.lastOffset + 1;
        nextEpoch = last.leaderEpoch().orElse(NO_EPOCH);
        if (first < 0) {
            first = take.firstOffset;
        }
        inFlight += records.size();
        return take;
    }

    /**
     * The record at {@code index} of {@code take} is done: the worker's way, which knows where its record is. A record
     * that is not the lowest one not done is only flagged, without the monitor (under KEY ordering most are: six
     * workers marking records of one partition spent more time contending for the monitor than in it); the lowest one
     * moves the head under the monitor.
     *
     * <p>Why nothing is left behind: the flag is written, then the head read; the head is moved under the monitor by
     * writing it, then reading the flag at it (both volatile). So either the worker sees the head at its record, and
     * moves it, or whoever moves the head there sees the flag.
     */
    void done(Take take, int index) {
        if (take.lockFree) {
            take.flagVolatile(index);
            if (take.headVolatile() == index) {
                synchronized (this) {
                    advance();
                }
            }
            return;
        }
        synchronized (this) {
            if (index == take.head && takes.peekFirst() == take) {
                take.moveHead(index + 1);
                advance();
            } else if (index >= take.head) {
                take.flagAt(index); // out of order, or the head of a take behind one not all done
            }
        }
    }

    /** The record is done: handled, acknowledged or recovered. Idempotent; unknown offsets are ignored. */
    synchronized void done(long offset) {
        Take head = takes.peekFirst();
        if (head == null) {
            return;
        }
        if (head.offset(head.head) != offset) {
            markOutOfOrder(offset);
            return;
        }
        // the lowest record not done is done: move past it, and past those done out of order after it
        head.moveHead(head.head + 1);
        advance();
    }

    /** Moves the head past the records flagged done, and past the takes all done; under the monitor. */
    private void advance() {
        Take head = takes.peekFirst();
        while (head != null && head.passFlagged()) {
            takes.pollFirst();
            head = takes.peekFirst();
        }
    }

    /** Flags a record done that is not the lowest one not done; ignores offsets not dispatched or done already. */
    private void markOutOfOrder(long offset) {
        for (Take take : takes) {
            if (offset < take.firstOffset) {
                return;
            }
            if (offset <= take.lastOffset) {
                take.flagOffset(offset);
                return;
            }
        }
    }

    /** A record stays in flight beyond its work (its recovery completes later); {@link #finished} ends it. */
    synchronized void hold() {
        inFlight++;
    }

    /** Records' handling finished, done or not (dropped on revocation, or left unacknowledged). */
    synchronized void finished(int records) {
        inFlight -= records;
        if (inFlight == 0) {
            notifyAll();
        }
    }

    /**
     * Where the partition's next records are expected: after the last one dispatched, or at the sought start; -1
     * before either. Records that come below it were not sought: the log was truncated under the container.
     */
    synchronized long expectedNext() {
        return next;
    }

    /**
     * The engine's hand-out position is {@code position}, read by the dispatcher after it tracked every record it took:
     * the offsets from the last record dispatched up to it hold no record for this consumer (transaction markers,
     * records of aborted transactions), so once the records dispatched are done, that position is the offset to commit.
     * Without it a {@code read_committed} partition whose last records were transactional would stay committed below
     * its markers, and show a lag, for ever. The offset then carries no leader epoch: the markers may have been written
     * under a later one than the last record's, and the older epoch would make kafka-clients see a truncation that
     * is not there. Ignored on a closed progress (the position may already be a new
     * progress's), before the first dispatch or seek (as spring-kafka's {@code fixTxOffsets}: a new assignment commits
     * nothing before it has handled something), and when it is not ahead.
     *
     * @return whether it moved the offset to commit now (nothing of this progress is left undone)
     */
    synchronized boolean passedTo(long position) {
        if (closed || first < 0 || position <= next) {
            return false;
        }
        next = position;
        nextEpoch = NO_EPOCH;
        return takes.isEmpty();
    }

    /** The offset below which every dispatched record is done, or -1 before the first dispatch. */
    synchronized long commitOffset() {
        Take head = takes.peekFirst();
        return head == null ? next : head.offset(head.head);
    }

    /** The offset to commit if it moved since the last commit, else -1. */
    synchronized long uncommittedOffset() {
        long offset = commitOffset();
        return offset > committed ? offset : -1;
    }

    /**
     * The offset to commit if it moved since the last commit, with its leader epoch (see the class comment; empty when
     * unknown: the progress starts at a sought offset, or moved past markers), else {@code null}.
     */
    synchronized OffsetAndMetadata uncommitted() {
        long offset = uncommittedOffset();
        if (offset < 0) {
            return null;
        }
        Take head = takes.peekFirst();
        int epoch = head == null ? nextEpoch : head.epoch(head.head);
        return new OffsetAndMetadata(offset, epoch == NO_EPOCH ? Optional.empty() : Optional.of(epoch), "");
    }

    synchronized void committed(long offset) {
        committed = Math.max(committed, offset);
    }

    /** Where this progress began: its sought position or its first record; -1 before either. */
    synchronized long firstOffset() {
        return first;
    }

    synchronized long lastCommitted() {
        return committed;
    }

    synchronized int inFlight() {
        return inFlight;
    }

    /**
     * The partition was revoked, lost or sought: records not started yet are left undone, for the next
     * owner or the new position. With {@code fillGaps}, records below the highest one started still run:
     * under KEY and UNORDERED ordering they finish out of order, and a record done above one left undone
     * would be handled again by the next owner, which starts at the lowest undone.
     *
     * @param fillGaps whether records below the highest started one still run (revocation, stop), or
     *                 nothing more starts (seek, loss)
     */
    synchronized void close(boolean fillGaps) {
        // closed first, maxStarted after: a record that raised maxStarted and then still found the partition open is
        // below the horizon (see mayStart); closing again never lets more start
        boolean wasClosed = closed;
        closed = true;
        long closedAt = fillGaps ? maxStarted.get() : -1;
        horizon = wasClosed ? Math.min(horizon, closedAt) : closedAt;
    }

    /**
     * Whether the record at {@code offset} may start: always while the partition is open, and after
     * {@link #close} only at or below its horizon. Records are started in offset order within a work.
     *
     * <p>Without the monitor while the partition is open: the record raises {@link #maxStarted}, then reads
     * {@link #closed} again. Both are volatile, and {@link #close} writes {@code closed} before it reads
     * {@code maxStarted}, so a record that finds the partition still open is at or below the horizon, whenever the close
     * came; one that finds it closed asks the horizon under the monitor, which the close holds until the horizon is set.
     */
    boolean mayStart(long offset) {
        if (!closed) {
            raiseMaxStarted(offset);
            if (!closed) {
                return true;
            }
        }
        synchronized (this) {
            return offset <= horizon;
        }
    }

    private void raiseMaxStarted(long offset) {
        long started = maxStarted.get();
        while (offset > started && !maxStarted.compareAndSet(started, offset)) {
            started = maxStarted.get();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Waits until no record of the partition is in flight, or the deadline passes. */
    synchronized boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        while (inFlight > 0) {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            wait(Math.max(1, remaining / 1_000_000));
        }
        return true;
    }

    /**
     * The records of one take that are not all done: the list as dispatched, or, once {@link #dropRecords() dropped},
     * their offsets and epochs; the index of the lowest record not done, and a done flag for each record above it once
     * one finished out of order. Guarded by its progress's monitor.
     */
    static final class Take {

        private static final VarHandle FLAGS = MethodHandles.arrayElementVarHandle(byte[].class);
        private static final VarHandle HEAD;

        static {
            try {
                HEAD = MethodHandles.lookup().findVarHandle(Take.class, "head", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** The records, copied out of their list (no record is read), or null once dropped. */
        private Object[] records;
        private long[] offsets;
        private int[] epochs;
        private final int size;
        final long firstOffset;
        final long lastOffset;
        /**
         * The index of the lowest record not done; written under the progress's monitor ({@link #moveHead}), and read
         * without it by workers ({@link #headVolatile}) in a {@link #lockFree} take only, whose writes are volatile.
         * A take of records in order pays no fence per record.
         */
        int head;
        /**
         * Which records above {@link #head} are done (1), set without the monitor by {@link PartitionProgress#done(Take,
         * int)}; null until one is done out of order when the take was not made for records finishing out of order.
         */
        private byte[] done;
        /** Whether {@link #done} was made with the take, so that workers may set its flags without the monitor. */
        final boolean lockFree;

        Take(List<ConsumerRecord<byte[], byte[]>> records, boolean outOfOrder) {
            this.records = records.toArray();
            this.size = records.size();
            this.firstOffset = records.get(0).offset();
            this.lastOffset = records.get(size - 1).offset();
            this.done = outOfOrder ? new byte[size] : null;
            this.lockFree = outOfOrder;
        }

        int headVolatile() {
            return (int) HEAD.getVolatile(this);
        }

        /** Moves the head; under the progress's monitor. */
        void moveHead(int index) {
            if (lockFree) {
                HEAD.setVolatile(this, index);
            } else {
                head = index;
            }
        }

        /** Flags the record at {@code index} done; under the progress's monitor unless {@link #lockFree}. */
        void flagVolatile(int index) {
            FLAGS.setVolatile(done, index, (byte) 1);
        }

        long offset(int index) {
            return records != null ? record(index).offset() : offsets[index];
        }

        int epoch(int index) {
            return records != null ? record(index).leaderEpoch().orElse(NO_EPOCH) : epochs[index];
        }

        @SuppressWarnings("unchecked")
        private ConsumerRecord<byte[], byte[]> record(int index) {
            return (ConsumerRecord<byte[], byte[]>) records[index];
        }

        /** Flags the record at {@code offset} done, if it is one of this take's and not done yet. */
        void flagOffset(long offset) {
            int low = head;
            int high = size - 1;
            while (low <= high) {
                int middle = (low + high) >>> 1;
                long found = offset(middle);
                if (found < offset) {
                    low = middle + 1;
                } else if (found > offset) {
                    high = middle - 1;
                } else {
                    flagAt(middle);
                    return;
                }
            }
        }

        /** Flags the record at {@code index} done, under the progress's monitor. */
        void flagAt(int index) {
            if (done == null) {
                done = new byte[size];
            }
            flagVolatile(index);
        }

        /**
         * Moves the head past the records flagged done.
         *
         * @return whether every record of the take is done
         */
        boolean passFlagged() {
            int at = head;
            // the head is written before the flag at it is read (see PartitionProgress#done(Take, int))
            while (done != null && at < size && (byte) FLAGS.getVolatile(done, at) != 0) {
                moveHead(++at);
            }
            return at == size;
        }

        /** Keeps the offsets and epochs of the records only, so that the records themselves may go. */
        void dropRecords() {
            if (records == null) {
                return;
            }
            offsets = new long[size];
            epochs = new int[size];
            for (int i = 0; i < size; i++) {
                ConsumerRecord<byte[], byte[]> record = record(i);
                offsets[i] = record.offset();
                epochs[i] = record.leaderEpoch().orElse(NO_EPOCH);
            }
            records = null;
        }
    }
}
