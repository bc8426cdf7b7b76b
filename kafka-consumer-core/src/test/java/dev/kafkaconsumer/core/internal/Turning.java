package dev.kafkaconsumer.core.internal;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * For tests that turn an I/O loop on their own thread: a call that waits for the loop runs on a caller thread while
 * the test thread turns the loop, until the call returns. Public for the share engine's tests ({@code internal.share}).
 */
public final class Turning {

    private Turning() {
    }

    /**
     * Makes {@code call} on a thread of {@code callers}, turning the loop with {@code turn} until it returns.
     *
     * @return what the call returned; what it threw is thrown as it was, a checked exception in a {@link CompletionException}
     */
    public static <T> T turning(ExecutorService callers, Runnable turn, Callable<T> call) {
        CompletableFuture<T> result = CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, callers);
        await().pollInSameThread().pollInterval(Duration.ofMillis(1)).until(() -> {
            turn.run();
            return result.isDone();
        });
        try {
            return result.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }
}
