package dev.kafkaconsumer.spring.actuate.lag;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.ContainerSnapshot;

/**
 * Feeds a {@link LagTracker} on its own named daemon thread ({@code kafka-consumer-lag-sampler}): every
 * interval it takes the snapshots of all containers, samples each, and forgets containers no longer there.
 * A failed round is logged and the next one runs. The sampler owns its thread and nothing else: closing it
 * stops sampling and leaves the tracker to its owner.
 */
public final class LagSampler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LagSampler.class);

    private final LagTracker tracker;

    private final Supplier<? extends Collection<ContainerSnapshot>> snapshots;

    private final Duration interval;

    private final Object lifecycle = new Object();

    private ScheduledExecutorService executor;

    /**
     * Creates a sampler, not yet started.
     *
     * @param tracker   the tracker to feed
     * @param snapshots the snapshots of all containers now; read without a request to the broker
     * @param interval  time between samples, positive
     */
    public LagSampler(LagTracker tracker, Supplier<? extends Collection<ContainerSnapshot>> snapshots, Duration interval) {
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("The lag sample interval must be positive, was " + interval
                    + "; set kafka.consumer.lag.sample-interval");
        }
        this.interval = interval;
    }

    /** Takes a sample now and then every interval. Idempotent. */
    public void start() {
        synchronized (this.lifecycle) {
            if (this.executor != null) {
                return;
            }
            this.executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
                Thread thread = new Thread(runnable, "kafka-consumer-lag-sampler");
                thread.setDaemon(true);
                thread.setUncaughtExceptionHandler((t, ex) -> log.error("Thread {} died", t.getName(), ex));
                return thread;
            });
            long millis = this.interval.toMillis();
            this.executor.scheduleWithFixedDelay(this::sampleQuietly, 0, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Samples every container once, on the caller's thread. */
    public void sampleNow() {
        List<ContainerSnapshot> taken = List.copyOf(this.snapshots.get());
        taken.forEach(this.tracker::sample);
        this.tracker.retain(taken.stream().map(ContainerSnapshot::name).toList());
    }

    private void sampleQuietly() {
        try {
            sampleNow();
        }
        catch (Throwable ex) {
            // a failed round must not end the schedule, which would freeze every lag silently
            log.warn("Lag sampling failed; trying again in {}", this.interval, ex);
        }
    }

    /** Stops sampling. Idempotent. */
    @Override
    public void close() {
        synchronized (this.lifecycle) {
            if (this.executor != null) {
                this.executor.shutdownNow();
                this.executor = null;
            }
        }
    }

}
