package dev.kafkaconsumer.core;

import java.time.Duration;
import java.util.Objects;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The acquisition lock of a record that a {@link ShareConsumerEngine} handed out expired before the record was
 * acknowledged: the broker has taken the record back and will deliver it again (to this consumer or another), so
 * the acknowledgement was not sent. A {@link AcquiredRecord#acknowledge} future fails with it; the expiry itself
 * was reported once to {@link ShareEngineListener#lockExpired} when the engine noticed it.
 */
public class AcquisitionLockExpiredException extends KafkaException {

    private static final long serialVersionUID = 1L;

    private final transient TopicPartition partition;
    private final long offset;
    private final int deliveryCount;
    private final Duration heldFor;

    /**
     * Creates the exception.
     *
     * @param partition     the record's partition
     * @param offset        the record's offset
     * @param deliveryCount the record's delivery count when it was acquired
     * @param heldFor       how long had passed since the record was acquired when its lock was found expired
     */
    public AcquisitionLockExpiredException(TopicPartition partition, long offset, int deliveryCount, Duration heldFor) {
        super("The acquisition lock of " + partition + "@" + offset + " (delivery " + deliveryCount + ") expired "
                + Objects.requireNonNull(heldFor, "heldFor").toMillis() + " ms after it was acquired; the broker "
                + "delivers the record again, so the acknowledgement was not sent. Acknowledge records within the "
                + "lock duration (share.record.lock.duration.ms), or keep lock renewal on");
        this.partition = Objects.requireNonNull(partition, "partition");
        this.offset = offset;
        this.deliveryCount = deliveryCount;
        this.heldFor = heldFor;
    }

    /**
     * Returns the record's partition.
     *
     * @return the partition
     */
    public TopicPartition partition() {
        return partition;
    }

    /**
     * Returns the record's offset.
     *
     * @return the offset
     */
    public long offset() {
        return offset;
    }

    /**
     * Returns the record's delivery count when it was acquired (1 on its first delivery).
     *
     * @return the delivery count
     */
    public int deliveryCount() {
        return deliveryCount;
    }

    /**
     * Returns how long had passed since the record was acquired when its lock was found expired.
     *
     * @return the time held
     */
    public Duration heldFor() {
        return heldFor;
    }
}
