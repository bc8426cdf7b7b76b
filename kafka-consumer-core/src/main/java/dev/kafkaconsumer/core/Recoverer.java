package dev.kafkaconsumer.core;

/**
 * Takes a record that could not be handled, so that its partition moves on: the container treats the
 * record as done once {@link #recover} returns. If {@code recover} throws, the record is not done: the
 * container stops in {@link ContainerState#FAILED} with the reason and commits nothing past it, so no
 * record is ever lost silently. See {@link Recoverers} for the built-in ones.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface Recoverer<K, V> extends AutoCloseable {

    /**
     * Recovers a record: logs it, publishes it elsewhere, or throws to stop the container.
     *
     * @param failed the record and why it failed
     * @throws Exception when the record could not be recovered; the container then stops
     */
    void recover(FailedRecord<K, V> failed) throws Exception;

    /**
     * Names the kind of recoverer in metrics: {@code dead-letter}, {@code log-and-skip} and
     * {@code stop-container} for the built-in ones.
     *
     * @return a short, stable name
     */
    default String kind() {
        return "custom";
    }

    /** Releases what the recoverer holds (a producer); the container calls it when it stops. */
    @Override
    default void close() {
    }
}
