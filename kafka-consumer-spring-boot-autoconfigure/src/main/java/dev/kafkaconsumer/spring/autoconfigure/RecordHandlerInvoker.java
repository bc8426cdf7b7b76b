package dev.kafkaconsumer.spring.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;

import dev.kafkaconsumer.core.Acknowledgement;
import dev.kafkaconsumer.core.BatchProcessor;
import dev.kafkaconsumer.core.CommitMode;
import dev.kafkaconsumer.core.Completions;
import dev.kafkaconsumer.core.RecordProcessor;
import dev.kafkaconsumer.core.ShareAcknowledgement;
import dev.kafkaconsumer.core.ShareRecordHandler;
import dev.kafkaconsumer.core.TransactionalRecordHandler;
import dev.kafkaconsumer.core.TransactionalSender;
import dev.kafkaconsumer.spring.DeliveryCount;
import dev.kafkaconsumer.spring.Header;
import dev.kafkaconsumer.spring.Key;
import dev.kafkaconsumer.spring.Offset;

/**
 * Calls one {@code @RecordHandler} method: the arguments of each parameter are chosen once, when the
 * invoker is built, so that a call only reads (and converts) the record. Building it checks the signature
 * and fails with a {@link RecordHandlerDefinitionException} that says which parameter is wrong and why.
 * Values, keys and headers reach parameters of other types than the deserializers produce through
 * {@link PayloadConversions}. A share handler ({@link ContainerSettings#isShare()}) takes the same parameters,
 * except that its acknowledgement is a {@link ShareAcknowledgement} and it may take its {@link DeliveryCount}. A
 * transactional handler ({@link ContainerSettings#isTransactional()}) takes no acknowledgement but may take a
 * {@link TransactionalSender}, and what it returns is sent as its outputs ({@link TransactionalOutputs}).
 */
final class RecordHandlerInvoker {

    private final Object bean;

    private final Method method;

    private final String description;

    private final Argument[] arguments;

    private final boolean returnsStage;

    private final boolean share;

    private final boolean transactional;

    private final @Nullable TransactionalOutputs outputs;

    private final PayloadConversions conversions;

    RecordHandlerInvoker(Object bean, Method method, String description, ContainerSettings settings,
            PayloadConversions conversions) {
        this.bean = bean;
        this.conversions = conversions;
        this.method = method;
        this.description = description;
        this.share = settings.isShare();
        this.transactional = settings.isTransactional();
        Class<?> returnType = method.getReturnType();
        this.returnsStage = CompletionStage.class.isAssignableFrom(returnType);
        if (this.transactional) {
            this.outputs = TransactionalOutputs.of(method, settings,
                    Arrays.asList(method.getParameterTypes()).contains(TransactionalSender.class), this::fail);
        }
        else {
            this.outputs = null;
            if (returnType != void.class && !this.returnsStage) {
                throw fail("returns " + returnType.getSimpleName() + "; return void or CompletionStage<?>"
                        + (ProducerRecord.class.isAssignableFrom(returnType)
                                || Collection.class.isAssignableFrom(returnType)
                                ? " (a transactional handler may return its outputs: set @RecordHandler(transactional "
                                        + "= true))" : ""));
            }
        }
        Class<?> keyType = produced(settings.keyDeserializer());
        Class<?> valueType = produced(settings.valueDeserializer());
        this.arguments = new Argument[method.getParameterCount()];
        boolean valueTaken = false;
        for (int i = 0; i < this.arguments.length; i++) {
            MethodParameter parameter = new MethodParameter(method, i);
            Argument argument = settings.batch() ? batchArgument(parameter, valueType)
                    : recordArgument(parameter, keyType, valueType);
            if (argument == null) {
                if (valueTaken) {
                    throw fail(parameterText(parameter) + " is a second parameter for the "
                            + (settings.batch() ? "batch" : "value") + "; annotate it (@Key, @Header, @Offset) or remove it");
                }
                valueTaken = true;
                argument = settings.batch() ? batchList(parameter, valueType) : value(parameter, valueType);
            }
            this.arguments[i] = argument;
        }
        if (!this.share && !this.transactional && settings.commitMode() == CommitMode.MANUAL
                && !Arrays.asList(method.getParameterTypes()).contains(Acknowledgement.class)) {
            throw fail("takes no Acknowledgement, but the commit mode is MANUAL: nothing it handles would ever be committed");
        }
        if (acknowledgesShares() && this.returnsStage) {
            throw fail("takes a ShareAcknowledgement and returns a CompletionStage; return void, and acknowledge "
                    + "when the work is done");
        }
        ReflectionUtils.makeAccessible(method);
    }

    /**
     * Returns whether the method acknowledges its records itself: a share handler that takes a
     * {@link ShareAcknowledgement}.
     *
     * @return true for a share handler with manual acknowledgement
     */
    boolean acknowledgesShares() {
        return Arrays.asList(this.method.getParameterTypes()).contains(ShareAcknowledgement.class);
    }

    /**
     * Returns the method as a share container's handler that acknowledges by hand.
     *
     * @return the handler
     */
    ShareRecordHandler<Object, Object> shareHandler() {
        return (record, acknowledgement) -> invoke(record, null, acknowledgement);
    }

