package dev.kafkaconsumer.core.internal.share;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Time;

import dev.kafkaconsumer.core.AcquiredRecord;
import dev.kafkaconsumer.core.ConsumerStoppedException;
import dev.kafkaconsumer.core.ShareEngineListener;
import dev.kafkaconsumer.core.ShareEngineSnapshot;
import dev.kafkaconsumer.core.internal.CallbackExecutor;
import dev.kafkaconsumer.core.internal.Deadline;
import dev.kafkaconsumer.core.internal.Durations;

/**
 * The engine behind {@code ShareConsumerEngine}: it wires the share consumer, the I/O thread ({@link ShareIoLoop}),
 * the hand-over to the application ({@link ReadyRecords}) and the bookkeeping of held and sent records
 * ({@link HeldRecords}, {@link Confirmations}); it owns the lifecycle and the subscription. Arguments are validated by
 * the facade before they get here.
 *
 * <p>Threads: any caller thread. {@code lock} guards {@code state} and {@code subscription} only; it is never held
 * while waiting, and subscription commands are queued under it so that they reach the I/O thread in the order the
 * subscription changed.
 */
public final class ShareEngineCore<K, V> {

    private static final String API_TIMEOUT = "default.api.timeout.ms";

    private enum State { NEW, RUNNING, STOPPED }

    private final ShareEngineConfig config;
    private final ShareConsumer<K, V> consumer;
    private final Time time;
    private final ShareTally tally = new ShareTally();
    private final CallbackExecutor callbacks;
    private final Inbox inbox;
    private final ReadyRecords<K, V> ready;
    private final ShareIoLoop<K, V> io;
    private final Object lock = new Object();
    private State state = State.NEW;
    private Set<String> subscription = Set.of();

    /**
     * Creates the share consumer (which validates the properties) without starting anything.
     *
     * @param listener told of acknowledgements, renewals and expired locks; {@code null} for none
     * @param view     makes the application's view of a record
     */
    public ShareEngineCore(ShareEngineConfig config, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer,
            ShareEngineListener listener, Function<Acquisition<K, V>, AcquiredRecord<K, V>> view) {
        this(config, new KafkaShareConsumer<>(config.consumerProperties(), keyDeserializer, valueDeserializer), listener,
                view, Time.SYSTEM, true);
    }

    /**
     * @param time     the clock of the whole engine: locks, intervals, deadlines
     * @param ioThread false for tests that turn the loop themselves ({@link ShareIoLoop#runOnce()})
     */
    ShareEngineCore(ShareEngineConfig config, ShareConsumer<K, V> consumer, ShareEngineListener listener,
            Function<Acquisition<K, V>, AcquiredRecord<K, V>> view, Time time, boolean ioThread) {
        this.config = config;
        this.consumer = consumer;
        this.time = time;
        this.callbacks = new CallbackExecutor(config.clientId());
        this.inbox = new Inbox(consumer::wakeup);
        this.ready = new ReadyRecords<>(inbox::signal, callbacks, time::nanoseconds);
        ShareEvents events = new ShareEvents(listener, callbacks, tally, config.clientId());
        Confirmations confirmations = new Confirmations(events);
        HeldRecords<K, V> held = new HeldRecords<>(consumer, config, inbox, events, confirmations, view, time);
        this.io = new ShareIoLoop<>(consumer, config, inbox, ready, held, confirmations, time, ioThread);
    }

    public ShareEngineConfig config() {
        return config;
    }

    /** The I/O loop, for tests that turn it. */
    ShareIoLoop<K, V> io() {
        return io;
    }

    // ---------------------------------------------------------------- lifecycle

    public void start() {
        ShareCommand.Subscribe subscribed = null;
        synchronized (lock) {
            if (state == State.STOPPED) {
                throw new ConsumerStoppedException("The share consumer engine is stopped; create a new one");
            }
            if (state == State.RUNNING) {
                throw new IllegalStateException("The share consumer engine is already started");
            }
            state = State.RUNNING;
            if (!subscription.isEmpty()) {
                subscribed = new ShareCommand.Subscribe(subscription, apiDeadline());
                inbox.submit(subscribed); // the I/O thread's first command: its errors surface here
            }
            io.start();
        }
        if (subscribed != null) {
            await(subscribed);
        }
    }

    public void stop(Duration timeout) {
        State previous;
        synchronized (lock) {
            previous = state;
            state = State.STOPPED;
        }
        if (previous == State.NEW) {
            io.requestStop(timeout);
            io.run(); // no I/O thread was started: close the consumer on this thread
        } else if (previous == State.RUNNING) {
            io.requestStop(timeout);
        }
        if (!io.isIoThread()) {
            try {
                io.terminated().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            } catch (ExecutionException e) {
                throw new KafkaException(e.getCause());
            }
        }
        callbacks.shutdown();
    }

