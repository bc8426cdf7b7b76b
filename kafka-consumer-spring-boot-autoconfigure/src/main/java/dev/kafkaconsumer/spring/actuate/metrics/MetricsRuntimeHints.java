package dev.kafkaconsumer.spring.actuate.metrics;

import org.apache.kafka.clients.consumer.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * The JDK proxy of {@link MetricsOnlyConsumer}, for ahead-of-time processing (listed in
 * {@code META-INF/spring/aot.factories}): a native image defines proxy classes at build time only, so the
 * interfaces here must be those, in that order, that {@code MetricsOnlyConsumer} asks for.
 */
class MetricsRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        hints.proxies().registerJdkProxy(Consumer.class);
    }

}
