package dev.kafkaconsumer.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Shared completion stages, so that a synchronous handler's success allocates nothing. */
public final class Stages {

    /**
     * A stage completed with {@code null}. It cannot be completed again or obtruded, so one instance
     * serves every caller.
     */
    public static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

    private Stages() {
    }
}
