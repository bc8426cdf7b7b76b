package dev.kafkaconsumer.core.internal;

import java.time.Duration;

/**
 * Conversions of the durations users give (builders, timeouts of calls, Spring properties) to the
 * nanoseconds and milliseconds that deadlines are computed in, saturated rather than overflowing.
 *
 * <p>Why: a {@link Duration} goes far beyond what a {@code long} of nanoseconds holds (292 years), and
 * Spring binding accepts {@code 9223372036854775807ms} as readily as {@code 30s}; {@link Duration#toNanos()}
 * then throws and {@code now + nanos} wraps to the past. Such a value can only mean "for ever", so every
 * conversion is capped at {@link #FOREVER_NANOS}, about 73 years: far beyond any real wait, yet small enough
 * that a {@link System#nanoTime()} or a wall-clock millisecond plus it does not overflow.
 */
public final class Durations {

    /** The longest wait: a quarter of what a {@code long} of nanoseconds holds, about 73 years. */
    public static final long FOREVER_NANOS = Long.MAX_VALUE / 4;

    /** {@link #FOREVER_NANOS} in milliseconds. */
    public static final long FOREVER_MILLIS = FOREVER_NANOS / 1_000_000;

    private Durations() {
    }

    /** The duration in nanoseconds, at most {@link #FOREVER_NANOS}; negative durations count as zero. */
    public static long nanos(Duration duration) {
        if (duration.isNegative()) {
            return 0;
        }
        return duration.getSeconds() >= FOREVER_NANOS / 1_000_000_000 ? FOREVER_NANOS : duration.toNanos();
    }

    /** The duration in milliseconds, at most {@link #FOREVER_MILLIS}; negative durations count as zero. */
    public static long millis(Duration duration) {
        if (duration.isNegative()) {
            return 0;
        }
        return duration.getSeconds() >= FOREVER_MILLIS / 1_000 ? FOREVER_MILLIS : duration.toMillis();
    }
}
