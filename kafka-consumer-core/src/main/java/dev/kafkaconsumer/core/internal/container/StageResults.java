package dev.kafkaconsumer.core.internal.container;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import dev.kafkaconsumer.core.Completions;

/**
 * Reads the stages that handlers and recoverers return, without a continuation where they completed
 * already: the common, synchronous case. Stateless; any thread.
 */
final class StageResults {

    private StageResults() {
    }

    /**
     * Whether the stage is complete already. Only {@code null}, {@link Completions#DONE} and a plain
     * {@code CompletableFuture} are asked; other stages (a minimal stage throws when asked) take the
     * continuation.
     */
    static boolean isDone(CompletionStage<?> stage) {
        return stage == null || stage == Completions.DONE
                || stage.getClass() == CompletableFuture.class && ((CompletableFuture<?>) stage).isDone();
    }

    /** The failure of a stage that {@link #isDone(CompletionStage)}, or null when it completed normally. */
    static Throwable failureOf(CompletionStage<?> stage) {
        if (stage == null || stage == Completions.DONE || !((CompletableFuture<?>) stage).isCompletedExceptionally()) {
            return null;
        }
        try {
            ((CompletableFuture<?>) stage).join();
            return null;
        } catch (CompletionException | CancellationException e) {
            return unwrap(e);
        }
    }

    /** The failure inside the wrappers that stages add. */
    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
