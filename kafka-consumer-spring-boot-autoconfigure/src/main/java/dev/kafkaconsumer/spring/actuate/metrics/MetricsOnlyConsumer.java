package dev.kafkaconsumer.spring.actuate.metrics;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * A {@link Consumer} that answers {@link Consumer#metrics()} only, for Micrometer's
 * {@code KafkaClientMetrics}, which takes a consumer but reads nothing else from it. The real consumer
 * belongs to the container's I/O thread and is never handed out; its metrics registry is thread-safe.
 */
final class MetricsOnlyConsumer {

    private MetricsOnlyConsumer() {
    }

    @SuppressWarnings("unchecked")
    static Consumer<?, ?> of(Supplier<Map<MetricName, ? extends Metric>> metrics) {
        return (Consumer<?, ?>) Proxy.newProxyInstance(Consumer.class.getClassLoader(), new Class<?>[] {Consumer.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "metrics" -> metrics.get();
                    case "toString" -> "MetricsOnlyConsumer";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(
                            "Only metrics() is available; the consumer belongs to its container's I/O thread");
                });
    }
}
