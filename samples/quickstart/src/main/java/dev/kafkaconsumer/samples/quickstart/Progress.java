package dev.kafkaconsumer.samples.quickstart;

import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import dev.kafkaconsumer.core.ContainerSnapshot;
import dev.kafkaconsumer.core.PartitionSnapshot;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Counts handled orders and logs a one-line summary every 5 seconds: records/s, total and lag (summed over
 * the partitions of the container's snapshot, read locally, without a request to the broker).
 */
@Component
final class Progress implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Progress.class);

    private static final long INTERVAL_SECONDS = 5;

    private final ConsumerContainerRegistry containers;

    private final LongAdder handled = new LongAdder();

    private final AtomicBoolean consuming = new AtomicBoolean();

    private ScheduledExecutorService scheduler;

    private long lastTotal;

    private long lastNanos;

    Progress(ConsumerContainerRegistry containers) {
        this.containers = containers;
    }

    void handled(String customer) {
        handled.increment();
        if (consuming.compareAndSet(false, true)) {
            log.info("Container orders is consuming (first order handled, for {})", customer);
        }
    }

    /**
     * Returns how many orders were handled since the start.
     *
     * @return the count
     */
    long total() {
        return handled.sum();
    }

    @Override
    public synchronized void start() {
        lastNanos = System.nanoTime();
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "quickstart-progress");
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, e) -> log.error("Uncaught exception on {}", t.getName(), e));
            return thread;
        });
        scheduler.scheduleAtFixedRate(this::reportQuietly, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    private void reportQuietly() {
        try {
            long now = System.nanoTime();
            long total = handled.sum();
            double perSecond = (total - lastTotal) * 1e9 / Math.max(1, now - lastNanos);
            lastTotal = total;
            lastNanos = now;
            ContainerSnapshot snapshot = containers.get("orders").snapshot();
            long lag = snapshot.partitions().stream().map(PartitionSnapshot::lag)
                    .filter(OptionalLong::isPresent).mapToLong(OptionalLong::getAsLong).sum();
            log.info(String.format("orders: %,6.0f records/s, %,9d handled, lag %,d over %d partitions, %d in flight (%s)",
                    perSecond, total, lag, snapshot.partitions().size(), snapshot.inFlight(), snapshot.state()));
        } catch (RuntimeException e) {
            log.warn("Could not report progress: {}", e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
