package dev.kafkaconsumer.core.internal;

import java.util.concurrent.TimeUnit;

/**
 * How long the {@link FetchPlan}'s hold may keep caught-up partitions from being fetched, so that no fetch waits at
 * the broker while a partition paused for space has records there.
 *
 * <p>Why hold at all: kafka-clients keeps one fetch request in flight per broker. When the only partitions left to
 * fetch have no records beyond their position, the broker keeps that request up to {@code fetch.max.wait.ms} before
 * it answers empty; a partition resumed meanwhile (its buffer drained) is fetched only after that answer. A drain of
 * a backlogged partition next to caught-up ones then pays up to {@code fetch.max.wait.ms} for every refill of its
 * buffer: measured on the in-process broker with two partitions, one backlogged and bounded at 64 KiB, and
 * {@code fetch.max.wait.ms=2000}, 2,111 ms instead of 214 ms.
 *
 * <p>What a hold costs: a record that arrives on a held partition waits for the hold's end. So a hold lasts at most
 * a tenth of {@code fetch.max.wait.ms} (it ends sooner, as soon as the backlogged partition is resumed), and after a
 * hold that ran its full course, the next may start only a whole {@code fetch.max.wait.ms} later: a caught-up
 * partition is held at most about a tenth of the time, and a record on it waits at most a tenth of
 * {@code fetch.max.wait.ms} more than it would have. Below one millisecond a hold is not worth its poll: with
 * {@code fetch.max.wait.ms} under 10 ms, nothing is held.
 *
 * <p>Threads: the I/O thread only, under the lock of {@link RecordBuffers} where it plans.
 */
final class FetchHold {

    private static final long MIN_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final long maxHoldNanos;
    private final long restNanos;
    private boolean holding;
    private long heldSince;
    private boolean resting;
    private long restUntil;

    /** @param fetchMaxWaitNanos the consumer's {@code fetch.max.wait.ms}, in nanoseconds */
    FetchHold(long fetchMaxWaitNanos) {
        this.maxHoldNanos = fetchMaxWaitNanos / 10;
        this.restNanos = fetchMaxWaitNanos;
    }

    /**
     * Whether the plan made now may hold partitions: a hold under way that has not run its course, or no hold under
     * way and no rest after one. A hold found to have run its course ends here, and the rest after it begins.
     */
    boolean mayHold(long nowNanos) {
        if (maxHoldNanos < MIN_HOLD_NANOS) {
            return false;
        }
        if (holding) {
            if (nowNanos - heldSince < maxHoldNanos) {
                return true;
            }
            holding = false;
            resting = true;
            restUntil = nowNanos + restNanos;
            return false;
        }
        if (resting && nowNanos - restUntil < 0) {
            return false;
        }
        resting = false;
        return true;
    }

    /** Notes whether the plan made now holds partitions: a hold starts, goes on, or ends before its course. */
    void planned(boolean holds, long nowNanos) {
        if (holds && !holding) {
            holding = true;
            heldSince = nowNanos;
        } else if (!holds) {
            holding = false;
        }
    }

    /** How long until the hold under way has run its course, at which time the I/O thread must plan again. */
    long nanosUntilRelease(long nowNanos) {
        return holding ? Math.max(0, heldSince + maxHoldNanos - nowNanos) : Long.MAX_VALUE;
    }
}
