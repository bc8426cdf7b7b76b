package dev.kafkaconsumer.spring.actuate.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.spring.actuate.lag.LagSampler;
import dev.kafkaconsumer.spring.actuate.lag.LagTracker;
import dev.kafkaconsumer.spring.actuate.lag.ShareGroupLagSampler;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerLifecycle;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerRegistry;
import dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerAutoConfiguration;

/**
 * Auto-configuration of the {@link LagTracker}, fed by a {@link LagSampler} with the snapshots of every
 * container: the source of the {@code kafkalag} endpoint, the health's lag statuses and the lag meters; and of the
 * {@link ShareGroupLagSampler}, which asks the broker for the lag of the share containers' share groups (the only
 * lag a share group has) every {@code kafka.consumer.lag.sample-interval}, for the {@code kafkaconsumers} endpoint.
 */
@AutoConfiguration(after = KafkaConsumerAutoConfiguration.class)
@ConditionalOnClass(ConsumerContainer.class)
@ConditionalOnBean(ConsumerContainerRegistry.class)
@ConditionalOnBooleanProperty(name = "kafka.consumer.lag.enabled", matchIfMissing = true)
@EnableConfigurationProperties(KafkaConsumerLagProperties.class)
public final class LagTrackerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LagTracker kafkaConsumerLagTracker(KafkaConsumerLagProperties properties) {
        return new LagTracker(properties.getWindow());
    }

    @Bean
    @ConditionalOnMissingBean
    ShareGroupLagSampler kafkaConsumerShareGroupLagSampler(ConsumerContainerRegistry registry,
            KafkaConsumerLagProperties properties) {
        return new ShareGroupLagSampler(registry::shareContainers, properties.getSampleInterval());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnMissingBean
    LagSampler kafkaConsumerLagSampler(LagTracker tracker, ConsumerContainerRegistry registry,
            KafkaConsumerLagProperties properties) {
        return new LagSampler(tracker,
                () -> registry.all().stream().map(ConsumerContainerLifecycle::snapshot).toList(),
                properties.getSampleInterval());
    }

}
