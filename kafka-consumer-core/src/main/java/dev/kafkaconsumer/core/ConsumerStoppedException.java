package dev.kafkaconsumer.core;

import org.apache.kafka.common.KafkaException;

/**
 * Thrown by a {@link ConsumerEngine} method that needs a running engine when the engine has stopped,
 * or stops while the call waits: {@code getOne} and {@code position} waiting at stop throw it, and so
 * does every call after stop ({@code getMany} waiting at stop returns an empty map instead). It marks
 * the normal end of consumption, like aiokafka's {@code ConsumerStoppedError}.
 */
public class ConsumerStoppedException extends KafkaException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what stopped
     */
    public ConsumerStoppedException(String message) {
        super(message);
    }
}
