package dev.kafkaconsumer.core.internal;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.kafkaconsumer.core.ConsumerStoppedException;

/**
 * The commands waiting for the I/O thread, in the order they were submitted.
 *
 * <p>Threads: caller threads {@linkplain #submit submit}; the I/O thread takes, runs and, once it stops,
 * {@linkplain #close fails} them. No lock: a {@link LinkedBlockingQueue}, and a volatile flag that is
 * checked again after each add, so that a command submitted while the loop ends is failed, never left
 * waiting.
 */
final class CommandQueue {

    /** Put on the queue to end the I/O thread's wait for a command early, when a stop is requested. */
    private static final IoCommand<Void> WAKE = new IoCommand<>("wake", Deadline.none()) {
        @Override
        Void execute(IoContext io, Duration timeout) {
            return null;
        }
    };

    private final BlockingQueue<IoCommand<?>> queue = new LinkedBlockingQueue<>();
    private final Runnable wakeup;
    private volatile boolean open = true;

    /** @param wakeup cuts the I/O thread's poll short, so that it runs a new command at once */
    CommandQueue(Runnable wakeup) {
        this.wakeup = wakeup;
    }

    /** Queues a command and wakes the I/O thread for it; see {@link #enqueue}. */
    <T> IoCommand<T> submit(IoCommand<T> command) {
        enqueue(command);
        wakeup.run();
        return command;
    }

    /**
     * Queues a command for the I/O thread without waking it, for a caller that holds a lock while queueing;
     * fails it with {@link ConsumerStoppedException} once the engine stopped.
     */
    <T> IoCommand<T> enqueue(IoCommand<T> command) {
        if (!open) {
            command.fail(stopped());
            return command;
        }
        queue.add(command);
        if (!open) {
            // the loop ended between the check and the add: it will never run this command
            failAll();
        }
        return command;
    }

    /** Runs every queued command, oldest first; on the I/O thread. */
    void runAll(IoContext io) {
        IoCommand<?> command;
        while ((command = queue.poll()) != null) {
            if (command != WAKE) {
                command.run(io);
            }
        }
    }

    /**
     * Waits up to {@code nanos}, in real time, for a command, and runs it; on the I/O thread, between two
     * turns of its loop. This is the loop's only wait outside the consumer: tests turn the loop without it.
     */
    void awaitAndRun(long nanos, IoContext io) throws InterruptedException {
        IoCommand<?> command = queue.poll(nanos, TimeUnit.NANOSECONDS);
        if (command != null && command != WAKE) {
            command.run(io);
        }
    }

    /** Ends a wait in {@link #awaitAndRun} early. */
    void wakeWaiter() {
        queue.add(WAKE);
    }

    /** How many commands wait; for tests. */
    int size() {
        return queue.size();
    }

    /** Refuses new commands and fails those waiting; on the I/O thread as it ends. */
    void close() {
        open = false;
        failAll();
    }

    private void failAll() {
        IoCommand<?> command;
        while ((command = queue.poll()) != null) {
            if (command != WAKE) {
                command.fail(stopped());
            }
        }
    }

    static ConsumerStoppedException stopped() {
        return new ConsumerStoppedException("The consumer engine is stopped");
    }
}
