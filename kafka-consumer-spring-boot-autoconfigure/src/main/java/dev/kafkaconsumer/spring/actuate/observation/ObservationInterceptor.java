package dev.kafkaconsumer.spring.actuate.observation;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.kafkaconsumer.core.HandlerInterceptor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Observes each handler call as {@code kafka.consumer.process}: started before the call, with its scope
 * open on the worker thread during the call, stopped when the handler's stage completes (with the error
 * when it fails), and continuing the trace carried by the record's headers.
 */
public final class ObservationInterceptor implements HandlerInterceptor {

    /** The name of the observation. */
    public static final String OBSERVATION_NAME = "kafka.consumer.process";

    private final ObservationRegistry registry;

    /**
     * Creates the interceptor.
     *
     * @param registry where observations go
     */
    public ObservationInterceptor(ObservationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public CompletionStage<?> intercept(String container, List<? extends ConsumerRecord<?, ?>> records, Invocation invocation)
            throws Exception {
        ConsumerRecord<?, ?> first = records.get(0);
        RecordObservationContext context = new RecordObservationContext(container, first, records.size());
        Observation observation = Observation.createNotStarted(OBSERVATION_NAME, () -> context, registry)
                .contextualName(first.topic() + " process")
                .lowCardinalityKeyValue("container", container)
                .lowCardinalityKeyValue("topic", first.topic())
                .highCardinalityKeyValue("partition", String.valueOf(first.partition()))
                .highCardinalityKeyValue("offset", String.valueOf(first.offset()))
                .start();
        CompletionStage<?> stage;
        try (Observation.Scope scope = observation.openScope()) {
            stage = invocation.proceed();
        } catch (Exception | Error e) {
            observation.error(e);
            observation.stop();
            throw e;
        }
        if (stage == null) {
            observation.stop();
            return null;
        }
        return stage.whenComplete((result, error) -> {
            if (error != null) {
                observation.error(error);
            }
            observation.stop();
        });
    }
}
