package dev.kafkaconsumer.core.internal.container;

import static dev.kafkaconsumer.core.internal.container.StageResults.failureOf;
import static dev.kafkaconsumer.core.internal.container.StageResults.isDone;
import static dev.kafkaconsumer.core.internal.container.StageResults.unwrap;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.Acknowledgement;
import dev.kafkaconsumer.core.Completions;
import dev.kafkaconsumer.core.ContainerListener;
import dev.kafkaconsumer.core.FailedRecord;
import dev.kafkaconsumer.core.RecordProcessor;
import dev.kafkaconsumer.core.Recoverer;
import dev.kafkaconsumer.core.RetryPolicy;
import dev.kafkaconsumer.core.ShareRecordHandler;

/**
 * The outcomes of a share container: what each {@link ShareDelivery} comes to, as acknowledgements to its share
 * group. A record handled is accepted (by a manual handler, as it says); a record not handled is released for
 * another delivery while its delivery count is below {@code maxDeliveries} and its failure may be retried;
 * otherwise (its last delivery, a failure no retry can cure, or a record that cannot be deserialized) the recoverer
 * takes it and it is rejected, so that it never comes back; and if the recoverer fails, it is released, so that it
 * is not lost (the broker archives it itself once the group's delivery count limit is reached). Rejected rather
 * than accepted after a dead letter: the group's acknowledgements then say what happened to the record, and
 * a reject is final all the same.
 *
 * <p>A delivery learns that its record's lock expired from the engine's record itself, when it asks whether it is
 * settled (before a retry, or before it is released or recovered). Only the deliveries held in flight for a manual
 * acknowledgement must be told, so that they leave the in-flight count: those are kept by their delivery (a record
 * whose lock expired may be delivered again, with a higher count, before the first delivery is acknowledged), so
 * that a lock expiry the engine reports settles the right one. Most records are never held, and cost no registry.
 *
 * <p>Threads: the runner's, the threads that complete a recoverer's stage, and the engine's callback thread
 * ({@link #lockExpired}).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class ShareOutcomes<K, V> implements RecordOutcomes<K, V>, ShareDelivery.HeldDeliveries {

    private static final Logger log = LoggerFactory.getLogger(ShareOutcomes.class);
    private static final Acknowledgement NOT_MANUAL = () -> {
    };

    private final String name;
    private final Recoverer<K, V> recoverer;
    private final RetryPolicy retryPolicy;
    private final int maxDeliveries;
    private final boolean manual;
    private final ContainerListener listener;
    private final InFlight inFlight;
    private final BooleanSupplier active;
    private final Map<DeliveryKey, ShareDelivery> held = new ConcurrentHashMap<>();
    private final AtomicLong recovered = new AtomicLong();

    /**
     * @param config   the container's configuration: its recoverer, retry policy, delivery limit and handler kind
     * @param listener told of each record recovered
     * @param inFlight the container's count of records in flight
     * @param active   whether records may still start: the container neither stops nor failed
     */
    ShareOutcomes(ShareContainerConfig<K, V> config, ContainerListener listener, InFlight inFlight, BooleanSupplier active) {
        this.name = config.name();
        this.recoverer = config.recoverer();
        this.retryPolicy = config.retryPolicy();
        this.maxDeliveries = config.maxDeliveries();
        this.manual = config.shareHandler() != null;
        this.listener = listener;
        this.inFlight = inFlight;
        this.active = active;
    }

    /**
     * Runs a share handler as a record processor: it is given the record's {@link ShareDelivery} (the
     * acknowledgement {@link #acknowledgement} hands out under a share handler); an exception it throws after it
     * acknowledged is logged and changes nothing, since the record's fate is settled.
     */
    static <K, V> RecordProcessor<K, V> manual(ShareRecordHandler<K, V> handler) {
        return (record, acknowledgement) -> {
            ShareDelivery delivery = (ShareDelivery) acknowledgement;
            try {
                handler.handle(record, delivery);
            } catch (Exception e) {
                if (!delivery.isSettled()) {
                    throw e;
                }
                log.warn("The share handler of {} threw after it acknowledged the record; ignored", delivery, e);
            }
            return Completions.DONE;
        };
    }

    /**
     * A record taken from the engine becomes a delivery, unsettled until acknowledged or expired.
     *
     * @param acquired the record
     * @return its delivery, to run
     */
    ShareDelivery deliver(ShareContainerEngine.Acquired acquired) {
        return new ShareDelivery(acquired, inFlight, this);
    }

    @Override
    public void hold(ShareDelivery delivery) {
        held.put(key(delivery), delivery);
    }

    @Override
    public void settled(ShareDelivery delivery) {
        held.remove(key(delivery), delivery);
    }

    private static DeliveryKey key(ShareDelivery delivery) {
        return new DeliveryKey(delivery.partition, delivery.offset(), delivery.deliveryCount());
    }

    /**
     * The engine reports that a record's lock expired: its delivery, if held for a manual acknowledgement, settles
     * without one and is in flight no more. A delivery not held finds it out by itself ({@link ShareDelivery#isSettled}).
     */
    void lockExpired(TopicPartition partition, long offset, int deliveryCount) {
        ShareDelivery delivery = held.get(new DeliveryKey(partition, offset, deliveryCount));
        if (delivery != null) {
            delivery.expired();
        }
    }

    /** Records the recoverer took since the start. */
    long recovered() {
        return recovered.get();
    }

    /**
     * Nothing starts once the container stops or failed (the engine releases what is left), nor a retry of a record
     * whose lock expired meanwhile: the broker has taken it back, and may have given it to another consumer already.
     */
    @Override
    public boolean mayStart(Work work, long offset) {
        return active.getAsBoolean() && !((ShareDelivery) work).isSettled();
    }

    @Override
    public Acknowledgement acknowledgement(Work work, long offset) {
        return manual ? (ShareDelivery) work : NOT_MANUAL;
    }

    /** Accepts the record; a manual handler's record waits for its acknowledgement. */
    @Override
    public void handled(Work work, long offset) {
        ShareDelivery delivery = (ShareDelivery) work;
        if (manual) {
            delivery.holdUntilSettled();
        } else {
            delivery.accept();
        }
    }

    @Override
    public boolean notHandled(Work work, FailedRecord<K, V> failed) {
        ShareDelivery delivery = (ShareDelivery) work;
        if (delivery.isSettled()) {
            return true; // an asynchronous processor's acknowledgement came first, or the lock expired
        }
        int deliveryCount = delivery.deliveryCount();
        if (!failed.deserializationFailed() && deliveryCount < maxDeliveries && retryPolicy.isRetryable(failed.failure())) {
            log.warn("Share container {}: {}@{} failed after {} attempt(s) on delivery {} of {}; released for redelivery: {}", name,
                    delivery.partition, delivery.offset(), failed.attempts(), deliveryCount, maxDeliveries,
                    String.valueOf(failed.failure()));
            delivery.release();
            return true;
        }
        recover(delivery, failed);
        return true;
    }

    /** Gives the record to the recoverer: rejected when it took it, released when it failed; held in flight meanwhile. */
    private void recover(ShareDelivery delivery, FailedRecord<K, V> failed) {
        CompletionStage<?> stage;
        try {
            stage = recoverer.recoverAsync(failed);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            unrecovered(delivery, e);
            return;
        }
        if (isDone(stage)) {
            Throwable error = failureOf(stage);
            if (error == null) {
                recovered(delivery, failed);
            } else {
                unrecovered(delivery, error);
            }
            return;
        }
        inFlight.held();
        stage.whenComplete((result, error) -> {
            try {
                if (error == null) {
                    recovered(delivery, failed);
                } else {
                    unrecovered(delivery, unwrap(error));
                }
            } finally {
                inFlight.released(1);
            }
        });
    }

    private void recovered(ShareDelivery delivery, FailedRecord<K, V> failed) {
        recovered.incrementAndGet();
        listener.recovered(name, failed, recoverer.kind());
        delivery.reject();
    }

    private void unrecovered(ShareDelivery delivery, Throwable error) {
        log.error("Share container {}: the recoverer ({}) could not take {}; released, so that it is not lost (the broker "
                + "archives it once the group's share.delivery.count.limit is reached)", name, recoverer.kind(), delivery, error);
        delivery.release();
    }

    @Override
    public void over(Work work) {
        // a delivery settles by its acknowledgement, or by its lock; nothing to count here
    }

    /** A delivery of a record: the same offset may be delivered again while an earlier delivery's handler runs. */
    private record DeliveryKey(TopicPartition partition, long offset, int deliveryCount) {
    }
}
