package dev.kafkaconsumer.core.internal.container;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.Recoverer;

/**
 * What a container starts besides its engine and its dispatcher: its workers, its timer (retries, and commits of a
 * container that commits) and its processing watchdog; made when it starts, and released with its recoverer when it
 * stops, by either runtime ({@link ContainerRuntime}, {@link ShareContainerRuntime}). Immutable; the thread that
 * starts the container makes it, the thread that stops it releases it.
 */
final class ContainerResources {

    private static final Logger log = LoggerFactory.getLogger(ContainerResources.class);

    final ExecutorService workers;
    final ScheduledExecutorService timers;
    final ProcessingWatchdog watchdog;

    private ContainerResources(ExecutorService workers, ScheduledExecutorService timers, ProcessingWatchdog watchdog) {
        this.workers = workers;
        this.timers = timers;
        this.watchdog = watchdog;
    }

    /**
     * Starts a container's threads (see {@link ContainerThreads} for their names and which are daemons).
     *
     * @param container         the container's name
     * @param concurrency       how many workers
     * @param virtual           whether workers are virtual threads
     * @param processingTimeout the longest a handler call may take, or {@code null} for no limit (and no watchdog thread)
     * @param listener          told of handler calls over the limit
     * @return the threads, started
     * @throws IllegalStateException when virtual threads are asked for on a Java before 21
     */
    static ContainerResources start(String container, int concurrency, boolean virtual, Duration processingTimeout,
            ContainerListener listener) {
        ExecutorService workers = ContainerThreads.workers(container, concurrency, virtual);
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
                ContainerThreads.named("kafka-consumer-timer-" + container, true));
        ProcessingWatchdog watchdog = ProcessingWatchdog.of(container, processingTimeout, listener);
        watchdog.start();
        return new ContainerResources(workers, timers, watchdog);
    }

    /**
     * Stops the threads (without waiting for a handler that ignores interruption) and closes the recoverer; a container
     * that never started (or failed to) has no threads, only the recoverer to close.
     *
     * @param resources the threads, or {@code null} when none were started
     * @param container the container's name, for the log
     * @param recoverer the container's recoverer
     */
    static void release(ContainerResources resources, String container, Recoverer<?, ?> recoverer) {
        if (resources != null) {
            resources.timers.shutdownNow();
            resources.workers.shutdownNow();
            resources.watchdog.close();
        }
        try {
            recoverer.close();
        } catch (RuntimeException e) {
            log.warn("Container {}: the recoverer did not close cleanly", container, e);
        }
    }
}
