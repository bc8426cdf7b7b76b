package dev.kafkaconsumer.core.internal.share;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.AcquiredRecord;
import dev.kafkaconsumer.core.ConsumerStoppedException;

/**
 * The records the share consumer holds for this engine, as the consumer sees them, and their acquisition locks: the
 * I/O thread's bookkeeping between polls. Each record is
 * <ul>
 * <li><em>in flight</em>: returned by the last poll and not acknowledged to the consumer yet (waiting to be taken,
 * or handed out). In explicit acknowledgement mode the consumer refuses to poll again while any record is in flight;</li>
 * <li><em>marked</em>: acknowledged to the consumer ({@code ShareConsumer.acknowledge}), to be sent with the next
 * poll or commit;</li>
 * <li><em>renewing</em>: its renewal was sent; the consumer returns it again with a later poll, and until then it
 * cannot be acknowledged, so an acknowledgement that comes meanwhile waits here.</li>
 * </ul>
 * A record leaves once its final acknowledgement is sent: the {@link Confirmations} wait for the answer.
 *
 * <p><b>Locks.</b> A record's lock is taken to start when the poll returned it (the broker started it a little
 * earlier) or when its renewal was sent, and to last the consumer's {@code acquisitionLockTimeoutMs}. With renewal
 * on, a record in flight is renewed once half its lock has passed, unless it was acquired longer ago than
 * {@code maxLockRenewal}; records waiting to be taken are renewed too, both because a record whose lock expires comes
 * back with a higher delivery count and because the consumer cannot poll back the renewed records while another one
 * is in flight. A record in flight or renewing whose lock has passed has <em>expired</em>: it is settled (a later
 * acknowledgement fails and sends nothing), reported, and released to the consumer so that the next poll is allowed.
 *
 * <p>Threads: the I/O thread only ({@code kafka-consumer-share-io-<client.id>}); no lock. What it shares with
 * application threads goes through each {@link Acquisition}'s monitor.
 */
final class HeldRecords<K, V> {

    private static final Logger log = LoggerFactory.getLogger(HeldRecords.class);

    private enum State { IN_FLIGHT, MARKED, RENEWING }

    private final ShareConsumer<K, V> consumer;
    private final ShareEngineConfig config;
    private final Inbox inbox;
    private final ShareEvents events;
    private final Confirmations confirmations;
    private final Function<Acquisition<K, V>, AcquiredRecord<K, V>> view;
    private final Time time;
    private final Map<PartitionOffset, Held<K, V>> held = new LinkedHashMap<>();
    private final List<Held<K, V>> marked = new ArrayList<>();
    private Optional<Duration> lockTimeout = Optional.empty();
    private int inFlight;
    private int renewing;
    private boolean renewalMarked;
    /** When the oldest acknowledgement not yet sent was marked; meaningless while none is. */
    private long markedSinceNanos;
    /** No lock event (renewal, expiry) is due before this; a lower bound, so that most turns skip the scan. */
    private long nextLockEventNanos = Long.MAX_VALUE;

    HeldRecords(ShareConsumer<K, V> consumer, ShareEngineConfig config, Inbox inbox, ShareEvents events,
            Confirmations confirmations, Function<Acquisition<K, V>, AcquiredRecord<K, V>> view, Time time) {
        this.consumer = consumer;
        this.config = config;
        this.inbox = inbox;
        this.events = events;
        this.confirmations = confirmations;
        this.view = view;
        this.time = time;
        confirmations.renewals(this::renewalFailed);
    }

    /** The lock duration the consumer reported with its last poll, or empty before the first. */
    Optional<Duration> lockTimeout() {
        return lockTimeout;
    }

    /** Whether the consumer would poll: no record is in flight. */
    boolean pollAllowed() {
        return inFlight == 0;
    }

    /** Records in flight: polled, neither acknowledged nor renewing. */
    int inFlight() {
        return inFlight;
    }

