package dev.kafkaconsumer.core.internal.container;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.CommitMode;
import dev.kafkaconsumer.core.ConsumerStoppedException;
import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.ContainerSnapshot;
import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.PartitionSnapshot;
import dev.kafkaconsumer.core.SeekTarget;
import dev.kafkaconsumer.core.internal.Durations;
import dev.kafkaconsumer.core.internal.EngineConfig;
import dev.kafkaconsumer.core.internal.EngineCore;

/**
 * The container behind the public {@code ConsumerContainer}, which it never names: the public class hands
 * it the configuration and what to tell listeners of its start and stop. This class wires the parts and
 * runs the container's start, stop, pause, resume and seeks: the {@link ContainerLifecycle} owns the
 * state, the {@link Dispatcher} the take loop, the {@link RecordPipeline} the way from a take to records
 * done, the {@link OffsetTracker} each partition's progress, the {@link Committer} the commits and the
 * {@link RebalanceHandler} the rebalances.
 *
 * <p>Threads: the application's (start, stop, pause, resume, seek, snapshot); the dispatcher (the engine's
 * start, then the take loop); the stopper of a failed container ({@code kafka-consumer-stop-<name>}).
 * Lock order: {@code startStop} (start against the first part of a stop) is never taken under another lock
 * of the container (listeners told of the start run under it, before the dispatcher thread starts); {@code seekLock} (one seek at a time), then the dispatcher's lock; the lifecycle's
 * monitor is a leaf, taken under any of them. No lock is held while waiting for records to finish.
 */
public final class ContainerRuntime<K, V> {

    private static final Logger log = LoggerFactory.getLogger(ContainerRuntime.class);

    private final ContainerConfig<K, V> config;
    private final Consumer<ContainerListener> toldOfStart;
    private final Consumer<ContainerListener> toldOfStop;
    private final Listeners listeners;
    private final ContainerEngine engine;
    private final boolean commits;
    private final ContainerLifecycle lifecycle;
    private final OffsetTracker tracker = new OffsetTracker();
    private final Fencing fencing;
    private final Commits committer;
    /** The committer of a transactional container, or {@code null}. */
    private final TransactionalCommitter transactions;
    /** Serializes {@code start()} with the first part of {@code stop()}, which needs what the start creates. */
    private final Object startStop = new Object();
    private final Object seekLock = new Object();
    private ContainerResources resources;
    private ScheduledExecutorService timers;
    private volatile RecordPipeline<K, V> pipeline;
    private volatile Dispatcher dispatcher;
    private volatile Thread dispatcherThread;
    /** How long the brokers have been silent, for a member of a group; {@code null} otherwise or before the start. */
    private volatile BrokerSilence silence;

    /**
     * A container over a new engine of raw bytes.
     *
     * @param config      the configuration
     * @param toldOfStart tells a listener that the container started ({@code ContainerListener#started})
     * @param toldOfStop  tells a listener that the container stopped ({@code ContainerListener#stopped})
     */
    public ContainerRuntime(ContainerConfig<K, V> config, Consumer<ContainerListener> toldOfStart,
            Consumer<ContainerListener> toldOfStop) {
        this(config, ContainerEngine.of(engineCore(config)), toldOfStart, toldOfStop);
    }

    /** A container over the given engine; tests give a stand-in. */
    ContainerRuntime(ContainerConfig<K, V> config, ContainerEngine engine, Consumer<ContainerListener> toldOfStart,
            Consumer<ContainerListener> toldOfStop) {
        this.config = config;
        this.fencing = new Fencing(config.consumerProperties());
        this.toldOfStart = toldOfStart;
        this.toldOfStop = toldOfStop;
        this.listeners = new Listeners(config.listeners());
        this.lifecycle = new ContainerLifecycle(config.name());
        this.engine = engine;
        this.commits = config.consumerProperties().get(ConsumerConfig.GROUP_ID_CONFIG) != null;
        if (config.transactional()) {
            this.transactions = new TransactionalCommitter(config.name(), engine, tracker, listeners,
                    TransactionalProducers.producers(config), config.transactions().maxRecordsPerTransaction(), this::rewind);
            this.committer = transactions;
        } else {
            this.transactions = null;
            this.committer = new Committer(config.name(), engine, tracker, listeners, commits);
        }
    }

