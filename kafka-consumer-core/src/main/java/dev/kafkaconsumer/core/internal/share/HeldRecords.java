package dev.kafkaconsumer.core.internal.share;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
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
import dev.kafkaconsumer.core.internal.Durations;

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
 * <p><b>One unanswered acknowledgement per offset.</b> An acknowledgement names an offset, never a delivery, and
 * kafka-clients merges the pending acknowledgements of one offset into one (the later winning) with one answer. So
 * when a record comes again (its lock expired, or it was released) while an acknowledgement of its earlier delivery is
 * unanswered, the new delivery's acknowledgements wait here, <em>deferred</em>, until that answer comes: otherwise the
 * answer of the earlier one could not be told from the answer of the later one, and a release of an expired delivery
 * answered apart from the next delivery's accept was counted as the accept, whose own answer then went to a third
 * delivery's (found by the lock-expiry test failing in CI with two accepts counted for one record). The deferred
 * record stays in flight meanwhile, as the consumer sees it.
 *
 * <p>The wait is bounded ({@link #deferralLimitNanos}): kafka-clients keeps acknowledgements that came while a fetch
 * was in flight until its next fetch, which only a poll starts, and no poll is allowed while the deferred record is in
 * flight. When the bound passes, the earlier delivery's release of an expiry is taken as merged with the new
 * acknowledgement ({@link Confirmations#supersede}), which is what kafka-clients does with one it still holds (looping
 * the lock-expiry test under load found it so: without the bound each delivery's accept waited until its lock had
 * passed, and the record came five times). The engine's stop sends what is deferred at once.
 *
 * <p><b>Per poll, not per record.</b> The records of a poll's partition are one {@link PolledBatch}, acquired at once,
 * with one lock deadline until one of them is renewed; a record's state is found from the record itself, never looked
 * up by partition and offset (only a renewed record coming back, and the commit callback, look records up, by an
 * index into their batch). The I/O thread's work per record is then little more than the consumer's own
 * {@code acknowledge}, which B9 found to be the larger part of it.
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
    private static final long MAX_DEFERRAL_NANOS = 1_000_000_000L;

    private final ShareConsumer<K, V> consumer;
    private final ShareEngineConfig config;
    private final Inbox inbox;
    private final ShareEvents events;
    private final Confirmations confirmations;
    private final PolledBatches batches;
    private final Function<Acquisition<K, V>, AcquiredRecord<K, V>> view;
    private final Time time;
    private final List<Acquisition<K, V>> marked = new ArrayList<>();
    /** Records whose acknowledgement waits for the answer to one of an earlier delivery of the same offset. */
    private final List<Acquisition<K, V>> deferred = new ArrayList<>(0);
    /** Set by the stop: nothing is deferred any more, for the consumer is about to send everything and close. */
    private boolean releasing;
    private Optional<Duration> lockTimeout = Optional.empty();
    private int held;
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
        this.batches = confirmations.batches();
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

    /** Whether acknowledgements wait for the answer to one of an earlier delivery of their offset. */
    boolean hasDeferred() {
        return !deferred.isEmpty();
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
        return held;
    }

    /** When the next renewal or expiry may be due; {@link Long#MAX_VALUE} for none. */
    long nextLockEventNanos() {
        return nextLockEventNanos;
    }

    // ---------------------------------------------------------------- what a poll returned

    /**
     * Takes what a poll returned: renewed records come back in flight (and the acknowledgements that waited for
     * them are applied); the others are new deliveries, one {@link PolledBatch} per partition, handed to
     * {@code publish} once placed in their batch.
     *
     * <p>The first partition's deliveries are published as soon as its batch is made, the others together at the
     * end: a container's worker then starts on them while this thread makes the rest, instead of after all of them
     * (B9 polls about 4,500 records from 6 partitions at a time, and making their deliveries was a twelfth of the I/O
     * thread's time, which the workers spent waiting). Once more would cost a hand-over to a worker per partition.
     *
     * @param lockTimeout the lock duration the consumer reports now
     * @param publish     takes the new deliveries, in the order the poll returned them, in at most two parts
     */
    void received(ConsumerRecords<K, V> records, Optional<Integer> lockTimeout, long nowNanos,
            Consumer<List<Acquisition<K, V>>> publish) {
        lockTimeout.ifPresent(millis -> this.lockTimeout = Optional.of(Duration.ofMillis(millis)));
        List<Acquisition<K, V>> delivered = new ArrayList<>(records.count());
        int published = 0;
        ShareTally tally = events.tally();
        // one partition at a time, so that its records share one TopicPartition, and the deliveries are counted by run
        for (TopicPartition partition : records.partitions()) {
            int first = delivered.size();
            int runCount = 0;
            int runLength = 0;
            for (ConsumerRecord<K, V> record : records.records(partition)) {
                if (renewing > 0 && renewedBack(partition, record.offset())) {
                    continue;
                }
                Acquisition<K, V> acquisition = new Acquisition<>(record, partition, nowNanos, inbox, tally, view);
                if (acquisition.deliveryCount() != runCount) {
                    tally.received(runCount, runLength);
                    runCount = acquisition.deliveryCount();
                    runLength = 0;
                }
                runLength++;
                delivered.add(acquisition);
            }
            tally.received(runCount, runLength);
            if (delivered.size() > first) {
                PolledBatch batch = new PolledBatch(partition, delivered.subList(first, delivered.size()), nowNanos);
                batch.startLocks(lockNanos());
                batches.add(batch);
                held += batch.size();
                inFlight += batch.size();
                nextLockEventNanos = Math.min(nextLockEventNanos, batch.lockEventNanos(config.lockRenewal()));
                if (published == 0) {
                    published = delivered.size();
                    publish.accept(delivered.subList(0, published));
                }
            }
        }
        if (delivered.size() > published) {
            publish.accept(delivered.subList(published, delivered.size()));
        }
    }

    private long lockNanos() {
        return lockTimeout.isEmpty() ? -1 : Durations.nanos(lockTimeout.get());
    }

    /** Whether the record at {@code offset} is a renewed one coming back; if so, it is in flight again. */
    private boolean renewedBack(TopicPartition partition, long offset) {
        List<PolledBatch> candidates = batches.of(partition);
        for (int b = 0; b < candidates.size(); b++) {
            PolledBatch batch = candidates.get(b);
            int index = batch.indexOf(offset);
            if (index < 0) {
                continue;
            }
            if (batch.state(index) == PolledBatch.RENEWING) {
                renewedBack(batch, index);
                return true;
            }
            if (batch.state(index) != PolledBatch.NONE) {
                log.warn("[{}] {} was returned by a poll while held already; the new delivery replaces it",
                        config.clientId(), batch.record(index));
                forget(batch, index);
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private void renewedBack(PolledBatch batch, int index) {
        Acquisition<K, V> record = (Acquisition<K, V>) batch.record(index);
        log.debug("[{}] {} renewed and back in flight", config.clientId(), record);
        batch.state(index, PolledBatch.IN_FLIGHT);
        renewing--;
        inFlight++;
        List<ShareCommand.Acknowledge> waiting = record.takeWaiting();
        if (waiting != null) {
            waiting.forEach(this::apply);
        }
        if (batch.state(index) == PolledBatch.IN_FLIGHT && record.isSettled()) {
            // it expired or the engine stopped while it was renewing: hand it back now that the consumer has it
            mark(record, AcknowledgeType.RELEASE, record.isExpired() ? Confirmations.Origin.EXPIRY
                    : Confirmations.Origin.STOP);
        }
    }

    // ---------------------------------------------------------------- acknowledgements of the application

    /** Applies a final acknowledgement of the application, queued as the record itself. */
    void apply(Acquisition<?, ?> record) {
        apply(record, record.queuedType(), record.queuedAnswer());
    }

    /** Applies a renewal of the application, taken from the inbox. */
    void apply(ShareCommand.Acknowledge acknowledgement) {
        Acquisition<?, ?> record = acknowledgement.acquisition();
        if (record.isExpired()) {
            // a renewal queued before the lock expired (a final acknowledgement would have kept the lock from expiring)
            fail(acknowledgement.future(), record.lockExpired());
            return;
        }
        if (record.isStopped()) {
            fail(acknowledgement.future(), new ConsumerStoppedException("The share consumer engine stopped and released " + record));
            return;
        }
        if (record.batch().state(record.index()) == PolledBatch.RENEWING) {
            record.await(acknowledgement);
            return;
        }
        apply(record, acknowledgement.type(), acknowledgement.future());
    }

    @SuppressWarnings("unchecked")
    private void apply(Acquisition<?, ?> acquisition, AcknowledgeType type, CompletableFuture<Void> future) {
        Acquisition<K, V> record = (Acquisition<K, V>) acquisition;
        PolledBatch batch = record.batch();
        int index = record.index();
        byte state = batch.state(index);
        if (state == PolledBatch.NONE) {
            fail(future, new IllegalStateException(record + " is no longer held by the share consumer"));
            return;
        }
        if (state == PolledBatch.RENEWING) {
            record.await(new ShareCommand.Acknowledge(record, type, future));
            return;
        }
        if (type == AcknowledgeType.RENEW && state == PolledBatch.MARKED) {
            // already marked (a renewal of the engine, or of the application): it rides on that one
            record.addFuture(future);
            batch.origin(index, Confirmations.Origin.APPLICATION);
            return;
        }
        mark(record, type, Confirmations.Origin.APPLICATION);
        record.addFuture(future);
    }

    private static void fail(CompletableFuture<Void> future, RuntimeException error) {
        if (future != null) {
            future.completeExceptionally(error);
        }
    }

    private void mark(Acquisition<K, V> record, AcknowledgeType type, Confirmations.Origin origin) {
        PolledBatch batch = record.batch();
        int index = record.index();
        // a first delivery has no earlier one; the count of unanswered acknowledgements spares the rest a look-up
        if (!releasing && (record.isDeferred() || record.deliveryCount() > 1 && confirmations.size() > 0
                && batch.state(index) == PolledBatch.IN_FLIGHT && earlierUnanswered(record) != null)) {
            if (!record.isDeferred()) {
                deferred.add(record);
            }
            record.defer(type, origin, time.nanoseconds());
            return;
        }
        acknowledge(record, type, origin);
    }

    private void acknowledge(Acquisition<K, V> record, AcknowledgeType type, Confirmations.Origin origin) {
        PolledBatch batch = record.batch();
        int index = record.index();
        consumer.acknowledge(record.record(), type);
        if (batch.state(index) == PolledBatch.IN_FLIGHT) {
            inFlight--;
            if (marked.isEmpty()) {
                markedSinceNanos = time.nanoseconds();
            }
            marked.add(record);
            batch.state(index, PolledBatch.MARKED);
        }
        batch.mark(index, type, origin);
        renewalMarked |= type == AcknowledgeType.RENEW;
    }

    /**
     * The earliest batch holding an unanswered acknowledgement of an earlier delivery of {@code record}'s offset, or
     * null. The batches of a partition are kept in the order of their polls, so only those before the record's own are
     * looked at.
     */
    private PolledBatch earlierUnanswered(Acquisition<K, V> record) {
        List<PolledBatch> candidates = batches.of(record.partition());
        long offset = record.offset();
        for (int b = 0; b < candidates.size(); b++) {
            PolledBatch batch = candidates.get(b);
            if (batch == record.batch()) {
                return null;
            }
            int index = batch.indexOf(offset);
            if (index >= 0 && batch.awaitsAnswer(index)) {
                return batch;
            }
        }
        return null;
    }

    /**
     * How long an acknowledgement is deferred at most: a quarter of the lock, at most a second. The answer to a
     * release sent with a poll comes with that poll's fetch, within milliseconds, for the release itself makes the
     * record available to it; one that takes longer is one kafka-clients still holds.
     */
    private long deferralLimitNanos() {
        long lockNanos = lockNanos();
        return lockNanos < 0 ? MAX_DEFERRAL_NANOS : Math.min(lockNanos / 4, MAX_DEFERRAL_NANOS);
    }

    /**
     * Marks the deferred acknowledgements whose earlier delivery's answer came, and those deferred for
     * {@link #deferralLimitNanos}: the earlier delivery's releases of an expiry are then superseded (kafka-clients
     * still holds them, and merges them with the acknowledgement marked now). On the stop, marks them all.
     */
    void markDeferred(long nowNanos) {
        if (deferred.isEmpty()) {
            return;
        }
        long limitNanos = deferralLimitNanos();
        for (int i = 0; i < deferred.size(); i++) {
            Acquisition<K, V> record = deferred.get(i);
            boolean held = record.batch().state(record.index()) == PolledBatch.IN_FLIGHT;
            if (held && !releasing) {
                PolledBatch earlier = earlierUnanswered(record);
                if (earlier != null && nowNanos - record.deferredSinceNanos() < limitNanos) {
                    continue;
                }
                for (; earlier != null; earlier = earlierUnanswered(record)) {
                    int at = earlier.indexOf(record.offset());
                    confirmations.supersede(earlier, at);
                    if (earlier.awaitsAnswer(at)) {
                        break; // the application's own acknowledgement: answered in order
                    }
                }
            }
            deferred.remove(i--);
            AcknowledgeType type = record.deferredType();
            Confirmations.Origin origin = record.deferredOrigin();
            record.undefer();
            if (held) {
                acknowledge(record, type, origin);
            }
        }
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
        boolean[] expired = {false};
        long[] next = {Long.MAX_VALUE};
        batches.forEach(batch -> {
            for (int index = 0; index < batch.size(); index++) {
                byte state = batch.state(index);
                if (state == PolledBatch.NONE || state == PolledBatch.MARKED) {
                    continue; // gone, or acknowledged in time and sent with the next poll or commit
                }
                if (nowNanos >= batch.lockDeadlineNanos(index)) {
                    expired[0] |= expire(batch, index, nowNanos);
                    continue;
                }
                if (state == PolledBatch.IN_FLIGHT && renewable(batch, nowNanos)) {
                    if (nowNanos >= batch.renewAtNanos(index)) {
                        mark(record(batch, index), AcknowledgeType.RENEW, Confirmations.Origin.RENEWAL);
                        continue;
                    }
                    next[0] = Math.min(next[0], batch.renewAtNanos(index));
                }
                next[0] = Math.min(next[0], batch.lockDeadlineNanos(index));
            }
        });
        nextLockEventNanos = next[0];
        return expired[0];
    }

    @SuppressWarnings("unchecked")
    private Acquisition<K, V> record(PolledBatch batch, int index) {
        return (Acquisition<K, V>) batch.record(index);
    }

    private boolean renewable(PolledBatch batch, long nowNanos) {
        return config.lockRenewal() && nowNanos - batch.acquiredNanos < Durations.nanos(config.maxLockRenewal());
    }

    private boolean expire(PolledBatch batch, int index, long nowNanos) {
        Acquisition<K, V> record = record(batch, index);
        Duration heldFor = Duration.ofNanos(nowNanos - record.acquiredNanos());
        if (!record.expire(heldFor)) {
            return false;
        }
        events.lockExpired(record, heldFor);
        if (batch.state(index) == PolledBatch.IN_FLIGHT) {
            mark(record, AcknowledgeType.RELEASE, Confirmations.Origin.EXPIRY);
        }
        // a renewing record is released when a poll returns it, if it does
        batch.forgetLock(index);
        return true;
    }

    /** A renewal the broker refused: the consumer dropped the record, so the engine forgets it too. */
    private void renewalFailed(PolledBatch batch, int index, Exception error) {
        if (batch.state(index) != PolledBatch.RENEWING) {
            return;
        }
        Acquisition<K, V> record = record(batch, index);
        forget(batch, index);
        Duration heldFor = Duration.ofNanos(Math.max(0, time.nanoseconds() - record.acquiredNanos()));
        if (record.expire(heldFor)) {
            events.lockExpired(record, heldFor);
        }
        List<ShareCommand.Acknowledge> waiting = record.takeWaiting();
        if (waiting != null) {
            RuntimeException failure = record.lockExpired();
            failure.initCause(error);
            waiting.forEach(acknowledgement -> acknowledgement.fail(failure));
        }
    }

    private void forget(PolledBatch batch, int index) {
        switch (batch.state(index)) {
            case PolledBatch.IN_FLIGHT -> inFlight--;
            case PolledBatch.RENEWING -> renewing--;
            case PolledBatch.MARKED -> marked.remove(batch.record(index));
            default -> {
                return;
            }
        }
        held--;
        batch.state(index, PolledBatch.NONE);
    }

    // ---------------------------------------------------------------- sending

    /**
     * Hands what is marked over to the {@link Confirmations}; called right before the poll or commit that sends it.
     * Renewed records are renewing from now, and their locks restart now.
     */
    void sending(long nowNanos) {
        if (marked.isEmpty()) {
            return;
        }
        for (int i = 0; i < marked.size(); i++) {
            Acquisition<K, V> record = marked.get(i);
            PolledBatch batch = record.batch();
            int index = record.index();
            boolean renewal = batch.markedType(index) == AcknowledgeType.RENEW;
            batch.sent(index, record.takeFutures());
            if (renewal) {
                log.debug("[{}] Renewing {}", config.clientId(), record);
                batch.state(index, PolledBatch.RENEWING);
                renewing++;
                batch.restartLock(index, nowNanos, lockNanos());
                nextLockEventNanos = Math.min(nextLockEventNanos,
                        config.lockRenewal() ? batch.renewAtNanos(index) : batch.lockDeadlineNanos(index));
            } else {
                batch.state(index, PolledBatch.NONE);
                held--;
            }
        }
        confirmations.sent(marked.size());
        marked.clear();
        renewalMarked = false;
        batches.retireDone();
    }

    // ---------------------------------------------------------------- stop

    /**
     * Settles and releases every record still held that the application did not acknowledge; their acknowledgements
     * that come later fail with {@link ConsumerStoppedException}. Renewing records cannot be released before a poll
     * returns them; the broker releases them when the consumer closes.
     */
    void releaseAll() {
        releasing = true;
        markDeferred(time.nanoseconds());
        batches.forEach(batch -> {
            for (int index = 0; index < batch.size(); index++) {
                byte state = batch.state(index);
                if (state == PolledBatch.NONE) {
                    continue;
                }
                Acquisition<K, V> record = record(batch, index);
                boolean stopped = record.stop();
                if (state == PolledBatch.IN_FLIGHT && stopped) {
                    mark(record, AcknowledgeType.RELEASE, Confirmations.Origin.STOP);
                } else if (state == PolledBatch.RENEWING) {
                    List<ShareCommand.Acknowledge> waiting = record.takeWaiting();
                    if (waiting != null) {
                        ConsumerStoppedException failure = new ConsumerStoppedException("The share consumer engine stopped "
                                + "while " + record + " was being renewed; the broker releases it as the consumer closes");
                        waiting.forEach(acknowledgement -> acknowledgement.fail(failure));
                    }
                }
            }
        });
    }
}
