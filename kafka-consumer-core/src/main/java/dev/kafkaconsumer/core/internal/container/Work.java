package dev.kafkaconsumer.core.internal.container;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One unit of work: the records of one lane from one take of the engine (all of a partition's under
 * PARTITION ordering, a key's under KEY ordering, a single record under UNORDERED), run one after
 * another by one worker; or, for a batch processor, a partition's records handed over together; or, in a
 * share container, one record with its acknowledgement ({@link ShareDelivery}, which has no progress).
 * Handing a lane its records as one work, not one by one, keeps the scheduler's locks and the hand-off
 * between threads off the per-record path.
 *
 * <p>Mutable state is touched by one thread at a time: the worker running the work, or the timer that
 * resumes it, each handed over through the scheduler's lock or an executor.
 */
class Work {

    private static final AtomicIntegerFieldUpdater<Work> FINISHED = AtomicIntegerFieldUpdater.newUpdater(Work.class, "finished");

    final TopicPartition partition;
    /** The partition's progress in a container that commits; {@code null} in a share container. */
    final PartitionProgress progress;
    final List<ConsumerRecord<byte[], byte[]>> raw;
    /** Records that must run one after another share a lane; {@code null} for none. */
    final Object lane;
    /** Counts down the works of one take from the engine, for commits after each batch; may be null. */
    final DispatchBatch batch;
    /** The partition's count of records in flight, which these records count on; {@code null} in a share container. */
    final InFlight.PartitionCount inFlight;
    /** The take of the progress the records came in, so that a worker marks one done by its place; may be null. */
    PartitionProgress.Take take;
    /** Where each record is in {@link #take}; null when they are consecutive from {@link #firstPosition}. */
    int[] positions;
    int firstPosition;
    /** The index in {@link #raw} of the record to run next (record processors). */
    int next;
    /** Attempts so far at the current record, or at the batch. */
    int attempts;
    /** The current record deserialized, or the whole batch; kept so that retries do not deserialize again. */
    Object deserialized;
    /** Records whose in-flight count the container has taken back already. */
    int released;
    /** Records over (done, recovered or given up) whose in-flight count is not taken back yet: the runner does so in runs. */
    int overNotReleased;
    volatile ScheduledFuture<?> retry;
    /** 1 once finished; a field with an updater, not an {@code AtomicBoolean}: a share container makes a work per record. */
    private volatile int finished;

    Work(TopicPartition partition, PartitionProgress progress, List<ConsumerRecord<byte[], byte[]>> raw, Object lane,
            DispatchBatch batch) {
        this(partition, progress, raw, lane, batch, null);
    }

    /** @param inFlight the partition's count of records in flight, which these records count on */
    Work(TopicPartition partition, PartitionProgress progress, List<ConsumerRecord<byte[], byte[]>> raw, Object lane,
            DispatchBatch batch, InFlight.PartitionCount inFlight) {
        this.partition = partition;
        this.progress = progress;
        this.raw = raw;
        this.lane = lane;
        this.batch = batch;
        this.inFlight = inFlight;
    }

    /** Places the records in their take: at {@code positions}, or, when null, one after another from {@code first}. */
    Work placedIn(PartitionProgress.Take take, int[] positions, int first) {
        this.take = take;
        this.positions = positions;
        this.firstPosition = first;
        return this;
    }

    /** Where the record at {@code index} of {@link #raw} is in its take. */
    int position(int index) {
        return positions != null ? positions[index] : firstPosition + index;
    }

    /** Moves on to the next record: a new record starts with no attempts. */
    void advance() {
        next++;
        attempts = 0;
        deserialized = null;
    }

    /** Claims the one finish of this work: true the first time only. */
    boolean claimFinish() {
        return FINISHED.compareAndSet(this, 0, 1);
    }

    /** The works of one take from the engine; the last to finish triggers a commit under BATCH mode. */
    static final class DispatchBatch {
        private int remaining;

        synchronized void add() {
            remaining++;
        }

        synchronized boolean finishOne() {
            return --remaining == 0;
        }
    }
}
