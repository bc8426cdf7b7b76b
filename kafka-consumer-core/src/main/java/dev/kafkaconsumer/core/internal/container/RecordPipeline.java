package dev.kafkaconsumer.core.internal.container;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import dev.kafkaconsumer.core.CommitMode;
import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.Ordering;

/**
 * A container's way from records taken off the engine to records done: cuts each take into
 * {@link Work}s by lane, tracks them in each partition's {@link PartitionProgress} (which the
 * {@link OffsetTracker} owns), counts them {@link InFlight} against the container's bound, and hands the
 * works to the {@link WorkRunner}. Calls go one way, from here to the runner; what the works come to reaches
 * the progress and the count, not this class. It knows nothing of the engine, the group or the container's
 * life, so it can be measured alone (the {@code benchmarks} module's JMH benchmark does).
 *
 * <p>Threads: the dispatcher ({@link #dispatch}, {@link #awaitCapacity}; {@link #room} from its take, under the engine's
 * buffers lock); the threads that close
 * partitions ({@link #giveUp}, {@link #abandon}: the engine's I/O thread in a rebalance, a seek's, the
 * stopper); the stopper ({@link #awaitNothingInFlight}); any thread ({@link #inFlight}).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class RecordPipeline<K, V> {

    private final ContainerConfig<K, V> config;
    private final ContainerListener listener;
    private final OffsetTracker tracker;
    private final InFlight inFlight;
    private final WorkRunner<K, V> runner;
    private final boolean wholePartitions;
    private final boolean unordered;

    /**
     * @param config          the container's configuration
     * @param tracker         each assigned partition's progress
     * @param listener        told of every outcome
     * @param watchdog        watches each handler call against the processing timeout
     * @param workers         runs the work
     * @param timers          runs retries when due
     * @param afterBatch      commits after each take under {@link CommitMode#BATCH}
     * @param failContainer   fails the container, with the reason
     * @param containerFailed whether the container failed: work not started then stays undone
     */
    RecordPipeline(ContainerConfig<K, V> config, OffsetTracker tracker, ContainerListener listener, ProcessingWatchdog watchdog,
            Executor workers, ScheduledExecutorService timers, Runnable afterBatch, Consumer<String> failContainer,
            BooleanSupplier containerFailed) {
        this(config, tracker, listener, watchdog, workers, timers, afterBatch, failContainer, containerFailed, null);
    }

    /** @param pending where a transactional container keeps each record's outputs; {@code null} for any other */
    RecordPipeline(ContainerConfig<K, V> config, OffsetTracker tracker, ContainerListener listener, ProcessingWatchdog watchdog,
            Executor workers, ScheduledExecutorService timers, Runnable afterBatch, Consumer<String> failContainer,
            BooleanSupplier containerFailed, PendingOutputs pending) {
        this.config = config;
        this.tracker = tracker;
        this.listener = listener;
        this.inFlight = config.minInFlight() == config.maxInFlight() && config.maxInFlightBytes() == 0
                ? InFlight.perPartition(config.maxInFlight(), config.concurrency())
                : InFlight.perPartition(new AdaptiveBound(config.minInFlight(), config.maxInFlight(), config.concurrency(),
                        config.maxInFlightBytes()), config.concurrency());
        Recovery<K, V> recovery = new Recovery<>(config, listener, inFlight, failContainer);
        CommitOutcomes<K, V> commits = new CommitOutcomes<>(config, recovery);
        RecordOutcomes<K, V> outcomes = pending == null ? commits
                : new TransactionalOutcomes<>(config, commits, recovery, pending, listener);
        this.runner = new WorkRunner<>(config.handling(), outcomes, workers, timers, inFlight, listener, watchdog,
                containerFailed, afterBatch);
        this.wholePartitions = config.batchProcessor() != null || config.ordering() == Ordering.PARTITION;
        this.unordered = config.ordering() == Ordering.UNORDERED;
    }

    /**
     * A pipeline on its own, without a container around it, for measuring the per-record path: the
     * configuration's partitions are assigned; no listener, no commits; a record that can be neither handled
     * nor recovered throws from the worker.
     *
     * @param config  the configuration; only its partitions, processor, deserializers, ordering, concurrency,
     *                commit mode, retry policy, recoverer and in-flight bound are used
     * @param workers runs the work
     * @param timers  runs retries when due
     * @param <K>     the key type
     * @param <V>     the value type
     * @return the pipeline
     */
    public static <K, V> RecordPipeline<K, V> standalone(ContainerConfig<K, V> config, Executor workers,
            ScheduledExecutorService timers) {
        Listeners none = new Listeners(List.of());
        OffsetTracker tracker = new OffsetTracker();
        tracker.assign(config.partitions());
        return new RecordPipeline<>(config, tracker, none, ProcessingWatchdog.of(config.name(), null, none), workers, timers,
                () -> {
                }, reason -> {
                    throw new IllegalStateException(reason);
                }, () -> false);
    }

    /**
     * The partitions are revoked or the container stops: records not started are given up, except, under
     * KEY and UNORDERED ordering, those below the highest record started, which still run so that what is
     * done stays a prefix and the next owner, starting at the lowest undone record, repeats nothing.
     *
     * @return the progress closed, to wait for what still runs
     */
    OffsetTracker.Closed giveUp(Collection<TopicPartition> partitions) {
        OffsetTracker.Closed closed = tracker.close(partitions, true);
        inFlight.forget(partitions);
        if (wholePartitions) {
            // under KEY and UNORDERED ordering queued works may hold records below the horizon: they run, and
            // skip the rest at once
            runner.dropQueued(partitions);
        }
        return closed;
    }

    /**
     * The partitions were sought or lost: no record of them starts any more.
     *
     * @return the progress closed, to wait for what still runs
     */
    OffsetTracker.Closed abandon(Collection<TopicPartition> partitions) {
        OffsetTracker.Closed closed = tracker.close(partitions, false);
        inFlight.forget(partitions);
        runner.dropQueued(partitions);
        return closed;
    }

    /** The records not yet done. */
    public int inFlight() {
        return inFlight.count();
    }

    /**
     * Waits until there is room for records, and says how much: the dispatcher is woken once half of the
     * bound is free (or none is in flight), so that it takes records by the batch. Each partition has a bound of its
     * own besides, from the partitions assigned now (see {@link InFlight}); the take asks {@link #room} for it.
     *
     * @param stopping whether the container stops: then there is no room
     * @param maxWaitMillis how long to wait before asking {@code stopping} again
     * @return how many records may be taken, 0 when stopping
     * @throws InterruptedException if interrupted while waiting
     */
    public int awaitCapacity(BooleanSupplier stopping, long maxWaitMillis) throws InterruptedException {
        partitionsChanged();
        return inFlight.awaitCapacity(stopping, maxWaitMillis);
    }

    /**
     * Partitions may have been assigned or removed: each partition's bound follows their number. Called as partitions
     * are assigned, so that the take under way bounds the new ones too, and before each wait for room, which sees the
     * removals.
     */
    void partitionsChanged() {
        inFlight.partitions(tracker.size());
    }

    /**
     * How many records of the partition may be taken now, against its own bound (see {@link InFlight#partitionRoom}):
     * the engine asks it under its buffers' lock, for each partition it would take from.
     */
    int room(TopicPartition partition) {
        return inFlight.partitionRoom(partition);
    }

    /**
     * Sets what is told, on the thread that made the room, when a partition that a take left out for want of room has
     * room again: the dispatcher's take waits in the engine, which must ask {@link #room} again.
     */
    void onRoom(Runnable listener) {
        inFlight.onPartitionRoom(listener);
    }

    /**
     * Waits until no record is in flight, or the deadline passes.
     *
     * @param deadlineNanos a {@link System#nanoTime()} deadline
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitNothingInFlight(long deadlineNanos) throws InterruptedException {
        inFlight.awaitNone(deadlineNanos);
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
            PartitionProgress partitionProgress = tracker.progress(partition);
            if (partitionProgress == null || partitionRecords.isEmpty()) {
                return;
            }
            PartitionProgress.Take take = partitionProgress.dispatched(partitionRecords, !wholePartitions);
            InFlight.PartitionCount counted = inFlight.partition(partition);
            inFlight.taken(counted, partitionRecords.size());
            inFlight.sampled(keyAndValueBytes(partitionRecords.get(partitionRecords.size() - 1)));
            listener.recordsTaken(config.name(), partition, partitionRecords.size());
            cut(partition, partitionProgress, take, counted, partitionRecords, batch, works);
        });
        if (batch != null) {
            works.forEach(work -> batch.add());
        }
        inFlight.took(System.nanoTime());
        runner.submitAll(works);
    }

    private static long keyAndValueBytes(ConsumerRecord<byte[], byte[]> record) {
        return Math.max(0, record.serializedKeySize()) + (long) Math.max(0, record.serializedValueSize());
    }

    /**
     * Cuts a partition's records into works: one per lane, in offset order within each, each record placed by its
     * index in the take.
     */
    private void cut(TopicPartition partition, PartitionProgress partitionProgress, PartitionProgress.Take take,
            InFlight.PartitionCount counted, List<ConsumerRecord<byte[], byte[]>> records, Work.DispatchBatch batch,
            List<Work> works) {
        if (wholePartitions) {
            works.add(new Work(partition, partitionProgress, records, partition, batch, counted).placedIn(take, null, 0));
        } else if (unordered) {
            for (int i = 0; i < records.size(); i++) {
                works.add(new Work(partition, partitionProgress, List.of(records.get(i)), null, batch, counted)
                        .placedIn(take, null, i));
            }
        } else {
            Map<Object, Lane> byKey = new LinkedHashMap<>();
            for (int i = 0; i < records.size(); i++) {
                ConsumerRecord<byte[], byte[]> record = records.get(i);
                Object key = record.key() == null ? partition : new KeyLane(partition, ByteBuffer.wrap(record.key()));
                byKey.computeIfAbsent(key, k -> new Lane()).add(record, i);
            }
            byKey.forEach((key, lane) -> works.add(new Work(partition, partitionProgress, lane.records, key, batch, counted)
                    .placedIn(take, lane.positions(), 0)));
        }
    }

    /** A lane's records of one take while it is cut, with where each is in the take. */
    private static final class Lane {
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(2);
        private int[] positions = new int[2];

        void add(ConsumerRecord<byte[], byte[]> record, int position) {
            if (records.size() == positions.length) {
                positions = java.util.Arrays.copyOf(positions, positions.length * 2);
            }
            positions[records.size()] = position;
            records.add(record);
        }

        int[] positions() {
            return positions;
        }
    }

    /** A key within its partition: records with equal key bytes run in order. */
    private record KeyLane(TopicPartition partition, ByteBuffer key) {
    }
}
