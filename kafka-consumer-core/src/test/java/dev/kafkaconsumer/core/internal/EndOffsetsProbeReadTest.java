package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.SubscriptionState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * The end offsets probe without a broker: which way it reads for each kind of consumer, and what each way
 * gives (over kafka-clients' {@link MockConsumer}, whose fetch state is a real {@link SubscriptionState}).
 * {@link EndOffsetsProbeTest} checks the values against a broker.
 */
class EndOffsetsProbeReadTest {

    private final TopicPartition t0 = new TopicPartition("t", 0);
    private final TopicPartition t1 = new TopicPartition("t", 1);
    private final Logger probeLogger = (Logger) LoggerFactory.getLogger(EndOffsetsProbe.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");

    @BeforeEach
    void captureTheProbesLogAndAssignTwoPartitions() {
        logged.start();
        probeLogger.addAppender(logged);
        consumer.assign(List.of(t0, t1));
        consumer.updateBeginningOffsets(Map.of(t0, 0L, t1, 0L));
    }

    @AfterEach
    void stopCapturing() {
        probeLogger.detachAppender(logged);
    }

    private List<String> messages() {
        return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Sets what a fetch response would have told the consumer; kafka-clients keeps these setters package-private. */
    private void fetchResponse(TopicPartition partition, long highWatermark, long lastStableOffset) throws Exception {
        Field field = MockConsumer.class.getDeclaredField("subscriptions");
        field.setAccessible(true);
        SubscriptionState state = (SubscriptionState) field.get(consumer);
        Method high = SubscriptionState.class.getDeclaredMethod("updateHighWatermark", TopicPartition.class, long.class);
        Method stable = SubscriptionState.class.getDeclaredMethod("updateLastStableOffset", TopicPartition.class, long.class);
        high.setAccessible(true);
        stable.setAccessible(true);
        high.invoke(state, partition, highWatermark);
        stable.invoke(state, partition, lastStableOffset);
    }

    @Test
    void theFetchStateGivesBothEndOffsetsAndUnknownBeforeTheFirstFetchResponse() throws Exception {
        EndOffsetsProbe probe = new EndOffsetsProbe(consumer, IsolationLevel.READ_UNCOMMITTED, "c");
        assertThat(probe.source()).isEqualTo(EndOffsetsProbe.Source.FETCH_STATE);
        fetchResponse(t0, 12, 9);

        Map<TopicPartition, EndOffsetsProbe.Ends> read = probe.read(List.of(t0, t1, new TopicPartition("other", 0)));

        assertThat(read.get(t0)).extracting(EndOffsetsProbe.Ends::highWatermark, EndOffsetsProbe.Ends::lastStableOffset)
                .containsExactly(12L, 9L);
        assertThat(read.get(t1)).isEqualTo(EndOffsetsProbe.Ends.UNKNOWN);
        assertThat(read).as("a partition no longer assigned in the consumer is left out").containsOnlyKeys(t0, t1);
        assertThat(messages()).containsExactly("[c] High-water marks and last stable offsets are read from the consumer's fetch state");
    }

    @ParameterizedTest
    @ValueSource(strings = {"READ_UNCOMMITTED", "READ_COMMITTED"})
    void theFetchStateGivesTheLagFromThePositionToTheEndOfTheIsolationLevel(IsolationLevel isolation) throws Exception {
        EndOffsetsProbe probe = new EndOffsetsProbe(consumer, isolation, "c");
        fetchResponse(t0, 12, 9);
        consumer.seek(t0, 4);
        consumer.seek(t1, 0);

        Map<TopicPartition, EndOffsetsProbe.Ends> read = probe.read(List.of(t0, t1));

        assertThat(read.get(t0).lag()).isEqualTo(isolation == IsolationLevel.READ_COMMITTED ? 5 : 8);
        assertThat(read.get(t1).lag()).as("no fetch response yet").isEqualTo(PartitionBuffer.UNKNOWN);
    }

    @Test
    void currentLagGivesTheHighWaterMarkUnderReadUncommitted() {
        consumer.updateEndOffsets(Map.of(t0, 10L));
        consumer.seek(t0, 4);
        EndOffsetsProbe probe = new EndOffsetsProbe(consumer, IsolationLevel.READ_UNCOMMITTED, "c", EndOffsetsProbe.Source.CURRENT_LAG);
        assertThat(probe.source()).isEqualTo(EndOffsetsProbe.Source.CURRENT_LAG);
        assertThat(probe.read(List.of(t0)).get(t0)).isEqualTo(new EndOffsetsProbe.Ends(10, PartitionBuffer.UNKNOWN, 6));
        assertThat(messages()).containsExactly(
                "[c] The high-water mark is read through currentLag and position; the last stable offset is unknown");
    }

    @Test
    void currentLagGivesTheLastStableOffsetUnderReadCommitted() {
        consumer.updateEndOffsets(Map.of(t0, 10L));
        EndOffsetsProbe probe = new EndOffsetsProbe(consumer, IsolationLevel.READ_COMMITTED, "c", EndOffsetsProbe.Source.CURRENT_LAG);
        assertThat(probe.read(List.of(t0)).get(t0)).isEqualTo(new EndOffsetsProbe.Ends(PartitionBuffer.UNKNOWN, 10, 10));
        assertThat(messages()).containsExactly(
                "[c] The last stable offset is read through currentLag and position; the high-water mark is unknown");
    }

    @Test
    void withoutALagOrAPositionTheEndOffsetIsUnknown() {
        MockConsumer<String, String> noLag = new MockConsumer<>("earliest") {
            @Override
            public OptionalLong currentLag(TopicPartition partition) {
                return partition.partition() == 0 ? OptionalLong.empty() : OptionalLong.of(3);
            }

            @Override
            public synchronized long position(TopicPartition partition, Duration timeout) {
                throw new TimeoutException("no position yet");
            }
        };
        EndOffsetsProbe probe = new EndOffsetsProbe(noLag, IsolationLevel.READ_UNCOMMITTED, "c", EndOffsetsProbe.Source.CURRENT_LAG);
        Map<TopicPartition, EndOffsetsProbe.Ends> read = probe.read(List.of(t0, t1));
        assertThat(read.get(t0)).isEqualTo(EndOffsetsProbe.Ends.UNKNOWN);
        assertThat(read.get(t1)).isEqualTo(EndOffsetsProbe.Ends.UNKNOWN);
    }

    @Test
    void aConsumerWhoseFetchStateCannotBeFoundFallsBackToCurrentLagAndSaysWhy() {
        Consumer<?, ?> opaque = (Consumer<?, ?>) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Consumer.class},
                (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        EndOffsetsProbe probe = new EndOffsetsProbe(opaque, IsolationLevel.READ_UNCOMMITTED, "c");
        assertThat(probe.source()).isEqualTo(EndOffsetsProbe.Source.CURRENT_LAG);
        assertThat(messages()).hasSize(2);
        assertThat(messages().get(0)).startsWith("[c] Cannot read the fetch state of ").contains("NoSuchFieldException")
                .endsWith("highwater and lastStableOffset fall back to currentLag");
        assertThat(messages().get(1)).contains("high-water mark is read through currentLag");
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void theFetchStateOfKafkaConsumerIsFoundUnderBothGroupProtocols(String protocol) {
        KafkaConsumer<String, String> kafka = new KafkaConsumer<>(Map.of("bootstrap.servers", "127.0.0.1:1", "group.id", "g",
                "group.protocol", protocol), new StringDeserializer(), new StringDeserializer());
        try {
            EndOffsetsProbe probe = new EndOffsetsProbe(kafka, IsolationLevel.READ_UNCOMMITTED, "c");
            assertThat(probe.source()).isEqualTo(EndOffsetsProbe.Source.FETCH_STATE);
            assertThat(probe.read(Set.of(t0))).as("nothing assigned inside the consumer").isEmpty();
        } finally {
            kafka.close(CloseOptions.timeout(Duration.ZERO));
        }
    }
}
