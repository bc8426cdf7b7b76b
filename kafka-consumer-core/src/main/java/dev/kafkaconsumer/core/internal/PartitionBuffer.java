package dev.kafkaconsumer.core.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;

/**
 * The records fetched for one assigned partition and not yet handed to the application, with the
 * partition's hand-out position, the broker's view of it (high-water mark, last stable offset) and what
 * holds it back: a pause by the application, a revocation, an undefined start point, records nobody asked for.
 *
 * <p>Records are kept in the batches in which the I/O thread received them, so handing out a whole batch
 * costs no copy. Every change of the buffered bytes is counted in the shared {@link ByteBudget}.
 *
 * <p>Its state changes only through its methods, each named for what happened: {@link #pauseByUser()},
 * {@link #freeze()} (for good: a frozen buffer is removed, never thawed), {@link #awaitSeek()} (which only a
 * {@link #reset seek} ends), {@link #markAsked()}. The fetch-state fields are written only by
 * {@link #updateFetchState}.
 *
 * <p>Threads: filled by the I/O thread ({@code kafka-consumer-io-<id>}), taken from by the application threads
 * (callers of the get methods, the thread serving {@link PendingGets}); read by both. Not thread-safe:
 * {@link RecordBuffers} guards every instance with its lock.
 */
final class PartitionBuffer<K, V> implements FetchPlan.PartitionState {

    static final long UNKNOWN = -1L;

    /** {@link #unaskedSince} once a get call covered the partition; counts of asks are never negative. */
    private static final long ASKED = -1L;

    private final TopicPartition partition;
    private final ByteBudget budget;
    private final ArrayDeque<Entry<K, V>> entries = new ArrayDeque<>();
    /** Index of the next record to hand out in the head batch. */
    private int headIndex;
    /** Bytes of the head batch's records already handed out. */
    private long headBytesTaken;
    private long bufferedBytes;
    private int bufferedRecords;

    /** Next offset the application is to receive; unknown until records, a seek or a resolved start point. */
    private final HandOutPosition position = new HandOutPosition();

    // Read as fields by the engine (EngineCore); written only by updateFetchState. Prefer the accessors.
    long highWatermark = UNKNOWN;
    long lastStableOffset = UNKNOWN;
    long lastPollTimestamp = UNKNOWN;
    /** Records at the broker beyond the consumer's fetch position, by its latest answer; {@link #UNKNOWN} before one. */
    private long lagAtBroker = UNKNOWN;

    /** Paused by the application: nothing is fetched or handed out. */
    private boolean pausedByUser;
    /** A revocation has begun: nothing more is handed out. */
    private boolean frozen;
    /** The start point could not be determined (auto.offset.reset=none); fetching waits for a seek. */
    private boolean awaitingSeek;
    /**
     * The count of get calls for all partitions when the buffer last went from empty to holding records, or
     * {@link #ASKED} when a get call covered the partition since.
     */
    private long unaskedSince = ASKED;

    /**
     * @param budget where every change of this buffer's bytes is counted
     */
    PartitionBuffer(TopicPartition partition, ByteBudget budget) {
        this.partition = partition;
        this.budget = budget;
    }

    /**
     * Appends a batch as fetched; {@code next} is the consumer's position after it.
     *
     * @param asks the count of get calls for all partitions so far, to tell later whether one came since
     */
    void append(List<ConsumerRecord<K, V>> records, OffsetAndMetadata next, long asks) {
        if (records.isEmpty()) {
            advanceTo(next);
            return;
        }
        if (bufferedRecords == 0) {
            unaskedSince = asks;
        }
        long bytes = bytes(records);
        entries.addLast(new Entry<>(records, next, null, bytes));
        changeBytes(bytes);
        bufferedRecords += records.size();
    }