    /**
     * Returns the method as the container's record handler.
     *
     * @return the processor
     */
    RecordProcessor<Object, Object> recordProcessor() {
        return (record, acknowledgement) -> invoke(record, null, acknowledgement);
    }

    /**
     * Returns the method as a transactional container's handler: it sends what the method returns, besides what the
     * method sends through its {@link TransactionalSender} parameter, if it takes one.
     *
     * @return the handler
     */
    TransactionalRecordHandler<Object, Object, Object, Object> transactionalHandler() {
        TransactionalOutputs outputs = this.outputs;
        if (outputs == null) {
            throw new IllegalStateException(this.description + " is not a transactional handler");
        }
        return (record, sender) -> outputs.send(call(record, null, sender), record, sender);
    }

    /**
     * Returns the method as the container's batch handler.
     *
     * @return the processor
     */
    BatchProcessor<Object, Object> batchProcessor() {
        return (records, acknowledgement) -> invoke(records.get(0), records, acknowledgement);
    }

    private CompletionStage<?> invoke(ConsumerRecord<Object, Object> record,
            @Nullable List<ConsumerRecord<Object, Object>> batch, Object acknowledgement) throws Exception {
        Object result = call(record, batch, acknowledgement);
        return (this.returnsStage && result != null) ? (CompletionStage<?>) result : Completions.DONE;
    }

    /** Calls the method; the acknowledgement is the sender of a transactional handler. */
    private @Nullable Object call(ConsumerRecord<Object, Object> record,
            @Nullable List<ConsumerRecord<Object, Object>> batch, Object acknowledgement) throws Exception {
        Object[] args = new Object[this.arguments.length];
        for (int i = 0; i < args.length; i++) {
            args[i] = this.arguments[i].resolve(record, batch, acknowledgement);
        }
        Object result;
        try {
            result = this.method.invoke(this.bean, args);
        }
        catch (InvocationTargetException ex) {
            // The handler's own exception, so that retries and the dead-letter headers see it.
            Throwable cause = ex.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw (Error) cause;
        }
        return result;
    }

    private @Nullable Argument recordArgument(MethodParameter parameter, Class<?> keyType, Class<?> valueType) {
        Class<?> type = parameter.getParameterType();
        if (parameter.hasParameterAnnotation(Key.class)) {
            PayloadConversions.Conversion conversion = payload(parameter, ResolvableType.forMethodParameter(parameter),
                    keyType, "keys", "key");
            PayloadConversions.Validation validation = validation(parameter, "key");
            return (record, batch, ack) -> validated(validation, conversion.convert(record.key(), record), record);
        }
        if (parameter.hasParameterAnnotation(Offset.class)) {
            if (type != long.class && type != Long.class) {
                throw fail(parameterText(parameter) + " is @Offset but not a long");
            }
            return (record, batch, ack) -> record.offset();
        }
        if (parameter.hasParameterAnnotation(DeliveryCount.class)) {
            return deliveryCount(parameter);
        }
        Header header = parameter.getParameterAnnotation(Header.class);
        if (header != null) {
            return headerArgument(parameter, header.value());
        }
        if (type == ConsumerRecord.class) {
            return (record, batch, ack) -> record;
        }
        if (type == Headers.class) {
            return (record, batch, ack) -> record.headers();
        }
        return commonArgument(parameter);
    }

    private @Nullable Argument batchArgument(MethodParameter parameter, Class<?> valueType) {
        Class<?> type = parameter.getParameterType();
        if (parameter.hasParameterAnnotation(Key.class) || parameter.hasParameterAnnotation(Offset.class)
                || parameter.hasParameterAnnotation(Header.class) || parameter.hasParameterAnnotation(DeliveryCount.class)
                || type == ConsumerRecord.class
                || type == Headers.class) {
            throw fail(parameterText(parameter) + " belongs to one record, but the method takes batches "
                    + "(batch = true); take List<ConsumerRecord<K, V>> instead");
        }
        return commonArgument(parameter);
    }

    private @Nullable Argument commonArgument(MethodParameter parameter) {
        Class<?> type = parameter.getParameterType();
        if (type == Acknowledgement.class) {
            if (this.transactional) {
                throw fail(parameterText(parameter) + " is an Acknowledgement, but the method is transactional: its "
                        + "offsets are committed in the transactions that carry its outputs; remove it");
            }
            if (this.share) {
                throw fail(parameterText(parameter) + " is an Acknowledgement, which commits a consumer group's "
                        + "offsets, but the method reads as a share group; take a ShareAcknowledgement");
            }
            return (record, batch, ack) -> ack;
        }
        if (type == ShareAcknowledgement.class) {
            if (!this.share) {
                throw fail(parameterText(parameter) + " is a ShareAcknowledgement, but the method reads as a consumer "
                        + "group; set @RecordHandler(shareGroup), or take an Acknowledgement");
            }
            return (record, batch, ack) -> ack;
        }
        if (type == TopicPartition.class) {
            return (record, batch, ack) -> new TopicPartition(record.topic(), record.partition());
        }
        if (type == TransactionalSender.class) {
            if (!this.transactional) {
                throw fail(parameterText(parameter) + " is a TransactionalSender, but the method is not transactional; "
                        + "set @RecordHandler(transactional = true) or remove it");
            }
            return (record, batch, ack) -> ack;
        }
        return null;
    }

