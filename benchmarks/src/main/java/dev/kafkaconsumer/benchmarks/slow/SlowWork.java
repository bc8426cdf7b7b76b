package dev.kafkaconsumer.benchmarks.slow;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.kafkaconsumer.benchmarks.harness.HandlerMeter;
import dev.kafkaconsumer.benchmarks.harness.RecordWork;

/**
 * B3's handler: waits the record's simulated I/O time ({@link SlowRecords#delayOf}) without using a CPU
 * ({@link LockSupport#parkNanos}, as a thread blocked on a socket would), then counts the record. Records
 * of one partition may be handled on several threads at once, so it counts with
 * {@link HandlerMeter#countShared}.
 *
 * <p>It also checks the order every contender promises (at least key order within a partition): a
 * contender that ran two records of one key at once, or one before an earlier one, would be faster for
 * the wrong reason. Violations are counted, not thrown, so that the drain still ends; the harness fails
 * the run when {@link #violations()} is not zero. One instance per run.
 */
final class SlowWork implements RecordWork {

    /** A key within its partition, the unit of order. */
    private record Lane(int partition, ByteBuffer key) {
    }

    private final LongConsumer waiter;
    private final Map<Lane, Long> lastDone = new ConcurrentHashMap<>();
    private final Set<Lane> running = ConcurrentHashMap.newKeySet();
    /** Handler nanoseconds of each lane and of each partition: the run's own chains ({@link #floor()}). */
    private final Map<Lane, AtomicLong> laneNanos = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> partitionNanos = new ConcurrentHashMap<>();
    private final AtomicLong totalNanos = new AtomicLong();
    private final AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastEnd = new AtomicLong(Long.MIN_VALUE);
    /** Per thread that ran a handler call: its first start, its last end and the sum of its gaps between calls. */
    private final Map<Thread, long[]> threads = new ConcurrentHashMap<>();
    private final AtomicLong violations = new AtomicLong();
    private final AtomicReference<String> firstViolation = new AtomicReference<>();

    /** Waits each record's delay with {@link #waitFor}. */
    SlowWork() {
        this(SlowWork::waitFor);
    }

    /** @param waiter waits the given nanoseconds; tests pass one they control */
    SlowWork(LongConsumer waiter) {
        this.waiter = waiter;
    }

    @Override
    public Consumer<ConsumerRecord<byte[], byte[]>> handler(HandlerMeter meter) {
        return record -> {
            handle(record);
            meter.countShared(record);
        };
    }

    /** Waits the record's delay, checking key order around it. */
    void handle(ConsumerRecord<byte[], byte[]> record) {
        Lane lane = new Lane(record.partition(), ByteBuffer.wrap(record.key() == null ? new byte[0] : record.key()));
        boolean alone = running.add(lane);
        if (!alone) {
            violation(record, "ran while another record of its key was running");
        }
        try {
            Long last = lastDone.get(lane);
            if (last != null && last >= record.offset()) {
                violation(record, "ran after offset " + last + " of its key");
            }
            long start = System.nanoTime();
            waiter.accept(SlowRecords.delayOf(record));
            long end = System.nanoTime();
            lastDone.merge(lane, record.offset(), Math::max);
            timed(lane, start, end);
        } finally {
            if (alone) {
                running.remove(lane);
            }
        }
    }

    private void timed(Lane lane, long start, long end) {
        long nanos = end - start;
        laneNanos.computeIfAbsent(lane, l -> new AtomicLong()).addAndGet(nanos);
        partitionNanos.computeIfAbsent(lane.partition(), p -> new AtomicLong()).addAndGet(nanos);
        totalNanos.addAndGet(nanos);
        firstStart.accumulateAndGet(start, Math::min);
        lastEnd.accumulateAndGet(end, Math::max);
        // only this thread writes its entry; floor() reads it once the drain has ended
        long[] thread = threads.computeIfAbsent(Thread.currentThread(), t -> new long[] {start, start, 0});
        thread[2] += start - thread[1];
        thread[1] = end;
    }

    /**
     * The floor the handler calls so far set, from the time each really took (its wait, as {@code parkNanos} kept it,
     * and the order check around it); call once the drain has ended.
     *
     * @return the run's longest chains, total handler time and how its threads spent the time; {@link HandlerFloor#NONE}
     *         before any record
     */
    HandlerFloor floor() {
        long keyChain = laneNanos.values().stream().mapToLong(AtomicLong::get).max().orElse(0);
        long partitionChain = partitionNanos.values().stream().mapToLong(AtomicLong::get).max().orElse(0);
        long first = firstStart.get();
        if (first == Long.MAX_VALUE) {
            return HandlerFloor.NONE;
        }
        long last = lastEnd.get();
        long late = 0;
        long gaps = 0;
        long early = 0;
        for (long[] thread : threads.values()) {
            late += thread[0] - first;
            gaps += thread[2];
            early += last - thread[1];
        }
        return new HandlerFloor(keyChain, partitionChain, totalNanos.get(), first, last, threads.size(), late, gaps, early);
    }

    /** Whether a record of this key of this partition is being handled now. */
    boolean running(int partition, byte[] key) {
        return running.contains(new Lane(partition, ByteBuffer.wrap(key)));
    }

    /** How many records ran out of key order. */
    long violations() {
        return violations.get();
    }

    /** What the first violation was, or null. */
    String firstViolation() {
        return firstViolation.get();
    }

    private void violation(ConsumerRecord<byte[], byte[]> record, String what) {
        violations.incrementAndGet();
        String key = record.key() == null ? "null" : new String(record.key(), StandardCharsets.UTF_8);
        firstViolation.compareAndSet(null, "offset " + record.offset() + " of partition " + record.partition() + " (key "
                + key + ") " + what);
    }

    /** Serial handling of every record takes records × 2.5 ms on average; allow twice the worst case. */
    @Override
    public long timeoutSeconds(long records) {
        return 60 + records * SlowRecords.MAX_DELAY_NANOS * 2 / 1_000_000_000L;
    }

    /** Parks until {@code nanos} have passed; parkNanos may return early, so it parks again for the rest. */
    static void waitFor(long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
