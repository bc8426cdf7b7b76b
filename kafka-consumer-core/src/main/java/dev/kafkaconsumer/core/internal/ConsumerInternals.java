package dev.kafkaconsumer.core.internal;

import java.lang.reflect.Field;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Reads what kafka-clients keeps inside its consumer and does not expose: the fields of the implementation a
 * {@link KafkaConsumer} delegates to (classic or asynchronous, both name them alike). Whoever reads through here
 * must fall back to something that works without it, since a kafka-clients release may move its internals.
 */
final class ConsumerInternals {

    private ConsumerInternals() {
    }

    /**
     * Returns a field of the consumer's implementation: of its delegate for a {@link KafkaConsumer}, of the consumer
     * itself otherwise (a test's).
     *
     * @throws ReflectiveOperationException when there is no such field, or it cannot be read
     */
    static Object field(Consumer<?, ?> consumer, String name) throws ReflectiveOperationException {
        Object delegate = consumer;
        if (consumer instanceof KafkaConsumer) {
            delegate = declared(KafkaConsumer.class, "delegate").get(consumer);
        }
        return declared(delegate.getClass(), name).get(delegate);
    }

    private static Field declared(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }
}
