package dev.kafkaconsumer.core.internal.share;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.kafkaconsumer.core.ConsumerStoppedException;

/**
 * The share engine's command queue: what application threads ask of the I/O thread, in the order they asked, and
 * the signal that ends the I/O thread's wait between two turns of its loop (for a command, a get that wants records,
 * or a stop).
 *
 * <p>Threads: any thread adds and signals; the I/O thread drains, waits and, as it ends, closes. No lock around the
 * queue (a {@link ConcurrentLinkedQueue}) and a volatile flag checked again after each add, so that a command added
 * while the loop ends is failed, never left waiting. The signal is this object's monitor.
 */
final class Inbox {

    private final Queue<ShareCommand> commands = new ConcurrentLinkedQueue<>();
    private final Runnable wakeupConsumer;
    private volatile boolean open = true;
    private boolean signalled;
    /** Acknowledgements queued since the start, counted after each is in the queue. */
    private final AtomicLong acknowledgementsQueued = new AtomicLong();
    /** Acknowledgements the I/O thread took from the queue; the I/O thread's own. */
    private long acknowledgementsTaken;
    /** The count of {@link #acknowledgementsQueued} at which an acknowledgement ends the I/O thread's wait. */
    private volatile long wakeAtAcknowledgement = 1;

    /** @param wakeupConsumer cuts the I/O thread's poll short */
    Inbox(Runnable wakeupConsumer) {
        this.wakeupConsumer = wakeupConsumer;
    }

    /**
     * Queues an acknowledgement (a final one is the {@link Acquisition} itself), and ends the loop's wait only when
     * the I/O thread asked for it ({@link #wakeOnAcknowledgements}) or for a renewal, which goes at once. Waking the I/O thread for every
     * acknowledgement cost a drain a switch of threads per record, for nothing: it sends acknowledgements together,
     * once every record of its last poll is acknowledged or the interval passed. The poll is not cut short either: the
     * I/O thread polls only when every record of its last poll was acknowledged, so an acknowledgement made meanwhile
     * can wait for the poll's end.
     */
    void acknowledge(ShareCommand acknowledgement, boolean renewal) {
        add(acknowledgement);
        long queued = acknowledgementsQueued.incrementAndGet();
        if (renewal || queued >= wakeAtAcknowledgement) {
            signal();
        }
    }

    /**
     * Asks to be woken by the {@code count}th acknowledgement queued after those taken so far (at least the first);
     * on the I/O thread, before it waits. An acknowledgement queued before the count is set and not counted by it
     * is caught by {@link #await}, which reads the count of acknowledgements queued after this one is written.
     */
    void wakeOnAcknowledgements(int count) {
        wakeAtAcknowledgement = acknowledgementsTaken + Math.max(1, count);
    }

    /** Queues a command, ends the loop's wait and cuts its poll short, so that the command runs at once. */
    void submit(ShareCommand command) {
        add(command);
        signal();
        wakeupConsumer.run();
    }

    private void add(ShareCommand command) {
        if (!open) {
            command.fail(stopped());
            return;
        }
        commands.add(command);
        if (!open) {
            failAll(); // the loop ended between the check and the add: it will never run this command
        }
    }

    /** The oldest command, or null; on the I/O thread. */
    ShareCommand poll() {
        ShareCommand command = commands.poll();
        if (command != null && !(command instanceof ShareCommand.Subscribe)) {
            acknowledgementsTaken++;
        }
        return command;
    }

    /** Ends the I/O thread's wait between turns (a get wants records, a stop was requested). */
    synchronized void signal() {
        signalled = true;
        notifyAll();
    }

    /**
     * Waits up to {@code nanos}, in real time, unless a signal came since the last wait or the acknowledgements asked
     * for ({@link #wakeOnAcknowledgements}) are queued; on the I/O thread, between two turns of its loop (tests turn
     * the loop without it). Other commands than acknowledgements always signal.
     */
    synchronized void await(long nanos) throws InterruptedException {
        if (!signalled && acknowledgementsQueued.get() < wakeAtAcknowledgement && nanos > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, nanos);
        }
        signalled = false;
    }

    /** Refuses new commands and fails those waiting; on the I/O thread as it ends. */
    void close() {
        open = false;
        failAll();
    }

    private void failAll() {
        ShareCommand command;
        while ((command = commands.poll()) != null) {
            command.fail(stopped());
        }
    }

    private static ConsumerStoppedException stopped() {
        return new ConsumerStoppedException("The share consumer engine is stopped");
    }
}
