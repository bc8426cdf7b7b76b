package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import dev.kafkaconsumer.spring.autoconfigure.RecordHandlerIntegrationTests.Received;
import dev.kafkaconsumer.spring.autoconfigure.RecordHandlerIntegrationTests.ValueHandler;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * A {@code KafkaConnectionDetails} bean, what {@code @ServiceConnection} or Docker Compose defines, takes precedence
 * over {@code kafka.consumer.bootstrap-servers} and {@code spring.kafka.bootstrap-servers}, as in Spring Boot: with
 * both pointing at a dead address, the records of the broker the bean names are consumed. Once on the in-process
 * broker, which runs everywhere, and once through a real {@code @ServiceConnection} on a Testcontainers Kafka, where
 * a Docker engine exists.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ServiceConnectionTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Nothing listens there: a consumer sent to it consumes nothing. */
    private static final String DEAD = "127.0.0.1:1";

    @Test
    void consumesFromTheBrokerOfAConnectionDetailsBeanWhileThePropertiesPointAtADeadAddress(KafkaBroker kafka) {
        String topic = "connection-details-" + UUID.randomUUID();
        send(kafka.bootstrapServers(), topic);
        Received received = new Received();
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaConsumerAutoConfiguration.class))
            .withBean(KafkaConnectionDetails.class, () -> () -> List.of(kafka.bootstrapServers()))
            .withUserConfiguration(ValueHandler.class)
            .withBean(Received.class, () -> received)
            .withPropertyValues("test.topic=" + topic, "kafka.consumer.bootstrap-servers=" + DEAD,
                    "spring.kafka.bootstrap-servers=" + DEAD, "kafka.consumer.group-id=details-" + UUID.randomUUID(),
                    "kafka.consumer.auto-offset-reset=earliest")
            .run((context) -> awaitValues(received));
    }

    private static void send(String bootstrapServers, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not create " + topic, ex);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(),
                new StringSerializer())) {
            for (String value : values()) {
                producer.send(new ProducerRecord<>(topic, value)).get();
            }
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not send to " + topic, ex);
        }
    }

    /** Null keys under key ordering may run in any order; each value exactly once is what matters. */
    private static void awaitValues(Received received) {
        await().atMost(WAIT).until(() -> received.values.size() >= values().size());
        assertThat(received.values).containsExactlyInAnyOrderElementsOf(values());
    }

    private static List<String> values() {
        return IntStream.range(0, 3).mapToObj((i) -> "value-" + i).toList();
    }

    @Nested
    @Testcontainers(disabledWithoutDocker = true)
    class WithTestcontainers {

        @Container
        static final KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.0");

        @Test
        void consumesFromTheBrokerOfAServiceConnectionWhileThePropertiesPointAtADeadAddress() {
            String topic = "service-connection-" + UUID.randomUUID();
            send(kafka.getBootstrapServers(), topic);
            Received received = new Received();
            new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ServiceConnectionAutoConfiguration.class,
                        KafkaAutoConfiguration.class, KafkaConsumerAutoConfiguration.class))
                .withUserConfiguration(KafkaContainerConfiguration.class, ValueHandler.class)
                .withBean(Received.class, () -> received)
                .withPropertyValues("test.topic=" + topic, "kafka.consumer.bootstrap-servers=" + DEAD,
                        "spring.kafka.bootstrap-servers=" + DEAD, "kafka.consumer.group-id=service-connection",
                        "kafka.consumer.auto-offset-reset=earliest")
                .run((context) -> awaitValues(received));
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class KafkaContainerConfiguration {

        @Bean
        @ServiceConnection
        KafkaContainer kafkaContainer() {
            return WithTestcontainers.kafka;
        }

    }

}
