package dev.kafkaconsumer.core.internal.container;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.internal.Durations;

/**
 * Enforces a container's processing timeout without touching the per-record path beyond two field
 * writes: each worker thread owns one {@link Slot} in which it notes the record it is handling and
 * when it started ({@link #started}), and clears it when the handler call returns ({@link #finished}).
 * One named daemon thread per container scans the slots a few times per timeout; a call over the
 * timeout is reported (a WARN with the record, the worker's name and its stack, and
 * {@link ContainerListener#processingTimedOut}) and its worker is interrupted once, so that a handler
 * blocked in interruptible I/O fails and goes through the retry policy and the recoverer. Nothing is
 * lost: the record is not done, so not committed, until the handler returns or the recoverer takes it.
 *
 * <p>The interrupt can never reach a later record: the scanner claims the slot (a compare-and-set on
 * its start time) before it interrupts, and {@link #finished} clears the thread's interrupt flag when
 * the claim won. Only the synchronous part of a handler call is watched: the stage of an asynchronous
 * handler runs on threads the container does not own.
 */
final class ProcessingWatchdog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProcessingWatchdog.class);
    /** No call in the slot. */
    private static final long IDLE = 0;
    /** The scanner claimed the slot and is interrupting its thread. */
    private static final long INTERRUPTING = -1;
    /** The scanner interrupted the slot's thread; the call still runs. */
    private static final long INTERRUPTED = -2;
    private static final ProcessingWatchdog DISABLED = new ProcessingWatchdog(null, null, null);

    private final String container;
    private final Duration timeout;
    private final ContainerListener listener;
    private final ConcurrentLinkedQueue<Slot> slots = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Slot> own = ThreadLocal.withInitial(this::register);
    private final AtomicLong timeouts = new AtomicLong();
    /** Start times are kept relative to this, so that they are positive and never collide with the markers. */
    private final long origin = System.nanoTime() - 1;
    private ScheduledExecutorService scanner;

    private ProcessingWatchdog(String container, Duration timeout, ContainerListener listener) {
        this.container = container;
        this.timeout = timeout;
        this.listener = listener;
    }

    /**
     * A watchdog for a container, not yet scanning; a disabled one costs nothing per record.
     *
     * @param container the container's name, for its thread and its reports
     * @param timeout   the longest a handler call may take, or {@code null} for no limit
     * @param listener  told of each call over the limit
     * @return the watchdog
     */
    static ProcessingWatchdog of(String container, Duration timeout, ContainerListener listener) {
        return timeout == null ? DISABLED : new ProcessingWatchdog(container, timeout, listener);
    }

    /** Starts the scanning thread, {@code kafka-consumer-watchdog-<container>}; no-op when disabled. */
    synchronized void start() {
        if (timeout == null || scanner != null) {
            return;
        }
        scanner = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kafka-consumer-watchdog-" + container);
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, e) -> log.error("Thread {} died", t.getName(), e));
            return thread;
        });
        // a few scans per timeout: a call is caught within a quarter of the timeout after it ran over
        long period = Math.max(10, Math.min(1000, Durations.millis(timeout) / 4));
        scanner.scheduleWithFixedDelay(() -> {
            try {
                scan(System.nanoTime());
            } catch (RuntimeException e) {
                log.error("Container {}: the processing watchdog's scan failed", container, e);
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * The calling worker starts a handler call for the record.
     *
     * @param partition the record's partition
     * @param offset    its offset (the first, for a batch)
     * @return the worker's slot, to pass to {@link #finished}; {@code null} when disabled
     */
    Slot started(TopicPartition partition, long offset) {
        if (timeout == null) {
            return null;
        }
        Slot slot = own.get();
        slot.partition = partition;
        slot.offset = offset;
        slot.started = System.nanoTime() - origin; // publishes the fields above
        return slot;
    }

    /**
     * The handler call of the slot returned or threw. Clears the interrupt this watchdog sent, so that it
     * reaches neither the retry, nor the recoverer, nor the next record.
     *
     * @param slot what {@link #started} returned
     */
    void finished(Slot slot) {
        if (slot == null) {
            return;
        }
        long started = slot.started;
        if (started > IDLE && Slot.STARTED.compareAndSet(slot, started, IDLE)) {
            return;
        }
        while (slot.started == INTERRUPTING) {
            Thread.onSpinWait(); // the scanner is between its claim and its interrupt
        }
        Thread.interrupted();
        slot.started = IDLE;
    }

    /**
     * Reports and interrupts every call that has run for the timeout or longer at {@code now}; each call
     * once. Package-private, so that tests can scan without the thread.
     *
     * @param now {@link System#nanoTime()}
     */
    void scan(long now) {
        for (Iterator<Slot> it = slots.iterator(); it.hasNext();) {
            Slot slot = it.next();
            if (!slot.thread.isAlive()) {
                it.remove(); // a virtual worker, or a pool thread that was replaced
                continue;
            }
            long started = slot.started;
            long elapsed = now - origin - started;
            if (started > IDLE && elapsed >= Durations.nanos(timeout) && Slot.STARTED.compareAndSet(slot, started, INTERRUPTING)) {
                TopicPartition partition = slot.partition;
                long offset = slot.offset;
                StackTraceElement[] stack = slot.thread.getStackTrace();
                slot.thread.interrupt();
                slot.started = INTERRUPTED;
                report(slot.thread, partition, offset, Duration.ofNanos(elapsed), stack);
            }
        }
    }

    private void report(Thread worker, TopicPartition partition, long offset, Duration elapsed, StackTraceElement[] stack) {
        timeouts.incrementAndGet();
        StuckHandler where = new StuckHandler(worker.getName());
        where.setStackTrace(stack);
        log.warn("Container {}: the handler of {}@{} has run for {} ms, over the processing timeout ({}), on thread {}; "
                + "interrupting it (a handler blocked in interruptible I/O then fails and is retried or recovered as configured; "
                + "the record is not committed before it ends)", container, partition, offset, elapsed.toMillis(), timeout,
                worker.getName(), where);
        listener.processingTimedOut(container, partition, offset, elapsed);
    }

    /**
     * How many handler calls ran over the timeout since the container started.
     *
     * @return the count
     */
    long timeouts() {
        return timeouts.get();
    }

    /** Stops the scanning thread. Idempotent. */
    @Override
    public synchronized void close() {
        if (scanner != null) {
            scanner.shutdownNow();
        }
    }

    private Slot register() {
        Slot slot = new Slot(Thread.currentThread());
        slots.add(slot);
        return slot;
    }

    /** One worker thread's current handler call. */
    static final class Slot {

        private static final AtomicLongFieldUpdater<Slot> STARTED = AtomicLongFieldUpdater.newUpdater(Slot.class, "started");

        final Thread thread;
        TopicPartition partition;
        long offset;
        /** When the call started, in nanoseconds after the watchdog's origin (positive), or IDLE / INTERRUPTING / INTERRUPTED. */
        volatile long started = IDLE;

        Slot(Thread thread) {
            this.thread = thread;
        }
    }

    /** Carries the stack of a worker that ran over the timeout into the log. */
    private static final class StuckHandler extends Exception {
        private static final long serialVersionUID = 1L;

        StuckHandler(String thread) {
            super("Stack of " + thread + " when it ran over the processing timeout", null, false, true);
        }
    }
}
