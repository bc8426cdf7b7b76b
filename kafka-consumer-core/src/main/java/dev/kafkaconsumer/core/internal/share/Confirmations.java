package dev.kafkaconsumer.core.internal.share;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.AcknowledgementCommitCallback;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's commit callback, which answers the acknowledgements sent: it names only partitions and offsets, with
 * one outcome for all of a partition's offsets of one request. Each acknowledgement sent is kept in its record's
 * {@link PolledBatch} (its type and who made it, and the futures riding on it, if any), found there by an index, and
 * counted by type per answer: nothing is allocated or hashed per record. Answers come in the order the acknowledgements
 * were sent, so the oldest unanswered acknowledgement of an offset takes the next answer for it. That holds only while
 * kafka-clients sends each one on its own: it merges the pending acknowledgements of one offset (the later winning) and
 * answers them once, and an answer names offsets, never deliveries. So the {@link HeldRecords} never hand kafka-clients
 * an acknowledgement of a record's new delivery while one of an earlier delivery of the same offset is unanswered.
 *
 * <p>What the engine sent on its own is reported as such: a renewal counts as {@code RENEW} and is told to
 * {@link dev.kafkaconsumer.core.ShareEngineListener#renewed}; the release of a record whose lock expired is not
 * counted at all, its failure (the broker had taken the record back already) expected and swallowed; the release of
 * records on stop counts as {@code RELEASE}.
 *
 * <p>Threads: the I/O thread only: kafka-clients calls the callback inside {@code poll}, {@code commitAsync} and
 * {@code commitSync}, which only the I/O thread calls.
 */
final class Confirmations implements AcknowledgementCommitCallback {

    private static final Logger log = LoggerFactory.getLogger(Confirmations.class);
    private static final AcknowledgeType[] TYPES = AcknowledgeType.values();

    /** Who made an acknowledgement. */
    enum Origin { APPLICATION, RENEWAL, EXPIRY, STOP }

    /** What the held records must learn from an answer: a renewal the broker refused took the record away. */
    interface RenewalOutcome {
        void renewalFailed(PolledBatch batch, int index, Exception error);
    }

    private final PolledBatches batches = new PolledBatches();
    private final ShareEvents events;
    private final int[] confirmed = new int[TYPES.length];
    private RenewalOutcome renewals = (batch, index, error) -> { };
    private int size;

    Confirmations(ShareEvents events) {
        this.events = events;
    }

    /** The batches of records held or awaiting an answer, which the held records add to. */
    PolledBatches batches() {
        return batches;
    }

    void renewals(RenewalOutcome outcome) {
        this.renewals = outcome;
    }

    /** Notes that {@code count} acknowledgements, kept in their batches, were handed to the consumer for sending. */
    void sent(int count) {
        size += count;
    }

    /** Acknowledgements sent and not answered. */
    int size() {
        return size;
    }

    @Override
    public void onComplete(Map<TopicIdPartition, Set<Long>> offsets, Exception error) {
        offsets.forEach((partition, partitionOffsets) -> answer(partition.topicPartition(), partitionOffsets, error));
    }

    private void answer(TopicPartition partition, Set<Long> offsets, Exception error) {
        List<PolledBatch> candidates = batches.of(partition);
        if (candidates.isEmpty()) {
            return; // gaps the consumer acknowledged by itself, or sent before a restart of this bookkeeping
        }
        Set<Long> failed = null;
        List<CompletableFuture<Void>> answered = new ArrayList<>(0);
        for (Long boxed : offsets) {
            long offset = boxed;
            PolledBatch batch = null;
            int index = -1;
            for (int b = 0; b < candidates.size() && batch == null; b++) {
                int found = candidates.get(b).indexOf(offset);
                if (found >= 0 && candidates.get(b).awaitsAnswer(found)) {
                    batch = candidates.get(b);
                    index = found;
                }
            }
            if (batch == null) {
                continue; // a gap the consumer acknowledged by itself
            }
            byte code = batch.takeAnswered(index, answered);
            size--;
            AcknowledgeType type = PolledBatch.type(code);
            Origin origin = PolledBatch.origin(code);
            if (error == null) {
                if (origin != Origin.EXPIRY) {
                    confirmed[type.ordinal()]++;
                }
                continue;
            }
            if (type == AcknowledgeType.RENEW) {
                renewals.renewalFailed(batch, index, error);
            }
            if (origin == Origin.EXPIRY) {
                log.debug("The release of {} after its lock expired was refused, as expected: {}", batch.record(index),
                        error.toString());
            } else {
                if (failed == null) {
                    failed = new TreeSet<>();
                }
                failed.add(offset);
            }
        }
        batches.retireDone(partition);
        for (AcknowledgeType type : TYPES) {
            int count = confirmed[type.ordinal()];
            if (count == 0) {
                continue;
            }
            confirmed[type.ordinal()] = 0;
            if (type == AcknowledgeType.RENEW) {
                events.renewed(partition, count);
            } else {
                events.acknowledged(partition, type, count);
            }
        }
        if (failed != null) {
            events.failed(partition, Collections.unmodifiableSet(failed), error);
        }
        // only now, so that whoever a future wakes finds the answer counted in the snapshot
        events.complete(answered, error);
    }

    /**
     * Retires, unanswered, the engine's releases of expired deliveries at {@code index} (none of the application's): the
     * next delivery's acknowledgement of the offset goes to kafka-clients while they are still unanswered, and
     * kafka-clients answers the two once if it still held the release (see {@link HeldRecords}). The release's answer
     * is never counted, so the acknowledgement takes the next answer of the offset.
     */
    void supersede(PolledBatch batch, int index) {
        List<CompletableFuture<Void>> none = new ArrayList<>(0);
        while (batch.awaitsAnswer(index) && PolledBatch.origin(batch.oldestUnanswered(index)) == Origin.EXPIRY) {
            batch.takeAnswered(index, none);
            size--;
        }
        batches.retireDone(batch.partition);
    }

    /** Fails what was never answered: the engine stopped before the broker's answer came. */
    void failAll(RuntimeException error) {
        List<CompletableFuture<Void>> unanswered = new ArrayList<>();
        batches.forEach(batch -> batch.unansweredFutures(unanswered));
        events.complete(unanswered, error);
        batches.clear();
        size = 0;
    }
}
