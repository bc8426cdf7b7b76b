package dev.kafkaconsumer.spring.autoconfigure;

import org.apache.kafka.common.config.ConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a kafka-clients property that kafka-clients rejected.
 */
class KafkaPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
        return new FailureAnalysis("A Kafka client property was rejected: " + cause.getMessage(),
                "Correct the property in kafka.consumer.* (kafka.consumer.properties.*), "
                        + "kafka.consumer.containers.<id>.* or @RecordHandler(properties); "
                        + "see the consumer configuration in the Apache Kafka documentation.",
                cause);
    }

}
