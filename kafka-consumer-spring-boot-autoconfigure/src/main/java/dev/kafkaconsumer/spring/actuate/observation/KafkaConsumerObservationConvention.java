package dev.kafkaconsumer.spring.actuate.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The names and key values of the {@link KafkaConsumerObservation#PROCESS} observations. Declare a bean of
 * this type to replace {@link DefaultKafkaConsumerObservationConvention} (extend it to add a key value, such
 * as the record key as a high-cardinality one), or pass one to
 * {@link ObservationInterceptor#ObservationInterceptor(io.micrometer.observation.ObservationRegistry, String, KafkaConsumerObservationConvention)}.
 */
public interface KafkaConsumerObservationConvention extends ObservationConvention<RecordObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof RecordObservationContext;
    }

}
