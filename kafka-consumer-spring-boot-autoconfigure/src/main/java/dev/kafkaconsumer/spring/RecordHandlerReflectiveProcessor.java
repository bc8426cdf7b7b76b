package dev.kafkaconsumer.spring;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
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
import dev.kafkaconsumer.core.TransactionalSender;

/**
 * The reflection hints of a {@link RecordHandler} method, for ahead-of-time processing: the method, which the
 * container invokes reflectively, and the types its keys and values are converted to (records, POJOs, the
 * elements of a {@code List<Order>}), which Jackson binds reflectively. Parameters the container fills itself
 * ({@code ConsumerRecord}, {@code Headers}, {@code TopicPartition}, the acknowledgements, {@link Header},
 * {@link Offset}, {@link DeliveryCount}, the transactional sender) need none. A transactional method's returned
 * values (or those of the {@code ProducerRecord}s it returns), which a JSON serializer writes reflectively, get
 * binding hints too.
 */
final class RecordHandlerReflectiveProcessor implements ReflectiveProcessor {

    private static final Set<Class<?>> FILLED_BY_THE_CONTAINER = Set.of(ConsumerRecord.class, Headers.class,
            TopicPartition.class, Acknowledgement.class, ShareAcknowledgement.class, TransactionalSender.class);

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
            Type output = output(ResolvableType.forMethodReturnType(method));
            if (output != null) {
                this.bindingRegistrar.registerReflectionHints(hints, output);
            }
        }
    }

    /**
     * The type of the values a transactional method returns, which a JSON serializer writes reflectively: the value,
     * the element of a collection, the value of a {@code ProducerRecord}; null for none.
     */
    private static @Nullable Type output(ResolvableType returned) {
        Class<?> type = returned.resolve(Object.class);
        if (type == void.class || type == Void.class || type == Object.class
                || CompletionStage.class.isAssignableFrom(type)) {
            return null;
        }
        if (Collection.class.isAssignableFrom(type)) {
            ResolvableType element = returned.asCollection().getGeneric(0);
            // a collection of values is registered whole, as a parameter's List<Line> is
            return ProducerRecord.class.isAssignableFrom(element.resolve(Object.class)) ? output(element)
                    : returned.getType();
        }
        if (ProducerRecord.class.isAssignableFrom(type)) {
            Class<?> value = returned.as(ProducerRecord.class).getGeneric(1).resolve(Object.class);
            return (value == Object.class) ? null : value;
        }
        return returned.getType();
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
