package dev.kafkaconsumer.spring.autoconfigure;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

import dev.kafkaconsumer.core.TransactionalSender;

/**
 * What a transactional {@code @RecordHandler} method returns, as output records: nothing ({@code void}, or
 * {@code null}), a {@code ProducerRecord}, a value (sent to {@code sendTo}, keyed with the input record's key), or a
 * {@code Collection} of records or values. Made when the invoker is built, it checks the method's return type against
 * {@code sendTo} and the producer's serializers, so that a method whose outputs could not be written fails startup
 * rather than each of its records.
 */
final class TransactionalOutputs {

    private final String description;

    private final @Nullable String sendTo;

    private TransactionalOutputs(String description, @Nullable String sendTo) {
        this.description = description;
        this.sendTo = sendTo;
    }

    /**
     * Checks a transactional method's return type and makes what sends its returned outputs.
     *
     * @param method      the method
     * @param settings    its container's settings, transactional
     * @param takesSender whether the method takes a {@link TransactionalSender}
     * @param fail        makes the exception that names the method
     * @return the outputs
     * @throws RecordHandlerDefinitionException when the method's outputs could not be sent or written
     */
    static TransactionalOutputs of(Method method, ContainerSettings settings, boolean takesSender,
            Function<String, RecordHandlerDefinitionException> fail) {
        ContainerSettings.Transaction transaction = settings.transaction();
        if (transaction == null) {
            throw new IllegalStateException("Container " + settings.id() + " is not transactional");
        }
        String sendTo = transaction.sendTo();
        Class<?> returnType = method.getReturnType();
        String returns = "returns " + returnType.getSimpleName();
        if (CompletionStage.class.isAssignableFrom(returnType)) {
            throw fail.apply(returns + ", but a transactional handler's outputs must be known when it returns: return "
                    + "them (a value, a ProducerRecord or a Collection of them), or send them through a "
                    + "TransactionalSender parameter, and return when done");
        }
        ResolvableType type = ResolvableType.forMethodReturnType(method);
        if (returnType == void.class || returnType == Void.class) {
            if (!takesSender) {
                throw fail.apply("is transactional, but returns nothing and takes no TransactionalSender, so it could "
                        + "never write an output: return the output (a value with sendTo, a ProducerRecord or a "
                        + "Collection of them), or take a TransactionalSender and send through it");
            }
            if (sendTo != null) {
                throw fail.apply("sends returned values to '" + sendTo + "', but returns nothing: return the value, or "
                        + "remove sendTo and send through the TransactionalSender");
            }
            return new TransactionalOutputs(RecordHandlerInvoker.describe(method), null);
        }
        ResolvableType output = Collection.class.isAssignableFrom(returnType) ? type.asCollection().getGeneric(0) : type;
        Class<?> outputClass = ClassUtils.resolvePrimitiveIfNecessary(output.resolve(Object.class));
        if (ProducerRecord.class.isAssignableFrom(outputClass)) {
            if (sendTo != null) {
                throw fail.apply(returns + " of ProducerRecords, which name their topics, and sendTo '" + sendTo
                        + "' would be unused: remove sendTo");
            }
            check(output.getGeneric(0).resolve(Object.class), transaction.keySerializer(), "key", fail);
            check(output.getGeneric(1).resolve(Object.class), transaction.valueSerializer(), "value", fail);
        }
        else {
            if (sendTo == null) {
                throw fail.apply(returns + ", which needs a topic: set @RecordHandler(sendTo) or "
                        + ConsumerContainerFactory.containerKey(settings.id(), "send-to")
                        + ", or return ProducerRecords");
            }
            check(outputClass, transaction.valueSerializer(), "value", fail);
            // a returned value is keyed with the input record's key
            Class<?> inputKey = ResolvableType.forClass(settings.keyDeserializer()).as(Deserializer.class).getGeneric(0)
                .resolve(Object.class);
            check(inputKey, transaction.keySerializer(), "key", fail);
        }
        return new TransactionalOutputs(RecordHandlerInvoker.describe(method), sendTo);
    }

    /**
     * Sends what the method returned.
     *
     * @param result the method's result, or {@code null}
     * @param input  the input record, whose key returned values take
     * @param sender the sender of the call
     */
    @SuppressWarnings("unchecked")
    void send(@Nullable Object result, ConsumerRecord<Object, Object> input, TransactionalSender<Object, Object> sender) {
        if (result instanceof Collection<?> outputs) {
            for (Object output : outputs) {
                sendOne(output, input, sender);
            }
        }
        else {
            sendOne(result, input, sender);
        }
    }

    @SuppressWarnings("unchecked")
    private void sendOne(@Nullable Object output, ConsumerRecord<Object, Object> input,
            TransactionalSender<Object, Object> sender) {
        if (output == null) {
            return;
        }
        if (output instanceof ProducerRecord<?, ?> record) {
            sender.send((ProducerRecord<Object, Object>) record);
            return;
        }
        if (this.sendTo == null) {
            throw new IllegalStateException("@RecordHandler method " + this.description + " returned a "
                    + output.getClass().getName() + ", which needs a topic; set sendTo, or return ProducerRecords");
        }
        sender.send(new ProducerRecord<>(this.sendTo, input.key(), output));
    }

    /** Refuses an output type that the serializer, by the type it declares, cannot write. */
    private static void check(Class<?> written, Class<?> serializer, String what,
            Function<String, RecordHandlerDefinitionException> fail) {
        Class<?> takes = ResolvableType.forClass(serializer).as(Serializer.class).getGeneric(0).resolve(Object.class);
        Class<?> boxed = ClassUtils.resolvePrimitiveIfNecessary(written);
        if (boxed == Object.class || takes.isAssignableFrom(boxed)) {
            return;
        }
        throw fail.apply("writes output " + what + "s of type " + boxed.getSimpleName() + ", which the " + what
                + " serializer " + serializer.getSimpleName() + " cannot write (it takes " + takes.getSimpleName()
                + "); set kafka.consumer.producer." + what + "-serializer to a Serializer of " + boxed.getSimpleName()
                + (what.equals("key") ? ", or the key deserializer to one of " + takes.getSimpleName()
                        : ", or return " + takes.getSimpleName()));
    }

}
