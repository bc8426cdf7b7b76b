package dev.kafkaconsumer.spring.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.kafkaconsumer.core.ConsumerContainer;

/**
 * Auto-configuration of the consumer containers: every {@code @RecordHandler} method becomes a
 * {@link ConsumerContainerLifecycle} bean, configured from {@code kafka.consumer.*} and listed in the
 * {@link ConsumerContainerRegistry}. While the context runs and holds a container, a thread that is not a
 * daemon keeps the application alive ({@code ContainerKeepAlive}).
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(ConsumerContainer.class)
@EnableConfigurationProperties(KafkaConsumerProperties.class)
public final class KafkaConsumerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    static RecordHandlerBeanPostProcessor recordHandlerBeanPostProcessor() {
        return new RecordHandlerBeanPostProcessor();
    }

    @Bean
    @ConditionalOnMissingBean
    ConsumerContainerFactory kafkaConsumerContainerFactory(KafkaConsumerProperties properties, Environment environment,
            ObjectProvider<ConnectionFallback> connectionFallback, ObjectProvider<ContainerCustomizer> customizers,
            ConfigurableListableBeanFactory beanFactory) {
        return new ConsumerContainerFactory(properties, environment, connectionFallback, customizers,
                new ContainerBeans(beanFactory));
    }

    @Bean
    @ConditionalOnMissingBean
    ConsumerContainerRegistry kafkaConsumerContainerRegistry(ObjectProvider<ConsumerContainerLifecycle> containers) {
        return new ConsumerContainerRegistry(containers);
    }

    @Bean
    @ConditionalOnMissingBean
    ContainerKeepAlive kafkaConsumerKeepAlive(ObjectProvider<ConsumerContainerLifecycle> containers) {
        return new ContainerKeepAlive(containers);
    }

    /** Falls back on Boot's {@code KafkaConnectionDetails} (from {@code @ServiceConnection}, say) when present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(KafkaConnectionDetails.class)
    static class ConnectionDetailsConfiguration {

        @Bean
        ConnectionFallback kafkaConsumerConnectionDetailsFallback(ObjectProvider<KafkaConnectionDetails> details) {
            return new ConnectionFallback() {

                @Override
                public List<String> bootstrapServers() {
                    KafkaConnectionDetails available = details.getIfAvailable();
                    return (available != null) ? available.getConsumer().getBootstrapServers() : List.of();
                }

                @Override
                public @Nullable String securityProtocol() {
                    KafkaConnectionDetails available = details.getIfAvailable();
                    return (available != null) ? available.getConsumer().getSecurityProtocol() : null;
                }

            };
        }

    }

}
