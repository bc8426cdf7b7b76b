package dev.kafkaconsumer.core.internal;

import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the I/O thread's errors go to reach the application: to a {@code start()} that waits for the
 * first assignment, or else to the next get call (a waiting asynchronous get included), which throws it.
 *
 * <p>A {@link Throwable} that is not a {@link RuntimeException} (an {@link Error} such as
 * {@link OutOfMemoryError} or {@link StackOverflowError}, thrown by a deserializer, an interceptor or a
 * rebalance listener) travels wrapped in a {@link KafkaException} whose cause it is: get callers learn
 * of it without an {@code Error} being thrown on their threads.
 *
 * <p>Threads: the I/O thread only.
 */
final class ErrorChannel {

    private static final Logger log = LoggerFactory.getLogger(ErrorChannel.class);

    private final GroupJoin join;
    private final RecordBuffers<?, ?> buffers;
    private final PendingGets<?, ?> pendingGets;
    private final String clientId;

    ErrorChannel(GroupJoin join, RecordBuffers<?, ?> buffers, PendingGets<?, ?> pendingGets, String clientId) {
        this.join = join;
        this.buffers = buffers;
        this.pendingGets = pendingGets;
        this.clientId = clientId;
    }

    /** Hands {@code error} to the waiting start, or else to the next get call. */
    void deliver(RuntimeException error) {
        if (join.fail(error)) {
            return; // start() throws it; the loop keeps trying, and later errors go to the get calls
        }
        if (buffers.setPendingError(error)) {
            pendingGets.serve();
        }
    }

    /**
     * Logs and delivers an error that the loop did not expect, from its own code or from a user callback it
     * called; the loop goes on.
     *
     * @param where what threw: "the I/O loop", "the rebalance listener's onPartitionsRevoked"
     */
    void unexpected(Throwable error, String where) {
        log.error("[{}] {} threw; the I/O thread reports it and goes on", clientId, where, error);
        deliver(error instanceof RuntimeException runtime ? runtime
                : new KafkaException(where + " threw " + error + "; the consumer engine goes on", error));
    }
}
