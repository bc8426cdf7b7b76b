package dev.kafkaconsumer.spring.actuate.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.kafkaconsumer.spring.RecordHandler;
import dev.kafkaconsumer.spring.autoconfigure.ContainerCustomizer;
import dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerAutoConfiguration;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;

@ExtendWith(KafkaBrokerExtension.class)
class ObservationInterceptorTests {

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    /** Records what happens to each observation. */
    private static final class Recording implements ObservationHandler<Observation.Context> {

        final List<String> events = new CopyOnWriteArrayList<>();

        final List<RecordObservationContext> stopped = new CopyOnWriteArrayList<>();

        @Override
        public void onStart(Observation.Context context) {
            RecordObservationContext record = (RecordObservationContext) context;
            events.add("start " + context.getName() + " traceparent=" + record.getGetter().get(record.getCarrier(), "traceparent"));
        }

        @Override
        public void onError(Observation.Context context) {
            events.add("error " + context.getError().getMessage());
        }

        @Override
        public void onStop(Observation.Context context) {
            events.add("stop");
            stopped.add((RecordObservationContext) context);
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof RecordObservationContext;
        }
    }

    private final Recording recording = new Recording();

    private final ObservationRegistry registry = registry(this.recording);

    private static ObservationRegistry registry(Recording recording) {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(recording);
        return registry;
    }

