package dev.kafkaconsumer.core.internal;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll of the consumer: it pauses the partitions the buffers cannot take (full, parked, paused by the
 * application, awaiting a seek, held back while caught up) and resumes the others, polls, hands the records to the buffers with the
 * fetch state they came with (end offsets, poll time), and serves waiting asynchronous gets; it has the
 * {@link TopicIdWatch} look at the assigned topics' ids. Errors of the
 * poll go to the {@link ErrorChannel}; those that recur on every poll (an undefined start point, a broker
 * refusing the client) start a back-off, which doubles up to {@code retry.backoff.max.ms} and which a seek
 * ends. A static member's fencing (its {@code group.instance.id} taken by, or held by, another member) ends
 * polling for good: under the classic protocol a fenced consumer that polls again rejoins, takes the id back
 * and fences the other member, which does the same, for ever; the application learns of it at its next get
 * call and stops the engine.
 *
 * <p>Threads: the I/O thread only. What is not a {@link KafkaException} (an {@link Error} from a
 * deserializer or an interceptor, say) leaves {@link #poll} for the loop, which reports it and backs off.
 */
final class PollStep<K, V> {

    private static final Logger log = LoggerFactory.getLogger(PollStep.class);
    /** How long a fenced loop waits for a command (a stop) before it looks again. */
    private static final long MAX_FENCED_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Consumer<K, V> consumer;
    private final EngineConfig config;
    private final RecordBuffers<K, V> buffers;
    private final PendingGets<K, V> pendingGets;
    private final EndOffsetsProbe probe;
    private final TopicIdWatch topicIds;
    private final ErrorChannel errors;
    private final Time time;
    private long backoffUntilNanos;
    private int consecutiveErrors;
    private boolean fenced;

    PollStep(Consumer<K, V> consumer, EngineConfig config, RecordBuffers<K, V> buffers, PendingGets<K, V> pendingGets,
            EndOffsetsProbe probe, TopicIdWatch topicIds, ErrorChannel errors, Time time) {
        this.consumer = consumer;
        this.config = config;
        this.buffers = buffers;
        this.pendingGets = pendingGets;
        this.probe = probe;
        this.topicIds = topicIds;
        this.errors = errors;
        this.time = time;
        this.backoffUntilNanos = time.nanoseconds();
    }

    /** How long the back-off still lasts; zero or less when the consumer may be polled. */
    long backOffRemaining(long nowNanos) {
        return fenced ? MAX_FENCED_WAIT_NANOS : backoffUntilNanos - nowNanos;
    }

    /**
     * Polls once, for up to {@code timeout}, or until the plan's hold of caught-up partitions has run its course, when
     * the plan must be made again (see {@link FetchHold}).
     */
    void poll(Duration timeout) {
        pauseAndResume();
        long untilHoldEnds = buffers.nanosUntilHoldEnds();
        if (untilHoldEnds < timeout.toNanos()) {
            timeout = Duration.ofNanos(untilHoldEnds);
        }
        ConsumerRecords<K, V> records = ConsumerRecords.empty();
        try {
            records = consumer.poll(timeout);
            consecutiveErrors = 0;
        } catch (WakeupException e) {
            // a command, a stop, or room in a buffer: look again
        } catch (RecordDeserializationException e) {
            log.warn("[{}] Record at {} offset {} cannot be deserialized; it is reported once and skipped",
                    config.clientId(), e.topicPartition(), e.offset());
            buffers.addError(e);
            consumer.seek(e.topicPartition(), e.offset() + 1);
            pendingGets.serve();
        } catch (InvalidOffsetException e) {
            // the consumer throws this on every poll until the application seeks: report it once, and
            // poll again only after a back-off, which a seek cuts short
            if (buffers.markAwaitingSeek(e.partitions())) {
                errors.deliver(e);
            }
            backOff();
        } catch (FencedInstanceIdException | UnreleasedInstanceIdException e) {
            log.error("[{}] Fenced, this consumer polls no more: {}", config.clientId(), e.toString());
            fenced = true;
            errors.deliver(e);
        } catch (KafkaException e) {
            log.warn("[{}] Poll failed: {}", config.clientId(), e.toString());
            errors.deliver(e);
            backOff();
        }
        if (addFetched(records)) {
            pendingGets.serve();
        }
    }

    /** Pauses and resumes partitions as the buffers' plan says ({@link FetchPlan#changes}). */
    private void pauseAndResume() {
        FetchPlan.Changes changes = buffers.planFetching().changes(consumer.assignment(), consumer.paused());
        if (!changes.pause().isEmpty()) {
            consumer.pause(changes.pause());
        }
        if (!changes.resume().isEmpty()) {
            consumer.resume(changes.resume());
        }
    }

    /** Hands the poll's records to the buffers together with the fetch state they came with. */
    private boolean addFetched(ConsumerRecords<K, V> records) {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return buffers.addFetched(records);
        }
        topicIds.check(assigned);
        Set<TopicPartition> fetched = new HashSet<>(assigned);
        fetched.removeAll(consumer.paused());
        boolean added = buffers.addFetched(records, probe.read(assigned), fetched, time.milliseconds());
        buffers.drainTruncations().forEach(this::reportTruncation);
        return added;
    }

    /**
     * Reports, once, that kafka-clients moved a partition back by itself: with {@code auto.offset.reset} earliest or
     * latest it does so silently (an INFO line of its own) when leader-epoch validation finds the log truncated
     * below the position, and goes on from where the new leader's log ends; records written there from then on are
     * new ones, at offsets the lost records had. The buffers dropped what they held at and above that offset.
     */
    private void reportTruncation(RecordBuffers.Truncation truncation) {
        log.warn("[{}] The log of {} was truncated below this consumer's position (an unclean leader election lost records"
                + " the old leader had acknowledged, most likely): the next record was expected at offset {}, the offset last"
                + " committed by this consumer is {}, and the partition now goes on from offset {} (its new log end{}); records"
                + " from offset {} on are read and committed again from there, not from the beginning", config.clientId(),
                truncation.partition(), truncation.expected(),
                truncation.committed() == PartitionBuffer.UNKNOWN ? "none" : String.valueOf(truncation.committed()),
                truncation.resumedAt(), truncation.highWatermark() == PartitionBuffer.UNKNOWN ? ""
                        : "; high-water mark " + truncation.highWatermark(), truncation.resumedAt());
    }

    /** Ends a back-off early: the application did something (a seek) that may cure the error. */
    void resetBackOff() {
        consecutiveErrors = 0;
        backoffUntilNanos = time.nanoseconds();
    }

    /** Waits before the next poll: {@code retry.backoff.ms}, doubled for each error in a row, at most {@code retry.backoff.max.ms}. */
    void backOff() {
        consecutiveErrors++;
        long backoff = config.retryBackoff().toNanos() << Math.min(consecutiveErrors - 1, 20);
        backoffUntilNanos = time.nanoseconds() + Math.min(backoff, config.retryBackoffMax().toNanos());
    }
}
