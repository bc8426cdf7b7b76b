package dev.kafkaconsumer.spring.actuate.observation;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerLifecycle;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerRegistry;
import dev.kafkaconsumer.spring.autoconfigure.ContainerCustomizer;
import dev.kafkaconsumer.spring.autoconfigure.ContainerSettings;
import dev.kafkaconsumer.spring.autoconfigure.ShareConsumerContainerLifecycle;
import dev.kafkaconsumer.spring.autoconfigure.ShareContainerCustomizer;
import dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;

/**
 * Observes every handler call of every container, share containers included ({@link ObservationInterceptor}) when {@code kafka.consumer.observation.enabled}
 * is true and an {@link ObservationRegistry} exists, with the {@link KafkaConsumerObservationConvention} bean
 * when there is one. Off by default: an observation per record costs.
 */
@AutoConfiguration(after = KafkaConsumerAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ObservationRegistry.class, ConsumerContainer.class})
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty("kafka.consumer.observation.enabled")
public final class KafkaConsumerObservationAutoConfiguration {

    @Bean
    ContainerCustomizer kafkaConsumerObservationCustomizer(ObservationRegistry registry,
            ObjectProvider<KafkaConsumerObservationConvention> convention,
            ObjectProvider<ConsumerContainerRegistry> containers) {
        return (id, builder) -> builder.interceptor(
                new ObservationInterceptor(registry, groupId(containers.getIfAvailable(), id), convention.getIfUnique()));
    }

    @Bean
    ShareContainerCustomizer kafkaConsumerShareObservationCustomizer(ObservationRegistry registry,
            ObjectProvider<KafkaConsumerObservationConvention> convention,
            ObjectProvider<ConsumerContainerRegistry> containers) {
        return (id, builder) -> builder.interceptor(
                new ObservationInterceptor(registry, groupId(containers.getIfAvailable(), id), convention.getIfUnique()));
    }

    /** The group the container was configured with; a container is built when it starts, after its bean exists. */
    private static @Nullable String groupId(@Nullable ConsumerContainerRegistry containers, String id) {
        if (containers == null) {
            return null;
        }
        return containers.find(id)
            .map(ConsumerContainerLifecycle::settings)
            .or(() -> containers.findShare(id).map(ShareConsumerContainerLifecycle::settings))
            .map(ContainerSettings::groupId)
            .orElse(null);
    }
}
