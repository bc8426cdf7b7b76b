package dev.kafkaconsumer.core.internal;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.utils.Time;

/**
 * What a command may use while it runs: the consumer and the I/O thread's collaborators. Handed to
 * {@link IoCommand#execute} on the I/O thread only; none of it may be kept or used from another thread,
 * except the buffers, which are thread-safe.
 *
 * @param consumer    the consumer, which only the I/O thread touches
 * @param buffers     the record buffers
 * @param assignments the subscription and assignment, as applied to the consumer
 * @param commits     synchronous and asynchronous commits
 * @param poll        the poll step, whose back-off a seek ends
 * @param config      the engine's configuration
 * @param time        the engine's clock
 */
record IoContext(Consumer<?, ?> consumer, RecordBuffers<?, ?> buffers, Assignments<?, ?> assignments,
        OffsetCommits commits, PollStep<?, ?> poll, EngineConfig config, Time time) {
}
