package dev.kafkaconsumer.samples.workqueue;

import dev.kafkaconsumer.test.KafkaBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Role;
import org.springframework.test.context.DynamicPropertyRegistrar;
import org.springframework.test.context.support.DynamicPropertyRegistrarBeanInitializer;

/**
 * The work queue's development-time Kafka: an in-process broker (KRaft, the real Apache Kafka broker of
 * {@code kafka-consumer-test}, with share groups enabled), and {@code kafka.consumer.bootstrap-servers} pointing at
 * it. When {@code kafka.consumer.bootstrap-servers} or {@code spring.kafka.bootstrap-servers} is set, none of it
 * applies: the application uses that cluster.
 *
 * <p>The broker is a bean, so it closes when the context is destroyed: after every container has stopped and
 * sent its last acknowledgements, and also when the start fails.
 */
@TestConfiguration(proxyBeanMethods = false)
@Conditional(DevelopmentBroker.NoBootstrapServers.class)
class DevelopmentBroker {

    private static final Logger log = LoggerFactory.getLogger(DevelopmentBroker.class);

    @Bean
    KafkaBroker developmentKafkaBroker() {
        KafkaBroker broker = KafkaBroker.builder().start();
        log.info("No {} set: started an in-process Kafka broker at {} (development only)", JobProducer.BOOTSTRAP_SERVERS,
                broker.bootstrapServers());
        return broker;
    }

    @Bean
    DynamicPropertyRegistrar developmentKafkaBrokerProperties(KafkaBroker broker) {
        return (registry) -> registry.add(JobProducer.BOOTSTRAP_SERVERS, broker::bootstrapServers);
    }

    /**
     * Applies {@link DynamicPropertyRegistrar} beans before the application's beans are created, outside a test
     * too, as Spring Boot's Testcontainers support does for {@code spring-boot:test-run}. A test context has its
     * own.
     */
    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static DynamicPropertyRegistrarBeanInitializer dynamicPropertyRegistrarBeanInitializer() {
        return new DynamicPropertyRegistrarBeanInitializer();
    }

    /**
     * Silences Kafka's loggers just before the broker closes. Depending on the broker, it is destroyed before it,
     * and after every client of the application has stopped: on Ctrl-C, Kafka's own shutdown hook deletes the
     * broker's data directory while the broker closes, which then logs errors about missing files that mean
     * nothing here.
     */
    @Bean
    DisposableBean developmentKafkaBrokerQuietClose(KafkaBroker broker) {
        return () -> {
            log.info("Closing the in-process Kafka broker at {}", broker.bootstrapServers());
            LoggingSystem logging = LoggingSystem.get(DevelopmentBroker.class.getClassLoader());
            logging.setLogLevel("kafka", LogLevel.OFF);
            logging.setLogLevel("org.apache.kafka", LogLevel.OFF);
        };
    }

    /** Matches when neither property names a cluster. */
    static final class NoBootstrapServers extends NoneNestedConditions {

        NoBootstrapServers() {
            super(ConfigurationPhase.PARSE_CONFIGURATION);
        }

        @ConditionalOnProperty(JobProducer.BOOTSTRAP_SERVERS)
        static final class KafkaConsumerBootstrapServers {
        }

        @ConditionalOnProperty("spring.kafka.bootstrap-servers")
        static final class SpringKafkaBootstrapServers {
        }
    }
}
