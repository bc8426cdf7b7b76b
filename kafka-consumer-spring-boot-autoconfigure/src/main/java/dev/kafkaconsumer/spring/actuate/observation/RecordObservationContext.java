package dev.kafkaconsumer.spring.actuate.observation;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;

/**
 * The observation context of one handler call: the record it handles is the carrier, so a tracer
 * continues the trace whose context the producer put in the record's headers ({@code traceparent},
 * {@code b3}, ...). A batch call carries its first record.
 */
public final class RecordObservationContext extends ReceiverContext<ConsumerRecord<?, ?>> {

    private final String container;
    private final @Nullable String groupId;
    private final ConsumerRecord<?, ?> record;
    private final int records;

    /**
     * Creates the context of a container without a consumer group.
     *
     * @param container the container's name
     * @param record    the record handled, or the first of a batch
     * @param records   how many records the call handles
     */
    public RecordObservationContext(String container, ConsumerRecord<?, ?> record, int records) {
        this(container, null, record, records);
    }

    /**
     * Creates the context.
     *
     * @param container the container's name
     * @param groupId   the container's consumer group, or {@code null} without one
     * @param record    the record handled, or the first of a batch
     * @param records   how many records the call handles
     */
    public RecordObservationContext(String container, @Nullable String groupId, ConsumerRecord<?, ?> record,
            int records) {
        super(RecordObservationContext::lastHeader, Kind.CONSUMER);
        this.container = container;
        this.groupId = groupId;
        this.record = record;
        this.records = records;
        setCarrier(record);
        setRemoteServiceName("kafka");
    }

    private static String lastHeader(ConsumerRecord<?, ?> carrier, String key) {
        Header header = carrier.headers().lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** @return the container's name */
    public String container() {
        return container;
    }

    /** @return the container's consumer group, or {@code null} without one */
    public @Nullable String groupId() {
        return groupId;
    }

    /** @return the record handled, or the first of a batch */
    public ConsumerRecord<?, ?> record() {
        return record;
    }

    /** @return how many records the call handles */
    public int records() {
        return records;
    }
}