    /** Whether renewed records wait for a poll to return them. */
    boolean hasRenewing() {
        return renewing > 0;
    }

    /** Whether acknowledgements wait to be sent. */
    boolean hasMarked() {
        return !marked.isEmpty();
    }

    /** Whether a renewal waits to be sent: it goes at once, half the lock having passed. */
    boolean hasRenewalMarked() {
        return renewalMarked;
    }

    /** When the oldest acknowledgement not yet sent was marked; only meaningful when {@link #hasMarked()}. */
    long markedSinceNanos() {
        return markedSinceNanos;
    }

    /** The records held. */
    int size() {
        return held.size();
    }

    /** When the next renewal or expiry may be due; {@link Long#MAX_VALUE} for none. */
    long nextLockEventNanos() {
        return nextLockEventNanos;
    }

    // ---------------------------------------------------------------- what a poll returned

    /**
     * Takes what a poll returned: renewed records come back in flight (and the acknowledgements that waited for
     * them are applied); the others are new deliveries.
     *
     * @param lockTimeout the lock duration the consumer reports now
     * @return the new deliveries, in the order the poll returned them
     */
    List<Acquisition<K, V>> received(ConsumerRecords<K, V> records, Optional<Integer> lockTimeout, long nowNanos) {
        lockTimeout.ifPresent(millis -> this.lockTimeout = Optional.of(Duration.ofMillis(millis)));
        List<Acquisition<K, V>> delivered = new ArrayList<>(records.count());
        ShareTally tally = events.tally();
        // one partition at a time, so that its records share one TopicPartition, and the deliveries are counted by run
        for (TopicPartition partition : records.partitions()) {
            int runCount = 0;
            int runLength = 0;
            for (ConsumerRecord<K, V> record : records.records(partition)) {
                PartitionOffset place = new PartitionOffset(partition, record.offset());
                Held<K, V> known = held.get(place);
                if (known != null && known.state == State.RENEWING) {
                    renewedBack(known);
                    continue;
                }
                if (known != null) {
                    log.warn("[{}] {} was returned by a poll while held already; the new delivery replaces it",
                            config.clientId(), known.record);
                    forget(place, known);
                }
                Acquisition<K, V> acquisition = new Acquisition<>(record, partition, nowNanos, inbox, tally, view);
                if (acquisition.deliveryCount() != runCount) {
                    tally.received(runCount, runLength);
                    runCount = acquisition.deliveryCount();
                    runLength = 0;
                }
                runLength++;
                Held<K, V> entry = new Held<>(acquisition, place);
                startLock(entry, nowNanos);
                held.put(place, entry);
                inFlight++;
                delivered.add(acquisition);
            }
            tally.received(runCount, runLength);
        }
        return delivered;
    }

    private void renewedBack(Held<K, V> entry) {
        log.debug("[{}] {} renewed and back in flight", config.clientId(), entry.record);
        entry.state = State.IN_FLIGHT;
        renewing--;
        inFlight++;
        List<ShareCommand.Acknowledge> waiting = entry.waiting;
        entry.waiting = null;
        if (waiting != null) {
            waiting.forEach(this::apply);
        }
        if (entry.state == State.IN_FLIGHT && entry.record.isSettled()) {
            // it expired or the engine stopped while it was renewing: hand it back now that the consumer has it
            mark(entry, AcknowledgeType.RELEASE, entry.record.isExpired() ? Confirmations.Origin.EXPIRY
                    : Confirmations.Origin.STOP);
        }
    }

    /** The lock of {@code entry} starts now: from its acquisition, or from the sending of its renewal. */
    private void startLock(Held<K, V> entry, long nowNanos) {
        if (lockTimeout.isEmpty()) {
            entry.lockDeadlineNanos = Long.MAX_VALUE;
            entry.renewAtNanos = Long.MAX_VALUE;
            return;
        }
        long lockNanos = lockTimeout.get().toNanos();
        entry.lockDeadlineNanos = nowNanos + lockNanos;
        entry.renewAtNanos = nowNanos + lockNanos / 2;
        nextLockEventNanos = Math.min(nextLockEventNanos, config.lockRenewal() ? entry.renewAtNanos : entry.lockDeadlineNanos);
    }

