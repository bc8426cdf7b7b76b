package dev.kafkaconsumer.core.internal;

/**
 * An error of the I/O thread (a failed poll: authentication, authorization, an undefined start point...) waiting to
 * be thrown to the application from its next get call, once. A second error before then is dropped, so that an
 * error the consumer repeats on every poll reaches the application once, not on every call.
 *
 * <p>Threads: offered by the I/O thread ({@code kafka-consumer-io-<id>}), thrown on an application thread taking
 * records. Not thread-safe: guarded by the lock of {@link RecordBuffers}.
 */
final class PendingError {

    private RuntimeException pending;

    /** Keeps {@code error} for the next get call; returns false, dropping it, when one is pending already. */
    boolean offer(RuntimeException error) {
        if (pending != null) {
            return false;
        }
        pending = error;
        return true;
    }

    /** Throws the pending error, if any, and forgets it. */
    void throwPending() {
        RuntimeException error = pending;
        if (error != null) {
            pending = null;
            throw error;
        }
    }
}
