package dev.kafkaconsumer.core.internal.container;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.ConsumerStoppedException;

/**
 * A container's take loop: takes raw records from the engine (never more than the in-flight bound not yet
 * finished, in all and of each partition) and hands them to the {@link RecordPipeline}; and the one place where
 * partitions open and close for it, so that a take is tracked atomically with those changes.
 *
 * <p>The take leaves out the partitions that have no room against their own bound (see {@link InFlight}), without
 * waiting for them and without parking their fetching in the engine: a partition whose handler is behind holds only
 * its own share of the records in flight, and the workers of the others go on. It takes as soon as any partition with
 * records has room: the engine asks {@link RecordPipeline#room} for each partition it would take from, and is woken to
 * ask again when one it left out has room.
 *
 * <p>The loop waits for records in the engine without holding a lock: a get call waits while a revocation
 * runs on the engine's I/O thread, and the revocation must not wait for the dispatcher. It tracks what it
 * took under the dispatch lock, which every opening and closing of a partition (an assignment, a
 * revocation, a loss, a seek) also takes, briefly; {@link TakeGenerations} then drops the records that the
 * engine handed out before their partition was closed, so they never run in a later assignment. Between takes it
 * reads the engine's hand-out positions, so that each partition's offset to commit passes the transaction markers and
 * aborted records behind its last record ({@link #passRecordless}): only here are they known to hold no record.
 *
 * <p>Threads: the dispatcher thread, {@code kafka-consumer-dispatch-<container>-1}, runs {@link #run}; the
 * engine's I/O thread (rebalances) and the thread of a seek open and close partitions. Lock order: a seek
 * holds the container's seek lock when it takes the dispatch lock; nothing else is taken under the dispatch
 * lock but the leaf locks of the progress, the scheduler and the count in flight. The consumer error is a
 * volatile field, written here, by the engine's start and by assignments, read by snapshots.
 */
