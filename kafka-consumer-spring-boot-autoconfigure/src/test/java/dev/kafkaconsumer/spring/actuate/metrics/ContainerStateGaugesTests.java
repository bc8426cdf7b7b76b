package dev.kafkaconsumer.spring.actuate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.spring.RecordHandler;
import dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerAutoConfiguration;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** {@code kafka.consumer.container.state}: one 0/1 gauge per state and container, read when scraped. */
class ContainerStateGaugesTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void onlyTheCurrentStateIsOneAndAFailedContainerStaysFailed() {
        AtomicReference<ContainerState> state = new AtomicReference<>(ContainerState.RUNNING);
        new ContainerStateGauges(() -> Map.of("orders", state::get)).bindTo(this.registry);

        assertThat(states("orders")).hasSize(ContainerState.values().length).containsEntry("running", 1.0)
            .containsEntry("failed", 0.0);
        state.set(ContainerState.FAILED);
        assertThat(states("orders")).containsEntry("running", 0.0).containsEntry("failed", 1.0);
        assertThat(states("orders").values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(1.0);
    }

    @Test
    void theAutoConfigurationListsEveryContainerBeanOnceTheRegistryIsBound() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                    KafkaConsumerAutoConfiguration.class, KafkaConsumerMetricsAutoConfiguration.class))
            .withBean(MeterRegistry.class, () -> this.registry)
            .withBean(Handlers.class, Handlers::new)
            .withPropertyValues("kafka.consumer.bootstrap-servers=127.0.0.1:1", "kafka.consumer.group-id=g",
                    "kafka.consumer.auto-startup=false")
            .run((context) -> {
                assertThat(context).hasSingleBean(ContainerStateGauges.class);
                assertThat(states("audit")).containsEntry("new", 1.0).containsEntry("running", 0.0);
                assertThat(states("billing")).containsEntry("new", 1.0);
            });
    }

    private Map<String, Double> states(String container) {
        return this.registry.find("kafka.consumer.container.state").tag("container", container).gauges().stream()
            .collect(Collectors.toMap((gauge) -> gauge.getId().getTag("state"), Gauge::value));
    }

    static class Handlers {

        @RecordHandler(id = "audit", topics = "audit")
        void audit(String value) {
        }

        @RecordHandler(id = "billing", topics = "billing")
        void billing(String value) {
        }
    }

}
