package dev.kafkaconsumer.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler driven by the test: tasks run when the test says so, and scheduled ones are kept with their delay, so
 * that waiting and expiry are tested without waiting. After {@link #shutdown()} it rejects tasks, as the engine's
 * callback scheduler does once the engine stopped.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final List<Runnable> tasks = new ArrayList<>();
    private final List<Scheduled> scheduled = new ArrayList<>();
    private final List<Thread> ranOn = new ArrayList<>();
    private boolean shutdown;

    record Scheduled(Runnable task, Duration delay) {
    }

    /** Runs the tasks submitted so far, on the calling thread; returns how many ran. */
    int runTasks() {
        List<Runnable> now = new ArrayList<>(tasks);
        tasks.clear();
        now.forEach(task -> {
            ranOn.add(Thread.currentThread());
            task.run();
        });
        return now.size();
    }

    /** The tasks scheduled so far, with their delays; they run only when the test runs them. */
    List<Scheduled> scheduled() {
        return scheduled;
    }

    int pendingTasks() {
        return tasks.size();
    }

    @Override
    public void execute(Runnable command) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        tasks.add(command);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        scheduled.add(new Scheduled(command, Duration.ofNanos(unit.toNanos(delay))));
        return null; // the code under test does not use it
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }
}
