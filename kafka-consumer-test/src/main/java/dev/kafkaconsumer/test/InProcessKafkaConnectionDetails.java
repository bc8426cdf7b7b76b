package dev.kafkaconsumer.test;

import java.util.Arrays;
import java.util.List;

import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;

/**
 * The {@code KafkaConnectionDetails} of an {@link InProcessKafka} broker: what {@code @ServiceConnection}
 * registers for a Kafka container, so that every client the application builds, ours and Spring Boot's,
 * connects to the test's broker. Loaded only when Spring Boot's Kafka module is on the class path.
 */
final class InProcessKafkaConnectionDetails implements KafkaConnectionDetails {

    private final KafkaBroker broker;

    InProcessKafkaConnectionDetails(KafkaBroker broker) {
        this.broker = broker;
    }

    @Override
    public List<String> getBootstrapServers() {
        return Arrays.asList(this.broker.bootstrapServers().split(","));
    }

}
