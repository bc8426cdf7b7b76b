package dev.kafkaconsumer.core.internal.share;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
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
 * settled a record in its queue. A final acknowledgement is queued as the record itself (its type and future written
 * under the monitor first), a renewal as a {@link ShareCommand.Acknowledge}. The I/O thread keeps its own part of the
 * record's state in the record's {@link PolledBatch}, found through {@link #batch()} and {@link #index()}, set before
 * the record is published; the few fields marked as its own are touched by no other thread.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class Acquisition<K, V> implements ShareCommand {

    private enum Ending { EXPIRED, STOPPED }

    private final ConsumerRecord<K, V> record;
    private final TopicPartition partition;
    private final int deliveryCount;
    private final long acquiredNanos;
    private final Inbox inbox;
    private final ShareTally tally;
    private final Function<Acquisition<K, V>, AcquiredRecord<K, V>> viewMaker;
    private AcquiredRecord<K, V> view;
    /** Written once, under this monitor, before this record is queued as its own final acknowledgement. */
    private AcknowledgeType finalType;
    /** The future of the final acknowledgement, when its caller holds one; written with {@link #finalType}. */
    private CompletableFuture<Void> answer;
    private boolean handedOut;
    /**
     * How the record was settled other than by a final acknowledgement, or null; written under this monitor, volatile
     * so that {@link #isExpired()}, asked for every record a container handles, needs no monitor.
     */
    private volatile Ending ending;
    private Duration heldFor;

    // the I/O thread's own: where HeldRecords keeps this record's state, and what rides on its marked acknowledgement
    private PolledBatch batch;
    private int index;
    private List<CompletableFuture<Void>> futures;
    private List<ShareCommand.Acknowledge> waiting;
    /** An acknowledgement waiting for the answer to one of an earlier delivery of this offset, or null. */
    private AcknowledgeType deferredType;
    private Confirmations.Origin deferredOrigin;
    private long deferredSinceNanos;

    /**
     * @param partition     the record's partition (one instance for all the records of a poll's partition)
     * @param acquiredNanos when the consumer returned it, on the engine's clock
     * @param view          makes the application's view of this record
     */
    Acquisition(ConsumerRecord<K, V> record, TopicPartition partition, long acquiredNanos, Inbox inbox, ShareTally tally,
            Function<Acquisition<K, V>, AcquiredRecord<K, V>> view) {
        this.record = record;
        this.partition = partition;
        Optional<Short> count = record.deliveryCount();
        this.deliveryCount = count.isPresent() ? count.get() : 1;
        this.acquiredNanos = acquiredNanos;
        this.inbox = inbox;
        this.tally = tally;
        this.viewMaker = view;
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

    /** The application's view of this record, made when first asked for: a share container never asks. */
    synchronized AcquiredRecord<K, V> view() {
        if (view == null) {
            view = viewMaker.apply(this);
        }
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
        RuntimeException refused = queue(type, future);
        if (refused != null) {
            future.completeExceptionally(refused);
        }
        return future;
    }

    /**
     * Acknowledges the record for a caller that waits for no answer (a share container, which learns the outcome from
     * the engine's events): the same rules as {@link #acknowledge}, without a future. A final acknowledgement is
     * queued as this record itself, so that the I/O thread gets it without a command or a future per record.
     *
     * @return whether it was queued; false when the record's lock had expired or the engine had stopped (nothing is sent)
     * @throws IllegalStateException when the record was settled by a final acknowledgement already
     */
    public boolean acknowledgeUnanswered(AcknowledgeType type) {
        Objects.requireNonNull(type, "type");
        return queue(type, null) == null;
    }

    /** Queues the acknowledgement, unless the record is settled; returns why it was not, or null. */
    private RuntimeException queue(AcknowledgeType type, CompletableFuture<Void> future) {
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
                return lockExpired();
            }
            if (ending == Ending.STOPPED) {
                return new ConsumerStoppedException("The share consumer engine stopped and released " + this + "; "
                        + name(type) + " was not sent");
            }
            if (isFinal) {
                answer = future;
                tally.settled(handedOut);
                inbox.acknowledge(this, false);
            } else {
                inbox.acknowledge(new ShareCommand.Acknowledge(this, type, future), true);
            }
        }
        return null;
    }

    /**
     * The final acknowledgement this record was queued for; on the I/O thread, which took it from the queue after it
     * was written. It cannot expire or be stopped since: both give way to a final acknowledgement.
     */
    AcknowledgeType queuedType() {
        return finalType;
    }

    /** The future of the queued final acknowledgement, or null; on the I/O thread. */
    CompletableFuture<Void> queuedAnswer() {
        return answer;
    }

    /** Fails the queued final acknowledgement's future: the engine stopped before it ran. */
    @Override
    public void fail(RuntimeException error) {
        CompletableFuture<Void> future = answer;
        if (future != null) {
            future.completeExceptionally(error);
        }
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

    public boolean isExpired() {
        return ending == Ending.EXPIRED;
    }

    boolean isStopped() {
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

    // ---------------------------------------------------------------- the I/O thread's own

    /** Places the record in its poll's batch; on the I/O thread, before the record is handed to anyone. */
    void placeIn(PolledBatch batch, int index) {
        this.batch = batch;
        this.index = index;
    }

    PolledBatch batch() {
        return batch;
    }

    int index() {
        return index;
    }

    /** Adds a future that the marked acknowledgement completes; null is nobody's. */
    void addFuture(CompletableFuture<Void> future) {
        if (future == null) {
            return;
        }
        if (futures == null) {
            futures = new ArrayList<>(1);
        }
        futures.add(future);
    }

    /** Hands the futures over to the acknowledgement being sent. */
    List<CompletableFuture<Void>> takeFutures() {
        List<CompletableFuture<Void>> taken = futures == null ? List.of() : futures;
        futures = null;
        return taken;
    }

    /**
     * Keeps an acknowledgement back until the answer to one of an earlier delivery of this offset comes: a final one
     * (or the release of an expiry) replaces a renewal kept, a renewal rides on whatever is kept.
     */
    void defer(AcknowledgeType type, Confirmations.Origin origin, long nowNanos) {
        if (deferredType == null) {
            deferredSinceNanos = nowNanos;
        }
        if (deferredType == null || type != AcknowledgeType.RENEW) {
            deferredType = type;
            deferredOrigin = origin;
        } else if (deferredType == AcknowledgeType.RENEW && origin == Confirmations.Origin.APPLICATION) {
            deferredOrigin = origin;
        }
    }

    boolean isDeferred() {
        return deferredType != null;
    }

    AcknowledgeType deferredType() {
        return deferredType;
    }

    Confirmations.Origin deferredOrigin() {
        return deferredOrigin;
    }

    /** When the first acknowledgement now deferred was. */
    long deferredSinceNanos() {
        return deferredSinceNanos;
    }

    void undefer() {
        deferredType = null;
        deferredOrigin = null;
    }

    /** Keeps an acknowledgement that came while the record was renewing, for when a poll returns it. */
    void await(ShareCommand.Acknowledge acknowledgement) {
        if (waiting == null) {
            waiting = new ArrayList<>(1);
        }
        waiting.add(acknowledgement);
    }

    /** The acknowledgements kept while the record was renewing, now taken; null when none. */
    List<ShareCommand.Acknowledge> takeWaiting() {
        List<ShareCommand.Acknowledge> taken = waiting;
        waiting = null;
        return taken;
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
