package dev.kafkaconsumer.core.internal.share;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of one partition that one poll returned, and what the share consumer knows of each: whether it is
 * held (in flight, marked, renewing), the acknowledgement marked for it, and the acknowledgements sent for it and not
 * yet answered. The records of a poll are acquired together, so their locks start together; a record renewed has a
 * lock of its own from then on.
 *
 * <p>Why a batch and not a map by offset: the I/O thread reaches a record's state from the record itself
 * ({@link Acquisition#batch()}, {@link Acquisition#index()}), and the commit callback, which names records by partition
 * and offset, finds them by an index into the batch (offsets of one poll are usually consecutive) without allocating
 * or hashing per record. An acknowledgement is kept as a byte (its type and who made it) unless a future rides on it
 * or another one for the same record is still unanswered: those, rare, are kept as {@link Sent} objects, oldest first.
 *
 * <p>Threads: the I/O thread only.
 */
final class PolledBatch {

    /** Where a record stands with the consumer. */
    static final byte NONE = 0;
    static final byte IN_FLIGHT = 1;
    static final byte MARKED = 2;
    static final byte RENEWING = 3;

    private static final AcknowledgeType[] TYPES = AcknowledgeType.values();
    private static final Confirmations.Origin[] ORIGINS = Confirmations.Origin.values();
    private static final long MAX_EXPIRY_MARGIN_MILLIS = 1_000;

    final TopicPartition partition;
    final long acquiredNanos;
    private final Acquisition<?, ?>[] records;
    /** The offsets, ascending; {@code null} when they are consecutive from {@code firstOffset}. */
    private final long[] offsets;
    private final long firstOffset;
    private final byte[] state;
    /** The acknowledgement marked and not yet sent, as {@link #code}. */
    private final byte[] marked;
    /** The oldest unanswered acknowledgement sent without a future, as {@link #code}; 0 for none. */
    private final byte[] sent;
    /** Unanswered acknowledgements with futures, or sent while another was unanswered; {@code null} until the first. */
    private Sent[] special;
    private long lockDeadlineNanos;
    private long renewAtNanos;
    /** Locks restarted by renewals; {@code null} until the first. */
    private long[] ownLockDeadlines;
    private long[] ownRenewAts;
    /** Records held, plus acknowledgements unanswered: at zero nothing here is needed any more. */
    private int live;

    /**
     * @param records the partition's new deliveries of one poll, in the order it returned them (ascending offsets)
     */
    PolledBatch(TopicPartition partition, List<? extends Acquisition<?, ?>> records, long acquiredNanos) {
        this.partition = partition;
        this.acquiredNanos = acquiredNanos;
        int count = records.size();
        this.records = records.toArray(new Acquisition<?, ?>[0]);
        this.firstOffset = count == 0 ? 0 : this.records[0].offset();
        boolean consecutive = true;
        boolean ascending = true;
        for (int i = 1; i < count; i++) {
            long offset = this.records[i].offset();
            consecutive &= offset == firstOffset + i;
            ascending &= offset > this.records[i - 1].offset();
        }
        if (!ascending) {
            Arrays.sort(this.records, (a, b) -> Long.compare(a.offset(), b.offset()));
        }
        this.offsets = consecutive && ascending ? null : new long[count];
        for (int i = 0; i < count; i++) {
            this.records[i].placeIn(this, i);
            if (offsets != null) {
                offsets[i] = this.records[i].offset();
            }
        }
        this.state = new byte[count];
        Arrays.fill(state, IN_FLIGHT);
        this.marked = new byte[count];
        this.sent = new byte[count];
        this.live = count;
    }

    int size() {
        return records.length;
    }

    Acquisition<?, ?> record(int index) {
        return records[index];
    }

    /** The index of {@code offset} here, or -1. */
    int indexOf(long offset) {
        if (offsets == null) {
            long index = offset - firstOffset;
            return index >= 0 && index < records.length ? (int) index : -1;
        }
        int index = Arrays.binarySearch(offsets, offset);
        return index >= 0 ? index : -1;
    }

    /** Whether nothing here is held or awaits an answer. */
    boolean isDone() {
        return live == 0;
    }

    // ---------------------------------------------------------------- held state

    byte state(int index) {
        return state[index];
    }

    void state(int index, byte next) {
        if (state[index] != NONE && next == NONE) {
            live--;
        }
        state[index] = next;
    }

    void mark(int index, AcknowledgeType type, Confirmations.Origin origin) {
        marked[index] = code(type, origin);
    }

    AcknowledgeType markedType(int index) {
        return type(marked[index]);
    }

    Confirmations.Origin markedOrigin(int index) {
        return origin(marked[index]);
    }

    void origin(int index, Confirmations.Origin origin) {
        marked[index] = code(type(marked[index]), origin);
    }

    // ---------------------------------------------------------------- locks

    /**
     * How long before the end of the broker's lock the engine takes it to end: a tenth of the lock, at most
     * {@value #MAX_EXPIRY_MARGIN_MILLIS} ms. The broker starts a lock when it acquires the record, before the poll
     * returns it, so the engine's clock for it runs late. The release the engine sends for a record whose lock it
     * found expired (explicit acknowledgement allows no poll before) must reach the broker while the record is still
     * this delivery's: once the broker's lock ends, its background fetch may acquire the record again for this same
     * consumer, and a release, which names an offset and not a delivery, would then land on the new delivery (found
     * by looping the lock-expiry test under load: the record came a third time, or an accept of the new delivery
     * merged with the release in the client and was never answered).
     */
    static long expiryMarginNanos(long lockNanos) {
        return Math.min(lockNanos / 10, MAX_EXPIRY_MARGIN_MILLIS * 1_000_000L);
    }


    /** Sets the lock of the whole batch, from its acquisition; {@code lockNanos} negative for none known. */
    void startLocks(long lockNanos) {
        lockDeadlineNanos = lockNanos < 0 ? Long.MAX_VALUE : acquiredNanos + lockNanos - expiryMarginNanos(lockNanos);
        renewAtNanos = lockNanos < 0 ? Long.MAX_VALUE : acquiredNanos + lockNanos / 2;
    }

    /** Restarts the lock of one record (it was renewed); {@code lockNanos} negative for none known. */
    void restartLock(int index, long nowNanos, long lockNanos) {
        ownLocks();
        ownLockDeadlines[index] = lockNanos < 0 ? Long.MAX_VALUE : nowNanos + lockNanos - expiryMarginNanos(lockNanos);
        ownRenewAts[index] = lockNanos < 0 ? Long.MAX_VALUE : nowNanos + lockNanos / 2;
    }

    /** The record's lock is no concern any more (it expired and is released when it comes back). */
    void forgetLock(int index) {
        ownLocks();
        ownLockDeadlines[index] = Long.MAX_VALUE;
        ownRenewAts[index] = Long.MAX_VALUE;
    }

    private void ownLocks() {
        if (ownLockDeadlines == null) {
            ownLockDeadlines = new long[records.length];
            ownRenewAts = new long[records.length];
            Arrays.fill(ownLockDeadlines, lockDeadlineNanos);
            Arrays.fill(ownRenewAts, renewAtNanos);
        }
    }

    long lockDeadlineNanos(int index) {
        return ownLockDeadlines == null ? lockDeadlineNanos : ownLockDeadlines[index];
    }

    long renewAtNanos(int index) {
        return ownRenewAts == null ? renewAtNanos : ownRenewAts[index];
    }

    /** The earliest renewal or expiry of the batch's own lock. */
    long lockEventNanos(boolean renewal) {
        return renewal ? renewAtNanos : lockDeadlineNanos;
    }

    // ---------------------------------------------------------------- sent and answered

    /** Notes the acknowledgement marked for {@code index} as sent, with the futures riding on it. */
    void sent(int index, List<CompletableFuture<Void>> futures) {
        byte code = marked[index];
        marked[index] = 0;
        live++;
        boolean unanswered = sent[index] != 0 || (special != null && special[index] != null);
        if (futures.isEmpty() && !unanswered) {
            sent[index] = code;
            return;
        }
        if (special == null) {
            special = new Sent[records.length];
        }
        Sent added = new Sent(code, futures);
        if (special[index] == null) {
            special[index] = added;
        } else {
            Sent last = special[index];
            while (last.next != null) {
                last = last.next;
            }
            last.next = added;
        }
    }

    /** Whether an acknowledgement sent for {@code index} awaits its answer. */
    boolean awaitsAnswer(int index) {
        return sent[index] != 0 || (special != null && special[index] != null);
    }

    /** The code ({@link #type}, {@link #origin}) of the oldest unanswered acknowledgement of {@code index}, left in place. */
    byte oldestUnanswered(int index) {
        return sent[index] != 0 ? sent[index] : special[index].code;
    }

    /**
     * Takes the oldest unanswered acknowledgement of {@code index}, adding its futures to {@code futures}.
     *
     * @return its code ({@link #type}, {@link #origin})
     */
    byte takeAnswered(int index, List<CompletableFuture<Void>> futures) {
        live--;
        byte code = sent[index];
        if (code != 0) {
            sent[index] = 0; // the plain one is always the oldest: it is kept so only when nothing else was unanswered
            return code;
        }
        Sent first = special[index];
        special[index] = first.next;
        futures.addAll(first.futures);
        return first.code;
    }

    /** Adds the futures of every unanswered acknowledgement to {@code futures}; the engine stops. */
    void unansweredFutures(List<CompletableFuture<Void>> futures) {
        if (special == null) {
            return;
        }
        for (Sent first : special) {
            for (Sent sentOne = first; sentOne != null; sentOne = sentOne.next) {
                futures.addAll(sentOne.futures);
            }
        }
    }

    static byte code(AcknowledgeType type, Confirmations.Origin origin) {
        return (byte) ((type.ordinal() + 1) | origin.ordinal() << 3);
    }

    static AcknowledgeType type(byte code) {
        return TYPES[(code & 7) - 1];
    }

    static Confirmations.Origin origin(byte code) {
        return ORIGINS[code >> 3];
    }

    /** An acknowledgement kept as an object: futures ride on it, or another of the record was unanswered. */
    private static final class Sent {
        final byte code;
        final List<CompletableFuture<Void>> futures;
        Sent next;

        Sent(byte code, List<CompletableFuture<Void>> futures) {
            this.code = code;
            this.futures = futures.isEmpty() ? List.of() : new ArrayList<>(futures);
        }
    }
}
