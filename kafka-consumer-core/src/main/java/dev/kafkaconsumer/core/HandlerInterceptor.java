package dev.kafkaconsumer.core;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Wraps each handler call of a {@link ConsumerContainer}, for tracing or context propagation: it runs
 * on the worker thread, around the call, and sees the stage the handler returned, so it can end a span
 * when the handling really ends. Interceptors added to one builder nest in the order they were added,
 * the first outermost.
 */
@FunctionalInterface
public interface HandlerInterceptor {

    /**
     * Calls {@code invocation}, doing what the interceptor does before and after.
     *
     * @param container  the container's name
     * @param records    the records of the call: one, or a batch of one partition
     * @param invocation the handler call (or the next interceptor)
     * @return the stage of the call, or one that completes with it
     * @throws Exception when the call threw
     */
    CompletionStage<?> intercept(String container, List<? extends ConsumerRecord<?, ?>> records, Invocation invocation)
            throws Exception;

    /** The rest of the call. */
    @FunctionalInterface
    interface Invocation {

        /**
         * Proceeds with the call.
         *
         * @return the handler's stage
         * @throws Exception when the handler threw
         */
        CompletionStage<?> proceed() throws Exception;
    }
}
