package dev.kafkaconsumer.spring.autoconfigure;

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
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
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

/**
 * The {@code KafkaConnectionDetails} fallback through {@code @ServiceConnection} on a Testcontainers Kafka
 * container. Runs where a Docker engine exists and is skipped elsewhere; the same fallback is tested on the
 * in-process broker in {@link RecordHandlerIntegrationTests}, which runs everywhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class ServiceConnectionTests {

    @Container
    static final KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.0");

    @Test
    void consumesFromTheBrokerOfAServiceConnection() throws Exception {
        String topic = "service-connection-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topic, "value-" + i)).get();
            }
        }
        Received received = new Received();
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ServiceConnectionAutoConfiguration.class,
                    KafkaConsumerAutoConfiguration.class))
            .withUserConfiguration(KafkaContainerConfiguration.class, ValueHandler.class)
            .withBean(Received.class, () -> received)
            .withPropertyValues("test.topic=" + topic, "kafka.consumer.group-id=service-connection",
                    "kafka.consumer.auto-offset-reset=earliest")
            .run((context) -> await().atMost(Duration.ofSeconds(60))
                .until(() -> received.values.equals(IntStream.range(0, 3).mapToObj((i) -> "value-" + i).toList())));
    }

    @Configuration(proxyBeanMethods = false)
    static class KafkaContainerConfiguration {

        @Bean
        @ServiceConnection
        KafkaContainer kafkaContainer() {
            return kafka;
        }

    }

}
