package dev.kafkaconsumer.spring.actuate.observation;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import dev.kafkaconsumer.core.HandlerInterceptor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Observes each handler call as {@code kafka.consumer.process} ({@link KafkaConsumerObservation#PROCESS}):
 * started before the call, with its scope open on the worker thread during the call, stopped when the
 * handler's stage completes (with the error when it fails), and continuing the trace carried by the record's
 * headers. Names and key values come from a {@link KafkaConsumerObservationConvention}: the one given, else a
 * global one registered with the {@link ObservationRegistry}, else
 * {@link DefaultKafkaConsumerObservationConvention}.
 */
public final class ObservationInterceptor implements HandlerInterceptor {

    /** The name of the observation. */
    public static final String OBSERVATION_NAME = "kafka.consumer.process";

    private final ObservationRegistry registry;

    private final @Nullable String groupId;

    private final @Nullable KafkaConsumerObservationConvention convention;

    /**
     * Creates an interceptor with the default convention and no consumer group.
     *
     * @param registry where observations go
     */
    public ObservationInterceptor(ObservationRegistry registry) {
        this(registry, null, null);
    }

    /**
     * Creates an interceptor for a container.
     *
     * @param registry   where observations go
     * @param groupId    the container's consumer group, or {@code null} without one
     * @param convention the convention that replaces the default one, or {@code null} for the default
     */
    public ObservationInterceptor(ObservationRegistry registry, @Nullable String groupId,
            @Nullable KafkaConsumerObservationConvention convention) {
        this.registry = registry;
        this.groupId = groupId;
        this.convention = convention;
    }

    @Override
    public CompletionStage<?> intercept(String container, List<? extends ConsumerRecord<?, ?>> records, Invocation invocation)
            throws Exception {
        RecordObservationContext context = new RecordObservationContext(container, this.groupId, records.get(0),
                records.size());
        Observation observation = KafkaConsumerObservation.PROCESS
            .observation(this.convention, DefaultKafkaConsumerObservationConvention.INSTANCE, () -> context,
                    this.registry)
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
