package dev.kafkaconsumer.core.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Time;

/**
 * One operation that a caller asks of the consumer, run on the I/O thread, after Kafka's application
 * events: it carries its name (for messages), its {@link Deadline}, and the future that its caller waits
 * on. Each subclass is one operation ({@link OffsetCommands}, {@link SeekCommands},
 * {@link LookupCommands}, {@link SubscriptionCommands}).
 *
 * <p>Threads: created and awaited on caller threads; run, expired or failed on the I/O thread
 * ({@code kafka-consumer-io-<client.id>}), or run inline on it when a rebalance listener calls the
 * engine. Its state goes from queued to running, or from queued to not run (its caller gave up, its
 * deadline passed before the I/O thread reached it, or the engine stopped), by compare-and-set: a
 * command whose caller gave up is never run, and the caller knows whether it ran.
 *
 * @param <T> what the operation returns
 */
abstract class IoCommand<T> {

    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int NOT_RUN = 2;

    private final String name;
    private final Deadline deadline;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final AtomicInteger state = new AtomicInteger(QUEUED);

    /**
     * @param name     the operation and its arguments, as messages show it: {@code committed(t-0)}
     * @param deadline when the caller stops waiting; the documented timeout of the operation
     */
    IoCommand(String name, Deadline deadline) {
        this.name = name;
        this.deadline = deadline;
        result.whenComplete((value, error) -> wakeWaiter());
    }

    /**
     * The operation, on the I/O thread.
     *
     * @param timeout what is left until the deadline: the timeout of the consumer's own blocking calls
     */
    abstract T execute(IoContext io, Duration timeout);

    final String name() {
        return name;
    }

    final Deadline deadline() {
        return deadline;
    }

    final CompletableFuture<T> result() {
        return result;
    }

    /** Whether it never ran and never will: its caller gave up, its deadline passed, or the engine stopped. */
    final boolean notRun() {
        return state.get() == NOT_RUN;
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * Runs the operation on the I/O thread, unless its caller gave up or its deadline has passed (then it
     * fails with a {@link TimeoutException} without running). A {@link WakeupException} was meant for a poll:
     * the operation runs again. Never throws: the outcome, any {@link Throwable} included, goes to the future.
     */
    final void run(IoContext io) {
        long now = io.time().milliseconds();
        if (deadline.passed(now)) {
            fail(deadline.exceeded(name, ": the I/O thread reached it only then, so it was not run"));
            return;
        }
        if (!state.compareAndSet(QUEUED, RUNNING)) {
            return;
        }
        try {
            result.complete(executeThroughWakeups(io));
        } catch (Throwable e) {
            result.completeExceptionally(e);
        }
    }

    private T executeThroughWakeups(IoContext io) {
        while (true) {
            try {
                return execute(io, deadline.remaining(io.time().milliseconds(), io.config().defaultApiTimeout()));
            } catch (WakeupException e) {
                // meant for a poll; the wakeup is consumed, so the retry runs through
            }
        }
    }

    /** Fails the command if it has not started; for the engine's stop, and for expiry. */
    final void fail(RuntimeException error) {
        if (state.compareAndSet(QUEUED, NOT_RUN)) {
            result.completeExceptionally(error);
        }
    }

    /**
     * Waits, on a caller thread, until the command is done or its deadline has passed.
     *
     * @return its result
     * @throws TimeoutException when the deadline passed: naming the operation, and saying whether it was run
     * @throws InterruptException when the caller is interrupted (the command still runs)
     */
    final T await(Time time) {
        if (!deadline.await(time, this, result::isDone)) {
            fail(deadline.exceeded(name, ": the I/O thread did not reach it in time (a rebalance listener or another "
                    + "command held it), so it was not run"));
            if (!result.isDone()) {
                throw deadline.exceeded(name, "; it is running on the I/O thread and may still take effect");
            }
        }
        return resultOf(result);
    }

    private void wakeWaiter() {
        synchronized (this) {
            notifyAll();
        }
    }

    /**
     * Waits for {@code future} without a bound, rethrowing its failure as it was thrown: a
     * {@link RuntimeException} or {@link Error} as such, anything else in a {@link KafkaException}. For
     * futures that are done, or that the I/O thread ends by itself ({@link IoLoop#terminated()}).
     */
    static <T> T resultOf(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new KafkaException(cause);
        }
    }
}
