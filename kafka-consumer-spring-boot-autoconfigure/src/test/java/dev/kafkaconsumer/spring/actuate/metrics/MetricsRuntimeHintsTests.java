package dev.kafkaconsumer.spring.actuate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

class MetricsRuntimeHintsTests {

    @Test
    void registersTheProxyThatTheMetricsOnlyConsumerCreates() {
        RuntimeHints hints = new RuntimeHints();
        new MetricsRuntimeHints().registerHints(hints, getClass().getClassLoader());
        Consumer<?, ?> consumer = MetricsOnlyConsumer.of(Map::of);
        assertThat(RuntimeHintsPredicates.proxies().forInterfaces(consumer.getClass().getInterfaces())).accepts(hints);
    }

}