    // ---------------------------------------------------------------- acknowledgements of the application

    /** Applies an acknowledgement of the application, taken from the inbox. */
    void apply(ShareCommand.Acknowledge acknowledgement) {
        Acquisition<?, ?> record = acknowledgement.acquisition();
        Held<K, V> entry = held.get(PartitionOffset.of(record));
        if (record.isExpired()) {
            // a renewal queued before the lock expired; a final acknowledgement would have kept the lock from expiring
            acknowledgement.fail(record.lockExpired());
            return;
        }
        if (record.isStopped()) {
            acknowledgement.fail(new ConsumerStoppedException("The share consumer engine stopped and released " + record));
            return;
        }
        if (entry == null || entry.record != record) {
            acknowledgement.fail(new IllegalStateException(record + " is no longer held by the share consumer"));
            return;
        }
        if (entry.state == State.RENEWING) {
            if (entry.waiting == null) {
                entry.waiting = new ArrayList<>(1);
            }
            entry.waiting.add(acknowledgement);
            return;
        }
        if (acknowledgement.type() == AcknowledgeType.RENEW && entry.state == State.MARKED) {
            // already marked (a renewal of the engine, or of the application): it rides on that one
            entry.addFuture(acknowledgement.future());
            entry.origin = Confirmations.Origin.APPLICATION;
            return;
        }
        mark(entry, acknowledgement.type(), Confirmations.Origin.APPLICATION);
        entry.addFuture(acknowledgement.future());
    }

    private void mark(Held<K, V> entry, AcknowledgeType type, Confirmations.Origin origin) {
        consumer.acknowledge(entry.record.record(), type);
        if (entry.state == State.IN_FLIGHT) {
            inFlight--;
            if (marked.isEmpty()) {
                markedSinceNanos = time.nanoseconds();
            }
            marked.add(entry);
            entry.state = State.MARKED;
        }
        entry.type = type;
        entry.origin = origin;
        renewalMarked |= type == AcknowledgeType.RENEW;
    }

    // ---------------------------------------------------------------- locks

    /**
     * Renews and expires the locks that are due. Records that expire are settled, reported and released.
     *
     * @return whether any record expired (the ready records then hold some that must be dropped)
     */
    boolean renewAndExpire(long nowNanos) {
        if (nowNanos < nextLockEventNanos) {
            return false;
        }
        boolean expired = false;
        long next = Long.MAX_VALUE;
        for (Held<K, V> entry : held.values()) {
            if (entry.state == State.MARKED) {
                continue; // acknowledged in time, sent with the next poll or commit
            }
            if (nowNanos >= entry.lockDeadlineNanos) {
                expired |= expire(entry, nowNanos);
                continue;
            }
            if (entry.state == State.IN_FLIGHT && renewable(entry, nowNanos)) {
                if (nowNanos >= entry.renewAtNanos) {
                    mark(entry, AcknowledgeType.RENEW, Confirmations.Origin.RENEWAL);
                    continue;
                }
                next = Math.min(next, entry.renewAtNanos);
            }
            next = Math.min(next, entry.lockDeadlineNanos);
        }
        nextLockEventNanos = next;
        return expired;
    }

    private boolean renewable(Held<K, V> entry, long nowNanos) {
        return config.lockRenewal() && nowNanos - entry.record.acquiredNanos() < config.maxLockRenewal().toNanos();
    }

    private boolean expire(Held<K, V> entry, long nowNanos) {
        Duration heldFor = Duration.ofNanos(nowNanos - entry.record.acquiredNanos());
        if (!entry.record.expire(heldFor)) {
            return false;
        }
        events.lockExpired(entry.record, heldFor);
        if (entry.state == State.IN_FLIGHT) {
            mark(entry, AcknowledgeType.RELEASE, Confirmations.Origin.EXPIRY);
        }
        // a renewing record is released when a poll returns it, if it does
        entry.lockDeadlineNanos = Long.MAX_VALUE;
        return true;
    }

