package dev.kafkaconsumer.spring.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.SslBundle;

/**
 * Reads the {@code KafkaConnectionDetails} bean, when spring-boot-kafka is on the class path and one is defined.
 * Keeps that optional class out of the classes that always load.
 */
interface ConnectionDetailsReader {

    /**
     * Returns the consumer's connection from a {@code KafkaConnectionDetails} bean that the application or a service
     * connection ({@code @ServiceConnection}, Docker Compose) defined.
     *
     * @return the connection, or {@code null} when there is none, or only Boot's own, which stands for
     *         {@code spring.kafka.*}
     */
    @Nullable ServiceConnection serviceConnection();

    /**
     * Returns the bootstrap servers of Boot's own {@code KafkaConnectionDetails}, the one backed by
     * {@code spring.kafka.*}: {@code spring.kafka.bootstrap-servers}, or Boot's default ({@code localhost:9092}).
     *
     * @return host:port pairs, empty when that bean is not defined
     */
    List<String> springKafkaBootstrapServers();

    /**
     * The consumer's connection as a service connection gives it.
     *
     * @param bootstrapServers host:port pairs
     * @param securityProtocol the security protocol, or {@code null} when it gives none
     * @param sslBundle        keys and trust, or {@code null} when it gives none
     */
    record ServiceConnection(List<String> bootstrapServers, @Nullable String securityProtocol,
            @Nullable SslBundle sslBundle) {

        /**
         * Copies the list.
         */
        public ServiceConnection {
            bootstrapServers = List.copyOf(bootstrapServers);
        }

    }

}
