package dev.kafkaconsumer.core.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.internals.SubscriptionState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the high-water mark and last stable offset that the consumer took from its latest fetch
 * response for each partition, without a request to the broker.
 *
 * <p>kafka-clients keeps both in its subscription state but exposes only one of them, through
 * {@code currentLag} (the high-water mark under read_uncommitted, the last stable offset under
 * read_committed). So the probe has two ways, and says once, when the engine is built, which one it
 * took:
 * <ul>
 * <li>the consumer's fetch state ({@link SubscriptionState}, read by reflection): both values;</li>
 * <li>the public API ({@code position + currentLag}, read together on the I/O thread): the value of the
 * consumer's isolation level only, the other one unknown. This is where the probe falls back when a
 * kafka-clients release moves its internals, rather than failing: readers of internals (Parallel
 * Consumer's among them) have stranded their users on upgrades before.</li>
 * </ul>
 *
 * <p>Threads: built on the thread that builds the engine; read on the I/O thread only, like the consumer.
 */
final class EndOffsetsProbe {

    private static final Logger log = LoggerFactory.getLogger(EndOffsetsProbe.class);

    /** Where the values come from. */
    enum Source { FETCH_STATE, CURRENT_LAG }

    /**
     * A partition's end offsets and lag, as the consumer's latest fetch response left them; each
     * {@link PartitionBuffer#UNKNOWN} while unknown.
     *
     * @param highWatermark    the high-water mark
     * @param lastStableOffset the last stable offset
     * @param lag              the records beyond the consumer's fetch position, under its isolation level
     */
    record Ends(long highWatermark, long lastStableOffset, long lag) {

        static final Ends UNKNOWN = new Ends(PartitionBuffer.UNKNOWN, PartitionBuffer.UNKNOWN, PartitionBuffer.UNKNOWN);
    }

    private final Consumer<?, ?> consumer;
    private final IsolationLevel isolationLevel;
    private final SubscriptionState subscriptions;

    /** A probe that reads the fetch state when it can, and falls back to the public API otherwise. */
    EndOffsetsProbe(Consumer<?, ?> consumer, IsolationLevel isolationLevel, String clientId) {
        this(consumer, isolationLevel, clientId, Source.FETCH_STATE);
    }

    /**
     * @param preferred {@link Source#CURRENT_LAG} to use the public API even where the fetch state is readable
     */
    EndOffsetsProbe(Consumer<?, ?> consumer, IsolationLevel isolationLevel, String clientId, Source preferred) {
        this.consumer = consumer;
        this.isolationLevel = isolationLevel;
        this.subscriptions = preferred == Source.FETCH_STATE ? findSubscriptionState(consumer, clientId) : null;
        if (subscriptions != null) {
            log.info("[{}] High-water marks and last stable offsets are read from the consumer's fetch state", clientId);
        } else {
            log.info("[{}] {} is read through currentLag and position; {} is unknown", clientId,
                    isolationLevel == IsolationLevel.READ_COMMITTED ? "The last stable offset" : "The high-water mark",
                    isolationLevel == IsolationLevel.READ_COMMITTED ? "the high-water mark" : "the last stable offset");
        }
    }

    /** Which way the probe reads. */
    Source source() {
        return subscriptions != null ? Source.FETCH_STATE : Source.CURRENT_LAG;
    }

    private static SubscriptionState findSubscriptionState(Consumer<?, ?> consumer, String clientId) {
        try {
            return (SubscriptionState) ConsumerInternals.field(consumer, "subscriptions");
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("[{}] Cannot read the fetch state of {} ({}); highwater and lastStableOffset fall back to currentLag",
                    clientId, consumer.getClass().getName(), e.toString());
            return null;
        }
    }

    /**
     * Returns, for each partition, its end offsets and lag, each {@link PartitionBuffer#UNKNOWN} before the first
     * fetch response. Called on the I/O thread.
     */
    Map<TopicPartition, Ends> read(Collection<TopicPartition> assigned) {
        Map<TopicPartition, Ends> result = new HashMap<>();
        for (TopicPartition partition : assigned) {
            try {
                result.put(partition, subscriptions != null ? fromState(partition) : fromLag(partition));
            } catch (IllegalStateException e) {
                // no longer assigned inside the consumer: a rebalance is completing
            }
        }
        return result;
    }

    private Ends fromState(TopicPartition partition) {
        Long high = subscriptions.partitionEndOffset(partition, IsolationLevel.READ_UNCOMMITTED);
        Long stable = subscriptions.partitionEndOffset(partition, IsolationLevel.READ_COMMITTED);
        Long lag = subscriptions.partitionLag(partition, isolationLevel);
        return new Ends(orUnknown(high), orUnknown(stable), orUnknown(lag));
    }

    private Ends fromLag(TopicPartition partition) {
        OptionalLong lag = consumer.currentLag(partition);
        long end = PartitionBuffer.UNKNOWN;
        if (lag.isPresent()) {
            try {
                // the lag is measured from the fetch position, which this same thread moves: the sum is the end
                end = consumer.position(partition, Duration.ZERO) + lag.getAsLong();
            } catch (TimeoutException e) {
                // no position yet, so no end offset either
            }
        }
        long records = end == PartitionBuffer.UNKNOWN ? PartitionBuffer.UNKNOWN : lag.getAsLong();
        return isolationLevel == IsolationLevel.READ_COMMITTED
                ? new Ends(PartitionBuffer.UNKNOWN, end, records)
                : new Ends(end, PartitionBuffer.UNKNOWN, records);
    }

    private static long orUnknown(Long value) {
        return value == null ? PartitionBuffer.UNKNOWN : value;
    }
}