    /** A renewal the broker refused: the consumer dropped the record, so the engine forgets it too. */
    private void renewalFailed(PartitionOffset place, Exception error) {
        Held<K, V> entry = held.get(place);
        if (entry == null || entry.state != State.RENEWING) {
            return;
        }
        forget(place, entry);
        Duration heldFor = Duration.ofNanos(Math.max(0, time.nanoseconds() - entry.record.acquiredNanos()));
        if (entry.record.expire(heldFor)) {
            events.lockExpired(entry.record, heldFor);
        }
        if (entry.waiting != null) {
            RuntimeException failure = entry.record.lockExpired();
            failure.initCause(error);
            entry.waiting.forEach(acknowledgement -> acknowledgement.fail(failure));
        }
    }

    private void forget(PartitionOffset place, Held<K, V> entry) {
        held.remove(place);
        switch (entry.state) {
            case IN_FLIGHT -> inFlight--;
            case RENEWING -> renewing--;
            case MARKED -> marked.remove(entry);
        }
    }

    // ---------------------------------------------------------------- sending

    /**
     * Hands what is marked over to the {@link Confirmations}; called right before the poll or commit that sends it.
     * Renewed records are renewing from now, and their locks restart now.
     */
    void sending(long nowNanos) {
        for (Held<K, V> entry : marked) {
            confirmations.sent(entry.place, new Confirmations.Sent(entry.record, entry.type, entry.origin, entry.takeFutures()));
            if (entry.type == AcknowledgeType.RENEW) {
                log.debug("[{}] Renewing {}", config.clientId(), entry.record);
                entry.state = State.RENEWING;
                renewing++;
                startLock(entry, nowNanos);
            } else {
                held.remove(entry.place);
            }
        }
        marked.clear();
        renewalMarked = false;
    }

    // ---------------------------------------------------------------- stop

    /**
     * Settles and releases every record still held that the application did not acknowledge; their acknowledgements
     * that come later fail with {@link ConsumerStoppedException}. Renewing records cannot be released before a poll
     * returns them; the broker releases them when the consumer closes.
     */
    void releaseAll() {
        for (Held<K, V> entry : held.values()) {
            boolean stopped = entry.record.stop();
            if (entry.state == State.IN_FLIGHT && stopped) {
                mark(entry, AcknowledgeType.RELEASE, Confirmations.Origin.STOP);
            } else if (entry.state == State.RENEWING && entry.waiting != null) {
                ConsumerStoppedException failure = new ConsumerStoppedException("The share consumer engine stopped while "
                        + entry.record + " was being renewed; the broker releases it as the consumer closes");
                entry.waiting.forEach(acknowledgement -> acknowledgement.fail(failure));
                entry.waiting = null;
            }
        }
    }

    /** A record held, as the consumer sees it. */
    private static final class Held<K, V> {
        final Acquisition<K, V> record;
        /** Its key in {@code held}, and in the {@link Confirmations} once sent. */
        final PartitionOffset place;
        /** The application's futures riding on the acknowledgement marked; {@code null} while none. */
        List<CompletableFuture<Void>> futures;
        State state = State.IN_FLIGHT;
        AcknowledgeType type;
        Confirmations.Origin origin;
        /** Acknowledgements that came while the record was renewing. */
        List<ShareCommand.Acknowledge> waiting;
        long lockDeadlineNanos;
        long renewAtNanos;

        Held(Acquisition<K, V> record, PartitionOffset place) {
            this.record = record;
            this.place = place;
        }

        void addFuture(CompletableFuture<Void> future) {
            if (future == null) {
                return; // an acknowledgement nobody waits for
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
    }
}
