package dev.kafkaconsumer.core;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Hears what a {@link ConsumerContainer} or a {@link ShareConsumerContainer} does, for metrics and tracing:
 * every method has an empty default, so a listener overrides only what it needs. Methods are called on the
 * container's own threads (workers, dispatcher, the engine's I/O thread for rebalances, the share engine's
 * callback thread for acknowledgements): keep them short and never block; an exception thrown from one is
 * logged and otherwise ignored.
 *
 * <p>A share container calls {@link #started(ShareConsumerContainer)}, {@link #stopped(ShareConsumerContainer)},
 * {@link #recordsTaken}, {@link #handled}, {@link #retrying}, {@link #processingTimedOut}, {@link #recovered},
 * {@link #acknowledged} and {@link #lockExpired}; a share group has no commits and no assignments, so never
 * {@link #committed}, {@link #assigned} nor {@link #unassigned}, and never the {@code ConsumerContainer} forms of
 * {@code started} and {@code stopped}. A consumer container never calls {@link #acknowledged} nor
 * {@link #lockExpired}.
 */
public interface ContainerListener {

    /** How one handler call ended. */
    enum Outcome {
        /** The handler completed. */
        SUCCESS,
        /** The handler threw or its stage failed; a retry or the recoverer follows. */
        FAILURE
    }

    /**
     * The container started; its {@link ConsumerContainer#metrics()} are available from now on.
     * Called on the thread that started it, before it takes any record; {@code stopped} always comes after it,
     * even when the container fails as it joins.
     *
     * @param container the container
     */
    default void started(ConsumerContainer<?, ?> container) {
    }

    /**
     * The container stopped, on purpose or because it failed.
     *
     * @param container the container
     */
    default void stopped(ConsumerContainer<?, ?> container) {
    }

    /**
     * The share container started; its {@link ShareConsumerContainer#metrics()} are available from now on.
     * Called on the thread that started it, before it takes any record; {@code stopped} always comes after it,
     * even when the container fails as it joins.
     *
     * @param container the share container
     */
    default void started(ShareConsumerContainer<?, ?> container) {
    }

    /**
     * The share container stopped, on purpose or because it failed.
     *
     * @param container the share container
     */
    default void stopped(ShareConsumerContainer<?, ?> container) {
    }

    /**
     * Records were taken from the engine for handling.
     *
     * @param container the container's name
     * @param partition their partition
     * @param count     how many
     */
    default void recordsTaken(String container, TopicPartition partition, int count) {
    }

    /**
     * A handler call (one record, or a batch) ended.
     *
     * @param container the container's name
     * @param partition the records' partition
     * @param records   how many records the call handled
     * @param duration  how long it took, to the completion of its stage
     * @param outcome   how it ended
     */
    default void handled(String container, TopicPartition partition, int records, Duration duration, Outcome outcome) {
    }

    /**
     * A failed call will be retried after a back-off.
     *
     * @param container the container's name
     * @param partition the records' partition
     * @param attempt   the attempt that failed, from 1
     */
    default void retrying(String container, TopicPartition partition, int attempt) {
    }

    /**
     * A handler call ran over the container's processing timeout
     * ({@link ConsumerContainer.Builder#processingTimeout(Duration)}); its worker thread is being
     * interrupted. Called once per call, on the container's watchdog thread.
     *
     * @param container the container's name
     * @param partition the record's partition
     * @param offset    the record's offset (the first, for a batch)
     * @param elapsed   how long the call had run
     */
    default void processingTimedOut(String container, TopicPartition partition, long offset, Duration elapsed) {
    }

    /**
     * A record was given to the recoverer, which took it.
     *
     * @param container the container's name
     * @param failed    the record and why it failed
     * @param recoverer {@link Recoverer#kind()} of the recoverer
     */
    default void recovered(String container, FailedRecord<?, ?> failed, String recoverer) {
    }

    /**
     * A commit ended. A transactional container never calls this: its offsets are committed in transactions
     * ({@link #transactionCommitted}).
     *
     * @param container the container's name
     * @param offsets   what was committed
     * @param failure   why it failed, or {@code null} when it succeeded
     */
    default void committed(String container, Map<TopicPartition, OffsetAndMetadata> offsets, Throwable failure) {
    }

    /**
     * A transactional container committed a transaction: the outputs of {@code records} input records, and
     * the offsets after them. Called on the container's transaction thread ({@code kafka-consumer-txn-<name>}).
     *
     * @param container the container's name
     * @param offsets   the offsets the transaction committed, by partition
     * @param records   the input records whose outputs it carried
     */
    default void transactionCommitted(String container, Map<TopicPartition, OffsetAndMetadata> offsets, int records) {
    }

    /**
     * A transactional container aborted a transaction (or could not begin or commit one): nothing of it is
     * visible to {@code read_committed} readers, and the records in it are handled again from the committed
     * offsets. Called on the container's transaction thread.
     *
     * @param container the container's name
     * @param cause     why
     */
    default void transactionAborted(String container, Throwable cause) {
    }

    /**
     * Partitions were assigned to the container.
     *
     * @param container  the container's name
     * @param partitions the new partitions
     */
    default void assigned(String container, Collection<TopicPartition> partitions) {
    }

    /**
     * Partitions were taken from the container, revoked or lost.
     *
     * @param container  the container's name
     * @param partitions the partitions
     * @param lost       whether they were lost (taken without a chance to commit) rather than revoked
     */
    default void unassigned(String container, Collection<TopicPartition> partitions, boolean lost) {
    }

    /**
     * The broker confirmed acknowledgements of a share container's records (share containers only).
     *
     * @param container the container's name
     * @param partition the records' partition
     * @param type      how they were acknowledged: {@code ACCEPT}, {@code RELEASE} or {@code REJECT}
     * @param count     how many
     */
    default void acknowledged(String container, TopicPartition partition, AcknowledgeType type, int count) {
    }

    /**
     * A share container's record was not acknowledged before its acquisition lock expired: the broker took it
     * back, for another delivery (share containers only). Its acknowledgement, if one comes, is not sent.
     *
     * @param container     the container's name
     * @param partition     the record's partition
     * @param offset        the record's offset
     * @param deliveryCount the delivery whose lock expired
     */
    default void lockExpired(String container, TopicPartition partition, long offset, int deliveryCount) {
    }
}
