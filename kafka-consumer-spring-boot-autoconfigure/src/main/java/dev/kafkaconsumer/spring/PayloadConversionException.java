package dev.kafkaconsumer.spring;

/**
 * A record's value, key or header could not be converted to the type of the {@link RecordHandler}
 * method's parameter (JSON that does not fit the class, text that is not a number, ...). Another call
 * cannot cure it, so the record is not retried: it goes to the container's recoverer with its original
 * bytes and this exception as the reason.
 */
public class PayloadConversionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what could not be converted, of which record, to which type
     * @param cause   the converter's own exception, or {@code null}
     */
    public PayloadConversionException(String message, Throwable cause) {
        super(message, cause);
    }

}
