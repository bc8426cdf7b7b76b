package dev.kafkaconsumer.spring.actuate.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.spring.actuate.health.KafkaConsumersHealthContributor;
import dev.kafkaconsumer.spring.actuate.lag.LagTracker;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerRegistry;

/**
 * Auto-configuration of the {@code kafkaConsumers} health contributor; off with
 * {@code management.health.kafkaconsumers.enabled=false}.
 */
@AutoConfiguration(after = LagTrackerAutoConfiguration.class)
@ConditionalOnClass({ ConsumerContainer.class, HealthContributor.class })
@ConditionalOnBean(ConsumerContainerRegistry.class)
@ConditionalOnEnabledHealthIndicator("kafkaconsumers")
@EnableConfigurationProperties(KafkaConsumerHealthProperties.class)
public final class KafkaConsumersHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "kafkaConsumersHealthContributor")
    KafkaConsumersHealthContributor kafkaConsumersHealthContributor(ConsumerContainerRegistry registry,
            ObjectProvider<LagTracker> tracker, KafkaConsumerHealthProperties properties) {
        return new KafkaConsumersHealthContributor(registry, tracker.getIfAvailable(), properties.getDownOnLagStatus());
    }

}
