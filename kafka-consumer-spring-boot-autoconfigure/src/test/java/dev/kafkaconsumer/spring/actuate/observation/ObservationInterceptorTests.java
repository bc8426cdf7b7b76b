package dev.kafkaconsumer.spring.actuate.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.kafkaconsumer.spring.autoconfigure.ContainerCustomizer;
import dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerAutoConfiguration;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;

class ObservationInterceptorTests {

    /** Records what happens to each observation. */
    private static final class Recording implements ObservationHandler<Observation.Context> {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onStart(Observation.Context context) {
            RecordObservationContext record = (RecordObservationContext) context;
            events.add("start " + context.getName() + " traceparent=" + record.getGetter().get(record.getCarrier(), "traceparent")
                    + " " + context.getLowCardinalityKeyValues().stream().map(kv -> kv.getKey() + "=" + kv.getValue()).sorted().toList());
        }

        @Override
        public void onError(Observation.Context context) {
            events.add("error " + context.getError().getMessage());
        }

        @Override
        public void onStop(Observation.Context context) {
            events.add("stop");
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof RecordObservationContext;
        }
    }

    private final Recording recording = new Recording();
    private final ObservationInterceptor interceptor = interceptor(recording);

    private static ObservationInterceptor interceptor(Recording recording) {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(recording);
        return new ObservationInterceptor(registry);
    }

    private static ConsumerRecord<String, String> record() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>("orders", 2, 42L, 0L, TimestampType.CREATE_TIME, 1, 1, "k", "v", headers,
                java.util.Optional.empty());
    }

    @Test
    void aHandlerCallIsObservedUntilItsStageCompletesAndCarriesTheRecordsTraceContext() throws Exception {
        CompletableFuture<Object> handling = new CompletableFuture<>();
        CompletableFuture<?> stage = interceptor.intercept("orders-app", List.of(record()), () -> handling).toCompletableFuture();
        assertThat(recording.events).singleElement().asString()
                .contains("start kafka.consumer.process")
                .contains("traceparent=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .contains("container=orders-app").contains("topic=orders");
        handling.complete(null);
        stage.get();
        assertThat(recording.events).last().isEqualTo("stop");
    }

    @Test
    void aFailingCallIsObservedWithItsError() throws Exception {
        assertThatIllegalStateException().isThrownBy(() -> interceptor.intercept("c", List.of(record()), () -> {
            throw new IllegalStateException("boom");
        }));
        assertThat(recording.events).endsWith("error boom", "stop");

        CompletableFuture<Object> failed = CompletableFuture.failedFuture(new IllegalArgumentException("async boom"));
        interceptor.intercept("c", List.of(record()), () -> failed);
        assertThat(recording.events).endsWith("error async boom", "stop");
    }

    @Test
    void isOffByDefaultAndOnWhenEnabledWithARegistry() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class,
                    KafkaConsumerObservationAutoConfiguration.class))
            .withBean(ObservationRegistry.class, ObservationRegistry::create)
            .withPropertyValues("kafka.consumer.bootstrap-servers=127.0.0.1:1");
        runner.run((context) -> assertThat(context).doesNotHaveBean("kafkaConsumerObservationCustomizer"));
        runner.withPropertyValues("kafka.consumer.observation.enabled=true")
            .run((context) -> assertThat(context).getBean("kafkaConsumerObservationCustomizer")
                .isInstanceOf(ContainerCustomizer.class));
    }
}
