package dev.kafkaconsumer.core.internal.share;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.ConsumerStoppedException;
import dev.kafkaconsumer.core.internal.Durations;

/**
 * The share engine's I/O thread, {@code kafka-consumer-share-io-<client.id>}: the only thread that touches the
 * {@link ShareConsumer}. Each turn of its loop ({@link #runOnce()}) applies the queued commands (acknowledgements,
 * subscription changes), marks the deferred acknowledgements whose earlier delivery's answer came, renews and expires
 * locks ({@link HeldRecords}), then either polls, when the application wants records ({@link ReadyRecords#wanted()})
 * or renewed records wait to come back and the consumer allows a poll (no record in flight), or sends what was
 * acknowledged with {@code commitAsync} once the oldest acknowledgement has waited {@code acknowledgementInterval}, at
 * once when nothing is left in flight, a renewal is due or an acknowledgement is deferred. A poll carries
 * the acknowledgements with it. Between turns it waits for the inbox's signal, or for the next lock or
 * acknowledgement deadline; while answers to sent acknowledgements are awaited, at most a few milliseconds, after
 * which it calls {@code commitAsync} with nothing to send, for kafka-clients runs the commit callback only inside its
 * polls and commits.
 *
 * <p>It polls only for the application, so a member whose application takes nothing for
 * {@code max.poll.interval.ms} leaves the share group and joins again with its next get, as
 * {@code ConsumerEngine}'s does.
 *
 * <p>Threads: {@link #requestStop} from any thread; everything else on the I/O thread, or on a test's thread that
 * turns the loop. The loop survives what its calls throw: a failed poll's error goes to the next get call and the
 * loop backs off ({@code retry.backoff.ms}, doubling up to {@code retry.backoff.max.ms}).
 */