    private static ConsumerRecord<String, String> record(long offset) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", TRACEPARENT.getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>("orders", 2, offset, 0L, TimestampType.CREATE_TIME, 1, 1, "k", "v", headers,
                Optional.empty());
    }

    private static Map<String, String> map(KeyValues values) {
        return values.stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
    }

    @Test
    void aHandlerCallIsObservedUntilItsStageCompletesAndCarriesTheRecordsTraceContext() throws Exception {
        CompletableFuture<Object> handling = new CompletableFuture<>();
        CompletableFuture<?> stage = new ObservationInterceptor(this.registry)
            .intercept("orders-app", List.of(record(42)), () -> handling)
            .toCompletableFuture();
        assertThat(this.recording.events).containsExactly("start kafka.consumer.process traceparent=" + TRACEPARENT);
        handling.complete(null);
        stage.get();
        assertThat(this.recording.events).last().isEqualTo("stop");
    }

    @Test
    void keyNamesFollowOpenTelemetrysMessagingConventionsWithOnlyFewValuedOnesLowCardinality() throws Exception {
        new ObservationInterceptor(this.registry, "orders-group", null)
            .intercept("orders-app", List.of(record(42)), () -> CompletableFuture.completedFuture(null));

        RecordObservationContext context = this.recording.stopped.get(0);
        assertThat(context.getName()).isEqualTo("kafka.consumer.process");
        assertThat(context.getContextualName()).isEqualTo("process orders");
        assertThat(map(context.getLowCardinalityKeyValues())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "messaging.system", "kafka", "messaging.operation.name", "process", "messaging.operation.type", "process",
                "messaging.destination.name", "orders", "messaging.consumer.group.name", "orders-group",
                "kafka.consumer.container", "orders-app"));
        assertThat(map(context.getHighCardinalityKeyValues())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "messaging.destination.partition.id", "2", "messaging.kafka.offset", "42"));
    }

    @Test
    void aBatchCarriesItsSizeAndAContainerWithoutAGroupKeepsTheGroupKeyWithNoneSoTimerTagsStayAlike()
            throws Exception {
        new ObservationInterceptor(this.registry).intercept("assigned", List.of(record(7), record(8), record(9)),
                () -> CompletableFuture.completedFuture(null));

        RecordObservationContext context = this.recording.stopped.get(0);
        assertThat(map(context.getHighCardinalityKeyValues())).containsEntry("messaging.batch.message_count", "3")
            .containsEntry("messaging.kafka.offset", "7");
        assertThat(map(context.getLowCardinalityKeyValues())).containsEntry("messaging.consumer.group.name", "none");
    }

    @Test
    void theTimerCarriesTheLowCardinalityKeysOnly() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ObservationRegistry timed = ObservationRegistry.create();
        timed.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        ObservationInterceptor interceptor = new ObservationInterceptor(timed, "orders-group", null);
        for (long offset = 0; offset < 3; offset++) {
            interceptor.intercept("orders-app", List.of(record(offset)), () -> CompletableFuture.completedFuture(null));
        }
        assertThat(meters.get("kafka.consumer.process").timers()).singleElement().satisfies((timer) -> {
            assertThat(timer.count()).isEqualTo(3);
            assertThat(timer.getId().getTags()).extracting(Tag::getKey)
                .contains("messaging.destination.name", "messaging.consumer.group.name", "kafka.consumer.container")
                .doesNotContain("messaging.kafka.offset", "messaging.destination.partition.id");
        });
    }

    @Test
    void aConventionGivenReplacesTheDefaultOne() throws Exception {
        new ObservationInterceptor(this.registry, "orders-group", new TeamConvention())
            .intercept("orders-app", List.of(record(42)), () -> CompletableFuture.completedFuture(null));

        RecordObservationContext context = this.recording.stopped.get(0);
        assertThat(context.getName()).isEqualTo("orders.handled");
        assertThat(map(context.getLowCardinalityKeyValues())).containsExactly(Map.entry("team", "payments"));
    }

    @Test
    void aFailingCallIsObservedWithItsError() throws Exception {
        ObservationInterceptor interceptor = new ObservationInterceptor(this.registry);
        assertThatIllegalStateException().isThrownBy(() -> interceptor.intercept("c", List.of(record(1)), () -> {
            throw new IllegalStateException("boom");
        }));
        assertThat(this.recording.events).endsWith("error boom", "stop");

        CompletableFuture<Object> failed = CompletableFuture.failedFuture(new IllegalArgumentException("async boom"));
        interceptor.intercept("c", List.of(record(1)), () -> failed);
        assertThat(this.recording.events).endsWith("error async boom", "stop");
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

    @Test
    void aRecordHandlerIsObservedWithItsContainersGroupAndAConventionBeanReplacesTheDefault(KafkaBroker kafka) {
        String topic = "observed-" + UUID.randomUUID();
        kafka.createTopic(topic, 1);
        kafka.send(new StringSerializer(), new StringSerializer(), List.of(new ProducerRecord<>(topic, 0, "k", "v")));
        String group = "observed-" + UUID.randomUUID();
        ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class,
                    KafkaConsumerObservationAutoConfiguration.class))
            .withBean(ObservationRegistry.class, () -> this.registry)
            .withBean(Observed.class, Observed::new)
            .withPropertyValues("kafka.consumer.bootstrap-servers=" + kafka.bootstrapServers(),
                    "kafka.consumer.auto-offset-reset=earliest", "kafka.consumer.observation.enabled=true",
                    "test.topic=" + topic);

        runner.withPropertyValues("kafka.consumer.group-id=" + group).run((context) -> {
            await().atMost(Duration.ofSeconds(30)).until(() -> !this.recording.stopped.isEmpty());
            assertThat(map(this.recording.stopped.get(0).getLowCardinalityKeyValues()))
                .containsEntry("messaging.consumer.group.name", group)
                .containsEntry("messaging.destination.name", topic)
                .containsEntry("kafka.consumer.container", "observed");
        });

        this.recording.stopped.clear();
        runner.withPropertyValues("kafka.consumer.group-id=" + group + "-again")
            .withBean(KafkaConsumerObservationConvention.class, TeamConvention::new)
            .run((context) -> {
                await().atMost(Duration.ofSeconds(30)).until(() -> !this.recording.stopped.isEmpty());
                assertThat(this.recording.stopped.get(0).getName()).isEqualTo("orders.handled");
                assertThat(map(this.recording.stopped.get(0).getLowCardinalityKeyValues()))
                    .containsExactly(Map.entry("team", "payments"));
            });
    }

    /** A user's convention: its own name and tags. */
    static final class TeamConvention implements KafkaConsumerObservationConvention {

        @Override
        public String getName() {
            return "orders.handled";
        }

        @Override
        public KeyValues getLowCardinalityKeyValues(RecordObservationContext context) {
            return KeyValues.of("team", "payments");
        }

    }

    static class Observed {

        @RecordHandler(id = "observed", topics = "${test.topic}")
        void handle(String value) {
        }

    }

}
