package dev.kafkaconsumer.core.internal.container;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import dev.kafkaconsumer.core.CommitMode;
import dev.kafkaconsumer.core.ContainerListener;

/**
 * A container's way from records taken off the engine to records done: cuts each take into
 * {@link Work}s by lane, tracks them in each partition's {@link PartitionProgress}, runs them through
 * the {@link WorkScheduler} and the {@link WorkRunner}, and counts what is in flight against the
 * container's bound. It knows nothing of the engine, the group or the container's life, so it can be
 * measured alone (the {@code benchmarks} module's JMH benchmark does).
 *
 * <p>The dispatcher waits for room before it takes records: it is woken once half of the bound is free
 * (or none is in flight), so that it takes records by the batch, not one at a time as each is done.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class RecordPipeline<K, V> implements WorkRunner.Outcomes {

    private final ContainerConfig<K, V> config;
    private final ContainerListener listener;
    private final WorkScheduler scheduler;
    private final Runnable commitAfterBatch;
    private final Consumer<String> failContainer;
    private final BooleanSupplier containerFailed;
    private final Map<TopicPartition, PartitionProgress> progress;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final int lowWater;
    private final ReentrantLock capacityLock = new ReentrantLock();
    private final Condition capacityFreed = capacityLock.newCondition();

    /**
     * @param config           the container's configuration
     * @param progress         each assigned partition's progress, shared with the container's committer
     * @param listener         told of every outcome
     * @param watchdog         watches each handler call against the processing timeout
     * @param workers          runs the work
     * @param timers           runs retries when due
     * @param commitAfterBatch commits after each take under {@link CommitMode#BATCH}
     * @param failContainer    fails the container, with the reason
     * @param containerFailed  whether the container failed: work not started then stays undone
     */
    RecordPipeline(ContainerConfig<K, V> config, Map<TopicPartition, PartitionProgress> progress,
            ContainerListener listener, ProcessingWatchdog watchdog, Executor workers,
            ScheduledExecutorService timers, Runnable commitAfterBatch, Consumer<String> failContainer,
            BooleanSupplier containerFailed) {
        this.config = config;
        this.progress = progress;
        this.listener = listener;
        this.commitAfterBatch = commitAfterBatch;
        this.failContainer = failContainer;
        this.containerFailed = containerFailed;
        this.lowWater = config.maxInFlight() / 2;
        this.scheduler = new WorkScheduler(config.concurrency(), workers, new WorkRunner<>(config, timers, this, listener, watchdog));
    }

    /**
     * A pipeline on its own, without a container around it, for measuring the per-record path: no
     * listener, no commits; a record that can be neither handled nor recovered throws from the worker.
     *
     * @param config  the configuration; only its processor, deserializers, ordering, concurrency, commit
     *                mode, retry policy, recoverer and in-flight bound are used
     * @param workers runs the work
     * @param timers  runs retries when due
     * @param <K>     the key type
     * @param <V>     the value type
     * @return the pipeline, with nothing assigned
     */
    public static <K, V> RecordPipeline<K, V> standalone(ContainerConfig<K, V> config, Executor workers,
            ScheduledExecutorService timers) {
        Listeners none = new Listeners(List.of());
        return new RecordPipeline<>(config, new ConcurrentHashMap<>(), none, ProcessingWatchdog.of(config.name(), null, none),
                workers, timers, () -> {
        }, reason -> {
            throw new IllegalStateException(reason);
        }, () -> false);
    }

    /**
     * The offset below which every record of the partition is done, or -1 before the first record.
     *
     * @param partition an assigned partition
     * @return the offset a commit would carry
     */
    public long commitOffset(TopicPartition partition) {
        return progress.get(partition).commitOffset();
    }

    /**
     * The partitions were assigned: each starts a new progress.
     *
     * @param partitions the partitions
     */
    public void assigned(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> progress.put(partition, new PartitionProgress()));
    }

    /** The partition was sought to {@code offset}: a new progress starts there. */
    void restart(TopicPartition partition, long offset) {
        progress.put(partition, new PartitionProgress(offset));
    }

    /**
     * The partitions are revoked or the container stops: records not started are given up, except, under
     * KEY and UNORDERED ordering, those below the highest record started, which still run so that what is
     * done stays a prefix and the next owner, starting at the lowest undone record, repeats nothing.
     */
    void giveUp(Collection<TopicPartition> partitions) {
        close(partitions, true);
    }

    /** The partitions were sought or lost: no record of them starts any more. */
    void abandon(Collection<TopicPartition> partitions) {
        close(partitions, false);
    }

    private void close(Collection<TopicPartition> partitions, boolean fillGaps) {
        for (TopicPartition partition : partitions) {
            PartitionProgress partitionProgress = progress.get(partition);
            if (partitionProgress != null) {
                partitionProgress.close(fillGaps);
            }
        }
        if (fillGaps && config.batchProcessor() == null && config.ordering() != dev.kafkaconsumer.core.Ordering.PARTITION) {
            // queued works may hold records below the horizon: they run, and skip the rest at once
            return;
        }
        for (Work work : scheduler.dropQueued(partitions)) {
            if (work.claimFinish()) {
                work.progress.finished(work.raw.size());
                release(work.raw.size() - work.released);
            }
        }
    }

    /** The records not yet done. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Waits until there is room for records, and says how much.
     *
     * @param stopping whether the container stops: then there is no room
     * @param maxWaitMillis how long to wait before asking {@code stopping} again
     * @return how many records may be taken, 0 when stopping
     * @throws InterruptedException if interrupted while waiting
     */
    public int awaitCapacity(BooleanSupplier stopping, long maxWaitMillis) throws InterruptedException {
        capacityLock.lock();
        try {
            while (inFlight.get() > lowWater && !stopping.getAsBoolean()) {
                capacityFreed.await(maxWaitMillis, TimeUnit.MILLISECONDS);
            }
            return stopping.getAsBoolean() ? 0 : Math.max(0, config.maxInFlight() - inFlight.get());
        } finally {
            capacityLock.unlock();
        }
    }

    /**
     * Waits until no record is in flight, or the deadline passes.
     *
     * @param deadlineNanos a {@link System#nanoTime()} deadline
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitNothingInFlight(long deadlineNanos) throws InterruptedException {
        capacityLock.lock();
        try {
            while (inFlight.get() > 0) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    return;
                }
                capacityFreed.awaitNanos(remaining);
            }
        } finally {
            capacityLock.unlock();
        }
    }

    /**
     * Hands records taken from the engine to the workers: records of partitions not assigned any more are
     * left alone.
     *
     * @param records each partition's records, in offset order
     */
    public void dispatch(Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> records) {
        if (records.isEmpty()) {
            return;
        }
        Work.DispatchBatch batch = config.commitMode() == CommitMode.BATCH ? new Work.DispatchBatch() : null;
        List<Work> works = new ArrayList<>();
        records.forEach((partition, partitionRecords) -> {
            PartitionProgress partitionProgress = progress.get(partition);
            if (partitionProgress == null || partitionRecords.isEmpty()) {
                return;
            }
            partitionProgress.dispatched(partitionRecords);
            inFlight.addAndGet(partitionRecords.size());
            listener.recordsTaken(config.name(), partition, partitionRecords.size());
            cut(partition, partitionProgress, partitionRecords, batch, works);
        });
        if (batch != null) {
            works.forEach(work -> batch.add());
        }
        works.forEach(scheduler::submit);
    }

    /** Cuts a partition's records into works: one per lane, in offset order within each. */
    private void cut(TopicPartition partition, PartitionProgress partitionProgress,
            List<ConsumerRecord<byte[], byte[]>> records, Work.DispatchBatch batch, List<Work> works) {
        if (config.batchProcessor() != null || config.ordering() == dev.kafkaconsumer.core.Ordering.PARTITION) {
            works.add(new Work(partition, partitionProgress, records, partition, batch));
        } else if (config.ordering() == dev.kafkaconsumer.core.Ordering.UNORDERED) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                works.add(new Work(partition, partitionProgress, List.of(record), null, batch));
            }
        } else {
            Map<Object, List<ConsumerRecord<byte[], byte[]>>> byKey = new LinkedHashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                Object lane = record.key() == null ? partition : new KeyLane(partition, ByteBuffer.wrap(record.key()));
                byKey.computeIfAbsent(lane, key -> new ArrayList<>(2)).add(record);
            }
            byKey.forEach((lane, laneRecords) -> works.add(new Work(partition, partitionProgress, laneRecords, lane, batch)));
        }
    }

    /** A key within its partition: records with equal key bytes run in order. */
    private record KeyLane(TopicPartition partition, ByteBuffer key) {
    }

    // ---------------------------------------------------------------- outcomes of work

    @Override
    public void done(Work work, long offset) {
        work.progress.done(offset);
    }

    @Override
    public void recordOver(Work work) {
        work.released++;
        release(1);
    }

    @Override
    public void hold(Work work) {
        work.progress.hold();
        inFlight.incrementAndGet();
    }

    @Override
    public void unhold(Work work) {
        work.progress.finished(1);
        release(1);
    }

    @Override
    public void finished(Work work) {
        if (!work.claimFinish()) {
            return;
        }
        work.progress.finished(work.raw.size());
        release(work.raw.size() - work.released);
        scheduler.finished(work);
        if (work.batch != null && work.batch.finishOne()) {
            commitAfterBatch.run();
        }
    }

    private void release(int records) {
        if (records == 0) {
            return;
        }
        int after = inFlight.addAndGet(-records);
        // only the dispatcher (waiting for room) and stop (waiting for none) wait for this
        if (after != 0 && !(after <= lowWater && after + records > lowWater)) {
            return;
        }
        capacityLock.lock();
        try {
            capacityFreed.signalAll();
        } finally {
            capacityLock.unlock();
        }
    }

    @Override
    public void suspend(Work work) {
        scheduler.suspend(work);
    }

    @Override
    public void resume(Work work) {
        scheduler.resume(work);
    }

    @Override
    public void proceed(Work work) {
        scheduler.proceed(work);
    }

    @Override
    public boolean failed() {
        return containerFailed.getAsBoolean();
    }

    @Override
    public void unrecoverable(Work work, Throwable reason) {
        failContainer.accept("record " + work.partition + " could be neither handled nor recovered (" + reason + ")");
    }
}