    /**
     * The container's engine of raw bytes: its core, as {@code ConsumerEngine.Builder#build()} makes it, without the
     * facade (see {@link ContainerEngine}).
     */
    private static EngineCore<byte[], byte[]> engineCore(ContainerConfig<?, ?> config) {
        ByteArrayDeserializer keys = new ByteArrayDeserializer();
        ByteArrayDeserializer values = new ByteArrayDeserializer();
        return new EngineCore<>(new EngineConfig(engineProperties(config), keys, values, config.maxBufferedBytesPerPartition(),
                config.maxBufferedBytes()), keys, values);
    }

    /** The engine's properties: the container commits, never kafka-clients' auto-commit. */
    static Map<String, Object> engineProperties(ContainerConfig<?, ?> config) {
        Map<String, Object> properties = new HashMap<>(config.consumerProperties());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, config.name());
        return properties;
    }

    public String name() {
        return config.name();
    }

    public ContainerState state() {
        return lifecycle.state();
    }

    public Map<MetricName, ? extends Metric> metrics() {
        return engine.metrics();
    }

    // ---------------------------------------------------------------- start

    public void start() {
        synchronized (startStop) {
            lifecycle.start();
            try {
                startEngineAndThreads();
            } catch (RuntimeException e) {
                // no stopper: nothing ran, and a stop() after this finds the container FAILED and does nothing
                lifecycle.fail("it did not start: " + e);
                log.error("Container {} failed: {}", name(), lifecycle.failure());
                releaseResources();
                throw e;
            }
            log.info("Container {} started: {} with concurrency {} ({} ordering)", name(), subscription(),
                    config.concurrency(), config.ordering());
            listeners.startedThenStart(toldOfStart, lifecycle::isActive, dispatcherThread);
        }
    }

    private void startEngineAndThreads() {
        resources = ContainerResources.start(name(), config.concurrency(), config.virtualThreads(), config.processingTimeout(),
                listeners);
        timers = resources.timers;
        pipeline = new RecordPipeline<>(config, tracker, listeners, resources.watchdog, resources.workers, timers, this::commitAfterBatch,
                this::fail, () -> lifecycle.failure() != null, transactions == null ? null : transactions.pending());
        BrokerSilence members = config.topics() != null || config.pattern() != null
                ? new BrokerSilence(name(), engine::metrics, requestTimeout(), System::nanoTime) : null;
        dispatcher = new Dispatcher(name(), engine, pipeline, tracker, lifecycle::isActive, this::fail, fencing,
                this::commitAfterPass, this::goOnAfterTruncation, members == null ? () -> { } : members::tick);
        RebalanceHandler rebalances = new RebalanceHandler(config, lifecycle, engine, dispatcher, committer, tracker, listeners);
        if (config.topics() != null) {
            engine.subscribe(config.topics(), rebalances);
        } else if (config.pattern() != null) {
            engine.subscribe(config.pattern(), rebalances);
        } else {
            engine.assign(config.partitions());
            dispatcher.opened(config.partitions());
        }
        silence = members;
        if (transactions != null) {
            transactions.start(config.transactions().commitInterval());
        } else if (commits && config.commitMode() != CommitMode.BATCH) {
            long interval = Durations.millis(config.commitInterval());
            timers.scheduleWithFixedDelay(committer::commitAll, interval, interval, TimeUnit.MILLISECONDS);
        }
        // the one thread that is no daemon while the container runs: see ContainerThreads
        dispatcherThread = ContainerThreads.named("kafka-consumer-dispatch-" + name(), false).newThread(() -> {
            if (startEngine()) {
                dispatcher.run();
            }
        });
    }

    /**
     * Starts the engine on the dispatcher thread, so that {@code start()} never blocks an application's
     * start-up on the broker: the container stays STARTING until the group is joined.
     *
     * @return whether the dispatcher goes on to take records
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
            if (fencing.reason(e) != null) {
                fail(fencing.reason(e));
                return false;
            }
            // cannot join yet (a wrong password, a missing permission): say why, and keep trying like after a timeout
            dispatcher.consumerError(e.toString());
            log.warn("Container {} cannot join its group yet: {}", name(), e.toString());
        } catch (RuntimeException e) {
            fail("its engine did not start: " + e);
            return false;
        }
        if (!lifecycle.joined()) {
            return false; // stopping, or failed: the stop drains what there is
        }
        if (config.topics() != null) {
            timers.execute(new MissingTopics(name(), config.topics(), engine::topics, !"false".equalsIgnoreCase(String.valueOf(
                    config.consumerProperties().get(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG))), timers));
        }
        return true;
    }

    /** The consumer's {@code request.timeout.ms}: how long the brokers may be silent before the snapshot says so. */
    private Duration requestTimeout() {
        Object value = config.consumerProperties().get(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG);
        try {
            return Duration.ofMillis(value == null ? 30_000 : Long.parseLong(String.valueOf(value).trim()));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(30); // kafka-clients refuses it when the engine is built
        }
    }

    private String subscription() {
        return config.topics() != null ? "topics " + config.topics()
                : config.pattern() != null ? "pattern " + config.pattern() : "partitions " + config.partitions();
    }

    private void commitAfterBatch() {
        if (commits) {
            timers.execute(committer::commitAll);
        }
    }

    /**
     * An idle partition passed offsets without records (transaction markers): under BATCH commits no batch will commit
     * that, so a commit runs now; TIME and MANUAL commits and transactions pick it up on their schedule.
     */
    private void commitAfterPass() {
        if (transactions == null && config.commitMode() == CommitMode.BATCH) {
            commitAfterBatch();
        }
    }

    // ---------------------------------------------------------------- stop

    public void stop(Duration timeout) {
        synchronized (startStop) {
            switch (lifecycle.stop()) {
                case NOTHING:
                    return;
                case RELEASE:
                    // never started: nothing ran, only resources to release
                    releaseResources();
                    return;
                case END_JOIN_AND_DRAIN:
                    // still joining: nothing was handled, and stopping the engine ends the wait for the join;
                    // within the caller's timeout, as closing a consumer that never reached a broker may take it
                    // all under the consumer protocol
                    engine.stop(timeout);
                    break;
                case DRAIN:
                    break;
            }
        }
        drainAndRelease(timeout);
    }

    /** The stop of a started container: the records being handled finish, then the final commit and the release. */
    private void drainAndRelease(Duration timeout) {
        long deadline = System.nanoTime() + Durations.nanos(timeout);
        try {
            Thread thread = dispatcherThread;
            if (thread != null) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            // records being handled finish; those taken but not started are left, uncommitted, for the next start
            pipeline.giveUp(tracker.partitions());
            pipeline.awaitNothingInFlight(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pipeline.inFlight() > 0) {
            log.warn("Container {} stops with {} record(s) unfinished; they are not committed and will be read again",
                    name(), pipeline.inFlight());
        }
        committer.commitBeforeStop(deadline);
        engine.stop(Duration.ofMillis(Math.max(1000, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
        releaseResources();
        lifecycle.stopped();
        String failure = lifecycle.failure();
        log.info("Container {} stopped{}", name(), failure == null ? "" : " (failed: " + failure + ")");
        listeners.each(toldOfStop);
    }

    /** Stops the engine (idempotent), the threads and the recoverer. */
    private void releaseResources() {
        engine.stop();
        if (transactions != null) {
            transactions.close();
            TransactionalProducers.closeSerializers(config);
        }
        ContainerResources.release(resources, name(), config.recoverer());
    }

    /**
     * Stops the container in FAILED, from any thread, without waiting for it: the first failure of an active
     * container starts its stopper; a later one, or one while it stops, only says why.
     */
    private void fail(String reason) {
        boolean stopIt = lifecycle.fail(reason);
        log.error("Container {} failed: {}", name(), reason);
        if (stopIt) {
            // no daemon: the JVM waits for the final commit of a failed container (within the stop's 30 seconds)
            ContainerThreads.thread("kafka-consumer-stop-" + name(), false, () -> drainAndRelease(Duration.ofSeconds(30)))
                    .start();
        }
    }

    // ---------------------------------------------------------------- pause, resume, seek

    public void pause() {
        if (lifecycle.pause()) {
            engine.pause(engine.assignment().toArray(new TopicPartition[0]));
        }
    }

    public void resume() {
        if (lifecycle.resume()) {
            engine.resume(engine.paused().toArray(new TopicPartition[0]));
        }
    }

    public Map<TopicPartition, Long> seek(Collection<TopicPartition> requested, SeekTarget target) {
        synchronized (seekLock) {
            ContainerState now = lifecycle.state();
            if (now != ContainerState.RUNNING && now != ContainerState.PAUSED) {
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
            Map<TopicPartition, Long> offsets = SeekTargets.resolve(engine, partitions, target);
            Map<TopicPartition, Long> positions = moveTo(partitions, () -> offsets, "a seek");
            log.info("Container {} moved {} to {}", name(), positions, target);
            if (commits && config.commitMode() != CommitMode.BATCH) {
                timers.execute(committer::commitAll);
            }
            return positions;
        }
    }

    /**
     * Moves partitions: they stop handing out records, the records being handled finish (within the revocation
     * timeout), the engine seeks them to {@code offsets} (read once they are idle), each starts a new progress
     * there, and they resume unless paused before or by the user. Under the seek lock.
     */
    private Map<TopicPartition, Long> moveTo(Set<TopicPartition> partitions, Supplier<Map<TopicPartition, Long>> offsets,
            String what) {
        Set<TopicPartition> pausedBefore = engine.paused();
        OffsetTracker.Closed previous = dispatcher.closedForSeek(partitions);
        try {
            // records still running after the timeout finish on the progress the move replaces: they no longer count
            if (!RebalanceHandler.awaitIdle(name(), previous, System.nanoTime() + Durations.nanos(config.revocationTimeout()),
                    "after the revocation timeout (" + config.revocationTimeout() + ")", "the move goes on, and their outcome no longer counts for commits")) {
                throw new IllegalStateException("Interrupted while container " + name() + " waited for records of "
                        + partitions + " before " + what);
            }
            Map<TopicPartition, Long> positions = new LinkedHashMap<>();
            offsets.get().forEach((partition, offset) -> {
                engine.seek(partition, offset);
                positions.put(partition, offset);
            });
            // still paused: nothing of these partitions is handed out before they restart
            dispatcher.restarted(positions);
            return positions;
        } finally {
            TopicPartition[] toResume = partitions.stream()
                    .filter(partition -> !pausedBefore.contains(partition) && !lifecycle.pauseRequested())
                    .filter(engine.assignment()::contains)
                    .toArray(TopicPartition[]::new);
            if (toResume.length > 0) {
                engine.resume(toResume);
            }
        }
    }

    /**
     * A transaction of these partitions was aborted: their progress is dropped and they go back to their committed
     * offsets (where nothing is committed, to where their progress began), so that their records are handled again.
     * On the transactional committer's thread; does nothing once the container stops (nothing more is committed).
     */
    private void rewind(Collection<TopicPartition> aborted) {
        synchronized (seekLock) {
            Set<TopicPartition> assigned = engine.assignment();
            Set<TopicPartition> partitions = new LinkedHashSet<>(aborted);
            partitions.retainAll(assigned);
            if (!lifecycle.isActive() || partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, Long> began = new HashMap<>();
            partitions.forEach(partition -> {
                PartitionProgress progress = tracker.progress(partition);
                began.put(partition, progress == null ? -1 : progress.firstOffset());
            });
            Map<TopicPartition, Long> positions = moveTo(partitions, () -> {
                Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
                partitions.forEach(partition -> {
                    OffsetAndMetadata committed = engine.committed(partition);
                    long offset = committed != null ? committed.offset() : began.get(partition);
                    if (offset >= 0) {
                        offsets.put(partition, offset);
                    }
                });
                return offsets;
            }, "a rewind");
            log.info("Container {} rewound {} to their committed offsets after an aborted transaction", name(), positions);
        }
    }

    /**
     * The log of a partition was truncated below what the container had dispatched (the engine logged a warning
     * naming it): kafka-clients moved the position back to the new log end by itself, and the records from there on
     * are new ones, at offsets that the container's progress had given to records now lost. The partition starts
     * afresh, as after a seek, at the new log end, or lower at its lowest record not done yet (records dispatched
     * but not started are read again rather than skipped), and that offset is committed, below the earlier commits,
     * so that a restart resumes there and not at an offset the log will only reach with other records. On the
     * dispatcher's thread, which takes nothing meanwhile.
     */
    private void goOnAfterTruncation(TopicPartition partition, long resumedAt) {
        synchronized (seekLock) {
            if (!lifecycle.isActive() || !engine.assignment().contains(partition)) {
                return; // stopping, or revoked meanwhile: the next owner starts at the committed offset
            }
            PartitionProgress progress = tracker.progress(partition);
            long dispatchedTo = progress == null ? -1 : progress.expectedNext();
            try {
                Map<TopicPartition, Long> positions = moveTo(Set.of(partition), () -> {
                    long undone = progress == null ? -1 : progress.commitOffset();
                    return Map.of(partition, undone < 0 ? resumedAt : Math.min(undone, resumedAt));
                }, "going on after a truncation");
                log.info("Container {}: {} was truncated below offset {}, which it had taken records up to; it goes on from {}"
                        + " and commits that", name(), partition, dispatchedTo, positions.get(partition));
            } catch (IllegalStateException | IllegalArgumentException e) {
                log.warn("Container {}: could not go on after the truncation of {}: {}", name(), partition, e.toString());
                return;
            }
            if (commits && config.commitMode() != CommitMode.BATCH) {
                timers.execute(committer::commitAll);
            }
        }
    }

    // ---------------------------------------------------------------- snapshot

    public ContainerSnapshot snapshot() {
        boolean readCommitted = "read_committed".equalsIgnoreCase(
                String.valueOf(config.consumerProperties().get(ConsumerConfig.ISOLATION_LEVEL_CONFIG)));
        boolean running = engine.isRunning();
        List<PartitionSnapshot> partitions = Snapshots.partitions(running ? engine.assignment() : Set.of(), engine, tracker,
                readCommitted);
        Set<String> subscription = config.topics() != null ? config.topics() : running ? engine.subscription() : Set.of();
        Dispatcher current = dispatcher;
        ContainerState state = lifecycle.state();
        String error = current == null ? null : current.consumerError();
        BrokerSilence silent = silence;
        if (error == null && silent != null && (state == ContainerState.STARTING || state == ContainerState.RUNNING
                || state == ContainerState.PAUSED)) {
            error = silent.silence();
        }
        return new ContainerSnapshot(name(), (String) config.consumerProperties().get(ConsumerConfig.GROUP_ID_CONFIG),
                state, subscription, partitions, Optional.ofNullable(lifecycle.failure()), Optional.ofNullable(error),
                transactions == null ? null : transactions.stats());
    }
}
