package dev.kafkaconsumer.core.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's callback thread, {@code kafka-consumer-callbacks-<client.id>}, on which the futures it
 * returns complete (asynchronous gets and commits, and their expiry), never on the I/O thread, so that
 * dependent stages cannot stall fetching. Once the engine has stopped, completions run on the thread that
 * makes them.
 *
 * <p>Threads: any; the executor is thread-safe. Public for the share engine ({@code internal.share}), which
 * completes its futures and calls its listener on one the same way.
 */
public final class CallbackExecutor {

    private static final Logger log = LoggerFactory.getLogger(CallbackExecutor.class);

    private final ScheduledThreadPoolExecutor executor;

    public CallbackExecutor(String clientId) {
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "kafka-consumer-callbacks-" + clientId);
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, e) -> log.error("[{}] A callback failed on {}", clientId, t.getName(), e));
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    public ScheduledExecutorService executor() {
        return executor;
    }

    /** Runs a completion on the callback thread, or here once that thread has stopped with the engine. */
    public void run(Runnable completion) {
        try {
            executor.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run();
        }
    }

    public void shutdown() {
        executor.shutdown();
    }
}
