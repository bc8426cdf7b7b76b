package dev.kafkaconsumer.spring.actuate.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.spring.actuate.autoconfigure.LagTrackerAutoConfiguration;
import dev.kafkaconsumer.spring.actuate.lag.LagTracker;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerRegistry;
import dev.kafkaconsumer.spring.autoconfigure.ContainerCustomizer;
import dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerAutoConfiguration;
import dev.kafkaconsumer.spring.autoconfigure.ShareContainerCustomizer;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Micrometer meters for every container, when a {@link MeterRegistry} exists: see {@link ContainerMeters}, the
 * state gauges of {@link ContainerStateGauges}, and the time-lag and lag-status gauges of {@link TimeLagGauges} and
 * {@link LagStatusGauges} when the lag tracker runs.
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
    LagStatusGauges kafkaConsumerLagStatusGauges(MeterRegistry registry, LagTracker tracker) {
        return new LagStatusGauges(registry, tracker);
    }

    @Bean
    @ConditionalOnBean(ConsumerContainerRegistry.class)
    @ConditionalOnMissingBean
    ContainerStateGauges kafkaConsumerContainerStateGauges(ConsumerContainerRegistry containers) {
        // bound by Spring Boot once every singleton exists, so every container bean is there to be listed
        return new ContainerStateGauges(() -> {
            Map<String, Supplier<ContainerState>> states = new LinkedHashMap<>();
            containers.all().forEach(container -> states.put(container.id(), container::state));
            containers.shareContainers().forEach(container -> states.put(container.id(), container::state));
            return states;
        });
    }

    @Bean
    @ConditionalOnBean(LagTracker.class)
    @ConditionalOnMissingBean
    TimeLagGauges kafkaConsumerTimeLagGauges(MeterRegistry registry, LagTracker tracker) {
        return new TimeLagGauges(registry, tracker);
    }
}
