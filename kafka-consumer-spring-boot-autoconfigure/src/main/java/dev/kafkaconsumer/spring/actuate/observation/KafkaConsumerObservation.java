package dev.kafkaconsumer.spring.actuate.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of kafka-consumer and their key names, which follow OpenTelemetry's semantic conventions
 * for messaging spans (a process span of Kafka). The names and values come from the
 * {@link KafkaConsumerObservationConvention} in use, {@link DefaultKafkaConsumerObservationConvention} unless
 * replaced.
 */
public enum KafkaConsumerObservation implements ObservationDocumentation {

    /** One handler call: a record, or a batch of one partition, observed until its stage completes. */
    PROCESS {

        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultKafkaConsumerObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return LowCardinalityKeyNames.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeyNames.values();
        }

    };

    /** Keys with few values, on the spans and the timer alike. */
    public enum LowCardinalityKeyNames implements KeyName {

        /** The messaging system: {@code kafka}. */
        MESSAGING_SYSTEM("messaging.system"),

        /** The operation: {@code process}. */
        MESSAGING_OPERATION_NAME("messaging.operation.name"),

        /** The kind of operation: {@code process}. */
        MESSAGING_OPERATION_TYPE("messaging.operation.type"),

        /** The topic of the record. */
        MESSAGING_DESTINATION_NAME("messaging.destination.name"),

        /** The consumer group, or {@code none} for a container without one. */
        MESSAGING_CONSUMER_GROUP_NAME("messaging.consumer.group.name"),

        /** The name of the container that handled the record. */
        CONTAINER("kafka.consumer.container");

        private final String name;

        LowCardinalityKeyNames(String name) {
            this.name = name;
        }

        @Override
        public String asString() {
            return this.name;
        }

    }

    /** Keys with many values, on the spans only. */
    public enum HighCardinalityKeyNames implements KeyName {

        /** The partition of the record. */
        MESSAGING_DESTINATION_PARTITION_ID("messaging.destination.partition.id"),

        /** The offset of the record, the first of a batch. */
        MESSAGING_KAFKA_OFFSET("messaging.kafka.offset"),

        /** How many records a batch call handles; absent for a call with one record. */
        MESSAGING_BATCH_MESSAGE_COUNT("messaging.batch.message_count");

        private final String name;

        HighCardinalityKeyNames(String name) {
            this.name = name;
        }

        @Override
        public String asString() {
            return this.name;
        }

    }

}
