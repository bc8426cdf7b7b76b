package dev.kafkaconsumer.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

import org.apache.kafka.common.errors.SerializationException;
import dev.kafkaconsumer.core.internal.Durations;

/**
 * How often, and after which pauses, a {@link ConsumerContainer} calls a failing handler again before
 * giving the record to its {@link Recoverer}. A retry waits without holding a worker thread, and
 * blocks only what must wait for the record: its key under {@link Ordering#KEY}, its partition under
 * {@link Ordering#PARTITION}, nothing else under {@link Ordering#UNORDERED}.
 *
 * <p>Not every failure deserves a retry: one that another call cannot cure (a value that cannot be
 * converted or deserialized, a {@link ClassCastException}) goes to the recoverer at once. An exception
 * is classified by the first of it and its causes, from the outside in, that is an instance of a
 * {@linkplain #retryable() retryable} type (retried) or a {@linkplain #notRetryable() not-retryable}
 * one (not retried), a retryable type winning over a not-retryable one at the same level; an exception
 * that matches neither is retried.
 *
 * @param maxAttempts    calls in all, the first included; 1 means no retry
 * @param initialBackoff the pause before the first retry
 * @param multiplier     how much each pause grows over the previous one; 1 for a fixed pause
 * @param maxBackoff     the longest pause
 * @param notRetryable   exception types that go to the recoverer without a retry
 * @param retryable      exception types that are retried even where a not-retryable type also matches
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff,
        Set<Class<? extends Throwable>> notRetryable, Set<Class<? extends Throwable>> retryable) {

    /**
     * The exceptions that no retry can cure, not retried by default: {@link SerializationException}
     * (kafka-clients' deserialization failures among them) and {@link ClassCastException}.
     */
    public static final Set<Class<? extends Throwable>> DEFAULT_NOT_RETRYABLE =
            Set.of(SerializationException.class, ClassCastException.class);

    /** Three attempts, pausing 100 ms then 200 ms. */
    public static final RetryPolicy DEFAULT = exponential(3, Duration.ofMillis(100), 2.0, Duration.ofSeconds(5));

    /**
     * Checks the values and copies the sets.
     *
     * @throws IllegalArgumentException for fewer than one attempt, a negative pause, or a multiplier below 1
     */
    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        notRetryable = Set.copyOf(Objects.requireNonNull(notRetryable, "notRetryable"));
        retryable = Set.copyOf(Objects.requireNonNull(retryable, "retryable"));
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("Back-off must not be negative, was " + initialBackoff + " / " + maxBackoff);
        }
        if (!(multiplier >= 1.0)) {
            throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
        }
    }

    /**
     * A policy that retries every exception but {@link #DEFAULT_NOT_RETRYABLE}.
     *
     * @param maxAttempts    calls in all, the first included; 1 means no retry
     * @param initialBackoff the pause before the first retry
     * @param multiplier     how much each pause grows over the previous one; 1 for a fixed pause
     * @param maxBackoff     the longest pause
     */
    public RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {
        this(maxAttempts, initialBackoff, multiplier, maxBackoff, DEFAULT_NOT_RETRYABLE, Set.of());
    }

    /**
     * No retry: the first failure goes to the recoverer.
     *
     * @return the policy
     */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO);
    }

    /**
     * The same pause before each retry.
     *
     * @param maxAttempts calls in all, the first included
     * @param backoff     the pause
     * @return the policy
     */
    public static RetryPolicy fixed(int maxAttempts, Duration backoff) {
        return new RetryPolicy(maxAttempts, backoff, 1.0, backoff);
    }

    /**
     * Pauses that grow by {@code multiplier}, up to {@code maxBackoff}.
     *
     * @param maxAttempts    calls in all, the first included
     * @param initialBackoff the first pause
     * @param multiplier     growth of each pause, at least 1
     * @param maxBackoff     the longest pause
     * @return the policy
     */
    public static RetryPolicy exponential(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier, maxBackoff);
    }

    /**
     * Returns this policy with more exception types that go to the recoverer without a retry.
     *
     * @param types exception types, added to {@link #notRetryable()}
     * @return the new policy
     */
    @SafeVarargs
    public final RetryPolicy withNotRetryable(Class<? extends Throwable>... types) {
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier, maxBackoff, union(notRetryable, types), retryable);
    }

    /**
     * Returns this policy with exception types that are retried even where a not-retryable type matches
     * too (to retry a {@link ClassCastException}, say).
     *
     * @param types exception types, added to {@link #retryable()}
     * @return the new policy
     */
    @SafeVarargs
    public final RetryPolicy withRetryable(Class<? extends Throwable>... types) {
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier, maxBackoff, notRetryable, union(retryable, types));
    }

    @SafeVarargs
    private static Set<Class<? extends Throwable>> union(Set<Class<? extends Throwable>> set, Class<? extends Throwable>... more) {
        Set<Class<? extends Throwable>> all = new LinkedHashSet<>(set);
        all.addAll(Arrays.asList(more));
        return all;
    }

    /**
     * Returns whether a failure with this exception may be retried; see the class description.
     *
     * @param failure the handler's exception
     * @return false when it goes to the recoverer without a retry
     */
    public boolean isRetryable(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable level = failure; level != null && seen.add(level); level = level.getCause()) {
            if (matches(retryable, level)) {
                return true;
            }
            if (matches(notRetryable, level)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(Set<Class<? extends Throwable>> types, Throwable failure) {
        for (Class<? extends Throwable> type : types) {
            if (type.isInstance(failure)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the pause before the given retry.
     *
     * @param failedAttempts how many calls failed so far, at least 1
     * @return the pause before the next call
     */
    public Duration backoffAfter(int failedAttempts) {
        double millis = Durations.millis(initialBackoff) * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
        return Duration.ofMillis((long) Math.min(millis, Durations.millis(maxBackoff)));
    }
}