final class ShareIoLoop<K, V> implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ShareIoLoop.class);
    /**
     * The longest poll. Short, because a share consumer's poll that is waiting when a new member's first records
     * arrive returns only at its timeout: B9 measured the first records of a new share group 1.52 s after the start
     * with 500 ms polls, 1.22 s with 200 ms and 1.11 s with 100 ms. A poll returns as soon as records come
     * otherwise, and an engine nobody asks does not poll, so short polls cost an idle engine little.
     */
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /**
     * The poll's timeout while renewed records wait to come back: kafka-clients takes the answer to a renewal at the
     * start of a poll, and a poll that began before the answer came waits its whole timeout, so short polls bring the
     * records back (and let them be renewed again) within milliseconds of the answer.
     */
    private static final long RENEWAL_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * How often the loop calls into the consumer while answers are awaited: kafka-clients runs the commit callback
     * only inside {@code poll} and the commits, so a loop that neither polls (a record is still in flight) nor has
     * anything to send would leave the answers, and the application's futures, waiting.
     */
    private static final long ANSWER_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** See {@link #acknowledgementsToWaitFor()}. */
    private static final int ACKNOWLEDGEMENTS_PER_WAKE = 512;

    private final ShareConsumer<K, V> consumer;
    private final ShareEngineConfig config;
    private final Inbox inbox;
    private final ReadyRecords<K, V> ready;
    private final HeldRecords<K, V> held;
    private final Confirmations confirmations;
    private final Time time;
    private final Thread thread;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile boolean stopRequested;
    private volatile Duration closeTimeout = Duration.ofSeconds(30);
    private volatile Optional<Duration> lockTimeout = Optional.empty();
    private volatile Thread owner;
    private boolean subscribed;
    private long backOffNanos;
    private long backOffUntilNanos;

    ShareIoLoop(ShareConsumer<K, V> consumer, ShareEngineConfig config, Inbox inbox, ReadyRecords<K, V> ready,
            HeldRecords<K, V> held, Confirmations confirmations, Time time, boolean ownThread) {
        this.consumer = consumer;
        this.config = config;
        this.inbox = inbox;
        this.ready = ready;
        this.held = held;
        this.confirmations = confirmations;
        this.time = time;
        this.thread = ownThread ? newThread() : null;
        consumer.setAcknowledgementCommitCallback(confirmations);
    }

    private Thread newThread() {
        Thread io = new Thread(this, "kafka-consumer-share-io-" + config.clientId());
        io.setDaemon(true);
        io.setUncaughtExceptionHandler((t, e) -> log.error("[{}] The I/O thread {} died", config.clientId(), t.getName(), e));
        return io;
    }

    void start() {
        if (thread != null) {
            thread.start();
        }
    }

    boolean isIoThread() {
        return Thread.currentThread() == owner;
    }

    boolean isStopRequested() {
        return stopRequested;
    }

    /** Completes when the loop has closed the consumer. */
    CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** The lock duration the consumer reported with its last poll. */
    Optional<Duration> lockTimeout() {
        return lockTimeout;
    }

    /** Asks the loop to stop; it releases, commits and closes within {@code timeout} once it sees the request. */
    void requestStop(Duration timeout) {
        closeTimeout = timeout;
        stopRequested = true;
        inbox.signal();
        consumer.wakeup();
    }

    // ---------------------------------------------------------------- the loop

    @Override
    public void run() {
        owner = Thread.currentThread();
        log.debug("[{}] Share I/O thread started", config.clientId());
        try {
            while (!stopRequested) {
                long waitNanos = runOnce();
                if (waitNanos > 0 && !stopRequested) {
                    inbox.wakeOnAcknowledgements(acknowledgementsToWaitFor());
                    inbox.await(waitNanos);
                }
            }
        } catch (InterruptedException e) {
            log.warn("[{}] The share I/O thread was interrupted; stopping (use stop() to stop an engine)", config.clientId());
        } finally {
            try {
                shutdown();
            } finally {
                owner = null;
            }
        }
    }

    /**
     * One turn of the loop, without waiting; package-private for tests that turn it on their own thread. Never throws.
     *
     * @return how long the loop may wait for a signal before its next turn, in nanoseconds
     */
    long runOnce() {
        Thread previous = owner;
        owner = Thread.currentThread();
        try {
            runCommands(false);
            if (stopRequested) {
                return 0;
            }
            long now = time.nanoseconds();
            held.markDeferred(now);
            if (held.renewAndExpire(now)) {
                ready.dropSettled();
            }
            if (shouldPoll(now)) {
                held.sending(now);
                poll();
            } else if (held.hasMarked() && (held.pollAllowed() || held.hasRenewalMarked() || held.hasDeferred()
                    || now - held.markedSinceNanos() >= Durations.nanos(config.acknowledgementInterval()))) {
                held.sending(now);
                consumer.commitAsync();
            } else if (confirmations.size() > 0 && !held.hasMarked()) {
                // sends nothing (nothing is marked: a commitAsync sends whatever the consumer holds acknowledged, and
                // acknowledgements sent so, unknown to the Confirmations, would never be answered there, leaving
                // this check running for ever); runs the commit callback for the answers that came
                consumer.commitAsync();
            }
            return shouldPoll(time.nanoseconds()) ? 0 : waitNanos(time.nanoseconds());
        } catch (WakeupException e) {
            return 0; // a command came while the loop was outside poll
        } catch (Throwable e) {
            log.error("[{}] The share I/O loop threw; it reports it and goes on", config.clientId(), e);
            ready.offerError(e instanceof RuntimeException runtime ? runtime
                    : new org.apache.kafka.common.KafkaException("The share I/O loop threw " + e, e));
            backOff();
            return 0;
        } finally {
            owner = previous;
        }
    }

    /**
     * How many acknowledgements the loop may sleep through: with nothing marked, the first acknowledgement starts the
     * interval's clock; with something marked, the clock runs, and the loop wakes for the acknowledgement of the last
     * record in flight (which allows the next poll), or after {@link #ACKNOWLEDGEMENTS_PER_WAKE}, so that it hands
     * acknowledgements to the consumer while the application still handles the poll's last records rather than all
     * at once after them, when the next poll waits for it.
     */
    private int acknowledgementsToWaitFor() {
        return held.hasMarked() ? Math.min(held.inFlight(), ACKNOWLEDGEMENTS_PER_WAKE) : 1;
    }

    private boolean shouldPoll(long now) {
        return subscribed && now >= backOffUntilNanos && held.pollAllowed() && (held.hasRenewing() || ready.wanted());
    }

    private long waitNanos(long now) {
        long until = now + MAX_WAIT_NANOS;
        until = Math.min(until, held.nextLockEventNanos());
        if (held.hasMarked()) {
            until = Math.min(until, held.markedSinceNanos() + Durations.nanos(config.acknowledgementInterval()));
        }
        if (now < backOffUntilNanos) {
            until = Math.min(until, backOffUntilNanos);
        }
        if (confirmations.size() > 0 && !held.hasMarked() || held.hasDeferred()) {
            until = Math.min(until, now + ANSWER_CHECK_NANOS); // with something marked, its sending brings the answers
        }
        return Math.max(0, until - now);
    }

    private void poll() {
        ConsumerRecords<K, V> records;
        try {
            records = consumer.poll(Duration.ofNanos(held.hasRenewing() ? RENEWAL_POLL_NANOS : MAX_POLL_NANOS));
        } catch (WakeupException e) {
            throw e;
        } catch (RecordDeserializationException e) {
            rejectUndeserializable(e);
            ready.offerError(e);
            return;
        } catch (RuntimeException e) {
            log.warn("[{}] Poll failed; the next get call throws it and the engine tries again: {}", config.clientId(), e.toString());
            ready.offerError(e);
            backOff();
            return;
        }
        backOffNanos = 0;
        // the lock duration is known before any record is handed out, as acquisitionLockTimeout() promises
        held.received(records, consumer.acquisitionLockTimeoutMs(), time.nanoseconds(), delivered -> {
            lockTimeout = held.lockTimeout();
            ready.add(delivered);
        });
        lockTimeout = held.lockTimeout();
    }

    /**
     * A record the deserializers cannot read fails again on every delivery: the engine rejects it, so that the broker
     * never delivers it again, and the next get call throws the exception (which names the record).
     */
    private void rejectUndeserializable(RecordDeserializationException e) {
        log.error("[{}] {} cannot be deserialized; rejecting it: {}", config.clientId(), e.topicPartition() + "@" + e.offset(),
                e.getMessage());
        try {
            consumer.acknowledge(e.topicPartition().topic(), e.topicPartition().partition(), e.offset(), AcknowledgeType.REJECT);
        } catch (IllegalStateException notAcknowledgeable) {
            log.warn("[{}] The consumer did not take the rejection of {}@{}: {}", config.clientId(), e.topicPartition(),
                    e.offset(), notAcknowledgeable.getMessage());
        }
    }

    private void backOff() {
        backOffNanos = backOffNanos == 0 ? config.retryBackoff().toNanos()
                : Math.min(backOffNanos * 2, config.retryBackoffMax().toNanos());
        backOffUntilNanos = time.nanoseconds() + backOffNanos;
    }

    private void runCommands(boolean stopping) {
        ShareCommand command;
        while ((command = inbox.poll()) != null) {
            try {
                if (command instanceof Acquisition<?, ?> finalAcknowledgement) {
                    held.apply(finalAcknowledgement);
                } else if (command instanceof ShareCommand.Acknowledge acknowledgement) {
                    held.apply(acknowledgement);
                } else if (command instanceof ShareCommand.Subscribe subscribe) {
                    if (stopping) {
                        subscribe.fail(new ConsumerStoppedException("The share consumer engine is stopping"));
                    } else {
                        subscribe(subscribe);
                    }
                }
            } catch (RuntimeException e) {
                log.warn("[{}] {} failed", config.clientId(), command, e);
                command.fail(e);
            }
        }
    }

    private void subscribe(ShareCommand.Subscribe command) {
        if (!command.claim()) {
            return; // its caller gave up
        }
        if (command.deadline().passed(time.milliseconds())) {
            command.fail(command.deadline().exceeded(command.describe(), ": the I/O thread reached it only then, so it was "
                    + "not applied"));
            return;
        }
        if (command.topics().isEmpty()) {
            consumer.unsubscribe();
        } else {
            consumer.subscribe(command.topics());
        }
        subscribed = !command.topics().isEmpty();
        command.future().complete(null);
    }

    // ---------------------------------------------------------------- stop

    private void shutdown() {
        long deadline = time.nanoseconds() + Durations.nanos(closeTimeout);
        try {
            ready.close();
            held.releaseAll();
            runCommands(true); // acknowledgements made before their records were released
            inbox.close();
            if (held.hasMarked()) {
                held.sending(time.nanoseconds());
                commitSync(deadline);
            }
        } catch (RuntimeException e) {
            log.warn("[{}] Sending the last acknowledgements failed", config.clientId(), e);
        } finally {
            try {
                closeConsumer(deadline);
            } finally {
                confirmations.failAll(new ConsumerStoppedException("The share consumer engine stopped before the broker "
                        + "answered this acknowledgement; its outcome is unknown"));
                terminated.complete(null);
                log.info("[{}] Share consumer engine stopped", config.clientId());
            }
        }
    }

    private void commitSync(long deadlineNanos) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                consumer.commitSync(remaining(deadlineNanos));
                return;
            } catch (WakeupException e) {
                // a wakeup meant for a poll; commit again
            }
        }
    }

    private void closeConsumer(long deadlineNanos) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                consumer.close(remaining(deadlineNanos));
                return;
            } catch (WakeupException e) {
                // a late wakeup; close again
            } catch (RuntimeException e) {
                log.warn("[{}] The share consumer did not close cleanly", config.clientId(), e);
                return;
            }
        }
    }

    private Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - time.nanoseconds()));
    }
}
