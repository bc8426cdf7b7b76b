package dev.kafkaconsumer.spring.actuate.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.spring.actuate.endpoint.KafkaConsumersEndpoint;
import dev.kafkaconsumer.spring.actuate.endpoint.KafkaConsumersEndpointWebExtension;
import dev.kafkaconsumer.spring.actuate.lag.LagTracker;
import dev.kafkaconsumer.spring.actuate.lag.ShareGroupLagSampler;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerRegistry;

/**
 * Auto-configuration of the {@code kafkaconsumers} endpoint: read-only unless
 * {@code management.endpoint.kafkaconsumers.access=unrestricted}.
 */
@AutoConfiguration(after = LagTrackerAutoConfiguration.class)
@ConditionalOnClass({ ConsumerContainer.class, Endpoint.class })
@ConditionalOnBean(ConsumerContainerRegistry.class)
@ConditionalOnAvailableEndpoint(KafkaConsumersEndpoint.class)
public final class KafkaConsumersEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    KafkaConsumersEndpoint kafkaConsumersEndpoint(ConsumerContainerRegistry registry,
            ObjectProvider<LagTracker> lagTracker, ObjectProvider<ShareGroupLagSampler> shareLag) {
        return new KafkaConsumersEndpoint(registry, lagTracker, shareLag);
    }

    /** Answers 404 to actions on unknown containers over HTTP. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnAvailableEndpoint(endpoint = KafkaConsumersEndpoint.class, exposure = EndpointExposure.WEB)
    static class WebExtensionConfiguration {

        @Bean
        @ConditionalOnMissingBean
        KafkaConsumersEndpointWebExtension kafkaConsumersEndpointWebExtension(KafkaConsumersEndpoint endpoint) {
            return new KafkaConsumersEndpointWebExtension(endpoint);
        }

    }

}
