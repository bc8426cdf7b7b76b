package dev.kafkaconsumer.core.internal.container;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.CommitMode;
import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.ConsumerEngine;
import dev.kafkaconsumer.core.ConsumerStoppedException;
import dev.kafkaconsumer.core.ContainerSnapshot;
import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.PartitionSnapshot;
import dev.kafkaconsumer.core.SeekTarget;

/**
 * The container behind {@code ConsumerContainer}. A dispatcher thread takes raw records from the
 * engine (never more than {@code maxInFlight} not yet finished) and hands them to its
 * {@link RecordPipeline}, which tracks them in each partition's {@link PartitionProgress} and runs them
 * on worker threads. Commits carry each partition's done prefix only. This class keeps the container's
 * life, rebalances and seeks.
 *
 * <p>The dispatcher waits for records in the engine without holding a lock: a get call waits while a
 * revocation runs on the engine's I/O thread, and the revocation must not wait for the dispatcher.
 * It tracks what it took under {@code dispatchLock}, which every change of a partition's progress (an
 * assignment, a revocation, a loss, a seek) also takes, briefly; {@link TakeGenerations} then drops the
 * records that the engine handed out before their partition was closed, so they never run in a later
 * assignment. Lock order: {@code seekLock}, then {@code dispatchLock}; {@code lifecycle} is never held
 * with either.
 */
public final class ContainerRuntime<K, V> {

    private static final Logger log = LoggerFactory.getLogger(ContainerRuntime.class);
    private static final Duration TAKE_TIMEOUT = Duration.ofMillis(100);

    private final ContainerConfig<K, V> config;
    private final ConsumerContainer<K, V> owner;
    private final Listeners listeners;
    private final ConsumerEngine<byte[], byte[]> engine;
    private final boolean commits;
    private final Committer committer;
    private final Map<TopicPartition, PartitionProgress> progress = new ConcurrentHashMap<>();
    /** Guards {@link #generations} and makes tracking a take atomic with any change of a partition's progress. */
    private final ReentrantLock dispatchLock = new ReentrantLock();
    private final TakeGenerations generations = new TakeGenerations();
    private final Object lifecycle = new Object();
    private final Object seekLock = new Object();
    private ExecutorService workers;
    private ScheduledExecutorService timers;
    private RecordPipeline<K, V> pipeline;
    private ProcessingWatchdog watchdog;
    private Thread dispatcher;
    private volatile ContainerState state = ContainerState.STARTING;
    private volatile boolean started;
    private volatile boolean stopping;
    private volatile boolean paused;
    private volatile String failure;
    /** Whether stop(timeout) made its final commit: only revocations after it need not commit. */
    private volatile boolean finalCommitMade;
    /** The consumer's last error while retrying, cleared by the next assignment; see ContainerSnapshot#error. */
    private volatile String consumerError;

    public ContainerRuntime(ContainerConfig<K, V> config, ConsumerContainer<K, V> owner) {
        this.config = config;
        this.owner = owner;
        this.listeners = new Listeners(config.listeners());
        Map<String, Object> properties = new HashMap<>(config.consumerProperties());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, config.name());
        this.commits = properties.get(ConsumerConfig.GROUP_ID_CONFIG) != null;
        this.engine = ConsumerEngine.builder(new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .properties(properties).maxBufferedBytesPerPartition(config.maxBufferedBytesPerPartition())
                .maxBufferedBytes(config.maxBufferedBytes()).build();
        this.committer = new Committer(config.name(), engine, progress, listeners, commits);
    }

    public String name() {
        return config.name();
    }

    public ContainerState state() {
        return state;
    }

    // ---------------------------------------------------------------- lifecycle

    public void start() {
        synchronized (lifecycle) {
            if (started || stopping) {
                throw new IllegalStateException("Container " + name() + " was started or stopped already; build a new one");
            }
            started = true;
            try {
                startEngineAndThreads();
            } catch (RuntimeException e) {
                fail("it did not start: " + e);
                stopping = true;
                releaseResources();
                throw e;
            }
            log.info("Container {} started: {} with concurrency {} ({} ordering)", name(), subscription(),
                    config.concurrency(), config.ordering());
        }
        listeners.started(owner);
    }

    public Map<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> metrics() {
        return engine.metrics();
    }

