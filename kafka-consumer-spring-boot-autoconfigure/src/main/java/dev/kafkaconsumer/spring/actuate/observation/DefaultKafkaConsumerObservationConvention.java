package dev.kafkaconsumer.spring.actuate.observation;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.kafkaconsumer.spring.actuate.observation.KafkaConsumerObservation.HighCardinalityKeyNames;
import dev.kafkaconsumer.spring.actuate.observation.KafkaConsumerObservation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default {@link KafkaConsumerObservationConvention}: the observation {@code kafka.consumer.process},
 * named {@code process <topic>} as a span, with OpenTelemetry's messaging key names. Low cardinality
 * ({@code messaging.system=kafka}, {@code messaging.operation.name=process},
 * {@code messaging.operation.type=process}, {@code messaging.destination.name}, {@code messaging.consumer.group.name}
 * and {@code kafka.consumer.container}) go on the timer as tags too; the partition, the offset and the size of a
 * batch are high cardinality, on the span only. The record key is left out: it may be personal data, and it
 * has as many values as there are records.
 */
public class DefaultKafkaConsumerObservationConvention implements KafkaConsumerObservationConvention {

    /** A shared instance. */
    public static final DefaultKafkaConsumerObservationConvention INSTANCE = new DefaultKafkaConsumerObservationConvention();

    private static final KeyValue SYSTEM = LowCardinalityKeyNames.MESSAGING_SYSTEM.withValue("kafka");

    private static final KeyValue OPERATION_NAME = LowCardinalityKeyNames.MESSAGING_OPERATION_NAME.withValue("process");

    private static final KeyValue OPERATION_TYPE = LowCardinalityKeyNames.MESSAGING_OPERATION_TYPE.withValue("process");

    @Override
    public String getName() {
        return ObservationInterceptor.OBSERVATION_NAME;
    }

    @Override
    public String getContextualName(RecordObservationContext context) {
        return "process " + context.record().topic();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(RecordObservationContext context) {
        String group = context.groupId();
        // always the same keys, so that a timer's tags do not differ between containers with and without a group
        return KeyValues.of(SYSTEM, OPERATION_NAME, OPERATION_TYPE,
                LowCardinalityKeyNames.MESSAGING_DESTINATION_NAME.withValue(context.record().topic()),
                (group != null) ? LowCardinalityKeyNames.MESSAGING_CONSUMER_GROUP_NAME.withValue(group)
                        : LowCardinalityKeyNames.MESSAGING_CONSUMER_GROUP_NAME.withNoneValue(),
                LowCardinalityKeyNames.CONTAINER.withValue(context.container()));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(RecordObservationContext context) {
        ConsumerRecord<?, ?> record = context.record();
        KeyValues values = KeyValues.of(
                HighCardinalityKeyNames.MESSAGING_DESTINATION_PARTITION_ID.withValue(String.valueOf(record.partition())),
                HighCardinalityKeyNames.MESSAGING_KAFKA_OFFSET.withValue(String.valueOf(record.offset())));
        return (context.records() > 1)
                ? values.and(HighCardinalityKeyNames.MESSAGING_BATCH_MESSAGE_COUNT.withValue(String.valueOf(context.records())))
                : values;
    }

}
