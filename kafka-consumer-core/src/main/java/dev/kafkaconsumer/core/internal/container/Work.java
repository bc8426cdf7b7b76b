package dev.kafkaconsumer.core.internal.container;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One unit of work: a record, or a batch of one partition's records, with its lane and its attempts.
 * The deserialized form is kept after the first attempt so retries do not deserialize again.
 */
final class Work {

    final TopicPartition partition;
    final PartitionProgress progress;
    final List<ConsumerRecord<byte[], byte[]>> raw;
    /** Records that must run one after another share a lane; {@code null} for none. */
    final Object lane;
    /** Counts down the works of one take from the engine, for commits after each batch; may be null. */
    final DispatchBatch batch;
    int attempts;
    List<ConsumerRecord<?, ?>> deserialized;
    volatile ScheduledFuture<?> retry;
    private final AtomicBoolean finished = new AtomicBoolean();

    Work(TopicPartition partition, PartitionProgress progress, List<ConsumerRecord<byte[], byte[]>> raw, Object lane,
            DispatchBatch batch) {
        this.partition = partition;
        this.progress = progress;
        this.raw = raw;
        this.lane = lane;
        this.batch = batch;
    }

    /** Claims the one finish of this work: true the first time only. */
    boolean claimFinish() {
        return finished.compareAndSet(false, true);
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
