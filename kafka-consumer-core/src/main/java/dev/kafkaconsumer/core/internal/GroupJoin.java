package dev.kafkaconsumer.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.Time;

import dev.kafkaconsumer.core.ConsumerStoppedException;

/**
 * The first assignment that {@code start()} waits for under a topic or pattern subscription: it completes
 * with the first assignment (even an empty one), fails with the consumer's error when one comes first (a
 * wrong password, a missing permission), and fails with {@link ConsumerStoppedException} on stop.
 *
 * <p>Threads: {@link #expect()} and {@link #await} on the thread that calls {@code start()}; the rest on
 * the I/O thread. A {@link CompletableFuture} and a volatile flag; waiters are woken through this object's
 * monitor, as {@link Time#waitObject} wants.
 */
final class GroupJoin {

    private final CompletableFuture<Void> assigned = new CompletableFuture<>();
    private volatile boolean expected;

    GroupJoin() {
        assigned.whenComplete((ignored, error) -> {
            synchronized (this) {
                notifyAll();
            }
        });
    }

    /** Notes that {@code start()} will wait for the first assignment; before the I/O thread starts. */
    void expect() {
        expected = true;
    }

    /** The first assignment came. */
    void assigned() {
        assigned.complete(null);
    }

    /**
     * Hands a consumer error to a {@code start()} that waits for the first assignment, so that a consumer
     * that cannot join says why at once instead of after {@code default.api.timeout.ms}.
     *
     * @return whether the waiting start takes the error; false when nobody waits or the group was joined
     */
    boolean fail(RuntimeException error) {
        return expected && assigned.completeExceptionally(error);
    }

    /** The engine stopped: a start still waiting fails. */
    void stopped() {
        assigned.completeExceptionally(CommandQueue.stopped());
    }

    /**
     * Waits, on the caller's thread, for the first assignment until {@code deadline}.
     *
     * @param joining what is awaited, for messages: "join group g"
     * @throws TimeoutException        when the deadline passed; the engine keeps trying in the background
     * @throws KafkaException          the consumer's error, when one came first
     * @throws ConsumerStoppedException when the engine stopped first
     */
    void await(Time time, Deadline deadline, String joining) {
        if (!deadline.await(time, this, assigned::isDone)) {
            throw new TimeoutException("The consumer did not " + joining + " within " + deadline.describe()
                    + "; it keeps trying in the background");
        }
        try {
            assigned.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KafkaException error && !(error instanceof ConsumerStoppedException)) {
                // the consumer failed before joining (authentication, authorization); it keeps trying
                throw error;
            }
            throw new ConsumerStoppedException("The consumer engine stopped before it could " + joining);
        }
    }
}
