package dev.kafkaconsumer.spring.autoconfigure;

/**
 * Thrown when a configured deserializer class is not a kafka-clients {@code Deserializer}.
 */
public final class InvalidDeserializerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;

    InvalidDeserializerException(String property, Class<?> type) {
        super(property + " names " + type.getName() + ", which does not "
                + "implement org.apache.kafka.common.serialization.Deserializer with a public no-argument constructor");
        this.property = property;
    }

    /**
     * Returns the property that named the class.
     *
     * @return the property name
     */
    public String getProperty() {
        return this.property;
    }

}