    /** Counted on the I/O thread, which has just made the records. */
    private static long bytes(List<? extends ConsumerRecord<?, ?>> records) {
        long bytes = 0;
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<?, ?> record = records.get(i);
            bytes += Math.max(record.serializedKeySize(), 0) + Math.max(record.serializedValueSize(), 0);
        }
        return bytes;
    }

    /** Records that the consumer's position moved past control records or gaps without returning records. */
    private void advanceTo(OffsetAndMetadata next) {
        Entry<K, V> tail = entries.peekLast();
        if (tail == null) {
            setPosition(next.offset(), next.leaderEpoch());
        } else if (tail.error == null) {
            entries.pollLast();
            entries.addLast(new Entry<>(tail.records, next, null, tail.bytes));
        } else {
            entries.addLast(new Entry<>(List.of(), next, null, 0));
        }
    }

    /**
     * Whether the partition holds records that no get call has asked for since they came, when {@code asks} get
     * calls for all partitions had been made: such a partition is parked (not refetched) while the application
     * chooses partitions, so that only those it asks for cycle, as in aiokafka's flow control.
     */
    @Override
    public boolean holdsUnaskedRecords(long asks) {
        return bufferedRecords > 0 && unaskedSince == asks;
    }

    /** A get call for chosen partitions covered this one. */
    void markAsked() {
        unaskedSince = ASKED;
    }

    @Override
    public TopicPartition partition() {
        return partition;
    }

    /** The application paused the partition: nothing is fetched for it or handed out until it resumes it. */
    void pauseByUser() {
        pausedByUser = true;
    }

    void resumeByUser() {
        pausedByUser = false;
    }

    @Override
    public boolean pausedByUser() {
        return pausedByUser;
    }

    /** A revocation of the partition has begun: nothing more is handed out, for good. */
    void freeze() {
        frozen = true;
    }

    @Override
    public boolean frozen() {
        return frozen;
    }

    /**
     * The partition's start point is undefined; fetching it waits for a seek ({@link #reset}).
     *
     * @return whether it was not waiting already
     */
    boolean awaitSeek() {
        boolean fresh = !awaitingSeek;
        awaitingSeek = true;
        return fresh;
    }

    @Override
    public boolean awaitingSeek() {
        return awaitingSeek;
    }

    /**
     * Records the broker's view of the partition after a poll; an {@link #UNKNOWN} value leaves what was known.
     *
     * @param fetched   whether the poll fetched the partition (it was not paused), which makes it its last poll
     * @param nowMillis the time of the poll
     */
    void updateFetchState(EndOffsetsProbe.Ends ends, boolean fetched, long nowMillis) {
        if (ends.lag() != UNKNOWN) {
            lagAtBroker = ends.lag();
        }
        if (ends.highWatermark() == UNKNOWN && ends.lastStableOffset() == UNKNOWN) {
            return; // nothing fetched for it yet; what was known stays known
        }
        if (ends.highWatermark() != UNKNOWN) {
            this.highWatermark = ends.highWatermark();
        }
        if (ends.lastStableOffset() != UNKNOWN) {
            this.lastStableOffset = ends.lastStableOffset();
        }
        if (fetched) {
            lastPollTimestamp = nowMillis;
        }
    }

    @Override
    public boolean caughtUp(long within) {
        return lagAtBroker != UNKNOWN && lagAtBroker <= within;
    }

    long highWatermark() {
        return highWatermark;
    }

    long lastStableOffset() {
        return lastStableOffset;
    }

    long lastPollTimestamp() {
        return lastPollTimestamp;
    }

    /** Queues a record that could not be deserialized, to be thrown once in its turn. */
    void appendError(RecordDeserializationException error) {
        entries.addLast(new Entry<>(List.of(), new OffsetAndMetadata(error.offset() + 1), error, 0));
    }

    /** Whether anything (records, or an error) waits to be handed out, whether or not it can be now. */
    boolean hasDeliverable() {
        return !entries.isEmpty();
    }

    /** Whether something can be handed out now: it is there, and neither a pause nor a revocation holds it back. */
    boolean deliverable() {
        return !pausedByUser && !frozen && !entries.isEmpty();
    }

    /** The error at the head of the buffer, if the next thing to hand out is an error. */
    RecordDeserializationException headError() {
        Entry<K, V> head = entries.peekFirst();
        return head == null ? null : head.error;
    }

    /** Removes the error at the head and moves the position past the bad record. */
    RecordDeserializationException takeHeadError() {
        Entry<K, V> head = entries.pollFirst();
        setPosition(head.next.offset(), head.next.leaderEpoch());
        skipEmptyHead();
        return head.error;
    }

    /**
     * Takes up to {@code max} records from the head, stopping at an error, and moves the position.
     *
     * @param into where whole batches or their parts are added
     * @return how many records were taken
     */
    int take(int max, List<List<ConsumerRecord<K, V>>> into) {
        int taken = 0;
        while (taken < max) {
            Entry<K, V> head = entries.peekFirst();
            if (head == null || head.error != null) {
                break;
            }
            int available = head.records.size() - headIndex;
            int count = Math.min(available, max - taken);
            if (count == head.records.size()) {
                into.add(head.records);
            } else {
                into.add(new ArrayList<>(head.records.subList(headIndex, headIndex + count)));
            }
            taken += count;
            bufferedRecords -= count;
            if (count == available) {
                entries.pollFirst();
                headIndex = 0;
                changeBytes(-(head.bytes - headBytesTaken));
                headBytesTaken = 0;
                setPosition(head.next.offset(), head.next.leaderEpoch());
                skipEmptyHead();
            } else {
                long takenBytes = head.bytesBefore(headIndex + count) - headBytesTaken;
                headBytesTaken += takenBytes;
                changeBytes(-takenBytes);
                headIndex += count;
                ConsumerRecord<K, V> last = head.records.get(headIndex - 1);
                setPosition(last.offset() + 1, last.leaderEpoch());
            }
        }
        return taken;
    }

    private void skipEmptyHead() {
        Entry<K, V> head;
        while ((head = entries.peekFirst()) != null && head.error == null && head.records.isEmpty()) {
            entries.pollFirst();
            setPosition(head.next.offset(), head.next.leaderEpoch());
        }
    }

    /**
     * Where the next fetched record of the partition is expected: after the last buffered batch, else at the hand-out
     * position; {@link #UNKNOWN} before either (a new assignment). Only a seek, which {@link #reset}s the buffer,
     * moves the consumer's position otherwise; records that arrive below it mean that kafka-clients moved the
     * position back by itself, after it found the log truncated (leader-epoch validation, or an offset out of range).
     */
    long expectedFetchOffset() {
        Entry<K, V> tail = entries.peekLast();
        if (tail != null) {
            return tail.next.offset();
        }
        return position.known() ? position.offset() : UNKNOWN;
    }

    /**
     * The log now ends at {@code end}, below what was fetched: the buffered records at or above it are dropped (they
     * are no longer in the log, and records written from there on will have their offsets), those below it stay, and
     * the position moves back to {@code end} if it was above it.
     */
    void truncateTo(long end) {
        while (!entries.isEmpty()) {
            Entry<K, V> tail = entries.peekLast();
            boolean isHead = entries.size() == 1;
            if (tail.error != null) {
                if (tail.error.offset() < end) {
                    break;
                }
                entries.pollLast();
                continue;
            }
            List<ConsumerRecord<K, V>> records = tail.records;
            int from = isHead ? headIndex : 0;
            int keep = from;
            while (keep < records.size() && records.get(keep).offset() < end) {
                keep++;
            }
            if (keep == records.size()) {
                if (tail.next.offset() > end) {
                    entries.pollLast();
                    entries.addLast(new Entry<>(records, new OffsetAndMetadata(end), null, tail.bytes));
                }
                break;
            }
            long dropped = tail.bytes - tail.bytesBefore(keep);
            bufferedRecords -= records.size() - keep;
            changeBytes(-dropped);
            entries.pollLast();
            if (keep > from) {
                entries.addLast(new Entry<>(new ArrayList<>(records.subList(0, keep)), new OffsetAndMetadata(end), null,
                        tail.bytes - dropped));
                break;
            }
            if (isHead) {
                headIndex = 0;
                headBytesTaken = 0;
            }
        }
        if (entries.isEmpty() && (!position.known() || position.offset() > end)) {
            setPosition(end, Optional.empty());
        }
    }

    /** The offset this engine last committed for the partition, {@link #UNKNOWN} before its first commit. */
    long lastCommitted() {
        return position.committed();
    }

    /** Drops everything buffered and sets the position, as after a seek. */
    void reset(long newPosition) {
        clear();
        lagAtBroker = UNKNOWN;
        awaitingSeek = false;
        setPosition(newPosition, Optional.empty());
    }

    /** Drops everything buffered, giving its bytes back to the budget; for a partition no longer assigned. */
    void clear() {
        entries.clear();
        headIndex = 0;
        headBytesTaken = 0;
        changeBytes(-bufferedBytes);
        bufferedRecords = 0;
    }

    private void changeBytes(long bytes) {
        bufferedBytes += bytes;
        budget.change(bytes);
    }

    private void setPosition(long offset, Optional<Integer> epoch) {
        position.moveTo(offset, epoch);
    }

    /** The next offset to hand out, or the offset of the first buffered record, or {@link #UNKNOWN}. */
    long position() {
        if (position.known()) {
            return position.offset();
        }
        Entry<K, V> head = entries.peekFirst();
        if (head != null && head.error == null && !head.records.isEmpty()) {
            return head.records.get(headIndex).offset();
        }
        return head != null && head.error != null ? head.error.offset() : UNKNOWN;
    }

    /** Sets the start point resolved by the consumer, unless records or a seek have set it already. */
    void resolvePosition(long offset) {
        if (!position.known() && entries.isEmpty()) {
            position.moveTo(offset, Optional.empty());
        }
    }

    /** The position to commit, or {@code null} when nothing was handed out since the last commit. */
    OffsetAndMetadata uncommittedPosition() {
        return position.uncommitted();
    }

    /** The position to commit, or {@code null} when it is unknown. */
    OffsetAndMetadata consumedPosition() {
        return position.consumed();
    }

    void markCommitted(long offset) {
        position.markCommitted(offset);
    }

    @Override
    public long bufferedBytes() {
        return bufferedBytes;
    }

    int bufferedRecords() {
        return bufferedRecords;
    }

    /** A fetched batch, or a record that failed to deserialize ({@code error} set, no records). */
    private record Entry<K, V>(List<ConsumerRecord<K, V>> records, OffsetAndMetadata next,
            RecordDeserializationException error, long bytes) {

        /**
         * The bytes of the records before {@code index}, as a share of the batch's bytes by their number: exact when the
         * records are of one size, and exact for the whole batch in any case, so that the budget comes back to what it
         * was once the batch is taken. Counting the records' own sizes here would read each record again on the taking
         * thread, a cache miss per record there (they were made on the I/O thread's core), for a bound on memory that
         * needs no such precision.
         */
        long bytesBefore(int index) {
            return index == records.size() ? bytes : bytes * index / records.size();
        }
    }
}
