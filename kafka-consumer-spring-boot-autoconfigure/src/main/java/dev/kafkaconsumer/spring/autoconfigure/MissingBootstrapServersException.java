package dev.kafkaconsumer.spring.autoconfigure;

/**
 * Thrown when a container is needed and no bootstrap servers are configured anywhere.
 */
public final class MissingBootstrapServersException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MissingBootstrapServersException(String containerId) {
        super("kafka.consumer.bootstrap-servers is not set; set it or spring.kafka.bootstrap-servers (needed by container '"
                + containerId + "')");
    }

}
