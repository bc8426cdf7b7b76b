package dev.kafkaconsumer.spring.actuate.observation;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.spring.autoconfigure.ContainerCustomizer;
import dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;

/**
 * Observes every handler call ({@link ObservationInterceptor}) when {@code kafka.consumer.observation.enabled}
 * is true and an {@link ObservationRegistry} exists. Off by default: an observation per record costs.
 */
@AutoConfiguration(after = KafkaConsumerAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ObservationRegistry.class, ConsumerContainer.class})
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty("kafka.consumer.observation.enabled")
public final class KafkaConsumerObservationAutoConfiguration {

    @Bean
    ContainerCustomizer kafkaConsumerObservationCustomizer(ObservationRegistry registry) {
        ObservationInterceptor interceptor = new ObservationInterceptor(registry);
        return (id, builder) -> builder.interceptor(interceptor);
    }
}
