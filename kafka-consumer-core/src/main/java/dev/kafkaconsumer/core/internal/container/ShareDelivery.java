package dev.kafkaconsumer.core.internal.container;

import java.util.List;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.Acknowledgement;
import dev.kafkaconsumer.core.ConsumerStoppedException;
import dev.kafkaconsumer.core.ShareAcknowledgement;

/**
 * One delivery of a record to a share container: the work that handles it, and the acknowledgement that ends it.
 * The first final acknowledgement (accept, release, reject) is sent to the engine and settles the delivery; later
 * ones, and renewals after it, are ignored; so is everything after the record's lock expired (the engine sends
 * nothing for it then, and the broker delivers it again).
 *
 * <p>A record stays counted in flight while its handler runs (the runner counts that); a manual handler that
 * returns without acknowledging {@linkplain #holdUntilSettled() holds} it in flight until the acknowledgement
 * comes or the lock expires, so that the container neither takes more than its bound nor stops before it.
 *
 * <p>Threads: the runner's (the work), and any thread for the acknowledgement (a manual handler hands it where it
 * likes), the engine's callback thread for an expiry. The settlement is guarded by this object's monitor, a leaf
 * lock: nothing is called while it is held.
 */
final class ShareDelivery extends Work implements ShareAcknowledgement, Acknowledgement {

    private static final Logger log = LoggerFactory.getLogger(ShareDelivery.class);

    final ShareContainerEngine.Acquired acquired;
    private final InFlight inFlight;
    private final HeldDeliveries heldDeliveries;
    /** The final acknowledgement given, or {@code null} while none; guarded by this. */
    private AcknowledgeType outcome;
    /** Whether the lock expired before a final acknowledgement; guarded by this. */
    private boolean expired;
    /** Whether the record is held in flight beyond its work, for a manual acknowledgement; guarded by this. */
    private boolean held;

    /**
     * @param acquired       the record, as the engine acquired it
     * @param inFlight       the container's count of records in flight
     * @param heldDeliveries where a delivery held for its acknowledgement is found when its lock expires
     */
    ShareDelivery(ShareContainerEngine.Acquired acquired, InFlight inFlight, HeldDeliveries heldDeliveries) {
        super(acquired.partition(), null, List.of(acquired.record()), null, null);
        this.acquired = acquired;
        this.inFlight = inFlight;
        this.heldDeliveries = heldDeliveries;
    }

    /** Where the deliveries held for a manual acknowledgement are found by their record, when its lock expires. */
    interface HeldDeliveries {

        void hold(ShareDelivery delivery);

        void settled(ShareDelivery delivery);
    }

    /** The delivery count: 1 on the record's first delivery. */
    int deliveryCount() {
        return acquired.deliveryCount();
    }

    long offset() {
        return raw.get(0).offset();
    }

    @Override
    public void accept() {
        settle(AcknowledgeType.ACCEPT);
    }

    @Override
    public void release() {
        settle(AcknowledgeType.RELEASE);
    }

    @Override
    public void reject() {
        settle(AcknowledgeType.REJECT);
    }

    /** The {@link Acknowledgement} of a record processor: accepts. */
    @Override
    public void acknowledge() {
        accept();
    }

    @Override
    public void renew() {
        synchronized (this) {
            if (outcome != null || expired) {
                return;
            }
        }
        send(AcknowledgeType.RENEW);
    }

    /**
     * Whether the delivery is settled: acknowledged, or its lock expired. The engine's record says whether the lock
     * expired, so that a delivery not held for an acknowledgement needs no registry to learn of it.
     */
    boolean isSettled() {
        synchronized (this) {
            if (outcome != null || expired) {
                return true;
            }
        }
        return acquired.isLockExpired();
    }

    /**
     * The handler returned without acknowledging: the record stays in flight until it is acknowledged or its lock
     * expires. Called by the runner before it counts the record's work over. The delivery is registered before it
     * counts as held, and then asks whether the lock expired, so that an expiry reported at any moment settles it:
     * before the registration, by this question; after, by the registry.
     */
    void holdUntilSettled() {
        heldDeliveries.hold(this);
        boolean settledFirst;
        synchronized (this) {
            settledFirst = outcome != null || expired;
            held = !settledFirst;
        }
        if (settledFirst) {
            heldDeliveries.settled(this);
            return;
        }
        inFlight.held();
        if (acquired.isLockExpired()) {
            expired();
        }
    }

    /**
     * The record's lock expired before it was acknowledged: the delivery is settled, without an acknowledgement
     * (the engine sends none for it).
     */
    void expired() {
        end(null);
    }

    /** Gives the final acknowledgement, if none was given and the lock did not expire. */
    private void settle(AcknowledgeType type) {
        end(type);
    }

    /**
     * Settles the delivery, by a final acknowledgement or (with {@code null}) its lock's expiry, unless it is settled
     * already. A record held in flight for the acknowledgement is no longer, once the acknowledgement is with the
     * engine: a stop waiting for the records in flight then stops the engine with it, never before (the engine would
     * release the record instead). An acknowledgement of a record whose lock the engine found expired settles it as
     * expired: nothing is sent.
     */
    private void end(AcknowledgeType type) {
        boolean lockExpired = type == null || acquired.isLockExpired();
        boolean release;
        synchronized (this) {
            if (outcome != null || expired) {
                return;
            }
            outcome = lockExpired ? null : type;
            expired = lockExpired;
            release = held;
            held = false;
        }
        if (!lockExpired) {
            send(type);
        }
        if (release) {
            heldDeliveries.settled(this);
            inFlight.released(1);
        }
    }

    /**
     * Hands the acknowledgement to the engine; what the broker says of it reaches the container as the engine's
     * events. A record the engine released already (it stopped) or whose lock it found expired is the engine's.
     */
    private void send(AcknowledgeType type) {
        try {
            acquired.acknowledge(type);
        } catch (ConsumerStoppedException | IllegalStateException e) {
            log.debug("{} of {} not sent: {}", type, acquired, e.toString());
        } catch (KafkaException e) {
            log.warn("{} of {} not sent: {}", type, acquired, e.toString());
        }
    }

    @Override
    public String toString() {
        return acquired.toString();
    }
}
