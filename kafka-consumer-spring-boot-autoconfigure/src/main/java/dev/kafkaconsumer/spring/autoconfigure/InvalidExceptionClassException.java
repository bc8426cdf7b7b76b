package dev.kafkaconsumer.spring.autoconfigure;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Thrown when a {@code retryable} or {@code not-retryable} property names a class that is not an exception; Boot's
 * failure analyzer of invalid property values explains it by the property's name.
 */
public final class InvalidExceptionClassException extends InvalidConfigurationPropertyValueException {

    private static final long serialVersionUID = 1L;

    InvalidExceptionClassException(String property, Class<?> type) {
        super(property, type.getName(), property + " names " + type.getName() + ", which is not an exception (a java.lang.Throwable); "
                + "name exception classes, for example java.lang.IllegalArgumentException");
    }

}
