package dev.kafkaconsumer.spring.actuate.metrics;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.spring.actuate.autoconfigure.LagTrackerAutoConfiguration;
import dev.kafkaconsumer.spring.actuate.lag.LagTracker;
import dev.kafkaconsumer.spring.autoconfigure.ContainerCustomizer;
import dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerAutoConfiguration;
import dev.kafkaconsumer.spring.autoconfigure.ShareContainerCustomizer;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Micrometer meters for every container, when a {@link MeterRegistry} exists: see {@link ContainerMeters},
 * and the time-lag gauges of {@link TimeLagGauges} when the lag tracker runs.
 */
@AutoConfiguration(after = {KafkaConsumerAutoConfiguration.class, LagTrackerAutoConfiguration.class},
        afterName = {"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, ConsumerContainer.class})
@ConditionalOnBean(MeterRegistry.class)
public final class KafkaConsumerMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ContainerMeters kafkaConsumerContainerMeters(MeterRegistry registry) {
        return new ContainerMeters(registry);
    }

    @Bean
    ContainerCustomizer kafkaConsumerMetricsCustomizer(ContainerMeters meters) {
        return (id, builder) -> builder.listener(meters);
    }

    @Bean
    ShareContainerCustomizer kafkaConsumerShareMetricsCustomizer(ContainerMeters meters) {
        return (id, builder) -> builder.listener(meters);
    }

    @Bean
    @ConditionalOnBean(LagTracker.class)
    @ConditionalOnMissingBean
    TimeLagGauges kafkaConsumerTimeLagGauges(MeterRegistry registry, LagTracker tracker) {
        return new TimeLagGauges(registry, tracker);
    }
}
