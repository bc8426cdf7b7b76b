package dev.kafkaconsumer.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How often, and after which pauses, a {@link ConsumerContainer} calls a failing handler again before
 * giving the record to its {@link Recoverer}. A retry waits without holding a worker thread, and
 * blocks only what must wait for the record: its key under {@link Ordering#KEY}, its partition under
 * {@link Ordering#PARTITION}, nothing else under {@link Ordering#UNORDERED}.
 *
 * @param maxAttempts    calls in all, the first included; 1 means no retry
 * @param initialBackoff the pause before the first retry
 * @param multiplier     how much each pause grows over the previous one; 1 for a fixed pause
 * @param maxBackoff     the longest pause
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {

    /** Three attempts, pausing 100 ms then 200 ms. */
    public static final RetryPolicy DEFAULT = exponential(3, Duration.ofMillis(100), 2.0, Duration.ofSeconds(5));

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException for fewer than one attempt, a negative pause, or a multiplier below 1
     */
    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
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
     * Returns the pause before the given retry.
     *
     * @param failedAttempts how many calls failed so far, at least 1
     * @return the pause before the next call
     */
    public Duration backoffAfter(int failedAttempts) {
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
        return Duration.ofMillis((long) Math.min(millis, maxBackoff.toMillis()));
    }
}
