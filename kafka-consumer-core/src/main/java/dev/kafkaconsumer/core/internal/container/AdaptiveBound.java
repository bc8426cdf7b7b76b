package dev.kafkaconsumer.core.internal.container;

import java.util.concurrent.TimeUnit;

/**
 * A container's default in-flight bound, which follows what its handlers do: between {@code low} and {@code high}
 * records, enough for about {@link #WINDOW_NANOS} of handling at the rate records were handled lately, and no more than
 * {@code maxBytes} holds of keys and values of the sizes taken lately (but never fewer than the records handled at
 * once).
 *
 * <p>Why it moves: the dispatcher takes again once half the bound is free. Fast handlers on a busy machine finish a
 * small half before the woken dispatcher gets a core, and run dry: B2 and B10 spent a quarter more CPU in the workers
 * and half again in the dispatcher with 2,000 than with 8,000, and B10 drained 4–8 % slower. Slow handlers lose with a
 * large bound instead: B3 (six partitions, handlers of 0–5 ms) ended 0.05 × its floor later with 8,000 than with
 * 2,000 (benchmarks/results/issue-17/in-flight-default-2026-12-07.md). A bound of records alone would also let
 * thousands of records of a megabyte into memory.
 *
 * <p>Why the rate handled, not the rate taken: a container's first takes fill the bound within milliseconds, which
 * would look like a fast handler. The dispatcher counts what was handled as what it took less what is in flight.
 *
 * <p>Threads: the dispatcher only, which tells it of each take ({@link #handled}, {@link #sampled}) and sets the bound of
 * {@link InFlight} from what it returns.
 */
final class AdaptiveBound {

    /** How much handling the bound holds, at the rate records were handled lately. */
    static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** The least time over which a rate is measured: takes come in bursts. */
    static final long MEASURE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final int low;
    private final int high;
    private final int concurrency;
    private final long maxBytes;
    /** Records handled a second, an average over the last few measures; negative until measured. */
    private double recordsPerSecond = -1;
    /** Key and value bytes of a record, an average over the last few samples; negative until sampled. */
    private double bytesPerRecord = -1;
    private long markNanos;
    private boolean marked;
    private long handledAtMark;

    /**
     * @param low         the bound while the rate is unknown or slow, at least 1
     * @param high        the most the bound grows to, at least {@code low}
     * @param concurrency the records handled at once: the bound is never below it for large records
     * @param maxBytes    the most key and value bytes in flight; 0 for no bound by bytes
     */
    AdaptiveBound(int low, int high, int concurrency, long maxBytes) {
        this.low = low;
        this.high = high;
        this.concurrency = Math.max(1, concurrency);
        this.maxBytes = maxBytes;
    }

    /** The bound before anything was taken. */
    int initial() {
        return bound();
    }

    /**
     * At a take, {@code total} records had been handled (taken and no longer in flight) since the container started.
     *
     * @return the bound now
     */
    int handled(long total, long nowNanos) {
        if (!marked) {
            marked = true;
            markNanos = nowNanos;
            handledAtMark = total;
            return bound();
        }
        long elapsed = nowNanos - markNanos;
        if (elapsed >= MEASURE_NANOS) {
            double rate = (total - handledAtMark) * 1e9 / elapsed;
            recordsPerSecond = recordsPerSecond < 0 ? rate : recordsPerSecond + (rate - recordsPerSecond) / 4;
            markNanos = nowNanos;
            handledAtMark = total;
        }
        return bound();
    }

    /**
     * A record just taken has {@code recordBytes} of key and value (the dispatcher samples the last record of each
     * partition of a take, so that it reads no other record).
     *
     * @return the bound now
     */
    int sampled(long recordBytes) {
        if (maxBytes > 0) {
            // one large record among small ones moves the average little
            bytesPerRecord = bytesPerRecord < 0 ? recordBytes : bytesPerRecord + (recordBytes - bytesPerRecord) / 8;
        }
        return bound();
    }

    private int bound() {
        long byRate = recordsPerSecond < 0 ? low
                : Math.max(low, Math.min(high, (long) (recordsPerSecond * WINDOW_NANOS / 1e9)));
        long byBytes = maxBytes == 0 || bytesPerRecord < 0 ? high : (long) (maxBytes / Math.max(1.0, bytesPerRecord));
        return (int) Math.max(Math.min(high, concurrency), Math.min(byRate, byBytes));
    }
}
