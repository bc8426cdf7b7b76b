package dev.kafkaconsumer.core;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import dev.kafkaconsumer.core.internal.share.Acquisition;

/**
 * A record that a {@link ShareConsumerEngine} acquired for the application, and the way to acknowledge it.
 * Thread-safe: any thread may acknowledge it, and acknowledgements reach the broker from the engine's I/O thread,
 * batched.
 *
 * <p><b>Acknowledging.</b> {@link #accept()} (processed), {@link #release()} (deliver it again, maybe to another
 * consumer), {@link #reject()} (never deliver it again) are final: the first one wins, and a second one throws
 * {@link IllegalStateException} naming both. {@link #renew()} extends the acquisition lock and may be called any
 * number of times before a final acknowledgement (the engine renews handed-out records by itself unless built with
 * {@code lockRenewal(false)}). The returned future completes when the broker confirmed the acknowledgement,
 * exceptionally with what the broker reported, or with {@link AcquisitionLockExpiredException} when the record's lock
 * had expired before it was acknowledged: then nothing is sent, so a record is never acknowledged twice. Futures
 * complete on the engine's callback thread (keep dependent stages short), except one that fails at once (the lock
 * had expired, or the engine had stopped), which is failed before it is returned.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class AcquiredRecord<K, V> {

    private final Acquisition<K, V> acquisition;

    AcquiredRecord(Acquisition<K, V> acquisition) {
        this.acquisition = acquisition;
    }

    /**
     * Returns the record as the consumer received it.
     *
     * @return the record
     */
    public ConsumerRecord<K, V> record() {
        return acquisition.record();
    }

    /**
     * Returns how many times the broker has delivered the record, this delivery included: 1 on its first delivery,
     * more after it was released or its lock expired. The broker archives a record on its own once it reaches the
     * group's {@code share.delivery.count.limit} (default 5).
     *
     * @return the delivery count, at least 1
     */
    public int deliveryCount() {
        return acquisition.deliveryCount();
    }

    /**
     * Returns the record's partition.
     *
     * @return the partition
     */
    public TopicPartition partition() {
        return acquisition.partition();
    }

    /**
     * Returns the record's offset.
     *
     * @return the offset
     */
    public long offset() {
        return record().offset();
    }

    /**
     * Acknowledges the record; see the class comment for the rules.
     *
     * @param type how: {@link AcknowledgeType#ACCEPT}, {@link AcknowledgeType#RELEASE}, {@link AcknowledgeType#REJECT}
     *             or {@link AcknowledgeType#RENEW}
     * @return a future that completes when the broker confirmed it; failed with {@link AcquisitionLockExpiredException}
     *         when the record's lock had expired, and with {@link ConsumerStoppedException} when the engine had stopped
     *         (it released the record then); in both cases nothing was sent
     * @throws IllegalStateException if the record was already given a final acknowledgement
     */
    public CompletableFuture<Void> acknowledge(AcknowledgeType type) {
        return acquisition.acknowledge(type);
    }

    /**
     * Accepts the record: it was processed.
     *
     * @return a future that completes when the broker confirmed it
     * @see #acknowledge(AcknowledgeType)
     */
    public CompletableFuture<Void> accept() {
        return acknowledge(AcknowledgeType.ACCEPT);
    }

    /**
     * Releases the record: the broker delivers it again, to this consumer or another, with a higher delivery count.
     *
     * @return a future that completes when the broker confirmed it
     * @see #acknowledge(AcknowledgeType)
     */
    public CompletableFuture<Void> release() {
        return acknowledge(AcknowledgeType.RELEASE);
    }

    /**
     * Rejects the record: the broker never delivers it again.
     *
     * @return a future that completes when the broker confirmed it
     * @see #acknowledge(AcknowledgeType)
     */
    public CompletableFuture<Void> reject() {
        return acknowledge(AcknowledgeType.REJECT);
    }

    /**
     * Renews the record's acquisition lock, so that it is not delivered elsewhere while it is still being processed.
     *
     * @return a future that completes when the broker confirmed the renewal
     * @see #acknowledge(AcknowledgeType)
     */
    public CompletableFuture<Void> renew() {
        return acknowledge(AcknowledgeType.RENEW);
    }

    /**
     * Returns whether the record was given a final acknowledgement (accept, release or reject), confirmed or not.
     *
     * @return true once {@link #accept()}, {@link #release()} or {@link #reject()} was called
     */
    public boolean isAcknowledged() {
        return acquisition.isAcknowledged();
    }

    /**
     * Returns whether the record's acquisition lock expired before it was given a final acknowledgement: the broker
     * has taken it back and may have delivered it to another consumer; an acknowledgement made now sends nothing.
     * A handler that works long on a record can ask it to give up early.
     *
     * @return true once the engine found the record's lock expired
     */
    public boolean isLockExpired() {
        return acquisition.isExpired();
    }

    @Override
    public String toString() {
        return acquisition.toString();
    }
}
