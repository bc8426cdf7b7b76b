package dev.kafkaconsumer.core.internal.share;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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
 * The acknowledgements sent to the broker and not yet answered, and the consumer's commit callback that answers
 * them. The callback names only partitions and offsets, with one outcome for all of a partition's offsets of one
 * request; each sent acknowledgement remembers its type, who made it and the futures riding on it. An offset can be
 * sent again before the answer to its first sending (a record released, delivered again and acknowledged), so the
 * acknowledgements of one offset wait in the order they were sent.
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

    /** Who made an acknowledgement. */
    enum Origin { APPLICATION, RENEWAL, EXPIRY, STOP }

    /**
     * One acknowledgement sent; the acknowledgements of one offset sent before an answer came form a queue, linked
     * through {@link #next}, oldest first (a queue object per record would be allocated for the rare second one).
     */
    static final class Sent {
        final Acquisition<?, ?> record;
        final AcknowledgeType type;
        final Origin origin;
        /** The application's futures that its answer completes; often empty (nobody holds one in a container). */
        final List<CompletableFuture<Void>> futures;
        private Sent next;

        /**
         * @param record  the record
         * @param type    its type
         * @param origin  who made it
         * @param futures the application's futures that its answer completes
         */
        Sent(Acquisition<?, ?> record, AcknowledgeType type, Origin origin, List<CompletableFuture<Void>> futures) {
            this.record = record;
            this.type = type;
            this.origin = origin;
            this.futures = futures;
        }
    }

    /** What the held records must learn from an answer: a renewal the broker refused took the record away. */
    interface RenewalOutcome {
        void renewalFailed(PartitionOffset place, Exception error);
    }

    private final Map<PartitionOffset, Sent> sent = new HashMap<>();
    private final ShareEvents events;
    private RenewalOutcome renewals = (place, error) -> { };
    private int size;

    Confirmations(ShareEvents events) {
        this.events = events;
    }

    void renewals(RenewalOutcome outcome) {
        this.renewals = outcome;
    }

    /** Notes an acknowledgement handed to the consumer for sending. */
    void sent(PartitionOffset place, Sent acknowledgement) {
        Sent first = sent.putIfAbsent(place, acknowledgement);
        if (first != null) {
            Sent last = first;
            while (last.next != null) {
                last = last.next;
            }
            last.next = acknowledgement;
        }
        size++;
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
        int[] confirmed = new int[AcknowledgeType.values().length];
        Set<Long> failed = null;
        List<CompletableFuture<Void>> answered = null;
        for (long offset : offsets) {
            PartitionOffset place = new PartitionOffset(partition, offset);
            Sent acknowledgement = take(place);
            if (acknowledgement == null) {
                continue; // a gap the consumer acknowledged by itself, or sent before a restart of this bookkeeping
            }
            if (!acknowledgement.futures.isEmpty()) {
                if (answered == null) {
                    answered = new ArrayList<>();
                }
                answered.addAll(acknowledgement.futures);
            }
            if (error == null) {
                if (acknowledgement.origin != Origin.EXPIRY) {
                    confirmed[acknowledgement.type.ordinal()]++;
                }
                continue;
            }
            if (acknowledgement.type == AcknowledgeType.RENEW) {
                renewals.renewalFailed(place, error);
            }
            if (acknowledgement.origin == Origin.EXPIRY) {
                log.debug("The release of {} after its lock expired was refused, as expected: {}", acknowledgement.record,
                        error.toString());
            } else {
                if (failed == null) {
                    failed = new TreeSet<>();
                }
                failed.add(offset);
            }
        }
        for (AcknowledgeType type : AcknowledgeType.values()) {
            int count = confirmed[type.ordinal()];
            if (count == 0) {
                continue;
            }
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
        if (answered != null) {
            events.complete(answered, error);
        }
    }

    private Sent take(PartitionOffset place) {
        Sent first = sent.remove(place);
        if (first == null) {
            return null;
        }
        if (first.next != null) {
            sent.put(place, first.next);
            first.next = null;
        }
        size--;
        return first;
    }

    /** Fails what was never answered: the engine stopped before the broker's answer came. */
    void failAll(RuntimeException error) {
        List<CompletableFuture<Void>> unanswered = new ArrayList<>();
        for (Sent first : sent.values()) {
            for (Sent acknowledgement = first; acknowledgement != null; acknowledgement = acknowledgement.next) {
                unanswered.addAll(acknowledgement.futures);
            }
        }
        events.complete(unanswered, error);
        sent.clear();
        size = 0;
    }
}
