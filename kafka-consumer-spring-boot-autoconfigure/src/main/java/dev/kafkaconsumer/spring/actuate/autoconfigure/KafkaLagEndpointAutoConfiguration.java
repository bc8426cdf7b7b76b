package dev.kafkaconsumer.spring.actuate.autoconfigure;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.spring.actuate.endpoint.KafkaLagEndpoint;
import dev.kafkaconsumer.spring.actuate.lag.LagTracker;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerRegistry;

/**
 * Auto-configuration of the {@code kafkalag} endpoint, when lag is tracked.
 */
@AutoConfiguration(after = LagTrackerAutoConfiguration.class)
@ConditionalOnClass({ ConsumerContainer.class, Endpoint.class })
@ConditionalOnBean({ ConsumerContainerRegistry.class, LagTracker.class })
@ConditionalOnAvailableEndpoint(KafkaLagEndpoint.class)
public final class KafkaLagEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    KafkaLagEndpoint kafkaLagEndpoint(ConsumerContainerRegistry registry, LagTracker tracker) {
        return new KafkaLagEndpoint(registry, tracker);
    }

}
