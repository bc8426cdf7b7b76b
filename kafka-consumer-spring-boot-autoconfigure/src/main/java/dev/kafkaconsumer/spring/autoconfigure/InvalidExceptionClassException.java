package dev.kafkaconsumer.spring.autoconfigure;

/**
 * Thrown when a {@code retryable} or {@code not-retryable} property names a class that is not an exception.
 */
public final class InvalidExceptionClassException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvalidExceptionClassException(String property, Class<?> type) {
        super(property + " names " + type.getName() + ", which is not an exception (a java.lang.Throwable); "
                + "name exception classes, for example java.lang.IllegalArgumentException");
    }

}
