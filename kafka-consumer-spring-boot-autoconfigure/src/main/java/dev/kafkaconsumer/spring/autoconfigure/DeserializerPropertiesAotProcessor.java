package dev.kafkaconsumer.spring.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Reflection hints for the deserializer classes that the application's properties name, for ahead-of-time
 * processing (listed in {@code META-INF/spring/aot.factories}): {@code kafka.consumer.key-deserializer},
 * {@code kafka.consumer.value-deserializer} and the same under {@code kafka.consumer.containers.<id>}, and the
 * serializers of {@code kafka.consumer.producer.*}, as the
 * environment holds them at build time (the profiles active then, {@code application.yml}). A runtime hints
 * registrar cannot see properties; this processor reads them where Spring Boot's AOT processing has prepared
 * the environment. kafka-clients' own deserializers have hints in any case ({@link KafkaConsumerRuntimeHints});
 * another one named only at run time needs a hint of the application's own.
 *
 * <p>Lenient: a property that does not bind, or a class that is not there, gets no hint, and startup reports it
 * as it would without AOT.
 */
class DeserializerPropertiesAotProcessor implements BeanFactoryInitializationAotProcessor {

    private static final String PREFIX = "kafka.consumer.";

    @Override
    public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
        String environmentBean = ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME;
        Object environment = beanFactory.containsBean(environmentBean) ? beanFactory.getBean(environmentBean) : null;
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return null;
        }
        List<Class<?>> deserializers = new ArrayList<>();
        for (String name : classNames(Binder.get(configurable))) {
            if (ClassUtils.isPresent(name, beanFactory.getBeanClassLoader())) {
                deserializers.add(ClassUtils.resolveClassName(name, beanFactory.getBeanClassLoader()));
            }
        }
        if (deserializers.isEmpty()) {
            return null;
        }
        return (generationContext, code) -> deserializers.forEach((type) -> KafkaConsumerRuntimeHints
            .registerDefaultConstructor(generationContext.getRuntimeHints().reflection(), type));
    }

    private static Set<String> classNames(Binder binder) {
        Set<String> names = new LinkedHashSet<>();
        bind(binder, PREFIX + "key-deserializer", Bindable.of(String.class)).ifPresent((name) -> addIfSet(names, name));
        bind(binder, PREFIX + "value-deserializer", Bindable.of(String.class)).ifPresent((name) -> addIfSet(names, name));
        bind(binder, PREFIX + "producer.key-serializer", Bindable.of(String.class)).ifPresent((name) -> addIfSet(names, name));
        bind(binder, PREFIX + "producer.value-serializer", Bindable.of(String.class))
            .ifPresent((name) -> addIfSet(names, name));
        bind(binder, PREFIX + "containers", Bindable.mapOf(String.class, ContainerDeserializers.class))
            .ifPresent((containers) -> containers.values().forEach((container) -> {
                addIfSet(names, container.keyDeserializer());
                addIfSet(names, container.valueDeserializer());
            }));
        return names;
    }

    private static <T> Optional<T> bind(Binder binder, String name, Bindable<T> target) {
        try {
            BindResult<T> result = binder.bind(name, target);
            return result.isBound() ? Optional.of(result.get()) : Optional.empty();
        }
        catch (RuntimeException ex) {
            // a placeholder resolved only at run time, say: startup binds it, or says what is wrong with it
            return Optional.empty();
        }
    }

    private static void addIfSet(Set<String> names, @Nullable String name) {
        if (name != null && !name.isBlank()) {
            names.add(name.trim());
        }
    }

    /** The deserializer properties of one {@code kafka.consumer.containers.<id>} entry, as written. */
    record ContainerDeserializers(@Nullable String keyDeserializer, @Nullable String valueDeserializer) {
    }

}
