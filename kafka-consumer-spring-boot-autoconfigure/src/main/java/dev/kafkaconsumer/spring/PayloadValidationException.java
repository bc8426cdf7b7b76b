package dev.kafkaconsumer.spring;

import java.util.List;

/**
 * A record's converted value (or key) failed the validation that its {@code @Valid} (or {@code @Validated})
 * {@link RecordHandler} parameter asks for. Another call cannot cure it, so the record is not retried: it
 * goes to the container's recoverer with its original bytes and this exception as the reason.
 */
public class PayloadValidationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> errors;

    /**
     * Creates the exception.
     *
     * @param message what failed validation, of which record
     * @param errors  each error, as "field: message"
     */
    public PayloadValidationException(String message, List<String> errors) {
        super(message + ": " + String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    /**
     * Returns the validation errors.
     *
     * @return each error, as "field: message"
     */
    public List<String> getErrors() {
        return this.errors;
    }

}
