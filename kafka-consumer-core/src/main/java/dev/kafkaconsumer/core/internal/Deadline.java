package dev.kafkaconsumer.core.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.Time;

/**
 * The moment by which an operation must be done, with the timeout it came from, for the message that says
 * it was not. As in Kafka's application events, the deadline is absolute, in {@link Time#milliseconds()}
 * of the engine's clock, so that it holds across the queue and the I/O thread; waits go through
 * {@link Time#waitObject}, so that a test's clock decides when a wait ends. Immutable; any thread. Public for the
 * share engine's commands ({@code internal.share}).
 */
public final class Deadline {

    private final long deadlineMs;
    private final Duration timeout;
    private final String source;

    private Deadline(long deadlineMs, Duration timeout, String source) {
        this.deadlineMs = deadlineMs;
        this.timeout = timeout;
        this.source = source;
    }

    /**
     * A deadline {@code timeout} from now.
     *
     * @param source what set the timeout, for messages: a property name, or "the given timeout"
     */
    public static Deadline after(Time time, Duration timeout, String source) {
        long now = time.milliseconds();
        long millis = Durations.millis(timeout);
        return new Deadline(now > Long.MAX_VALUE - millis ? Long.MAX_VALUE : now + millis, timeout, source);
    }

    /** No deadline: for operations whose caller does not wait (their futures complete when the broker answers). */
    static Deadline none() {
        return new Deadline(Long.MAX_VALUE, null, "no deadline");
    }

    long deadlineMs() {
        return deadlineMs;
    }

    public boolean passed(long nowMs) {
        return nowMs >= deadlineMs;
    }

    /** What is left of the time, zero once passed; the timeout itself for no deadline. */
    Duration remaining(long nowMs, Duration whenNone) {
        if (timeout == null) {
            return whenNone;
        }
        return Duration.ofMillis(Math.max(0, deadlineMs - nowMs));
    }

    /** "60000 ms (default.api.timeout.ms)". */
    String describe() {
        return timeout == null ? source : Durations.millis(timeout) + " ms (" + source + ")";
    }

    /** The exception for {@code operation} not done in time, with {@code detail} saying what became of it. */
    public TimeoutException exceeded(String operation, String detail) {
        return new TimeoutException(operation + " did not complete within " + describe() + detail);
    }

    /**
     * Waits on the clock until {@code done} or the deadline; whoever makes {@code done} true must notify
     * {@code monitor}. Called on a caller thread.
     *
     * @return whether it is done
     * @throws InterruptException when the thread is interrupted, its interrupt flag set again
     */
    public boolean await(Time time, Object monitor, BooleanSupplier done) {
        try {
            time.waitObject(monitor, done::getAsBoolean, deadlineMs);
            return true;
        } catch (TimeoutException e) {
            return done.getAsBoolean();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }
}
