package dev.kafkaconsumer.core.internal.share;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

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

    /** @param wakeupConsumer cuts the I/O thread's poll short */
    Inbox(Runnable wakeupConsumer) {
        this.wakeupConsumer = wakeupConsumer;
    }

    /**
     * Queues an acknowledgement and ends the loop's wait. The poll is not cut short: the I/O thread polls only when
     * every record of its last poll was acknowledged, so an acknowledgement made meanwhile can wait for the poll's end.
     */
    void acknowledge(ShareCommand.Acknowledge acknowledgement) {
        add(acknowledgement);
        signal();
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
        return commands.poll();
    }

    /** Ends the I/O thread's wait between turns (a get wants records, a stop was requested). */
    synchronized void signal() {
        signalled = true;
        notifyAll();
    }

    /**
     * Waits up to {@code nanos}, in real time, unless a command or a signal came since the last wait; on the I/O
     * thread, between two turns of its loop (tests turn the loop without it).
     */
    synchronized void await(long nanos) throws InterruptedException {
        if (!signalled && commands.isEmpty() && nanos > 0) {
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
