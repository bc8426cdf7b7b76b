package dev.kafkaconsumer.core.internal.share;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import dev.kafkaconsumer.core.AcquiredRecord;
import dev.kafkaconsumer.core.AcquisitionLockExpiredException;
import dev.kafkaconsumer.core.ConsumerStoppedException;

/**
 * One delivery of a record to the share consumer, and what became of it: the state behind an
 * {@link AcquiredRecord}. A record is <em>settled</em> once, by whichever comes first: the application's final
 * acknowledgement (accept, release or reject), the expiry of its lock, or the stop of the engine. Whatever comes
 * after is refused: a second final acknowledgement throws, an acknowledgement after expiry or stop fails its future
 * and sends nothing, so that a record is never acknowledged twice.
 *
 * <p>Threads: acknowledged on any application thread; handed out by the taking thread; expired and stopped by the
 * I/O thread. This object's monitor guards its state, and an acknowledgement is queued for the I/O thread under it,
 * so that the I/O thread, which settles records under the same monitor, finds every acknowledgement made before it
 * settled a record in its queue.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class Acquisition<K, V> {

    private enum Ending { EXPIRED, STOPPED }

    private final ConsumerRecord<K, V> record;
    private final TopicPartition partition;
    private final int deliveryCount;
    private final long acquiredNanos;
    private final Inbox inbox;
    private final ShareTally tally;
    private final AcquiredRecord<K, V> view;
    private AcknowledgeType finalType;
    private boolean handedOut;
    private Ending ending;
    private Duration heldFor;

    /**
     * @param partition     the record's partition (one instance for all the records of a poll's partition)
     * @param acquiredNanos when the consumer returned it, on the engine's clock
     * @param view          makes the application's view of this record
     */
    Acquisition(ConsumerRecord<K, V> record, TopicPartition partition, long acquiredNanos, Inbox inbox, ShareTally tally,
            Function<Acquisition<K, V>, AcquiredRecord<K, V>> view) {
        this.record = record;
        this.partition = partition;
        this.deliveryCount = record.deliveryCount().map(Short::intValue).orElse(1);
        this.acquiredNanos = acquiredNanos;
        this.inbox = inbox;
        this.tally = tally;
        this.view = view.apply(this);
    }

    public ConsumerRecord<K, V> record() {
        return record;
    }

    public TopicPartition partition() {
        return partition;
    }

    public int deliveryCount() {
        return deliveryCount;
    }

    long offset() {
        return record.offset();
    }

    long acquiredNanos() {
        return acquiredNanos;
    }

    /** The application's view of this record. */
    AcquiredRecord<K, V> view() {
        return view;
    }

    /**
     * Acknowledges the record for the application: a final type settles it; RENEW does not.
     *
     * @return a future completed by the broker's answer, or failed already when the record's lock expired or the
     *         engine stopped before
     * @throws IllegalStateException when the record was settled by a final acknowledgement already
     */
    public CompletableFuture<Void> acknowledge(AcknowledgeType type) {
        Objects.requireNonNull(type, "type");
        CompletableFuture<Void> future = new CompletableFuture<>();
        synchronized (this) {
            if (finalType != null) {
                throw new IllegalStateException(this + " was already " + pastTense(finalType) + "; " + name(type)
                        + " is refused: the first of accept, release and reject wins, and nothing may follow it");
            }
            boolean isFinal = type != AcknowledgeType.RENEW;
            if (isFinal) {
                finalType = type;
            }
            if (ending == Ending.EXPIRED) {
                future.completeExceptionally(lockExpired());
                return future;
            }
            if (ending == Ending.STOPPED) {
                future.completeExceptionally(new ConsumerStoppedException("The share consumer engine stopped and released "
                        + this + "; " + name(type) + " was not sent"));
                return future;
            }
            if (isFinal) {
                tally.settled(handedOut);
            }
            inbox.acknowledge(new ShareCommand.Acknowledge(this, type, future));
        }
        return future;
    }

    public synchronized boolean isAcknowledged() {
        return finalType != null;
    }

    /**
     * Marks the record handed out to the application, unless it was settled (its lock expired) meanwhile.
     *
     * @return whether it may be handed out
     */
    synchronized boolean handOut() {
        if (ending != null) {
            return false;
        }
        handedOut = true;
        tally.handedOut();
        return true;
    }

    synchronized boolean isHandedOut() {
        return handedOut;
    }

    /** Whether the application gave it a final acknowledgement, or it expired or was stopped: it is not held any more. */
    synchronized boolean isSettled() {
        return finalType != null || ending != null;
    }

    public synchronized boolean isExpired() {
        return ending == Ending.EXPIRED;
    }

    synchronized boolean isStopped() {
        return ending == Ending.STOPPED;
    }

    /**
     * Settles the record as expired, on the I/O thread, unless the application acknowledged it first.
     *
     * @param heldFor how long after its acquisition the lock was found expired
     * @return whether it expired now (false: it was settled before)
     */
    synchronized boolean expire(Duration heldFor) {
        if (finalType != null || ending != null) {
            return false;
        }
        ending = Ending.EXPIRED;
        this.heldFor = heldFor;
        tally.settled(handedOut);
        return true;
    }

    /**
     * Settles the record as released by the stop of the engine, unless it was settled before.
     *
     * @return whether it was still held
     */
    synchronized boolean stop() {
        if (finalType != null || ending != null) {
            return false;
        }
        ending = Ending.STOPPED;
        tally.settled(handedOut);
        return true;
    }

    /** The exception of an acknowledgement that came after the lock expired. */
    synchronized AcquisitionLockExpiredException lockExpired() {
        return new AcquisitionLockExpiredException(partition, record.offset(), deliveryCount,
                heldFor == null ? Duration.ZERO : heldFor);
    }

    private static String name(AcknowledgeType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    private static String pastTense(AcknowledgeType type) {
        return switch (type) {
            case ACCEPT -> "accepted";
            case RELEASE -> "released";
            case REJECT -> "rejected";
            case RENEW -> "renewed";
        };
    }

    @Override
    public String toString() {
        return partition + "@" + record.offset() + " (delivery " + deliveryCount + ")";
    }
}
