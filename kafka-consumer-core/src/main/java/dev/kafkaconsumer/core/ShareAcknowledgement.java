package dev.kafkaconsumer.core;

/**
 * Given to a {@link ShareRecordHandler} with each record of a {@link ShareConsumerContainer}: the handler
 * decides what becomes of the record in its share group. Thread-safe: any thread may call it, during or
 * after the handler call.
 *
 * <p>The first of {@link #accept()}, {@link #release()} and {@link #reject()} wins and is sent to the
 * broker (batched with others by the container's consumer); a later one, and a {@link #renew()} after
 * it, is ignored. A handler that returns without acknowledging leaves the record acquired by this
 * consumer, and counted in flight by the container, until it does; if the record's acquisition lock
 * expires first (the container renews it while lock renewal is on, up to its maximum), the broker takes
 * the record back for redelivery, the expiry is reported ({@link ContainerListener#lockExpired}), and a
 * later acknowledgement is dropped, never sent twice.
 */
public interface ShareAcknowledgement {

    /** The record was handled: the broker marks it acknowledged and never delivers it again. */
    void accept();

    /** The record was not handled: the broker makes it available again, to this or another consumer, with its delivery count one higher. */
    void release();

    /** The record cannot be handled: the broker archives it and never delivers it again. */
    void reject();

    /**
     * The handler needs longer: the record's acquisition lock is extended (KIP-1222), without a final
     * acknowledgement. Ignored once the record is acknowledged.
     */
    void renew();
}
