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
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.spring.autoconfigure.ConnectionDetailsReader.ServiceConnection;

/**
 * Auto-configuration of the consumer containers: every {@code @RecordHandler} method becomes a
 * {@link ConsumerContainerLifecycle} bean (a {@link ShareConsumerContainerLifecycle} for a share handler), configured
 * from {@code kafka.consumer.*} and listed in the {@link ConsumerContainerRegistry}. Where the containers connect follows Spring Boot's precedence (see
 * {@link ConsumerConnection}): a {@code KafkaConnectionDetails} bean of the application or a service connection,
 * then {@code kafka.consumer.*}, then {@code spring.kafka.*}. While the context runs and holds a container, a
 * thread that is not a daemon keeps the application alive ({@code ContainerKeepAlive}).
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
            ObjectProvider<ConnectionDetailsReader> connectionDetails, ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<ContainerCustomizer> customizers, ObjectProvider<ShareContainerCustomizer> shareCustomizers,
            ConfigurableListableBeanFactory beanFactory) {
        return new ConsumerContainerFactory(properties, environment,
                new ConsumerConnection(properties, environment, connectionDetails, sslBundles), customizers,
                shareCustomizers, new ContainerBeans(beanFactory));
    }

    @Bean
    @ConditionalOnMissingBean
    ConsumerContainerRegistry kafkaConsumerContainerRegistry(ObjectProvider<ConsumerContainerLifecycle> containers,
            ObjectProvider<ShareConsumerContainerLifecycle> shareContainers) {
        return new ConsumerContainerRegistry(containers, shareContainers);
    }

    @Bean
    @ConditionalOnMissingBean
    ContainerKeepAlive kafkaConsumerKeepAlive(ObjectProvider<ConsumerContainerLifecycle> containers,
            ObjectProvider<ShareConsumerContainerLifecycle> shareContainers) {
        return new ContainerKeepAlive(containers, shareContainers);
    }

    /**
     * Reads Boot's {@code KafkaConnectionDetails}, when spring-boot-kafka is on the class path: a service connection's
     * takes precedence over {@code kafka.consumer.*}; Boot's own properties-backed one stands for {@code spring.kafka.*}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(KafkaConnectionDetails.class)
    static class ConnectionDetailsConfiguration {

        @Bean
        ConnectionDetailsReader kafkaConsumerConnectionDetailsReader(ObjectProvider<KafkaConnectionDetails> details) {
            return new Reader(details);
        }

        /** Nested here, so that nothing loads it, or the optional class, without spring-boot-kafka. */
        private static final class Reader implements ConnectionDetailsReader {

            /** Boot's package-private {@code KafkaConnectionDetails} backed by {@code KafkaProperties}. */
            private static final String PROPERTIES_BACKED = "org.springframework.boot.kafka.autoconfigure."
                    + "PropertiesKafkaConnectionDetails";

            private final ObjectProvider<KafkaConnectionDetails> details;

            Reader(ObjectProvider<KafkaConnectionDetails> details) {
                this.details = details;
            }

            @Override
            public @Nullable ServiceConnection serviceConnection() {
                KafkaConnectionDetails available = this.details.getIfAvailable();
                if (available == null || isPropertiesBacked(available)) {
                    return null;
                }
                KafkaConnectionDetails.Configuration consumer = available.getConsumer();
                return new ServiceConnection(consumer.getBootstrapServers(), consumer.getSecurityProtocol(),
                        consumer.getSslBundle());
            }

            @Override
            public List<String> springKafkaBootstrapServers() {
                KafkaConnectionDetails available = this.details.getIfAvailable();
                return (available != null && isPropertiesBacked(available)) ? available.getBootstrapServers() : List.of();
            }

            private static boolean isPropertiesBacked(KafkaConnectionDetails details) {
                return ClassUtils.getUserClass(details).getName().equals(PROPERTIES_BACKED);
            }

        }

    }

}
