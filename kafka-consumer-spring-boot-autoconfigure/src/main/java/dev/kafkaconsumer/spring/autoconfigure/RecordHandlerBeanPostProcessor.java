package dev.kafkaconsumer.spring.autoconfigure;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.StringUtils;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.Ordering;
import dev.kafkaconsumer.core.ShareConsumerContainer;
import dev.kafkaconsumer.spring.RecordHandler;

/**
 * Finds {@link RecordHandler} methods on beans as they are initialised and, once every singleton exists,
 * turns each into a {@link ConsumerContainerLifecycle} singleton named {@code kafkaConsumerContainer.<id>} (a
 * {@link ShareConsumerContainerLifecycle}, by the same name, for a handler with a share group), through the
 * {@link ConsumerContainerFactory} bean. A transactional handler's container gets its transactional producer's
 * configuration from the factory each time it is built.
 */
public class RecordHandlerBeanPostProcessor implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware {

    /** Prefix of the container beans' names. */
    public static final String CONTAINER_BEAN_PREFIX = "kafkaConsumerContainer.";

    private final Set<Class<?>> classesWithoutHandlers = ConcurrentHashMap.newKeySet();

    private final List<Found> found = new ArrayList<>();

    private @Nullable ConfigurableListableBeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        if (this.classesWithoutHandlers.contains(targetClass)
                || !AnnotationUtils.isCandidateClass(targetClass, RecordHandler.class)) {
            return bean;
        }
        Map<Method, RecordHandler> methods = MethodIntrospector.selectMethods(targetClass,
                (MethodIntrospector.MetadataLookup<RecordHandler>) (method) -> AnnotatedElementUtils
                    .findMergedAnnotation(method, RecordHandler.class));
        if (methods.isEmpty()) {
            this.classesWithoutHandlers.add(targetClass);
            return bean;
        }
        methods.forEach((method, annotation) -> {
            synchronized (this.found) {
                this.found.add(new Found(bean, beanName, method, annotation));
            }
        });
        return bean;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ConfigurableListableBeanFactory factory = this.beanFactory;
        if (factory == null || this.found.isEmpty()) {
            return;
        }
        ConsumerContainerFactory containers = factory.getBean(ConsumerContainerFactory.class);
        PayloadConversions conversions = PayloadConversions.from(factory);
        ShutdownPhase shutdownPhase = containers.shutdownPhase();
        Map<String, String> sources = new LinkedHashMap<>();
        for (Found handler : this.found) {
            HandlerAttributes attributes = attributes(handler);
            String previous = sources.putIfAbsent(attributes.id(), attributes.source());
            if (previous != null) {
                throw new RecordHandlerDefinitionException(attributes.source(), "uses container id '" + attributes.id()
                        + "', as does " + previous + "; give one of them another id");
            }
            ContainerSettings settings = containers.settings(attributes);
            Method invocable = AopUtils.selectInvocableMethod(handler.method(), handler.bean().getClass());
            RecordHandlerInvoker invoker = new RecordHandlerInvoker(handler.bean(), invocable, attributes.source(),
                    settings, conversions);
            String beanName = CONTAINER_BEAN_PREFIX + settings.id();
            DisposableBean lifecycle;
            if (settings.isShare()) {
                ShareConsumerContainerLifecycle share = new ShareConsumerContainerLifecycle(settings,
                        () -> containers.createShare(settings, (builder) -> install(builder, invoker)),
                        settings.shutdownTimeout(), shutdownPhase);
                factory.registerSingleton(beanName, share);
                lifecycle = share;
            }
            else {
                ConsumerContainerLifecycle consumer = new ConsumerContainerLifecycle(settings,
                        () -> containers.create(settings, (builder) -> install(builder, settings, invoker, containers)),
                        settings.shutdownTimeout(), shutdownPhase);
                factory.registerSingleton(beanName, consumer);
                lifecycle = consumer;
            }
            // Registered singletons get no destruction callback of their own.
            if (factory instanceof DefaultSingletonBeanRegistry registry) {
                registry.registerDisposableBean(beanName, lifecycle);
            }
        }
        this.found.clear();
    }

    private static void install(ConsumerContainer.Builder<Object, Object> builder, ContainerSettings settings,
            RecordHandlerInvoker invoker, ConsumerContainerFactory containers) {
        if (settings.isTransactional()) {
            builder.transactional(containers.transactions(settings), invoker.transactionalHandler());
        }
        else if (settings.batch()) {
            builder.batchProcessor(invoker.batchProcessor());
        }
        else {
            builder.processor(invoker.recordProcessor());
        }
    }

    private static void install(ShareConsumerContainer.Builder<Object, Object> builder, RecordHandlerInvoker invoker) {
        if (invoker.acknowledgesShares()) {
            builder.shareHandler(invoker.shareHandler());
        }
        else {
            builder.processor(invoker.recordProcessor());
        }
    }

    /** The annotation's attributes, its options among them: one level of the container's {@link ContainerOptions}. */
    private HandlerAttributes attributes(Found handler) {
        RecordHandler annotation = handler.annotation();
        String source = RecordHandlerInvoker.describe(handler.method());
        String id = resolve(annotation.id());
        if (id == null) {
            id = handler.beanName() + "." + handler.method().getName();
        }
        List<String> topics = Arrays.stream(annotation.topics())
            .map(this::resolve)
            .filter(StringUtils::hasText)
            .flatMap((names) -> Arrays.stream(StringUtils.commaDelimitedListToStringArray(names)))
            .map(String::trim)
            .filter(StringUtils::hasText)
            .toList();
        ContainerOptions options = new ContainerOptions();
        options.setGroupId(resolve(annotation.groupId()));
        options.setConcurrency(integer(source, "concurrency", annotation.concurrency()));
        options.setMaxDeliveries(integer(source, "maxDeliveries", annotation.maxDeliveries()));
        options.setOrdering(ordering(source, annotation.ordering()));
        options.setAutoStartup(autoStartup(source, annotation.autoStartup()));
        for (String property : annotation.properties()) {
            String resolved = resolve(property);
            int equals = (resolved != null) ? resolved.indexOf('=') : -1;
            if (equals < 1) {
                throw new RecordHandlerDefinitionException(source, "property '" + property + "' is not name=value");
            }
            options.getProperties().put(resolved.substring(0, equals).trim(), resolved.substring(equals + 1).trim());
        }
        return new HandlerAttributes(id, source, topics, resolve(annotation.topicPattern()), annotation.batch(),
                resolve(annotation.shareGroup()), annotation.transactional(), resolve(annotation.sendTo()), options);
    }

    private @Nullable Integer integer(String source, String attribute, String value) {
        String resolved = resolve(value);
        if (resolved == null) {
            return null;
        }
        try {
            return Integer.valueOf(resolved);
        }
        catch (NumberFormatException ex) {
            throw new RecordHandlerDefinitionException(source, attribute + " '" + resolved + "' is not a number");
        }
    }

    private @Nullable Ordering ordering(String source, String value) {
        String resolved = resolve(value);
        if (resolved == null) {
            return null;
        }
        try {
            return Ordering.valueOf(resolved.toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            throw new RecordHandlerDefinitionException(source, "ordering '" + resolved + "' is none of "
                    + Arrays.toString(Ordering.values()));
        }
    }

    private @Nullable Boolean autoStartup(String source, String value) {
        String resolved = resolve(value);
        if (resolved == null) {
            return null;
        }
        if (!resolved.equalsIgnoreCase("true") && !resolved.equalsIgnoreCase("false")) {
            throw new RecordHandlerDefinitionException(source, "autoStartup '" + resolved + "' is neither true nor false");
        }
        return Boolean.valueOf(resolved);
    }

    private @Nullable String resolve(String value) {
        if (!StringUtils.hasText(value)) {
            return null;
        }
        ConfigurableListableBeanFactory factory = this.beanFactory;
        String resolved = (factory != null) ? factory.resolveEmbeddedValue(value) : value;
        return StringUtils.hasText(resolved) ? resolved.trim() : null;
    }

    private record Found(Object bean, String beanName, Method method, RecordHandler annotation) {
    }

}
