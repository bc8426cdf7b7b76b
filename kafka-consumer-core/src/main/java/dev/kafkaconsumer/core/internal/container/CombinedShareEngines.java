package dev.kafkaconsumer.core.internal.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import dev.kafkaconsumer.core.AcquiredRecord;
import dev.kafkaconsumer.core.ShareEngineSnapshot;
import dev.kafkaconsumer.core.internal.share.Acquisition;

/**
 * Several share engines as one, for a share container with more than one consumer
 * ({@code ShareConsumerContainer.Builder#consumers}): each engine is a member of the share group with its own
 * {@code KafkaShareConsumer} and I/O thread, and the container's workers take from all of them.
 *
 * <p>Why: kafka-clients lets a share consumer in explicit acknowledgement mode poll again only once every record of its
 * last poll is acknowledged, so one consumer alternates between fetching and waiting for its records to be handled.
 * With two, one fetches while the other's records are handled.
 *
 * <p>A take ({@link #getMany}) goes round the engines, starting one further each time, and takes from each until it has
 * {@code maxRecords}: every engine found with nothing ready is thereby asked to poll, as a single engine is. Each record
 * is acknowledged through the engine that acquired it (its {@link Acquired} knows it), so nothing here routes
 * acknowledgements. Snapshots add up the engines' counts; metrics are the union of theirs (each engine has its own
 * {@code client-id}).
 *
 * <p>Threads: as {@link ShareContainerEngine}'s; the only state of its own is the turn, an atomic counter.
 */
final class CombinedShareEngines implements ShareContainerEngine {

    private final List<ShareContainerEngine> engines;
    private final String name;
    private final AtomicInteger turn = new AtomicInteger();

    /**
     * @param name    the container's name, for the threads that stop the engines
     * @param engines the engines, at least two, not started
     */
    CombinedShareEngines(String name, List<ShareContainerEngine> engines) {
        if (engines.size() < 2) {
            throw new IllegalArgumentException("CombinedShareEngines needs at least two engines, was given " + engines.size());
        }
        this.name = name;
        this.engines = List.copyOf(engines);
    }

    /**
     * The engine of a share container: one ({@link ShareContainerEngine#of}) for one consumer; for several, one per
     * consumer, each with its number after the {@code client.id} ({@link ShareContainerConfig#engineProperties(int)}),
     * as one.
     *
     * @param config the container's configuration
     * @param events told what the engines report
     * @param views  makes the application's view of a record
     * @return the engine, not started
     */
    static ShareContainerEngine of(ShareContainerConfig<?, ?> config, Events events,
            Function<Acquisition<byte[], byte[]>, AcquiredRecord<byte[], byte[]>> views) {
        if (config.consumers() == 1) {
            return ShareContainerEngine.of(config, config.engineProperties(), events, views);
        }
        List<ShareContainerEngine> engines = new ArrayList<>();
        for (int consumer = 1; consumer <= config.consumers(); consumer++) {
            engines.add(ShareContainerEngine.of(config, config.engineProperties(consumer), events, views));
        }
        return new CombinedShareEngines(config.name(), engines);
    }

    @Override
    public void subscribe(Collection<String> topics) {
        engines.forEach(engine -> engine.subscribe(topics));
    }

    /** Starts each engine in turn; when one fails to start, stops those started and throws its failure. */
    @Override
    public void start() {
        List<ShareContainerEngine> started = new ArrayList<>();
        try {
            for (ShareContainerEngine engine : engines) {
                engine.start();
                started.add(engine);
            }
        } catch (RuntimeException e) {
            stopAll(started, Duration.ofSeconds(30));
            throw e;
        }
    }

    /** Stops the engines at once, each within {@code timeout}, so that stopping several takes no longer than one. */
    @Override
    public void stop(Duration timeout) {
        stopAll(engines, timeout);
    }

    /** Stops each engine on a thread of its own but the first, which this thread stops; throws the first failure. */
    private void stopAll(List<ShareContainerEngine> toStop, Duration timeout) {
        Queue<RuntimeException> failures = new ConcurrentLinkedQueue<>();
        List<Thread> stoppers = new ArrayList<>();
        for (int i = 1; i < toStop.size(); i++) {
            ShareContainerEngine engine = toStop.get(i);
            Thread stopper = ContainerThreads.thread("kafka-consumer-stop-" + name + "-" + (i + 1), false,
                    () -> stopOne(engine, timeout, failures));
            stopper.start();
            stoppers.add(stopper);
        }
        if (!toStop.isEmpty()) {
            stopOne(toStop.get(0), timeout, failures);
        }
        boolean interrupted = false;
        for (Thread stopper : stoppers) {
            while (stopper.isAlive()) {
                try {
                    stopper.join();
                } catch (InterruptedException e) {
                    interrupted = true; // each engine stops within the timeout: wait for it, then keep the interrupt
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        RuntimeException failure = failures.poll();
        if (failure != null) {
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private static void stopOne(ShareContainerEngine engine, Duration timeout, Queue<RuntimeException> failures) {
        try {
            engine.stop(timeout);
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    @Override
    public boolean isRunning() {
        return engines.stream().allMatch(ShareContainerEngine::isRunning);
    }

    /**
     * Takes what the engines have ready, without waiting: a container takes with a zero timeout and is told when records
     * come ({@link #onRecords}).
     *
     * @throws IllegalArgumentException for a timeout other than zero
     */
    @Override
    public List<Acquired> getMany(Duration timeout, int maxRecords) {
        if (!timeout.isZero()) {
            throw new IllegalArgumentException("Several share engines are taken from without waiting; the timeout was " + timeout);
        }
        int first = Math.floorMod(turn.getAndIncrement(), engines.size());
        List<Acquired> taken = new ArrayList<>();
        for (int i = 0; i < engines.size() && taken.size() < maxRecords; i++) {
            taken.addAll(engines.get((first + i) % engines.size()).getMany(Duration.ZERO, maxRecords - taken.size()));
        }
        return taken;
    }

    @Override
    public void onRecords(Runnable listener) {
        engines.forEach(engine -> engine.onRecords(listener));
    }

    /** The engines' counts added up; their group, subscription and lock timeout are the same, so the first's are taken. */
    @Override
    public ShareEngineSnapshot snapshot() {
        List<ShareEngineSnapshot> snapshots = engines.stream().map(ShareContainerEngine::snapshot).toList();
        ShareEngineSnapshot first = snapshots.get(0);
        int acquired = 0;
        int handedOut = 0;
        long failures = 0;
        long expirations = 0;
        Map<AcknowledgeType, Long> acknowledgements = new EnumMap<>(AcknowledgeType.class);
        Map<Integer, Long> deliveryCounts = new HashMap<>();
        Optional<Duration> lockTimeout = Optional.empty();
        for (ShareEngineSnapshot snapshot : snapshots) {
            acquired += snapshot.acquired();
            handedOut += snapshot.handedOut();
            failures += snapshot.acknowledgementFailures();
            expirations += snapshot.lockExpirations();
            snapshot.acknowledgements().forEach((type, count) -> acknowledgements.merge(type, count, Long::sum));
            snapshot.deliveryCounts().forEach((count, records) -> deliveryCounts.merge(count, records, Long::sum));
            lockTimeout = lockTimeout.or(snapshot::acquisitionLockTimeout);
        }
        return new ShareEngineSnapshot(first.groupId(), first.subscription(), acquired, handedOut, acknowledgements, failures,
                expirations, deliveryCounts, lockTimeout);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        Map<MetricName, Metric> metrics = new HashMap<>();
        engines.forEach(engine -> metrics.putAll(engine.metrics()));
        return metrics;
    }
}
