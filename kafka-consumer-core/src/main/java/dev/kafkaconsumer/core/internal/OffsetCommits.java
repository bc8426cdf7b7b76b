package dev.kafkaconsumer.core.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaconsumer.core.ConsumerStoppedException;

/**
 * The engine's commits: synchronous ones for {@code commit()}, revocations and the stop; asynchronous ones
 * for {@code commitAsync()} and auto-commit, which commits consumed positions every
 * {@code auto.commit.interval.ms} by the engine's clock. Whatever the broker accepted is marked committed
 * in the buffers, so that auto-commit does not send it again.
 *
 * <p>Threads: the I/O thread only (commands, the loop, the rebalance bridge), like the consumer it calls.
 */
final class OffsetCommits implements RebalanceBridge.PositionCommitter {

    private static final Logger log = LoggerFactory.getLogger(OffsetCommits.class);

    private final Consumer<?, ?> consumer;
    private final RecordBuffers<?, ?> buffers;
    private final EngineConfig config;
    private final Time time;
    private final StopRequest stop;
    private long nextAutoCommitNanos;

    OffsetCommits(Consumer<?, ?> consumer, RecordBuffers<?, ?> buffers, EngineConfig config, Time time, StopRequest stop) {
        this.consumer = consumer;
        this.buffers = buffers;
        this.config = config;
        this.time = time;
        this.stop = stop;
        this.nextAutoCommitNanos = time.nanoseconds() + Durations.nanos(config.autoCommitInterval());
    }

    /** Starts the auto-commit interval again from now; as the I/O thread starts. */
    void restartAutoCommitInterval(long nowNanos) {
        nextAutoCommitNanos = nowNanos + Durations.nanos(config.autoCommitInterval());
    }

    @Override
    public void commitQuietly(Map<TopicPartition, OffsetAndMetadata> offsets, String reason) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            commitSync(offsets, config.defaultApiTimeout());
        } catch (KafkaException e) {
            log.warn("[{}] Could not commit {} {}: {}", config.clientId(), offsets, reason, e.toString());
        }
    }

    /**
     * Commits and remembers what was committed, within {@code timeout}. Once stopping, every commit (the
     * final one, those of the last revocation) fits in the close timeout; and a commit that was already
     * waiting for the broker when the stop came is abandoned, not retried, since it would otherwise hold the
     * stop for {@code default.api.timeout.ms} with the brokers gone (the stop makes its own final commit).
     *
     * @param timeout the longest the commit may take: what is left of its caller's deadline
     */
    void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        long start = time.nanoseconds();
        while (true) {
            boolean stopping = stop.requested();
            Duration left = timeout.minusNanos(time.nanoseconds() - start);
            Duration limit = stopping && stop.closeTimeout().compareTo(left) < 0 ? stop.closeTimeout() : left;
            try {
                consumer.commitSync(offsets, limit.isNegative() ? Duration.ZERO : limit);
                break;
            } catch (WakeupException e) {
                if (!stopping && stop.requested()) {
                    throw new ConsumerStoppedException("The consumer engine is stopping; the commit of " + offsets
                            + " was abandoned");
                }
                // meant for a poll; commit again
            }
        }
        buffers.markCommitted(offsets);
    }

    /**
     * Sends a commit without waiting; {@code done} hears of the outcome, on the I/O thread, during a later
     * call to the consumer.
     */
    void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, BiConsumer<Map<TopicPartition, OffsetAndMetadata>, Exception> done) {
        consumer.commitAsync(offsets, (committed, error) -> {
            if (error == null) {
                buffers.markCommitted(committed);
            }
            done.accept(committed, error);
        });
    }

    /** How long until the next auto-commit is due; {@link Long#MAX_VALUE} without auto-commit. */
    long nanosUntilAutoCommit(long nowNanos) {
        return config.autoCommit() ? Math.max(0, nextAutoCommitNanos - nowNanos) : Long.MAX_VALUE;
    }

    /** Commits the consumed positions not yet committed, asynchronously, when the interval has passed. */
    void maybeAutoCommit(long nowNanos) {
        if (!config.autoCommit() || nowNanos - nextAutoCommitNanos < 0) {
            return;
        }
        nextAutoCommitNanos = nowNanos + Durations.nanos(config.autoCommitInterval());
        Map<TopicPartition, OffsetAndMetadata> offsets = buffers.uncommittedPositions(List.of());
        if (offsets.isEmpty()) {
            return;
        }
        commitAsync(offsets, (committed, error) -> {
            if (error != null) {
                log.warn("[{}] Auto-commit of {} failed: {}", config.clientId(), offsets, error.toString());
            }
        });
    }

    /** The final commit of the stop, with auto-commit; quiet, since the stop goes on regardless. */
    void commitOnStop() {
        if (config.autoCommit()) {
            commitQuietly(buffers.uncommittedPositions(List.of()), "on stop");
        }
    }
}