    private void startEngineAndThreads() {
        workers = newWorkers();
        timers = Executors.newSingleThreadScheduledExecutor(named("kafka-consumer-timer-" + name(), true));
        watchdog = ProcessingWatchdog.of(name(), config.processingTimeout(), listeners);
        watchdog.start();
        pipeline = new RecordPipeline<>(config, progress, listeners, watchdog, workers, timers, this::commitAfterBatch,
                this::fail, () -> failure != null);
        ConsumerRebalanceListener listener = new RevocationHandler();
        if (config.topics() != null) {
            engine.subscribe(config.topics(), listener);
        } else if (config.pattern() != null) {
            engine.subscribe(config.pattern(), listener);
        } else {
            engine.assign(config.partitions());
            opened(config.partitions());
        }
        if (commits && config.commitMode() != CommitMode.BATCH) {
            long interval = config.commitInterval().toMillis();
            timers.scheduleWithFixedDelay(committer::commitAll, interval, interval, TimeUnit.MILLISECONDS);
        }
        // the one thread that is no daemon while the container runs: see named(...)
        dispatcher = named("kafka-consumer-dispatch-" + name(), false).newThread(() -> {
            if (startEngine()) {
                dispatchLoop();
            }
        });
        dispatcher.start();
    }

    /**
     * Starts the engine on the dispatcher thread, so that {@code start()} never blocks an application's
     * start-up on the broker: the container stays STARTING until the group is joined.
     */
    private boolean startEngine() {
        try {
            engine.start();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            log.warn("Container {}: {} (bootstrap.servers {})", name(), e.getMessage(),
                    config.consumerProperties().get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
        } catch (ConsumerStoppedException e) {
            return false;
        } catch (KafkaException e) {
            // cannot join yet (a wrong password, a missing permission): say why, and keep trying like after a timeout
            consumerError = e.toString();
            log.warn("Container {} cannot join its group yet: {}", name(), consumerError);
        } catch (RuntimeException e) {
            fail("its engine did not start: " + e);
            return false;
        }
        synchronized (lifecycle) {
            if (stopping || failure != null) {
                return !stopping;
            }
            state = paused ? ContainerState.PAUSED : ContainerState.RUNNING;
        }
        if (config.topics() != null) {
            timers.execute(new MissingTopics(name(), config.topics(), engine::topics, !"false".equalsIgnoreCase(String.valueOf(
                    config.consumerProperties().get(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG))), timers));
        }
        return true;
    }

    private String subscription() {
        return config.topics() != null ? "topics " + config.topics()
                : config.pattern() != null ? "pattern " + config.pattern() : "partitions " + config.partitions();
    }

    private ExecutorService newWorkers() {
        if (config.virtualThreads()) {
            try {
                return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Container " + name() + " asks for virtual threads, which need Java 21 or later; "
                        + "this is Java " + Runtime.version().feature(), e);
            }
        }
        return Executors.newFixedThreadPool(config.concurrency(), named("kafka-consumer-worker-" + name(), true));
    }

