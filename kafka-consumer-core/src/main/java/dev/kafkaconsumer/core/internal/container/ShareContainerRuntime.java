package dev.kafkaconsumer.core.internal.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.AcquiredRecord;
import dev.kafkaconsumer.core.ConsumerStoppedException;
import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.RecordProcessor;
import dev.kafkaconsumer.core.ShareContainerSnapshot;
import dev.kafkaconsumer.core.ShareEngineSnapshot;
import dev.kafkaconsumer.core.internal.share.Acquisition;
import dev.kafkaconsumer.core.internal.Durations;

/**
 * The share container behind the public {@code ShareConsumerContainer}, which it never names: the public class hands
 * it the configuration and what to tell listeners of its start and stop. It wires the parts it shares with the
 * other container: the {@link ContainerLifecycle} owns the state (a share container is never paused), the
 * {@link WorkRunner} runs the handler with its retries, interceptors and processing watchdog, {@link InFlight}
 * bounds the records taken; {@link ShareOutcomes} says what each record comes to. Its own part is the take:
 * records from the {@link ShareContainerEngine}, each a {@link ShareDelivery} handed to the runner. There are no
 * lanes (a share group has no order to keep), no offsets to track and nothing to commit: acknowledgements go to
 * the engine, which sends them.
 *
 * <p><b>No dispatcher in the path of records.</b> The workers take records themselves, with a zero timeout: on the
 * worker whose release of a record brought the in-flight count down to half the bound (or to none), inline, the
 * records it takes starting on that same worker; and on a worker woken when the engine says records came
 * ({@link ShareContainerEngine#onRecords}, told by the engine's I/O thread after a poll). So a poll's records go
 * from the I/O thread to a worker in one hand-over, where they used to go through the dispatcher thread (a CPU-time
 * profile of B9's drain: 436 ms on the dispatcher against 576 ms on the worker and 3,602 ms on the I/O thread, over
 * three drains of 1,000,000 records). One take runs at a time ({@code taking}); a take asked for meanwhile runs right after it.
 *
 * <p>Threads: the application's (start, stop, snapshot); the dispatcher, {@code kafka-consumer-dispatch-<name>-1},
 * no daemon (the engine's start, then a take every {@link #TAKE_TIMEOUT} as a safety net: the first, which asks
 * the engine to poll, and one after a take that failed; it is what keeps the JVM alive while the container runs);
 * workers (handlers, and the takes), the retry timer and the watchdog, daemons; the engine's I/O thread (tells that
 * records came, and returns at once); the engine's callback thread ({@link Events}); the stopper of a failed
 * container ({@code kafka-consumer-stop-<name>}). Lock order: {@code startStop} is never held with another lock of
 * the container; the lifecycle's monitor, the scheduler's, each delivery's, {@code InFlight}'s lock and the tick's
 * monitor are leaves; a take holds none of them while it calls the engine.
 */
public final class ShareContainerRuntime<K, V> {

    private static final Logger log = LoggerFactory.getLogger(ShareContainerRuntime.class);
    static final Duration TAKE_TIMEOUT = Duration.ofMillis(100);
    /**
     * The most records one take hands to the runner: the taking worker makes a delivery of each before any starts, so
     * that other workers start on a poll's first records sooner than they would after all of them.
     */
    static final int TAKE_CHUNK = 256;

    private final ShareContainerConfig<K, V> config;
    private final Consumer<ContainerListener> toldOfStart;
    private final Consumer<ContainerListener> toldOfStop;
    private final Listeners listeners;
    private final ContainerLifecycle lifecycle;
    private final InFlight inFlight;
    private final ShareOutcomes<K, V> outcomes;
    private final ShareContainerEngine engine;
    private final Object startStop = new Object();
    private ContainerResources resources;
    private volatile WorkRunner<K, V> runner;
    private volatile Thread dispatcherThread;
    /** The dispatcher's tick: it waits here between its takes, and is woken when the container stops. */
    private final Object tick = new Object();
    private final AtomicBoolean taking = new AtomicBoolean();
    private volatile boolean takeAgain;
    private volatile boolean engineStarted;

    /**
     * A share container over a new engine of raw bytes.
     *
     * @param config      the configuration
     * @param views       makes the application's view of an engine's record ({@code AcquiredRecord}), which only the
     *                    public package can
     * @param toldOfStart tells a listener that the container started ({@code ContainerListener#started})
     * @param toldOfStop  tells a listener that the container stopped ({@code ContainerListener#stopped})
     * @return the container's runtime, not started
     */
    public static <K, V> ShareContainerRuntime<K, V> overNewEngine(ShareContainerConfig<K, V> config,
            Function<Acquisition<byte[], byte[]>, AcquiredRecord<byte[], byte[]>> views, Consumer<ContainerListener> toldOfStart,
            Consumer<ContainerListener> toldOfStop) {
        return new ShareContainerRuntime<>(config, events -> CombinedShareEngines.of(config, events, views), toldOfStart,
                toldOfStop);
    }

