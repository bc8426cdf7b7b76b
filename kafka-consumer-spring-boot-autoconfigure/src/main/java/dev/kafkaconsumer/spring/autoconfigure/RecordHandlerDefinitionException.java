package dev.kafkaconsumer.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at startup for a {@code @RecordHandler} method that cannot become a container: a parameter or
 * return type the invoker cannot serve, or attributes that do not make a valid container.
 */
public final class RecordHandlerDefinitionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String method;

    private final String problem;

    private final @Nullable String action;

    RecordHandlerDefinitionException(String method, String problem) {
        this(method, problem, null);
    }

    RecordHandlerDefinitionException(String method, String problem, @Nullable String action) {
        super("@RecordHandler method " + method + ": " + problem);
        this.method = method;
        this.problem = problem;
        this.action = action;
    }

    /**
     * Returns the method.
     *
     * @return the method, as declared
     */
    public String getMethod() {
        return this.method;
    }

    /**
     * Returns what is wrong with it.
     *
     * @return the problem, ready to print
     */
    public String getProblem() {
        return this.problem;
    }

    /**
     * Returns what to do about it, when the problem lies in the configuration rather than in the method.
     *
     * @return the action, ready to print, or {@code null} to fix the method
     */
    public @Nullable String getAction() {
        return this.action;
    }

}