final class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    static final Duration TAKE_TIMEOUT = Duration.ofMillis(100);
    /** How often the take loop reads the engine's positions to pass offsets without records (see {@link #passRecordless}). */
    static final long PASS_INTERVAL_NANOS = TAKE_TIMEOUT.toNanos();

    private final String name;
    private final ContainerEngine engine;
    private final RecordPipeline<?, ?> pipeline;
    private final OffsetTracker tracker;
    private final BooleanSupplier active;
    private final Consumer<String> fail;
    private final Fencing fencing;
    private final BiConsumer<TopicPartition, Long> onTruncation;
    private final Runnable passedIdle;
    /** When the take loop last read the engine's positions; only the dispatcher thread reads and writes it. */
    private long lastPass = System.nanoTime() - PASS_INTERVAL_NANOS;
    /** Called once a round of the take loop: it reads how long the brokers have been silent. */
    private final Runnable tick;
    /** Guards {@link #generations} and makes tracking a take atomic with any opening or closing of a partition. */
    private final ReentrantLock lock = new ReentrantLock();
    private final TakeGenerations generations = new TakeGenerations();
    /** The consumer's last error while retrying, cleared by the next assignment; see ContainerSnapshot#error. */
    private volatile String consumerError;
    /** Each partition's room against its own in-flight bound, which the engine asks as it takes. */
    private final ToIntFunction<TopicPartition> room;

    /**
     * @param active whether the container still takes records (it is neither stopping nor failed)
     * @param fail    fails the container, with the reason
     * @param fencing tells a fenced static membership (which fails the container) from errors to wait out
     * @param passedIdle runs when an idle partition (nothing of it left undone) passed offsets without records, on this
     *                   thread, outside the lock: a container that commits only after batches commits it then
     * @param onTruncation starts a partition afresh at the offset its records now start at, below what was
     *                     dispatched: the log was truncated (see {@link #truncatedBelowDispatched}); on this thread,
     *                     without the dispatch lock
     * @param tick       called once a round of the take loop (see {@link BrokerSilence#tick()})
     */
    Dispatcher(String name, ContainerEngine engine, RecordPipeline<?, ?> pipeline, OffsetTracker tracker,
            BooleanSupplier active, Consumer<String> fail, Fencing fencing, Runnable passedIdle,
            BiConsumer<TopicPartition, Long> onTruncation, Runnable tick) {
        this.name = name;
        this.engine = engine;
        this.pipeline = pipeline;
        this.tracker = tracker;
        this.active = active;
        this.fail = fail;
        this.fencing = fencing;
        this.passedIdle = passedIdle;
        this.onTruncation = onTruncation;
        this.tick = tick;
        this.room = pipeline::room;
        // a take that waits in the engine asks again for the partitions it left out, once one of them has room
        pipeline.onRoom(engine::roomChanged);
    }

    /** The take loop, until the container stops or fails, or the engine stops under it. */
    void run() {
        while (active.getAsBoolean()) {
            tick.run();
            try {
                passRecordless(false);
                int capacity = pipeline.awaitCapacity(() -> !active.getAsBoolean(), TAKE_TIMEOUT.toMillis());
                if (capacity == 0) {
                    continue;
                }
                long takenIn = generations.generation();
                Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> taken = engine.getMany(TAKE_TIMEOUT, capacity, room);
                if (taken.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, Long> truncated;
                lock.lock();
                try {
                    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> current =
                            generations.current(taken, takenIn, this::handOutPosition);
                    truncated = truncatedBelowDispatched(current);
                    if (!truncated.isEmpty()) {
                        current = new LinkedHashMap<>(current);
                        current.keySet().removeAll(truncated.keySet());
                    }
                    pipeline.dispatch(current);
                } finally {
                    lock.unlock();
                }
                // outside the lock: going on after a truncation is a move, which takes it
                truncated.forEach(onTruncation);
            } catch (ConsumerStoppedException e) {
                fail.accept("its engine stopped: " + e.getMessage()); // ignored when the container stops
                return;
            } catch (InterruptedException e) {
                fail.accept("its dispatcher was interrupted"); // ignored when the container stops
                return;
            } catch (KafkaException e) {
                String fenced = fencing.reason(e);
                if (fenced != null) {
                    fail.accept(fenced);
                    return;
                }
                // the engine reports a consumer error once, then backs off; keep asking
                consumerError(e.toString());
                log.warn("Container {}: {}", name, consumerError);
            } catch (RuntimeException | Error e) {
                fail.accept("its dispatcher failed: " + e);
                throw e;
            }
        }
        try {
            passRecordless(true); // for the final commit of the stop
        } catch (RuntimeException e) {
            log.debug("Container {}: positions not read as the take loop ends ({})", name, e.toString());
        }
    }

    /**
     * Moves each partition's offset to commit past the offsets without records (transaction markers, aborted records)
     * that the engine passed since the records taken last, as spring-kafka's {@code fixTxOffsets} does: at most every
     * {@link #PASS_INTERVAL_NANOS} unless {@code now}. Only here is it safe. The dispatcher is the only thread that takes
     * records, and it is not taking now: every record below the engine's hand-out position was taken and tracked
     * (or dropped with a closed progress), so the offsets between the last one tracked and that position hold none.
     * Read under the dispatch lock, so that a seek's new progress is never given the position of the old one.
     *
     * @param now whether to read the positions whatever the time since the last read
     */
    void passRecordless(boolean now) {
        long time = System.nanoTime();
        if (!now && time - lastPass < PASS_INTERVAL_NANOS) {
            return;
        }
        lastPass = time;
        boolean idlePassed = false;
        lock.lock();
        try {
            for (TopicPartition partition : tracker.partitions()) {
                PartitionProgress progress = tracker.progress(partition);
                if (progress == null || progress.isClosed()) {
                    continue;
                }
                OptionalLong position = handOutPosition(partition);
                if (position.isPresent() && progress.passedTo(position.getAsLong())) {
                    idlePassed = true;
                }
            }
        } finally {
            lock.unlock();
        }
        if (idlePassed) {
            passedIdle.run();
        }
    }

    /**
     * The partitions whose records start below where their progress expects them, with the offset they start at:
     * no seek moved them (a seek restarts the progress at its offset), so kafka-clients moved the position back by
     * itself, after it found the log truncated below it. Their records are not dispatched on that progress, whose
     * offsets above the new log end belong to records the log no longer holds; {@code onTruncation} starts the
     * partition afresh instead. Under the dispatch lock.
     */
    private Map<TopicPartition, Long> truncatedBelowDispatched(Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> current) {
        Map<TopicPartition, Long> truncated = Map.of();
        for (Map.Entry<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> entry : current.entrySet()) {
            PartitionProgress progress = tracker.progress(entry.getKey());
            if (progress != null && !entry.getValue().isEmpty() && entry.getValue().get(0).offset() < progress.expectedNext()) {
                if (truncated.isEmpty()) {
                    truncated = new LinkedHashMap<>();
                }
                truncated.put(entry.getKey(), entry.getValue().get(0).offset());
            }
        }
        return truncated;
    }

    private OptionalLong handOutPosition(TopicPartition partition) {
        try {
            return engine.currentPosition(partition);
        } catch (IllegalStateException e) {
            return OptionalLong.empty(); // no longer assigned
        }
    }

    /** The consumer's last error while it keeps retrying, or {@code null}. */
    String consumerError() {
        return consumerError;
    }

    /** The consumer reported an error, and keeps retrying. */
    void consumerError(String error) {
        consumerError = error;
    }

    /** Partitions were assigned: each starts a new progress, and whatever kept the consumer out is cured. */
    void opened(Collection<TopicPartition> partitions) {
        consumerError = null;
        lock.lock();
        try {
            tracker.assign(partitions);
            pipeline.partitionsChanged();
            generations.opened(partitions, TakeGenerations.ASSIGNED);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Partitions are being revoked (the engine froze their hand-outs): records taken but not yet tracked
     * never run, and records not started are given up (see {@link RecordPipeline#giveUp}).
     *
     * @return their progress, to wait for the records still running
     */
    OffsetTracker.Closed revoked(Collection<TopicPartition> partitions) {
        lock.lock();
        try {
            generations.closed(partitions);
            return pipeline.giveUp(partitions);
        } finally {
            lock.unlock();
        }
    }

    /** Partitions were lost: nothing of them starts any more, and their progress ends. */
    void lost(Collection<TopicPartition> partitions) {
        lock.lock();
        try {
            generations.closed(partitions);
            pipeline.abandon(partitions);
            tracker.remove(partitions);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Partitions are being sought: once paused on the engine, none is handed out; what was handed out before
     * is not tracked now, and nothing of them starts any more.
     *
     * @return their progress, to wait for the records still running
     */
    OffsetTracker.Closed closedForSeek(Collection<TopicPartition> partitions) {
        lock.lock();
        try {
            engine.pause(partitions.toArray(new TopicPartition[0]));
            generations.closed(partitions);
            return pipeline.abandon(partitions);
        } finally {
            lock.unlock();
        }
    }

    /** Sought partitions, still paused, restart at their new positions: each a new progress. */
    void restarted(Map<TopicPartition, Long> positions) {
        lock.lock();
        try {
            positions.forEach((partition, offset) -> {
                tracker.restart(partition, offset);
                generations.opened(List.of(partition), offset);
            });
        } finally {
            lock.unlock();
        }
    }
}
