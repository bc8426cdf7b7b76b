package dev.kafkaconsumer.core.internal;

import java.util.concurrent.TimeUnit;

/**
 * How long the {@link FetchPlan}'s hold may keep caught-up partitions from being fetched, and which partitions count as
 * caught up, so that no fetch waits at the broker while a partition paused for space has records there.
 *
 * <p>Why hold at all: kafka-clients keeps one fetch request in flight per broker. When the only partitions in a fetch
 * have no records beyond their position, the broker keeps that request up to {@code fetch.max.wait.ms} before it
 * answers empty; a partition resumed meanwhile (its buffer drained) is fetched only after that answer. A drain of a
 * backlogged partition next to caught-up ones then pays up to {@code fetch.max.wait.ms} for every refill of its
 * buffer: measured on the in-process broker with two partitions, one backlogged and bounded at 64 KiB, and
 * {@code fetch.max.wait.ms=2000}, 2,111 ms instead of 214 ms.
 *
 * <p>Which partitions: those with no more records at the broker than one poll of the I/O thread hands out
 * ({@link #nearlyCaughtUp}). kafka-clients sends the next fetch from inside {@code poll}, before it returns, for the
 * partitions that are not paused and of which it holds no fetched records; a partition whose last fetched records that
 * poll hands out is caught up by then and goes into that fetch. Counted as caught up before the poll, it is held with
 * the others, and its last records wait for the hold's end (they are fetched already, so nothing else waits for them).
 *
 * <p>How long: a hold ends as soon as a plan holds nothing (a take frees the backlogged partition's space, or it has no
 * records at the broker any more), and at the latest after {@code fetch.max.wait.ms}. A record arriving on a held
 * partition waits at most {@code fetch.max.wait.ms} longer than it would have: the wait that the fetch of the held
 * partitions would otherwise have cost the backlogged partition. A hold that ran its whole course shows that the
 * backlogged partition drains slowly (its application takes less than a buffer's worth in {@code fetch.max.wait.ms}),
 * so that a fetch waiting at the broker costs it little while holding costs the others latency: none starts again for
 * ten times {@code fetch.max.wait.ms} (a held partition then waits longer about one time in eleven at most). In a fast
 * drain holds end well before their course, and the next may start at once. A first version held for a tenth of
 * {@code fetch.max.wait.ms}, then none for a whole {@code fetch.max.wait.ms}; in B10 (a million records, 6 partitions,
 * each worker busy) its fetches of caught-up partitions, sent during those rests, stalled every drain for 300–600 ms
 * ({@code benchmarks/results/issue-17/b10-timeline-2026-12-06-night.md}); with this rule, one drain of twenty-one
 * stalled, for 250 ms. With a {@code fetch.max.wait.ms} under a millisecond nothing is held.
 *
 * <p>Threads: the I/O thread only, under the lock of {@link RecordBuffers} where it plans.
 */
final class FetchHold {

    private static final long MIN_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** How many times {@code fetch.max.wait.ms} no hold starts after one that ran its whole course. */
    private static final int REST_AFTER_FULL_HOLD = 10;

    private final long maxHoldNanos;
    private final long restNanos;
    private final long nearlyCaughtUp;
    private boolean holding;
    private long heldSince;
    private boolean resting;
    private long restUntil;

    /**
     * @param fetchMaxWaitNanos the consumer's {@code fetch.max.wait.ms}, in nanoseconds
     * @param recordsPerPoll    the most records one poll of the I/O thread hands out
     */
    FetchHold(long fetchMaxWaitNanos, long recordsPerPoll) {
        this.maxHoldNanos = fetchMaxWaitNanos;
        this.restNanos = REST_AFTER_FULL_HOLD * fetchMaxWaitNanos;
        this.nearlyCaughtUp = recordsPerPoll;
    }

    /**
     * The most records a partition may have at the broker and still count as caught up: what one poll of the I/O thread
     * may hand out.
     */
    long nearlyCaughtUp() {
        return nearlyCaughtUp;
    }

    /**
     * Whether the plan made now may hold partitions: a hold under way that has not run its course, or no hold under way
     * and no rest after one that did. A hold found to have run its course ends here, and the rest after it begins.
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

    /** Notes whether the plan made now holds partitions: a hold starts, goes on, or ends. */
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
