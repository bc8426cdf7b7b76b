package dev.kafkaconsumer.spring.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Where bootstrap servers and the security protocol come from when {@code kafka.consumer.*} and
 * {@code spring.kafka.bootstrap-servers} say nothing: Boot's {@code KafkaConnectionDetails}, when present.
 * Keeps that optional class out of the classes that always load.
 */
interface ConnectionFallback {

    /**
     * Returns the consumer's bootstrap servers.
     *
     * @return host:port pairs, empty when unknown
     */
    List<String> bootstrapServers();

    /**
     * Returns the security protocol.
     *
     * @return the protocol, or {@code null} when unknown
     */
    @Nullable String securityProtocol();

}
