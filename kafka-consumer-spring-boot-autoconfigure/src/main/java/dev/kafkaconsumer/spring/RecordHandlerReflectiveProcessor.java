package dev.kafkaconsumer.spring;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.annotation.ReflectiveProcessor;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;

import dev.kafkaconsumer.core.Acknowledgement;
import dev.kafkaconsumer.core.ShareAcknowledgement;

/**
 * The reflection hints of a {@link RecordHandler} method, for ahead-of-time processing: the method, which the
 * container invokes reflectively, and the types its keys and values are converted to (records, POJOs, the
 * elements of a {@code List<Order>}), which Jackson binds reflectively. Parameters the container fills itself
 * ({@code ConsumerRecord}, {@code Headers}, {@code TopicPartition}, the acknowledgements, {@link Header},
 * {@link Offset}, {@link DeliveryCount}) need none.
 */
final class RecordHandlerReflectiveProcessor implements ReflectiveProcessor {

    private static final Set<Class<?>> FILLED_BY_THE_CONTAINER = Set.of(ConsumerRecord.class, Headers.class,
            TopicPartition.class, Acknowledgement.class, ShareAcknowledgement.class);

    private final BindingReflectionHintsRegistrar bindingRegistrar = new BindingReflectionHintsRegistrar();

    @Override
    public void registerReflectionHints(ReflectionHints hints, AnnotatedElement element) {
        if (element instanceof Method method) {
            hints.registerMethod(method, ExecutableMode.INVOKE);
            for (int i = 0; i < method.getParameterCount(); i++) {
                ResolvableType payload = payload(new MethodParameter(method, i));
                if (payload != null) {
                    this.bindingRegistrar.registerReflectionHints(hints, payload.getType());
                }
            }
        }
    }

    /** The type a parameter receives a key, a value or a list of values as, or null when it takes none. */
    private static @Nullable ResolvableType payload(MethodParameter parameter) {
        if (parameter.hasParameterAnnotation(Header.class) || parameter.hasParameterAnnotation(Offset.class)
                || parameter.hasParameterAnnotation(DeliveryCount.class)
                || FILLED_BY_THE_CONTAINER.contains(parameter.getParameterType())) {
            return null;
        }
        ResolvableType type = ResolvableType.forMethodParameter(parameter);
        if (List.class.isAssignableFrom(parameter.getParameterType())
                && type.getGeneric(0).resolve() == ConsumerRecord.class) {
            return null;
        }
        return type;
    }

}
