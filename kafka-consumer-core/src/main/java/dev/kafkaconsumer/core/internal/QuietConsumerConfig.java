package dev.kafkaconsumer.core.internal;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Consumer properties parsed by kafka-clients' own {@link ConsumerConfig}, without logging every value: the consumer
 * logs them once when it is created. Used by the engine's configuration and by the share engine's
 * ({@code internal.share}).
 */
public final class QuietConsumerConfig extends ConsumerConfig {

    /**
     * Parses and validates.
     *
     * @param properties consumer properties, deserializers included
     * @throws org.apache.kafka.common.config.ConfigException for a bad value
     */
    public QuietConsumerConfig(Map<String, Object> properties) {
        super(properties, false);
    }
}
