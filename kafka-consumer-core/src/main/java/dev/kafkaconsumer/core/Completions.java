package dev.kafkaconsumer.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Completion stages for handlers and recoverers that finish synchronously: an asynchronous
 * {@link RecordProcessor}, {@link BatchProcessor} or {@link Recoverer} that is done by the time it returns
 * returns {@link #DONE}, which costs nothing, and which the container recognises without a continuation.
 *
 * <pre>{@code
 * builder.processor((record, acknowledgement) -> {
 *     store(record.value());
 *     acknowledgement.acknowledge();
 *     return Completions.DONE;
 * });
 * }</pre>
 */
public final class Completions {

    /**
     * A stage completed with {@code null}. It cannot be completed again or obtruded, so one instance
     * serves every caller.
     */
    public static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

    private Completions() {
    }
}
