package dev.kafkaconsumer.spring.autoconfigure;

/**
 * Thrown at startup for a {@code @RecordHandler} method that cannot become a container: a parameter or
 * return type the invoker cannot serve, or attributes that do not make a valid container.
 */
public final class RecordHandlerDefinitionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String method;

    private final String problem;

    RecordHandlerDefinitionException(String method, String problem) {
        super("@RecordHandler method " + method + ": " + problem);
        this.method = method;
        this.problem = problem;
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

}
