package dev.kafkaconsumer.core.internal;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
 * read_committed), and under the consumer group protocol that call is a round trip through the
 * consumer's background thread. This probe reads the subscription state directly; should a future
 * kafka-clients move it, the probe falls back to {@code currentLag} and reports the other value as
 * unknown, with one warning.
 */
final class EndOffsetsProbe {

    private static final Logger log = LoggerFactory.getLogger(EndOffsetsProbe.class);

    private final Consumer<?, ?> consumer;
    private final IsolationLevel isolationLevel;
    private final SubscriptionState subscriptions;

    EndOffsetsProbe(Consumer<?, ?> consumer, IsolationLevel isolationLevel) {
        this.consumer = consumer;
        this.isolationLevel = isolationLevel;
        this.subscriptions = findSubscriptionState(consumer);
    }

    private static SubscriptionState findSubscriptionState(Consumer<?, ?> consumer) {
        try {
            Object delegate = consumer;
            if (consumer instanceof KafkaConsumer) {
                delegate = field(KafkaConsumer.class, "delegate").get(consumer);
            }
            return (SubscriptionState) field(delegate.getClass(), "subscriptions").get(delegate);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("Cannot read high-water marks from {} ({}); highwater and lastStableOffset fall back to currentLag",
                    consumer.getClass().getName(), e.toString());
            return null;
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }

    /**
     * Returns, for each partition, {high-water mark, last stable offset}, each
     * {@link PartitionBuffer#UNKNOWN} before the first fetch response.
     */
    Map<TopicPartition, long[]> read(Collection<TopicPartition> assigned) {
        Map<TopicPartition, long[]> result = new HashMap<>();
        for (TopicPartition partition : assigned) {
            try {
                result.put(partition, subscriptions != null ? fromState(partition) : fromLag(partition));
            } catch (IllegalStateException e) {
                // no longer assigned inside the consumer: a rebalance is completing
            }
        }
        return result;
    }

    private long[] fromState(TopicPartition partition) {
        Long high = subscriptions.partitionEndOffset(partition, IsolationLevel.READ_UNCOMMITTED);
        Long stable = subscriptions.partitionEndOffset(partition, IsolationLevel.READ_COMMITTED);
        return new long[] {orUnknown(high), orUnknown(stable)};
    }

    private long[] fromLag(TopicPartition partition) {
        OptionalLong lag = consumer.currentLag(partition);
        long end = PartitionBuffer.UNKNOWN;
        if (lag.isPresent()) {
            try {
                end = consumer.position(partition, Duration.ZERO) + lag.getAsLong();
            } catch (TimeoutException e) {
                // no position yet, so no end offset either
            }
        }
        return isolationLevel == IsolationLevel.READ_COMMITTED
                ? new long[] {PartitionBuffer.UNKNOWN, end}
                : new long[] {end, PartitionBuffer.UNKNOWN};
    }

    private static long orUnknown(Long value) {
        return value == null ? PartitionBuffer.UNKNOWN : value;
    }
}
