package dev.kafkaconsumer.core.internal.share;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.kafkaconsumer.core.ConsumerStoppedException;

/**
 * The share engine's command queue: what application threads ask of the I/O thread, in the order they asked, and
 * the signal that ends the I/O thread's wait between two turns of its loop (for a command, a get that wants records,
 * or a stop).
 *
 * <p>Threads: any thread adds and signals; the I/O thread drains, waits and, as it ends, closes. The queue is two
 * lists: threads add to one under a small lock ({@code queueLock}, a leaf); the I/O thread swaps it for its own,
 * emptied one under that lock once it has taken everything from its own, and takes from it without a lock. A
 * container's worker adds one acknowledgement per record, so the add must be cheap: B9's CPU-time profile gave a
 * {@code ConcurrentLinkedQueue}'s {@code offer} (a node per record, and the queue's tail shared with the I/O thread
 * taking from its head) a fifth of the worker's time. A volatile flag is checked again after each add, so that a
 * command added while the loop ends is failed, never left waiting. The signal is this object's monitor.
 */
final class Inbox {

    private final Object queueLock = new Object();
    /** Commands added since the I/O thread last swapped; guarded by {@code queueLock}. */
    private ArrayList<ShareCommand> incoming = new ArrayList<>();
    /** The I/O thread's own: the commands it swapped out, taken from {@code next} on. */
    private ArrayList<ShareCommand> taking = new ArrayList<>();
    private int next;
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
     *
     * <p>Only the acknowledgement that reaches the count asked for signals, not every one after it: while the I/O
     * thread works through what it was woken for, the workers go on acknowledging, and a signal each (this monitor,
     * which the I/O thread holds as it waits, and a {@code notifyAll}) was the largest single cost left on B9's
     * workers at concurrency 6, with six of them contending for the monitor. None is lost: the count only rises one
     * by one, so exactly one acknowledgement reaches a given count; if it read the count before the I/O thread set
     * it, the I/O thread, which sets the count before it checks the acknowledgements queued, finds it reached in
     * {@link #await} and does not wait; a count set below the acknowledgements already queued is found reached there
     * too.
     */
    void acknowledge(ShareCommand acknowledgement, boolean renewal) {
        add(acknowledgement);
        long queued = acknowledgementsQueued.incrementAndGet();
        if (renewal || queued == wakeAtAcknowledgement) {
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
        synchronized (queueLock) {
            incoming.add(command);
        }
        if (!open) {
            failAll(); // the loop ended between the check and the add: it will never run this command
        }
    }

    /** The oldest command, or null; on the I/O thread. */
    ShareCommand poll() {
        ShareCommand command = take();
        if (command != null && !(command instanceof ShareCommand.Subscribe)) {
            acknowledgementsTaken++;
        }
        return command;
    }

    /** The oldest command, or null: from the I/O thread's own list, swapped for the added ones once it is empty. */
    private ShareCommand take() {
        if (next == taking.size()) {
            if (next > 0) {
                taking.clear();
                next = 0;
            }
            synchronized (queueLock) {
                if (incoming.isEmpty()) {
                    return null;
                }
                ArrayList<ShareCommand> swapped = incoming;
                incoming = taking;
                taking = swapped;
            }
        }
        ShareCommand command = taking.get(next);
        taking.set(next++, null);
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

    /**
     * Fails every command waiting: on the I/O thread as it closes (it takes no more after), or on a thread whose add
     * came after the close; under {@code queueLock}, so that several such threads do not fail a command twice.
     */
    private void failAll() {
        synchronized (queueLock) {
            ShareCommand command;
            while ((command = take()) != null) {
                command.fail(stopped());
            }
        }
    }

    private static ConsumerStoppedException stopped() {
        return new ConsumerStoppedException("The share consumer engine is stopped");
    }
}
