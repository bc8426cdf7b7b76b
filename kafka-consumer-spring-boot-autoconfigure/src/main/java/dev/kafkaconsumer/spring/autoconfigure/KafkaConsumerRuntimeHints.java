package dev.kafkaconsumer.spring.autoconfigure;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.List;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.BooleanDeserializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.apache.kafka.common.serialization.BytesDeserializer;
import org.apache.kafka.common.serialization.DoubleDeserializer;
import org.apache.kafka.common.serialization.FloatDeserializer;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.ListDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.ShortDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.UUIDDeserializer;
import org.apache.kafka.common.serialization.VoidDeserializer;
import org.apache.kafka.common.serialization.BooleanSerializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteBufferSerializer;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.serialization.DoubleSerializer;
import org.apache.kafka.common.serialization.FloatSerializer;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.ListSerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.ShortSerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.UUIDSerializer;
import org.apache.kafka.common.serialization.VoidSerializer;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Reflection hints of the consumer containers, for ahead-of-time processing (listed in
 * {@code META-INF/spring/aot.factories}):
 * <ul>
 * <li>the no-argument constructors of kafka-clients' deserializers, which {@link ConsumerContainerFactory}
 * instantiates from {@code kafka.consumer.key-deserializer} and {@code value-deserializer} (the classes named
 * in properties at build time are added by {@link DeserializerPropertiesAotProcessor});</li>
 * <li>the same of kafka-clients' serializers, for a transactional container's producer
 * ({@code kafka.consumer.producer.key-serializer} and {@code value-serializer});</li>
 * <li>the fields of kafka-clients' consumer that the engine reads to learn high-water marks and last stable
 * offsets without a request ({@code EndOffsetsProbe} in the core): {@code KafkaConsumer.delegate} and the
 * {@code subscriptions} of each delegate, for both group protocols. A kafka-clients release without them
 * gets no hint, as the probe then falls back on the public API.</li>
 * </ul>
 */
class KafkaConsumerRuntimeHints implements RuntimeHintsRegistrar {

    static final List<Class<?>> DESERIALIZERS = List.of(StringDeserializer.class, ByteArrayDeserializer.class,
            ByteBufferDeserializer.class, BytesDeserializer.class, IntegerDeserializer.class, LongDeserializer.class,
            ShortDeserializer.class, FloatDeserializer.class, DoubleDeserializer.class, BooleanDeserializer.class,
            UUIDDeserializer.class, VoidDeserializer.class, ListDeserializer.class);

    /** kafka-clients' serializers, which a transactional container's producer may be given by name. */
    static final List<Class<?>> SERIALIZERS = List.of(StringSerializer.class, ByteArraySerializer.class,
            ByteBufferSerializer.class, BytesSerializer.class, IntegerSerializer.class, LongSerializer.class,
            ShortSerializer.class, FloatSerializer.class, DoubleSerializer.class, BooleanSerializer.class,
            UUIDSerializer.class, VoidSerializer.class, ListSerializer.class);

    /** The consumer delegates of kafka-clients: classic and KIP-848 ("consumer") group protocols. */
    private static final List<String> CONSUMER_DELEGATES = List.of(
            "org.apache.kafka.clients.consumer.internals.ClassicKafkaConsumer",
            "org.apache.kafka.clients.consumer.internals.AsyncKafkaConsumer");

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        ReflectionHints reflection = hints.reflection();
        DESERIALIZERS.forEach((type) -> registerDefaultConstructor(reflection, type));
        SERIALIZERS.forEach((type) -> registerDefaultConstructor(reflection, type));
        registerField(reflection, KafkaConsumer.class, "delegate");
        for (String delegate : CONSUMER_DELEGATES) {
            if (ClassUtils.isPresent(delegate, classLoader)) {
                registerField(reflection, ClassUtils.resolveClassName(delegate, classLoader), "subscriptions");
            }
        }
    }

    /**
     * Registers the constructor that {@code BeanUtils.instantiateClass} calls, or else the type alone, so that
     * binding its name still finds it and startup reports what is wrong with it.
     *
     * @param reflection the hints
     * @param type a deserializer class
     */
    static void registerDefaultConstructor(ReflectionHints reflection, Class<?> type) {
        Constructor<?> constructor = ClassUtils.getConstructorIfAvailable(type);
        if (constructor != null) {
            reflection.registerConstructor(constructor, ExecutableMode.INVOKE);
        }
        else {
            reflection.registerType(type);
        }
    }

    private static void registerField(ReflectionHints reflection, Class<?> type, String name) {
        Field field = ReflectionUtils.findField(type, name);
        if (field != null) {
            reflection.registerField(field);
        }
    }

}