    /**
     * Names the container's threads; which are daemons decides whether a running container keeps its JVM
     * alive. The dispatcher is not: it is the container's own loop, alive from {@code start()} until the
     * container stops or fails, so a running container keeps the JVM alive as a poll loop on an application
     * thread would, and a {@code main} that starts a container and returns keeps consuming. The stopper of a
     * failed container is not either: it makes the final commit, which must not be cut short by the JVM's
     * exit. Workers, the timer (commits on schedule) and the watchdog are daemons: they serve the
     * dispatcher, and a worker may be stuck in a handler that ignores interruption, which must not hold the
     * JVM after {@code stop()}. Virtual workers are daemons by nature; the dispatcher is a platform thread.
     */
    private static java.util.concurrent.ThreadFactory named(String prefix, boolean daemon) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> thread(prefix + "-" + count.incrementAndGet(), daemon, runnable);
    }

    private static Thread thread(String name, boolean daemon, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(daemon);
        thread.setUncaughtExceptionHandler((t, e) -> log.error("Thread {} died", t.getName(), e));
        return thread;
    }

    public void stop(Duration timeout) {
        synchronized (lifecycle) {
            if (stopping) {
                return;
            }
            stopping = true;
            if (dispatcher == null) {
                // never started, or failed to start: nothing ran, only resources to release
                releaseResources();
                if (state != ContainerState.FAILED) {
                    state = ContainerState.STOPPED;
                }
                return;
            }
            if (state == ContainerState.STARTING) {
                // still joining: nothing was handled, and stopping the engine ends the wait for the join;
                // within the caller's timeout, as closing a consumer that never reached a broker may take it
                // all under the consumer protocol
                engine.stop(timeout);
            }
            if (state != ContainerState.FAILED) {
                state = ContainerState.STOPPING;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            dispatcher.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            // records being handled finish; those taken but not started are left, uncommitted, for the next start
            pipeline.giveUp(progress.keySet());
            pipeline.awaitNothingInFlight(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pipeline.inFlight() > 0) {
            log.warn("Container {} stops with {} record(s) unfinished; they are not committed and will be read again",
                    name(), pipeline.inFlight());
        }
        committer.commitBeforeStop(deadline);
        finalCommitMade = true;
        engine.stop(Duration.ofMillis(Math.max(1000, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
        releaseResources();
        if (state != ContainerState.FAILED) {
            state = ContainerState.STOPPED;
        }
        log.info("Container {} stopped{}", name(), failure == null ? "" : " (failed: " + failure + ")");
        listeners.stopped(owner);
    }

    /** Stops the engine (idempotent), the threads and the recoverer. */
    private void releaseResources() {
        engine.stop();
        if (timers != null) {
            timers.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        if (watchdog != null) {
            watchdog.close();
        }
        try {
            config.recoverer().close();
        } catch (RuntimeException e) {
            log.warn("Container {}: the recoverer did not close cleanly", name(), e);
        }
    }

    /** Stops the container in FAILED, from any thread, without waiting for it. */
    private void fail(String reason) {
        synchronized (lifecycle) {
            if (failure == null) {
                failure = reason;
            }
            state = ContainerState.FAILED;
        }
        log.error("Container {} failed: {}", name(), reason);
        if (dispatcher != null && !stopping) {
            // no daemon: the JVM waits for the final commit of a failed container (within the stop's 30 seconds)
            thread("kafka-consumer-stop-" + name(), false, () -> stop(Duration.ofSeconds(30))).start();
        }
    }

    public void pause() {
        paused = true;
        if (state == ContainerState.RUNNING) {
            state = ContainerState.PAUSED;
        }
        if (started && !stopping) {
            engine.pause(engine.assignment().toArray(new TopicPartition[0]));
        }
    }

    public void resume() {
        paused = false;
        if (state == ContainerState.PAUSED) {
            state = ContainerState.RUNNING;
        }
        if (started && !stopping) {
            engine.resume(engine.paused().toArray(new TopicPartition[0]));
        }
    }

    // ---------------------------------------------------------------- dispatching

    private void dispatchLoop() {
        while (!stopping) {
            try {
                int capacity = pipeline.awaitCapacity(() -> stopping, TAKE_TIMEOUT.toMillis());
                if (capacity == 0) {
                    continue;
                }
                long takenIn = generations.generation();
                Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> taken = engine.getMany(TAKE_TIMEOUT, capacity);
                if (taken.isEmpty()) {
                    continue;
                }
                dispatchLock.lock();
                try {
                    pipeline.dispatch(generations.current(taken, takenIn, this::handOutPosition));
                } finally {
                    dispatchLock.unlock();
                }
            } catch (ConsumerStoppedException e) {
                if (!stopping) {
                    fail("its engine stopped: " + e.getMessage());
                }
                return;
            } catch (InterruptedException e) {
                if (!stopping) {
                    fail("its dispatcher was interrupted");
                }
                return;
            } catch (KafkaException e) {
                // the engine reports a consumer error once, then backs off; keep asking
                consumerError = e.toString();
                log.warn("Container {}: {}", name(), consumerError);
            } catch (RuntimeException | Error e) {
                fail("its dispatcher failed: " + e);
                throw e;
            }
        }
    }

    private OptionalLong handOutPosition(TopicPartition partition) {
        try {
            return engine.currentPosition(partition);
        } catch (IllegalStateException e) {
            return OptionalLong.empty(); // no longer assigned
        }
    }

    /** Partitions were assigned: each starts a new progress. */
    private void opened(Collection<TopicPartition> partitions) {
        dispatchLock.lock();
        try {
            pipeline.assigned(partitions);
            generations.opened(partitions, TakeGenerations.ASSIGNED);
        } finally {
            dispatchLock.unlock();
        }
    }

    private void commitAfterBatch() {
        if (commits) {
            timers.execute(committer::commitAll);
        }
    }

    // ---------------------------------------------------------------- seeks

    public Map<TopicPartition, Long> seek(Collection<TopicPartition> requested, SeekTarget target) {
        synchronized (seekLock) {
            ContainerState now = state;
            if ((now != ContainerState.RUNNING && now != ContainerState.PAUSED) || stopping) {
                throw new IllegalStateException("Container " + name() + " is " + now + "; a seek needs it running or paused");
            }
            Set<TopicPartition> assigned = engine.assignment();
            Set<TopicPartition> partitions = new LinkedHashSet<>(requested.isEmpty() ? assigned : requested);
            List<TopicPartition> unknown = partitions.stream().filter(partition -> !assigned.contains(partition)).toList();
            if (!unknown.isEmpty() || partitions.isEmpty()) {
                throw new IllegalArgumentException("Container " + name() + " cannot seek " + (partitions.isEmpty()
                        ? "now: no partition is assigned" : unknown + ": not assigned to it; assigned: " + assigned));
            }
            // resolve and check first, so that a bad request changes nothing
            Map<TopicPartition, Long> offsets = targetOffsets(partitions, target);
            Set<TopicPartition> pausedBefore = engine.paused();
            TopicPartition[] toPause = partitions.toArray(new TopicPartition[0]);
            Map<TopicPartition, PartitionProgress> previous = new LinkedHashMap<>();
            dispatchLock.lock();
            try {
                // once paused, none of these partitions is handed out; what was handed out before is not tracked now
                engine.pause(toPause);
                generations.closed(partitions);
                pipeline.abandon(partitions);
                partitions.forEach(partition -> previous.put(partition, progress.get(partition)));
            } finally {
                dispatchLock.unlock();
            }
            try {
                // records still running after the timeout finish on the progress the seek replaces: they no longer count
                if (!awaitIdle(previous, System.nanoTime() + config.revocationTimeout().toNanos(),
                        "the seek goes on, and their outcome no longer counts for commits")) {
                    throw new IllegalStateException("Interrupted while container " + name() + " waited for records of "
                            + partitions + " before a seek");
                }
                Map<TopicPartition, Long> positions = new LinkedHashMap<>();
                offsets.forEach((partition, offset) -> {
                    engine.seek(partition, offset);
                    positions.put(partition, offset);
                });
                dispatchLock.lock();
                try {
                    // still paused: nothing of these partitions is handed out before they restart
                    positions.forEach((partition, offset) -> {
                        pipeline.restart(partition, offset);
                        generations.opened(List.of(partition), offset);
                    });
                } finally {
                    dispatchLock.unlock();
                }
                log.info("Container {} moved {} to {}", name(), positions, target);
                if (commits && config.commitMode() != CommitMode.BATCH) {
                    timers.execute(committer::commitAll);
                }
                return positions;
            } finally {
                TopicPartition[] toResume = partitions.stream()
                        .filter(partition -> !pausedBefore.contains(partition) && !paused)
                        .filter(engine.assignment()::contains)
                        .toArray(TopicPartition[]::new);
                if (toResume.length > 0) {
                    engine.resume(toResume);
                }
            }
        }
    }

    private Map<TopicPartition, Long> targetOffsets(Set<TopicPartition> partitions, SeekTarget target) {
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        if (target instanceof SeekTarget.Beginning) {
            offsets.putAll(inOrder(partitions, engine.beginningOffsets(partitions)));
        } else if (target instanceof SeekTarget.End) {
            offsets.putAll(inOrder(partitions, engine.endOffsets(partitions)));
        } else if (target instanceof SeekTarget.Offset offset) {
            Map<TopicPartition, Long> beginnings = engine.beginningOffsets(partitions);
            Map<TopicPartition, Long> ends = engine.endOffsets(partitions);
            for (TopicPartition partition : partitions) {
                long first = beginnings.get(partition);
                long end = ends.get(partition);
                if (offset.offset() < first || offset.offset() > end) {
                    throw new IllegalArgumentException("Offset " + offset.offset() + " lies outside " + partition
                            + ", which holds offsets " + first + " to " + end + " (its end)");
                }
                offsets.put(partition, offset.offset());
            }
        } else if (target instanceof SeekTarget.Timestamp timestamp) {
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(partition -> times.put(partition, timestamp.epochMillis()));
            Map<TopicPartition, OffsetAndTimestamp> found = engine.offsetsForTimes(times);
            Map<TopicPartition, Long> ends = engine.endOffsets(partitions);
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp match = found.get(partition);
                offsets.put(partition, match != null ? match.offset() : ends.get(partition));
            }
        }
        return offsets;
    }

    private static Map<TopicPartition, Long> inOrder(Set<TopicPartition> partitions, Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, Long> ordered = new LinkedHashMap<>();
        partitions.forEach(partition -> ordered.put(partition, offsets.get(partition)));
        return ordered;
    }

    /**
     * Waits until no record of the partitions is in flight, or the deadline passes (logged with what that
     * means). Returns false when interrupted, with the interrupt flag set again.
     */
    private boolean awaitIdle(Map<TopicPartition, PartitionProgress> partitions, long deadline, String consequence) {
        for (Map.Entry<TopicPartition, PartitionProgress> entry : partitions.entrySet()) {
            try {
                if (entry.getValue() != null && !entry.getValue().awaitIdle(deadline)) {
                    log.warn("Container {}: records of {} still in flight after the revocation timeout ({}); {}", name(),
                            entry.getKey(), config.revocationTimeout(), consequence);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- rebalances

    /** Runs on the engine's I/O thread: finishes and commits the work of revoked partitions first. */
    private final class RevocationHandler implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                dispatchLock.lock();
                try {
                    // the engine froze them before calling this: records taken but not yet tracked never run
                    generations.closed(partitions);
                    pipeline.giveUp(partitions);
                } finally {
                    dispatchLock.unlock();
                }
                // without the lock, so that the partitions that stay keep flowing meanwhile
                awaitRunningWork(partitions);
                if (!finalCommitMade) {
                    // a revocation while stopping but before the final commit (a partition moving to a
                    // new member) must commit here: the final commit covers only partitions still owned.
                    // After it, the last revocation need not commit again (its deadline is spent)
                    committer.commit(partitions);
                }
                partitions.forEach(progress::remove);
                listeners.unassigned(name(), partitions, false);
            }
            config.rebalanceListeners().forEach(listener -> call("onPartitionsRevoked",
                    () -> listener.onPartitionsRevoked(partitions)));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            dispatchLock.lock();
            try {
                generations.closed(partitions);
                pipeline.abandon(partitions);
                partitions.forEach(progress::remove);
            } finally {
                dispatchLock.unlock();
            }
            listeners.unassigned(name(), partitions, true);
            config.rebalanceListeners().forEach(listener -> call("onPartitionsLost",
                    () -> listener.onPartitionsLost(partitions)));
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            consumerError = null; // in the group again: whatever kept the consumer out is cured
            opened(partitions);
            if (paused && !partitions.isEmpty()) {
                engine.pause(partitions.toArray(new TopicPartition[0]));
            }
            if (!partitions.isEmpty()) {
                listeners.assigned(name(), partitions);
            }
            config.rebalanceListeners().forEach(listener -> call("onPartitionsAssigned",
                    () -> listener.onPartitionsAssigned(partitions)));
        }

        private void awaitRunningWork(Collection<TopicPartition> partitions) {
            // when the container stops, stop(timeout) has waited already
            long deadline = System.nanoTime() + (stopping ? 0 : config.revocationTimeout().toNanos());
            Map<TopicPartition, PartitionProgress> revoked = new LinkedHashMap<>();
            partitions.forEach(partition -> revoked.put(partition, progress.get(partition)));
            awaitIdle(revoked, deadline, "they are not committed");
        }

        private void call(String callback, Runnable call) {
            try {
                call.run();
            } catch (RuntimeException e) {
                log.error("Container {}: a rebalance listener threw from {}", name(), callback, e);
            }
        }
    }

    // ---------------------------------------------------------------- snapshot

    public ContainerSnapshot snapshot() {
        boolean readCommitted = "read_committed".equalsIgnoreCase(
                String.valueOf(config.consumerProperties().get(ConsumerConfig.ISOLATION_LEVEL_CONFIG)));
        Set<TopicPartition> assigned = started && engine.isRunning() ? engine.assignment() : Set.of();
        List<PartitionSnapshot> partitions = Snapshots.partitions(assigned, engine, progress, readCommitted);
        Set<String> subscription = config.topics() != null ? config.topics()
                : started && engine.isRunning() ? engine.subscription() : Set.of();
        return new ContainerSnapshot(name(), (String) config.consumerProperties().get(ConsumerConfig.GROUP_ID_CONFIG),
                state, subscription, partitions, Optional.ofNullable(failure), Optional.ofNullable(consumerError));
    }
}