    public boolean isRunning() {
        synchronized (lock) {
            return state == State.RUNNING && !io.terminated().isDone();
        }
    }

    private void ensureRunning() {
        synchronized (lock) {
            if (state == State.NEW) {
                throw new IllegalStateException("The share consumer engine is not started; call start() first");
            }
            if (state == State.STOPPED || io.terminated().isDone()) {
                throw new ConsumerStoppedException("The share consumer engine is stopped");
            }
        }
    }

    // ---------------------------------------------------------------- subscription

    public void subscribe(Set<String> topics) {
        Set<String> previous;
        ShareCommand.Subscribe command;
        synchronized (lock) {
            if (state == State.STOPPED) {
                throw new ConsumerStoppedException("The share consumer engine is stopped");
            }
            previous = subscription;
            subscription = Set.copyOf(topics);
            if (state == State.NEW) {
                return; // start() hands it to the consumer
            }
            command = new ShareCommand.Subscribe(topics, apiDeadline());
            inbox.submit(command);
        }
        try {
            await(command);
        } catch (TimeoutException e) {
            synchronized (lock) {
                if (subscription.equals(command.topics())) {
                    subscription = previous; // never applied: what the engine says is what the consumer has
                }
            }
            throw e;
        }
    }

    public Set<String> subscription() {
        synchronized (lock) {
            return subscription;
        }
    }

    private Deadline apiDeadline() {
        return Deadline.after(time, config.defaultApiTimeout(), API_TIMEOUT);
    }

    /** Waits for the I/O thread to apply a subscription, until its deadline; past it, gives the command up. */
    private void await(ShareCommand.Subscribe command) {
        CompletableFuture<Void> future = command.future();
        future.whenComplete((ignored, error) -> {
            synchronized (future) {
                future.notifyAll();
            }
        });
        if (!command.deadline().await(time, future, future::isDone) && command.claim()) {
            throw command.deadline().exceeded(command.describe(), ": the I/O thread did not reach it in time, so it "
                    + "was not applied");
        }
        try {
            future.get(); // done, or being applied by the I/O thread right now
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new KafkaException(e.getCause());
        }
    }

    // ---------------------------------------------------------------- records

    /** @param timeout how long to wait, or {@code null} until a record comes or the engine stops */
    public AcquiredRecord<K, V> getOne(Duration timeout) {
        ensureRunning();
        List<Acquisition<K, V>> taken = ready.take(1, deadlineNanos(timeout), true);
        return taken.isEmpty() ? null : taken.get(0).view();
    }

    public List<AcquiredRecord<K, V>> getMany(Duration timeout, int maxRecords) {
        return ReadyRecords.views(getAcquisitions(timeout, maxRecords));
    }

    /**
     * {@link #getMany} for a caller inside the library (a share container): the engine's records themselves, which it
     * acknowledges without futures ({@link Acquisition#acknowledgeUnanswered}).
     */
    public List<Acquisition<K, V>> getAcquisitions(Duration timeout, int maxRecords) {
        ensureRunning();
        return ready.take(maxRecords, deadlineNanos(timeout), false);
    }

    /**
     * Sets what is told, on the I/O thread, each time records (or an error) become ready to take: for a caller inside
     * the library that takes without waiting ({@code getAcquisitions(Duration.ZERO, n)}), a share container's workers.
     * It must return at once: the I/O thread runs it.
     */
    public void onRecordsReady(Runnable listener) {
        ready.onReady(listener);
    }

    public CompletableFuture<List<AcquiredRecord<K, V>>> getManyAsync(Duration timeout, int maxRecords) {
        ensureRunning();
        return ready.takeAsync(maxRecords, timeout);
    }

    private long deadlineNanos(Duration timeout) {
        long now = time.nanoseconds();
        long nanos = timeout == null ? Long.MAX_VALUE : Durations.nanos(timeout);
        return nanos >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos;
    }

    // ---------------------------------------------------------------- state

    public Optional<Duration> acquisitionLockTimeout() {
        return io.lockTimeout();
    }

    public ShareEngineSnapshot snapshot() {
        return new ShareEngineSnapshot(config.groupId(), subscription(), tally.acquired(), tally.handedOutNow(),
                tally.acknowledgements(), tally.acknowledgementFailures(), tally.lockExpirations(), tally.deliveryCounts(),
                io.lockTimeout());
    }

    public Map<MetricName, ? extends Metric> metrics() {
        return consumer.metrics();
    }
}
