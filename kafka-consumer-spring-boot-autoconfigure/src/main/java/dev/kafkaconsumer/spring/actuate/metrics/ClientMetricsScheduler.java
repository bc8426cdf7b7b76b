package dev.kafkaconsumer.spring.actuate.metrics;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one scheduler behind the kafka-clients meters of every container. Micrometer's
 * {@code KafkaClientMetrics} starts a thread of its own for each client unless it is given a scheduler, and
 * when it is given one, its {@code close()} leaves the refresh task it scheduled running (it keeps no handle
 * on it), so the meters it just removed would come back at the next refresh. Each container therefore gets
 * a {@link Lease}: a view of the shared scheduler whose {@link Lease#shutdown()} cancels what was scheduled
 * through it and waits out a run in progress, without touching the shared scheduler.
 */
final class ClientMetricsScheduler implements AutoCloseable {

    /** The name of the thread of a scheduler this class creates. */
    static final String THREAD_NAME = "kafka-consumer-client-metrics";

    private static final Logger log = LoggerFactory.getLogger(ClientMetricsScheduler.class);

    private final ScheduledExecutorService executor;

    private final boolean owned;

    private ClientMetricsScheduler(ScheduledExecutorService executor, boolean owned) {
        this.executor = executor;
        this.owned = owned;
    }

    /**
     * A scheduler of its own: one daemon thread named {@value #THREAD_NAME}, started with the first task
     * and ended by {@link #close()}.
     *
     * @return the scheduler
     */
    static ClientMetricsScheduler create() {
        return new ClientMetricsScheduler(Executors.newSingleThreadScheduledExecutor((runnable) -> {
            Thread thread = new Thread(runnable, THREAD_NAME);
            // refreshing meters is no reason to keep the application alive
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, ex) -> log.error("Thread {} died", t.getName(), ex));
            return thread;
        }), true);
    }

    /**
     * The caller's scheduler, which {@link #close()} leaves running.
     *
     * @param executor the scheduler; its lifecycle is the caller's
     * @return the scheduler
     */
    static ClientMetricsScheduler over(ScheduledExecutorService executor) {
        return new ClientMetricsScheduler(Objects.requireNonNull(executor, "executor"), false);
    }

    /**
     * Returns a new view of the scheduler, for one client's meters.
     *
     * @return the lease
     */
    Lease lease() {
        return new Lease(this.executor);
    }

    /** Shuts the scheduler down if this class created it. */
    @Override
    public void close() {
        if (this.owned) {
            this.executor.shutdownNow();
        }
    }

    /**
     * A view of the shared scheduler for one client: tasks go to the shared scheduler, and
     * {@link #shutdown()} cancels those still scheduled, waits for one that is running, and keeps any from
     * running again. The shared scheduler is never shut down through a lease.
     */
    static final class Lease extends AbstractExecutorService implements ScheduledExecutorService {

        private final ScheduledExecutorService executor;

        /** Held while a task runs, so that a shutdown waits for it. */
        private final Object lock = new Object();

        private final Set<Future<?>> scheduled = ConcurrentHashMap.newKeySet();

        private volatile boolean shutdown;

        private Lease(ScheduledExecutorService executor) {
            this.executor = executor;
        }

        private Runnable guard(Runnable task) {
            return () -> {
                synchronized (this.lock) {
                    if (!this.shutdown) {
                        task.run();
                    }
                }
            };
        }

        private <V> Callable<V> guard(Callable<V> task) {
            return () -> {
                synchronized (this.lock) {
                    if (this.shutdown) {
                        throw new IllegalStateException("The client's metrics were closed");
                    }
                    return task.call();
                }
            };
        }

        private <F extends Future<?>> F track(F future) {
            this.scheduled.removeIf(Future::isDone);
            this.scheduled.add(future);
            if (this.shutdown) {
                // shut down while scheduling: do not leave this one behind
                future.cancel(false);
            }
            return future;
        }

        private void ensureOpen() {
            if (this.shutdown) {
                throw new RejectedExecutionException("The client's metrics were closed");
            }
        }

        @Override
        public void execute(Runnable command) {
            ensureOpen();
            this.executor.execute(guard(command));
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            ensureOpen();
            return track(this.executor.schedule(guard(command), delay, unit));
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            ensureOpen();
            return track(this.executor.schedule(guard(callable), delay, unit));
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            ensureOpen();
            return track(this.executor.scheduleAtFixedRate(guard(command), initialDelay, period, unit));
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
                TimeUnit unit) {
            ensureOpen();
            return track(this.executor.scheduleWithFixedDelay(guard(command), initialDelay, delay, unit));
        }

        /** Cancels this lease's tasks and waits for one that is running; the shared scheduler runs on. */
        @Override
        public void shutdown() {
            synchronized (this.lock) {
                // taking the lock waits for a task that is running; any later run sees the flag and does nothing
                this.shutdown = true;
            }
            this.scheduled.forEach((future) -> future.cancel(false));
            this.scheduled.clear();
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown();
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return this.shutdown;
        }

        @Override
        public boolean isTerminated() {
            return this.shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            // shutdown() returns only once no task of this lease runs
            return this.shutdown;
        }

    }

}
