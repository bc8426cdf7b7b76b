package dev.kafkaconsumer.core.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's I/O thread, {@code kafka-consumer-io-<client.id>}: the only thread that touches the
 * {@link Consumer}, after Kafka's {@code ConsumerNetworkThread}. Each turn of its loop
 * ({@link #runOnce()}) runs the queued {@linkplain IoCommand commands}, applies the liveness rule and
 * refreshes an assignment made without a group ({@link Assignments}), polls ({@link PollStep}) and commits
 * by time ({@link OffsetCommits}). Because it polls all the time, heartbeats and rebalances never wait
 * for the application. It creates its collaborators, the {@link RebalanceBridge} among them.
 *
 * <p>Threads: {@link #call}, {@link #submit}, {@link #wakeup} and {@link #requestStop} from any thread;
 * everything else on the I/O thread. A command called on the I/O thread (from a rebalance listener) runs
 * inline. Every blocking consumer call retries once it is interrupted by {@link Consumer#wakeup()}, which
 * the engine uses to cut a poll short. Time, for deadlines, intervals and poll times, comes from one
 * {@link Time}: tests drive {@link #runOnce()} on their own thread with a clock they move.
 *
 * <p><b>Throwables.</b> The loop survives anything thrown by the code it calls, user callbacks included
 * (deserializers and interceptors inside {@code poll}, rebalance listeners, commit callbacks): it logs it,
 * hands it to the application through the {@link ErrorChannel} (a waiting {@code start()}, else the next get
 * call), backs off and polls again. That includes an {@link Error}, {@link OutOfMemoryError} and
 * {@link StackOverflowError} among them, as Kafka's own I/O thread does. Such an error unwinds only the call
 * that threw it and the consumer stays usable, whereas an engine that stopped by itself would look like a
 * normal stop to an application that iterates over it (the iterator simply ends) and would consume nothing
 * more. The application sees the error, as the cause of a {@link org.apache.kafka.common.KafkaException}, at
 * its next get call, and may stop the engine itself. A command that throws an {@link Error} fails with it, so
 * its caller gets the {@link Error} itself. Only an {@link Error} thrown while the loop commits on stop or closes
 * the consumer ends the thread early, after its commands and gets have been failed and the consumer closed (as far
 * as it would); its uncaught-exception handler logs it.
 */
final class IoLoop<K, V> implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(IoLoop.class);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Consumer<K, V> consumer;
    private final EngineConfig config;
    private final RecordBuffers<K, V> buffers;
    private final PendingGets<K, V> pendingGets;
    private final Time time;
    private final StopRequest stop = new StopRequest();
    private final GroupJoin join = new GroupJoin();
    private final CommandQueue commands;
    private final OffsetCommits commits;
    private final Assignments<K, V> assignments;
    private final PollStep<K, V> pollStep;
    private final ErrorChannel errors;
    private final IoContext context;
    /** Null when a test turns the loop itself. */
    private final Thread thread;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    /**
     * The thread turning the loop, on which commands run inline: the I/O thread; a test's thread during
     * {@link #runOnce()}; the caller of a stop before start while it closes the consumer.
     */
    private volatile Thread owner;

    IoLoop(Consumer<K, V> consumer, EngineConfig config, RecordBuffers<K, V> buffers, PendingGets<K, V> pendingGets,
            EndOffsetsProbe probe, Time time, boolean ownThread) {
        this.consumer = consumer;
        this.config = config;
        this.buffers = buffers;
        this.pendingGets = pendingGets;
        this.time = time;
        this.commands = new CommandQueue(consumer::wakeup);
        this.errors = new ErrorChannel(join, buffers, pendingGets, config.clientId());
        this.commits = new OffsetCommits(consumer, buffers, config, time, stop);
        RebalanceBridge bridge = new RebalanceBridge(buffers, commits, errors, join, config.autoCommit(), config.clientId());
        this.assignments = new Assignments<>(consumer, config, buffers, pendingGets, bridge, commits, errors);
        TopicIdWatch topicIds = new TopicIdWatch(consumer, config.clientId(),
                String.valueOf(config.consumerProperties().getOrDefault(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest")));
        this.pollStep = new PollStep<>(consumer, config, buffers, pendingGets, probe, topicIds, errors, time);
        this.context = new IoContext(consumer, buffers, assignments, commits, pollStep, config, time);
        this.thread = ownThread ? newThread() : null;
    }

    private Thread newThread() {
        Thread io = new Thread(this, "kafka-consumer-io-" + config.clientId());
        io.setDaemon(true);
        io.setUncaughtExceptionHandler((t, e) -> log.error("[{}] The I/O thread {} died", config.clientId(), t.getName(), e));
        return io;
    }

    /** Starts the I/O thread; without a thread of its own, the loop is turned by the test that made it. */
    void start() {
        commits.restartAutoCommitInterval(time.nanoseconds());
        if (thread != null) {
            thread.start();
        }
    }

    boolean isIoThread() {
        return Thread.currentThread() == owner;
    }

    boolean isTerminated() {
        return terminated.isDone();
    }

    /** Completes when the I/O thread has closed the consumer and ended. */
    CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** The first assignment that {@code start()} waits for. */
    GroupJoin join() {
        return join;
    }

    /** What commands run with; for tests that run one on their own thread. */
    IoContext context() {
        return context;
    }

    /** How many commands wait for the loop; for tests. */
    int queuedCommands() {
        return commands.size();
    }

    /** Cuts the current poll short, so the loop looks at its commands and buffers again. */
    void wakeup() {
        consumer.wakeup();
    }

    /** Asks the loop to stop; the consumer is closed within {@code timeout} once the loop sees it. */
    void requestStop(Duration timeout) {
        stop.request(timeout);
        commands.wakeWaiter();
        consumer.wakeup();
    }

    boolean isStopRequested() {
        return stop.requested();
    }

    // ---------------------------------------------------------------- commands

    /**
     * Runs {@code command} on the I/O thread and waits for it until its deadline; inline when called on
     * the I/O thread.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException naming the command, when its deadline passed
     */
    <T> T call(IoCommand<T> command) {
        if (isIoThread()) {
            command.run(context);
            return IoCommand.resultOf(command.result());
        }
        return submit(command).await(time);
    }

    /** Queues {@code command} for the I/O thread and wakes it, without waiting for the command. */
    <T> IoCommand<T> submit(IoCommand<T> command) {
        return commands.submit(command);
    }

    /** Queues {@code command} without waking the I/O thread: for a caller holding a lock, who calls {@link #wakeup()} next. */
    <T> IoCommand<T> enqueue(IoCommand<T> command) {
        return commands.enqueue(command);
    }

    // ---------------------------------------------------------------- the loop

    @Override
    public void run() {
        owner = Thread.currentThread();
        log.debug("[{}] I/O thread started", config.clientId());
        try {
            while (!stop.requested()) {
                long waitNanos = runOnce();
                if (waitNanos > 0 && !stop.requested()) {
                    awaitCommand(waitNanos);
                }
            }
        } finally {
            try {
                shutdown();
            } finally {
                owner = null; // a caller that ran the loop to stop an engine never started is a caller again
            }
        }
    }

    /**
     * One turn of the loop, without waiting: package-private for tests that drive the loop on their own
     * thread. Never throws; see the class comment for what it does with a {@link Throwable}.
     *
     * @return how long the loop may wait for a command before its next turn, in nanoseconds; 0 for at once
     */
    long runOnce() {
        Thread previous = owner;
        owner = Thread.currentThread();
        try {
            commands.runAll(context);
            if (stop.requested()) {
                return 0;
            }
            long now = time.nanoseconds();
            assignments.leaveOrRejoinForIdleness(now);
            assignments.refreshLocalAssignment(now);
            long wait = 0;
            if (!assignments.hasSomethingToFetch()) {
                wait = MAX_POLL_NANOS;
            } else if (pollStep.backOffRemaining(now) > 0) {
                wait = pollStep.backOffRemaining(now);
            } else {
                pollStep.poll(Duration.ofNanos(Math.min(MAX_POLL_NANOS, commits.nanosUntilAutoCommit(now))));
            }
            commits.maybeAutoCommit(time.nanoseconds());
            return wait;
        } catch (WakeupException e) {
            return 0; // a command arrived while the loop was outside poll
        } catch (Throwable e) {
            survive(e);
            return 0;
        } finally {
            owner = previous;
        }
    }

    private void survive(Throwable error) {
        try {
            errors.unexpected(error, "The I/O loop");
            pollStep.backOff();
        } catch (Throwable again) {
            // reporting failed too (out of memory still): the next turn tries again
        }
    }

    private void awaitCommand(long nanos) {
        try {
            commands.awaitAndRun(nanos, context);
        } catch (InterruptedException e) {
            log.warn("[{}] The I/O thread was interrupted; stopping (use stop() to stop an engine)", config.clientId());
            stop.request(stop.closeTimeout());
        }
    }

    private void shutdown() {
        commands.close();
        buffers.close();
        pendingGets.closeAll();
        try {
            try {
                if (assignments.current().kind() != Subscription.Kind.NONE) {
                    commits.commitOnStop();
                }
            } finally {
                closeConsumer();
            }
        } finally {
            join.stopped();
            terminated.complete(null);
            log.info("[{}] Consumer engine stopped", config.clientId());
        }
    }

    private void closeConsumer() {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                consumer.close(CloseOptions.timeout(stop.closeTimeout()));
                return;
            } catch (WakeupException e) {
                // a late wakeup; close again
            } catch (RuntimeException e) {
                log.warn("[{}] The consumer did not close cleanly", config.clientId(), e);
                return;
            }
        }
    }
}
