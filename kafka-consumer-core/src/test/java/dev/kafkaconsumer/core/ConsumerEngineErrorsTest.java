package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Sanitizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/** Bad input, misuse and the stopped engine: each gives a clear error, nothing hangs. */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerEngineErrorsTest {

    @Test
    void buildingWithoutBootstrapServersOrWithBadPropertiesFailsWithKafkasMessage() {
        assertThatThrownBy(() -> ConsumerEngine.builder(new StringDeserializer(), new StringDeserializer()).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("bootstrap.servers");
        assertThatThrownBy(() -> ConsumerEngine.builder(new StringDeserializer(), new StringDeserializer())
                .bootstrapServers("127.0.0.1:1").property("isolation.level", "sometimes").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("isolation.level");
        assertThatThrownBy(() -> ConsumerEngine.builder(new StringDeserializer(), new StringDeserializer())
                .bootstrapServers("127.0.0.1:1").property("max.poll.records", 0).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("max.poll.records");
        assertThatThrownBy(() -> ConsumerEngine.builder(new StringDeserializer(), new StringDeserializer())
                .bootstrapServers("127.0.0.1:1").maxBufferedBytes(0).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("Buffer bounds");
    }

    @Test
    void mixingSubscriptionAndAssignmentWithoutUnsubscribingIsRefused(KafkaBroker kafka) {
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).groupId(Engines.unique("mix")).build()) {
            engine.subscribe(List.of("some-topic"));
            assertThatIllegalStateException().isThrownBy(() -> engine.assign(List.of(new TopicPartition("t", 0))))
                    .withMessageContaining("unsubscribe()");
            engine.unsubscribe();
            engine.assign(List.of(new TopicPartition("t", 0)));
            assertThatIllegalStateException().isThrownBy(() -> engine.subscribe(List.of("t")))
                    .withMessageContaining("mutually exclusive");
            assertThatIllegalStateException().isThrownBy(() -> engine.subscribe(Pattern.compile("t.*"), null));
            assertThatIllegalArgumentException().isThrownBy(() -> engine.subscribe(List.of(" ")));
        }
    }

    @Test
    void callsOnPartitionsNotAssignedAndBadArgumentsAreRefused(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "refused", 1, 1);
        TopicPartition assigned = new TopicPartition(topic, 0);
        TopicPartition other = new TopicPartition(topic, 7);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).build()) {
            assertThatIllegalStateException().isThrownBy(() -> engine.position(assigned)).withMessageContaining("start()");
            engine.assign(List.of(assigned));
            engine.start();
            assertThatIllegalStateException().isThrownBy(engine::start).withMessageContaining("already started");
            assertThatIllegalStateException().isThrownBy(() -> engine.seek(other, 0)).withMessageContaining("not assigned");
            assertThatIllegalStateException().isThrownBy(() -> engine.position(other)).withMessageContaining(other.toString());
            assertThatIllegalStateException().isThrownBy(() -> engine.highwater(other));
            assertThatIllegalStateException().isThrownBy(() -> engine.lastStableOffset(other));
            assertThatIllegalStateException().isThrownBy(() -> engine.lastPollTimestamp(other));
            assertThatIllegalStateException().isThrownBy(() -> engine.pause(assigned, other));
            assertThat(engine.paused()).as("a refused pause changes nothing").isEmpty();
            assertThatIllegalStateException().isThrownBy(() -> engine.getMany(Duration.ZERO, other));
            assertThatIllegalStateException().isThrownBy(() -> engine.seekToEnd(other));
            assertThatIllegalArgumentException().isThrownBy(() -> engine.seek(assigned, -1)).withMessageContaining("-1");
            assertThatIllegalArgumentException().isThrownBy(() -> engine.getMany(Duration.ZERO, 0)).withMessageContaining("maxRecords");
            assertThatIllegalArgumentException().isThrownBy(() -> engine.getManyAsync(Duration.ZERO, -5));
            assertThatIllegalArgumentException().isThrownBy(() -> engine.getOne(Duration.ofMillis(-1)));
            assertThatIllegalArgumentException().isThrownBy(() -> engine.getOne((TopicPartition) null));
        }
    }

    @Test
    void commitsWithoutAGroupIdFailWithInvalidGroupId(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "nogroup", 1, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).build()) {
            engine.assign(List.of(tp));
            engine.start();
            assertThatThrownBy(engine::commit).isInstanceOf(InvalidGroupIdException.class);
            assertThatThrownBy(() -> engine.commit(Map.of(tp, new OffsetAndMetadata(1)))).isInstanceOf(InvalidGroupIdException.class);
            assertThatThrownBy(engine::commitAsync).isInstanceOf(InvalidGroupIdException.class);
            assertThatThrownBy(() -> engine.committed(tp)).isInstanceOf(InvalidGroupIdException.class);
            assertThat(engine.getOne(Duration.ofSeconds(10))).isPresent();
        }
    }

    @Test
    void withoutACommittedOffsetAndAutoOffsetResetNoneGetCallsThrowUntilTheApplicationSeeks(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "noreset", 1, 10);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).groupId(Engines.unique("noreset"))
                .property("auto.offset.reset", "none").build()) {
            engine.assign(List.of(tp));
            engine.start();
            assertThatThrownBy(() -> engine.getMany(Duration.ofSeconds(10)))
                    .isInstanceOf(NoOffsetForPartitionException.class).hasMessageContaining(tp.toString());
            assertThatThrownBy(() -> engine.position(tp)).isInstanceOf(NoOffsetForPartitionException.class);
            engine.seek(tp, 4);
            assertThat(engine.getOne(Duration.ofSeconds(10))).hasValueSatisfying(r -> assertThat(r.offset()).isEqualTo(4));
        }
    }

    @Test
    void stoppingWakesWaitingCallersAndLaterCallsThrow(KafkaBroker kafka) throws Exception {
        String topic = Engines.unique("stopping");
        kafka.createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        ConsumerEngine<String, String> engine = Engines.builder(kafka).groupId(Engines.unique("stopping")).build();
        engine.assign(List.of(tp));
        engine.start();
        CompletableFuture<Object> waitingOne = CompletableFuture.supplyAsync(() -> engine.getOne());
        CompletableFuture<Object> waitingMany = CompletableFuture.supplyAsync(() -> engine.getMany(Duration.ofMinutes(5)));
        CompletableFuture<?> asyncOne = engine.getOneAsync();
        CompletableFuture<?> asyncMany = engine.getManyAsync(Duration.ofMinutes(5), 10);
        await().during(Duration.ofMillis(200)).until(() -> !waitingOne.isDone() && !waitingMany.isDone());
        assertThat(engine.isRunning()).isTrue();

        engine.stop();
        engine.stop();
        assertThat(engine.isRunning()).isFalse();
        assertThatThrownBy(() -> waitingOne.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(ConsumerStoppedException.class);
        assertThat(waitingMany.get(10, TimeUnit.SECONDS)).isEqualTo(Map.of());
        assertThatThrownBy(() -> asyncOne.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ConsumerStoppedException.class);
        assertThat(asyncMany.get(10, TimeUnit.SECONDS)).isEqualTo(Map.of());

        assertThatThrownBy(() -> engine.getMany(Duration.ZERO)).isInstanceOf(ConsumerStoppedException.class);
        assertThatThrownBy(() -> engine.getOne()).isInstanceOf(ConsumerStoppedException.class);
        assertThatThrownBy(() -> engine.position(tp)).isInstanceOf(ConsumerStoppedException.class);
        assertThatThrownBy(engine::commit).isInstanceOf(ConsumerStoppedException.class);
        assertThatThrownBy(engine::start).isInstanceOf(ConsumerStoppedException.class);
        assertThat(engine.iterator().hasNext()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void withAnUnreachableBrokerStartGivesUpAfterTheApiTimeoutAndStopStaysWithinItsTimeout(String protocol) {
        ConsumerEngine<String, String> engine = ConsumerEngine.builder(new StringDeserializer(), new StringDeserializer())
                .bootstrapServers("127.0.0.1:1").groupId(Engines.unique("unreachable")).property("group.protocol", protocol)
                .property("default.api.timeout.ms", 1500).build();
        engine.subscribe(List.of("t"));
        long started = System.nanoTime();
        assertThatThrownBy(engine::start).isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class)
                .hasMessageContaining("keeps trying");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(10));
        assertThat(engine.isRunning()).as("it keeps trying in the background").isTrue();
        assertThat(engine.getMany(Duration.ofMillis(200))).isEmpty();
        long stopping = System.nanoTime();
        engine.stop(Duration.ofSeconds(2));
        // its timeout plus a margin for a loaded machine: this catches a stop that hangs on the unreachable broker, not a slow one
        assertThat(Duration.ofNanos(System.nanoTime() - stopping)).as("stop(2 s)").isLessThan(Duration.ofSeconds(10));
        assertThat(engine.isRunning()).isFalse();
    }

    /** A String deserializer that tells whether it was closed, as a consumer closes its deserializers. */
    private static final class CloseRecordingDeserializer extends StringDeserializer {
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public void close() {
            closed.set(true);
            super.close();
        }
    }

    @Test
    void anEngineStoppedBeforeItStartedClosesItsConsumer(KafkaBroker kafka) throws Exception {
        CloseRecordingDeserializer keys = new CloseRecordingDeserializer();
        CloseRecordingDeserializer values = new CloseRecordingDeserializer();
        ConsumerEngine<String, String> engine = ConsumerEngine.builder(keys, values).properties(kafka.clientProperties()).build();
        ObjectName appInfo = new ObjectName("kafka.consumer:type=app-info,id=" + Sanitizer.jmxSanitize(engine.clientId()));
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        assertThat(mbeans.isRegistered(appInfo)).as("the consumer exists once built").isTrue();
        engine.assign(List.of(new TopicPartition("never", 0)));

        engine.stop();

        assertThat(keys.closed).as("key deserializer closed").isTrue();
        assertThat(values.closed).as("value deserializer closed").isTrue();
        assertThat(mbeans.isRegistered(appInfo)).as("the consumer's app-info MBean is gone").isFalse();
        assertThatThrownBy(engine::start).isInstanceOf(ConsumerStoppedException.class);
        assertThat(engine.isRunning()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void waitingForRecordsInsideARebalanceListenerIsRefusedRatherThanDeadlocking(String protocol, KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "listener-wait", 1, 5);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka, Engines.unique("listener-wait"), protocol).build()) {
            engine.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    try {
                        engine.getOne(Duration.ofSeconds(1));
                    } catch (RuntimeException e) {
                        failure.set(e);
                    }
                }
            });
            engine.start();
            assertThat(failure.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("I/O thread");
            assertThat(engine.getOne(Duration.ofSeconds(10))).isPresent();
        }
    }
}
