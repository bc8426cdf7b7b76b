package dev.kafkaconsumer.spring.autoconfigure;

import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.SmartValidator;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.ValidationAnnotationUtils;

import dev.kafkaconsumer.spring.PayloadConversionException;
import dev.kafkaconsumer.spring.PayloadValidationException;

/**
 * Turns what a record's deserializers produced, and its headers, into the types of a {@code @RecordHandler}
 * method's parameters, as every Spring messaging framework does: {@code String}, {@code byte[]} and
 * {@code ByteBuffer} one into another; any other type from JSON, through the application's Jackson
 * {@code JsonMapper}; a header's text through the conversion service. Each parameter's way is chosen once,
 * when the handler's invoker is built, so a call only converts. A value that cannot be converted, or fails
 * the validation of a {@code @Valid} parameter, throws {@link PayloadConversionException} or
 * {@link PayloadValidationException}, which the containers do not retry.
 */
final class PayloadConversions {

    private static final boolean JACKSON_PRESENT = ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper",
            PayloadConversions.class.getClassLoader());

    private final Supplier<@Nullable JsonPayloads> json;

    private final ConversionService conversionService;

    private final Supplier<@Nullable Validator> validator;

    PayloadConversions(Supplier<@Nullable JsonPayloads> json, ConversionService conversionService,
            Supplier<@Nullable Validator> validator) {
        this.json = SingletonSupplier.ofNullable(json);
        this.conversionService = conversionService;
        this.validator = SingletonSupplier.ofNullable(validator);
    }

    /**
     * Conversions with the context's Jackson {@code JsonMapper} (or a plain one when Jackson is there but no
     * mapper bean), its conversion service (or Boot's shared one) and its {@link Validator}, if any; all
     * looked up on first use, when every bean exists.
     */
    static PayloadConversions from(ConfigurableListableBeanFactory beanFactory) {
        ConversionService conversionService = (beanFactory.getConversionService() != null)
                ? beanFactory.getConversionService() : ApplicationConversionService.getSharedInstance();
        ObjectProvider<Validator> validators = beanFactory.getBeanProvider(Validator.class);
        return new PayloadConversions(() -> JACKSON_PRESENT ? JsonPayloads.from(beanFactory) : null, conversionService,
                () -> validators.getIfUnique(() -> beanFactory.containsBean("defaultValidator")
                        ? beanFactory.getBean("defaultValidator", Validator.class) : null));
    }

    /**
     * Chooses how a value (or a key) reaches a parameter.
     *
     * @param target   the parameter's type (for a batch, its element type)
     * @param produced the type the deserializer declares it produces; {@code Object} when it does not say
     * @return the conversion, or {@code null} when the parameter can never take what the deserializer
     *         produces; the caller says why
     */
    @Nullable Conversion payload(ResolvableType target, Class<?> produced, String describedAs) {
        Class<?> type = target.resolve(Object.class);
        if (type == Object.class || produced != Object.class && ClassUtils.isAssignable(type, produced)) {
            return (value, record) -> value;
        }
        if (produced != Object.class && !isBinary(produced)) {
            return null;
        }
        return (value, record) -> {
            if (value == null || type.isInstance(value)) {
                return value;
            }
            if (!isBinary(value.getClass())) {
                throw new PayloadConversionException("Cannot convert the " + describedAs + " of " + coordinates(record)
                        + ", a " + value.getClass().getName() + ", to " + target, null);
            }
            return fromBinary(value, type, target, record, describedAs);
        };
    }

    private @Nullable Object fromBinary(Object value, Class<?> type, ResolvableType target, ConsumerRecord<?, ?> record,
            String describedAs) {
        if (type == String.class) {
            return text(value);
        }
        if (type == byte[].class) {
            return bytes(value);
        }
        if (type == ByteBuffer.class) {
            return ByteBuffer.wrap(bytes(value));
        }
        JsonPayloads mapper = this.json.get();
        if (mapper == null) {
            throw new PayloadConversionException("Cannot convert the " + describedAs + " of " + coordinates(record) + " to "
                    + target + ": that takes JSON, and Jackson is not on the class path (add spring-boot-starter-json)", null);
        }
        try {
            return mapper.read(bytes(value), target.getType());
        }
        catch (RuntimeException ex) {
            throw new PayloadConversionException("Cannot convert the " + describedAs + " of " + coordinates(record) + " to "
                    + target + " from JSON: " + ex.getMessage(), ex);
        }
    }

    /**
     * Chooses how a header reaches a parameter: {@code byte[]} as it is, {@code String} as UTF-8 text, any
     * other type from that text through the conversion service; {@code Optional} for a header that may be
     * missing, {@code null} for a missing one otherwise (refused for a primitive).
     *
     * @param parameter the {@code @Header} parameter
     * @param name      the header's name
     * @return the conversion
     */
    @Nullable Conversion header(MethodParameter parameter, String name) {
        boolean optional = parameter.getParameterType() == Optional.class;
        MethodParameter nested = optional ? parameter.nested() : parameter;
        Class<?> type = nested.getNestedParameterType();
        TypeDescriptor target = new TypeDescriptor(nested);
        boolean primitive = type.isPrimitive();
        if (type != byte[].class && type != String.class
                && !this.conversionService.canConvert(TypeDescriptor.valueOf(String.class), target)) {
            return null;
        }
        return (value, record) -> {
            org.apache.kafka.common.header.Header last = record.headers().lastHeader(name);
            byte[] bytes = (last != null) ? last.value() : null;
            Object converted;
            if (bytes == null) {
                if (primitive) {
                    throw new PayloadConversionException("Record " + coordinates(record) + " has no header '" + name
                            + "', which " + type.getName() + " parameter " + nested.getParameterName() + " needs", null);
                }
                converted = null;
            }
            else if (type == byte[].class) {
                converted = bytes;
            }
            else {
                String text = new String(bytes, StandardCharsets.UTF_8);
                try {
                    converted = (type == String.class) ? text
                            : this.conversionService.convert(text, TypeDescriptor.valueOf(String.class), target);
                }
                catch (ConversionException ex) {
                    throw new PayloadConversionException("Cannot convert header '" + name + "' of " + coordinates(record)
                            + ", '" + text + "', to " + target, ex);
                }
            }
            return optional ? Optional.ofNullable(converted) : converted;
        };
    }

    /**
     * Returns the validation that a {@code @Valid} or {@code @Validated} parameter asks for, or {@code null}
     * for a parameter that asks for none.
     *
     * @throws IllegalStateException when the parameter asks for validation and the context has no validator
     */
    @Nullable Validation validation(MethodParameter parameter, String describedAs) {
        for (Annotation annotation : parameter.getParameterAnnotations()) {
            Object[] hints = ValidationAnnotationUtils.determineValidationHints(annotation);
            if (hints != null) {
                Validator validator = this.validator.get();
                if (validator == null) {
                    throw new IllegalStateException("asks for validation (@" + annotation.annotationType().getSimpleName()
                            + "), but the application has no Validator bean; add spring-boot-starter-validation");
                }
                return (value, record) -> validate(validator, hints, value, record, describedAs);
            }
        }
        return null;
    }

    private static void validate(Validator validator, Object[] hints, @Nullable Object value, ConsumerRecord<?, ?> record,
            String describedAs) {
        if (value == null) {
            return;
        }
        BeanPropertyBindingResult errors = new BeanPropertyBindingResult(value, describedAs);
        if (hints.length > 0 && validator instanceof SmartValidator smart) {
            smart.validate(value, errors, hints);
        }
        else {
            validator.validate(value, errors);
        }
        if (errors.hasErrors()) {
            List<String> messages = errors.getAllErrors().stream().map((error) -> (error instanceof
                    org.springframework.validation.FieldError field ? field.getField() + ": " : "")
                    + error.getDefaultMessage()).toList();
            throw new PayloadValidationException("The " + describedAs + " of " + coordinates(record) + " is not valid",
                    messages);
        }
    }

    private static boolean isBinary(Class<?> type) {
        return type == String.class || type == byte[].class || ByteBuffer.class.isAssignableFrom(type);
    }

    private static String text(Object value) {
        return (value instanceof String text) ? text : new String(bytes(value), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    static String coordinates(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** One parameter's conversion, from what the record carries to the parameter's type. */
    @FunctionalInterface
    interface Conversion {

        @Nullable Object convert(@Nullable Object value, ConsumerRecord<?, ?> record);

    }

    /** One parameter's validation of its converted value. */
    @FunctionalInterface
    interface Validation {

        void validate(@Nullable Object value, ConsumerRecord<?, ?> record);

    }

}
