package dev.kafkaconsumer.core;

import java.util.concurrent.CompletionStage;

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
     * Recovers a record without holding its partition up: the container calls this, goes on with the
     * partition's next records at once, and counts the record as done only when the returned stage
     * completes; commits never pass it before that, a stop waits for it, and a stage that fails stops
     * the container as a throwing {@link #recover} does. By default it calls {@link #recover} and returns
     * {@link Completions#DONE}. The dead-letter recoverer overrides it, so that a dead-letter send costs the
     * partition no round trip to the broker.
     *
     * @param failed the record and why it failed
     * @return a stage that completes when the record is recovered
     * @throws Exception when the record could not be recovered; the container then stops
     */
    default CompletionStage<?> recoverAsync(FailedRecord<K, V> failed) throws Exception {
        recover(failed);
        return Completions.DONE;
    }

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