    private Argument deliveryCount(MethodParameter parameter) {
        Class<?> type = parameter.getParameterType();
        if (!this.share) {
            throw fail(parameterText(parameter) + " is @DeliveryCount, but the method reads as a consumer group, whose "
                    + "records have no delivery count; set @RecordHandler(shareGroup) or remove it");
        }
        if (type != int.class && type != Integer.class) {
            throw fail(parameterText(parameter) + " is @DeliveryCount but not an int");
        }
        return (record, batch, ack) -> record.deliveryCount()
            .map(Short::intValue)
            .orElseThrow(() -> new IllegalStateException("Record " + PayloadConversions.coordinates(record)
                    + " has no delivery count"));
    }

    private Argument headerArgument(MethodParameter parameter, String name) {
        PayloadConversions.Conversion conversion = this.conversions.header(parameter, name);
        if (conversion == null) {
            throw fail(parameterText(parameter) + " is @Header, but no converter turns the header's text into "
                    + parameter.getParameterType().getSimpleName() + "; take byte[] or String, or register a converter");
        }
        return (record, batch, ack) -> conversion.convert(null, record);
    }

    private Argument value(MethodParameter parameter, Class<?> valueType) {
        if (List.class.isAssignableFrom(parameter.getParameterType()) && isRecordList(parameter)) {
            throw fail(parameterText(parameter) + " takes a batch; set @RecordHandler(batch = true)");
        }
        PayloadConversions.Conversion conversion = payload(parameter, ResolvableType.forMethodParameter(parameter),
                valueType, "values", "value");
        PayloadConversions.Validation validation = validation(parameter, "value");
        return (record, batch, ack) -> validated(validation, conversion.convert(record.value(), record), record);
    }

    private Argument batchList(MethodParameter parameter, Class<?> valueType) {
        if (parameter.getParameterType() != List.class) {
            throw fail(parameterText(parameter) + " cannot take a batch; take List<ConsumerRecord<K, V>> or List<V>");
        }
        if (isRecordList(parameter)) {
            return (record, batch, ack) -> batch;
        }
        PayloadConversions.Conversion conversion = payload(parameter,
                ResolvableType.forMethodParameter(parameter).getGeneric(0), valueType, "values", "value");
        PayloadConversions.Validation validation = validation(parameter, "value");
        return (record, batch, ack) -> {
            List<Object> values = new ArrayList<>(batch.size());
            for (ConsumerRecord<Object, Object> each : batch) {
                values.add(validated(validation, conversion.convert(each.value(), each), each));
            }
            return values;
        };
    }

    private PayloadConversions.Conversion payload(MethodParameter parameter, ResolvableType target, Class<?> produced,
            String what, String describedAs) {
        PayloadConversions.Conversion conversion = this.conversions.payload(target, produced, describedAs);
        if (conversion == null) {
            throw fail(parameterText(parameter) + " cannot take " + produced.getSimpleName() + " " + what
                    + " from the configured deserializer, and " + produced.getSimpleName()
                    + " is not text or bytes that could be read as " + target);
        }
        return conversion;
    }

    private PayloadConversions.@Nullable Validation validation(MethodParameter parameter, String describedAs) {
        try {
            return this.conversions.validation(parameter, describedAs);
        }
        catch (IllegalStateException ex) {
            throw fail(parameterText(parameter) + " " + ex.getMessage());
        }
    }

    private static @Nullable Object validated(PayloadConversions.@Nullable Validation validation, @Nullable Object value,
            ConsumerRecord<?, ?> record) {
        if (validation != null) {
            validation.validate(value, record);
        }
        return value;
    }

    private static boolean isRecordList(MethodParameter parameter) {
        return ResolvableType.forMethodParameter(parameter).getGeneric(0).resolve() == ConsumerRecord.class;
    }

    /** The type a deserializer class declares it produces, or Object when it does not say. */
    private static Class<?> produced(Class<?> deserializer) {
        return ResolvableType.forClass(deserializer).as(Deserializer.class).getGeneric(0).resolve(Object.class);
    }

    private static String parameterText(MethodParameter parameter) {
        return "parameter " + parameter.getParameterIndex() + " (" + parameter.getParameterType().getSimpleName()
                + " " + parameter.getParameter().getName() + ")";
    }

    private RecordHandlerDefinitionException fail(String problem) {
        return new RecordHandlerDefinitionException(this.description, problem);
    }

    static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName() + "("
                + String.join(", ", Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).toList())
                + ")" + (Modifier.isStatic(method.getModifiers()) ? " (static)" : "");
    }

    /** Chooses one argument of a call. */
    @FunctionalInterface
    private interface Argument {

        @Nullable Object resolve(ConsumerRecord<Object, Object> record, @Nullable List<ConsumerRecord<Object, Object>> batch,
                Object acknowledgement);

    }

}