    /** A share container over the engine that {@code engineFor} makes, given where its events go; tests give a stand-in. */
    ShareContainerRuntime(ShareContainerConfig<K, V> config, Function<ShareContainerEngine.Events, ShareContainerEngine> engineFor,
            Consumer<ContainerListener> toldOfStart, Consumer<ContainerListener> toldOfStop) {
        this.config = config;
        this.toldOfStart = toldOfStart;
        this.toldOfStop = toldOfStop;
        this.listeners = new Listeners(config.listeners());
        this.lifecycle = new ContainerLifecycle(config.name());
        this.inFlight = new InFlight(config.maxInFlight());
        this.outcomes = new ShareOutcomes<>(config, listeners, inFlight, lifecycle::isActive);
        this.engine = engineFor.apply(new Events());
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
                resources = ContainerResources.start(name(), config.concurrency(), config.virtualThreads(),
                        config.processingTimeout(), listeners);
                runner = new WorkRunner<>(handling(), outcomes, resources.workers, resources.timers, inFlight, listeners,
                        resources.watchdog, () -> lifecycle.failure() != null, () -> {
                        });
                engine.subscribe(config.topics());
            } catch (RuntimeException e) {
                lifecycle.fail("it did not start: " + e);
                log.error("Share container {} failed: {}", name(), lifecycle.failure());
                releaseResources();
                throw e;
            }
            // the one thread that is no daemon while the container runs: see ContainerThreads
            dispatcherThread = ContainerThreads.named("kafka-consumer-dispatch-" + name(), false).newThread(() -> {
                if (startEngine()) {
                    tickLoop();
                }
            });
            log.info("Share container {} started: share group {}, topics {}, concurrency {}, {} consumer(s), at most {} deliveries "
                    + "per record", name(), config.groupId(), config.topics(), config.concurrency(), config.consumers(),
                    config.maxDeliveries());
            listeners.startedThenStart(toldOfStart, lifecycle::isActive, dispatcherThread);
        }
    }

    /** What the runner runs and how: a share handler runs as a processor given the record's acknowledgement. */
    private Handling<K, V> handling() {
        RecordProcessor<K, V> processor = config.recordProcessor() != null ? config.recordProcessor()
                : ShareOutcomes.manual(config.shareHandler());
        return new Handling<>(name(), config.keyDeserializer(), config.valueDeserializer(), processor, null, config.interceptors(),
                config.retryPolicy(), config.concurrency(), !config.listeners().isEmpty());
    }

    /** Starts the engine on the dispatcher thread, so that {@code start()} never waits for it; true to go on. */
    private boolean startEngine() {
        try {
            engine.onRecords(this::recordsCame);
            inFlight.onRoom(this::roomCame);
            engine.start();
        } catch (ConsumerStoppedException e) {
            return false; // stopped meanwhile
        } catch (RuntimeException e) {
            fail("its engine did not start: " + e);
            return false;
        }
        if (!lifecycle.joined()) {
            return false;
        }
        engineStarted = true;
        return true;
    }

    /**
     * The dispatcher's loop once the engine runs: a take every {@link #TAKE_TIMEOUT}, in case no worker took since
     * (the first take, which asks the engine to poll; a take that failed and left records ready), until the
     * container stops. Records are taken by the workers themselves ({@link #take}), not here: a hand-over of every
     * record through a dispatcher thread cost B9 a thread switch per poll and the dispatcher's own CPU.
     */
    private void tickLoop() {
        while (lifecycle.isActive()) {
            take();
            synchronized (tick) {
                try {
                    if (lifecycle.isActive()) {
                        tick.wait(TAKE_TIMEOUT.toMillis());
                    }
                } catch (InterruptedException e) {
                    fail("its dispatcher was interrupted"); // ignored when the container stops
                    return;
                }
            }
        }
    }

    /** The engine says records came (on its I/O thread): a worker takes them. */
    private void recordsCame() {
        if (!engineStarted || !lifecycle.isActive()) {
            return;
        }
        try {
            runner.onWorker(this::take);
        } catch (RejectedExecutionException e) {
            // the container stops: nothing is taken any more
        }
    }

    /** Room came back in flight (on the thread that released records, a worker's mostly): take more there. */
    private void roomCame() {
        recordsCame();
    }

    /**
     * Takes what the engine has ready, within the in-flight bound, and hands it to the runner; on a worker (or the
     * dispatcher's tick), one thread at a time: a call while another takes makes that one take again. A take that
     * finds nothing asks the engine to poll, which tells {@link #recordsCame} when records come.
     */
    private void take() {
        takeAgain = true;
        while (takeAgain && taking.compareAndSet(false, true)) {
            try {
                takeAgain = false;
                takeReady();
            } finally {
                taking.set(false);
            }
        }
    }

    private void takeReady() {
        while (lifecycle.isActive()) {
            int room = inFlight.room();
            if (room == 0) {
                return; // taken again when room comes back
            }
            try {
                List<ShareContainerEngine.Acquired> taken = engine.getMany(Duration.ZERO, Math.min(room, TAKE_CHUNK));
                if (taken.isEmpty()) {
                    return; // the engine polls for more
                }
                dispatch(taken);
            } catch (ConsumerStoppedException e) {
                fail("its engine stopped: " + e.getMessage()); // ignored when the container stops
                return;
            } catch (KafkaException e) {
                log.warn("Share container {}: {}", name(), e.toString());
                return; // the dispatcher's tick takes again
            } catch (RuntimeException | Error e) {
                fail("its dispatcher failed: " + e);
                throw e;
            }
        }
    }

    private void dispatch(List<ShareContainerEngine.Acquired> taken) {
        inFlight.taken(taken.size());
        if (!config.listeners().isEmpty()) {
            Map<TopicPartition, Integer> byPartition = new LinkedHashMap<>();
            taken.forEach(acquired -> byPartition.merge(acquired.partition(), 1, Integer::sum));
            byPartition.forEach((partition, count) -> listeners.recordsTaken(name(), partition, count));
        }
        List<ShareDelivery> deliveries = new ArrayList<>(taken.size());
        for (ShareContainerEngine.Acquired acquired : taken) {
            deliveries.add(outcomes.deliver(acquired));
        }
        runner.submitAll(deliveries);
    }

    // ---------------------------------------------------------------- stop

    public void stop(Duration timeout) {
        synchronized (startStop) {
            ContainerLifecycle.Stop stop = lifecycle.stop();
            wakeDispatcher();
            switch (stop) {
                case NOTHING:
                    return;
                case RELEASE:
                    releaseResources();
                    return;
                case END_JOIN_AND_DRAIN:
                    // still starting its engine: nothing was taken, and stopping the engine ends the wait for it
                    engine.stop(timeout);
                    break;
                case DRAIN:
                    break;
            }
        }
        drainAndRelease(timeout);
    }

    /**
     * The stop of a started container: no record starts any more; the records being handled finish (and those held
     * for a manual acknowledgement or a recovery are acknowledged) within the timeout; then the engine stops, which
     * releases every record still acquired, so that other consumers get them at once, and sends the
     * acknowledgements it holds.
     */
    private void drainAndRelease(Duration timeout) {
        long deadline = System.nanoTime() + Durations.nanos(timeout);
        try {
            Thread thread = dispatcherThread;
            if (thread != null && thread != Thread.currentThread()) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            inFlight.awaitNone(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (inFlight.count() > 0) {
            log.warn("Share container {} stops with {} record(s) unacknowledged; the engine releases them for redelivery",
                    name(), inFlight.count());
        }
        releaseResources(Duration.ofMillis(Math.max(1000, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
        lifecycle.stopped();
        String failure = lifecycle.failure();
        log.info("Share container {} stopped{}", name(), failure == null ? "" : " (failed: " + failure + ")");
        listeners.each(toldOfStop);
    }

    private void releaseResources() {
        releaseResources(Duration.ofSeconds(30));
    }

    /** Stops the engine (idempotent), the threads and the recoverer. */
    private void releaseResources(Duration engineTimeout) {
        try {
            engine.stop(engineTimeout);
        } catch (RuntimeException e) {
            log.warn("Share container {}: its engine did not stop cleanly", name(), e);
        }
        ContainerResources.release(resources, name(), config.recoverer());
    }

    private void wakeDispatcher() {
        synchronized (tick) {
            tick.notifyAll();
        }
    }

    /** Stops the container in FAILED, from any thread, without waiting for it. */
    private void fail(String reason) {
        boolean stopIt = lifecycle.fail(reason);
        wakeDispatcher();
        log.error("Share container {} failed: {}", name(), reason);
        if (stopIt) {
            ContainerThreads.thread("kafka-consumer-stop-" + name(), false, () -> drainAndRelease(Duration.ofSeconds(30))).start();
        }
    }

    // ---------------------------------------------------------------- snapshot

    public ShareContainerSnapshot snapshot() {
        ShareEngineSnapshot counts = engineSnapshot();
        return new ShareContainerSnapshot(name(), config.groupId(), lifecycle.state(), config.topics(),
                counts == null ? 0 : counts.acquired(), inFlight.count(),
                counts == null ? Map.of() : counts.acknowledgements(), counts == null ? Map.of() : counts.deliveryCounts(),
                counts == null ? 0 : counts.lockExpirations(), outcomes.recovered(), Optional.ofNullable(lifecycle.failure()));
    }

    private ShareEngineSnapshot engineSnapshot() {
        try {
            return engine.snapshot();
        } catch (RuntimeException e) {
            log.debug("Share container {}: no engine snapshot: {}", name(), e.toString());
            return null;
        }
    }

    /** What the engine reports, passed on to the listeners and to the deliveries. */
    private final class Events implements ShareContainerEngine.Events {

        @Override
        public void acknowledged(TopicPartition partition, AcknowledgeType type, int count) {
            listeners.acknowledged(name(), partition, type, count);
        }

        @Override
        public void lockExpired(TopicPartition partition, long offset, int deliveryCount, Duration heldFor) {
            outcomes.lockExpired(partition, offset, deliveryCount);
            listeners.lockExpired(name(), partition, offset, deliveryCount);
        }
    }
}
