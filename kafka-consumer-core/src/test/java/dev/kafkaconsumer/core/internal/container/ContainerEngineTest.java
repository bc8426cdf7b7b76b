package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.ConsumerStoppedException;
import dev.kafkaconsumer.core.internal.EngineConfig;
import dev.kafkaconsumer.core.internal.EngineCore;
import dev.kafkaconsumer.core.internal.RecordAccess;

/**
 * The adapter hands each call to the engine: what an engine that is built but not started (so needs no broker)
 * answers, through the adapter.
 */
class ContainerEngineTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final ConsumerRebalanceListener NONE = new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
        }
    };

    private final EngineCore<byte[], byte[]> core = core();
    private final RecordAccess<byte[], byte[]> engine = core.records();
    private final ContainerEngine adapted = ContainerEngine.of(core);

    private static EngineCore<byte[], byte[]> core() {
        ByteArrayDeserializer keys = new ByteArrayDeserializer();
        ByteArrayDeserializer values = new ByteArrayDeserializer();
        return new EngineCore<>(new EngineConfig(Map.of("bootstrap.servers", "127.0.0.1:1", "group.id", "g"), keys, values,
                EngineConfig.DEFAULT_MAX_BUFFERED_BYTES_PER_PARTITION, EngineConfig.DEFAULT_MAX_BUFFERED_BYTES), keys, values);
    }

    @AfterEach
    void stop() {
        core.stop(Duration.ZERO);
    }

    @Test
    void partitionsAssignedByHandArePausedResumedAndSoughtThroughTheAdapter() {
        adapted.assign(List.of(P0));
        adapted.pause(P0);

        assertThat(adapted.assignment()).containsExactly(P0);
        assertThat(adapted.paused()).containsExactly(P0);
        adapted.resume(P0);
        assertThat(adapted.paused()).isEmpty();
        adapted.seek(P0, 7);
        assertThat(adapted.currentPosition(P0)).isEqualTo(engine.currentPosition(P0));
        assertThat(adapted.isRunning()).isFalse();
        assertThat(adapted.metrics()).isNotEmpty().isEqualTo(core.metrics());
        assertThat(adapted.highwater(P0)).isEqualTo(engine.highwater(P0)).isNotNull();
        assertThat(adapted.lastStableOffset(P0)).isEqualTo(engine.lastStableOffset(P0)).isNotNull();
        assertThat(adapted.lastPollTimestamp(P0)).isEqualTo(engine.lastPollTimestamp(P0)).isNotNull();
        assertThatIllegalStateException().isThrownBy(() -> adapted.highwater(new TopicPartition("t", 9)));
        assertThatIllegalStateException().isThrownBy(() -> adapted.lastStableOffset(new TopicPartition("t", 9)));
        assertThatIllegalStateException().isThrownBy(() -> adapted.lastPollTimestamp(new TopicPartition("t", 9)));
    }

    @Test
    void aSubscriptionIsMadeThroughTheAdapter() {
        adapted.subscribe(List.of("t", "u"), NONE);

        assertThat(adapted.subscription()).containsExactlyInAnyOrder("t", "u");
        adapted.subscribe(java.util.regex.Pattern.compile("v.*"), NONE);
        assertThat(adapted.subscription()).as("a pattern matches nothing before the start").isEmpty();
    }

    @Test
    void theAdapterStopsTheEngineWithOrWithoutATimeout() {
        EngineCore<byte[], byte[]> other = core();

        adapted.stop();
        ContainerEngine.of(other).stop(Duration.ZERO);

        assertThatExceptionOfType(ConsumerStoppedException.class).isThrownBy(() -> adapted.assign(Set.of(P0)));
        assertThatExceptionOfType(ConsumerStoppedException.class).isThrownBy(() -> other.assign(Set.of(P0)));
    }

    @Test
    void aStoppedEngineRefusesWhatTheAdapterAsksOfIt() {
        adapted.stop();

        assertThatExceptionOfType(ConsumerStoppedException.class).isThrownBy(adapted::start);
        assertThatExceptionOfType(ConsumerStoppedException.class).isThrownBy(() -> adapted.assign(Set.of(P0)));
        assertThatExceptionOfType(ConsumerStoppedException.class).isThrownBy(() -> adapted.getMany(Duration.ZERO, 1, partition -> 1));
        assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> adapted.commit(Map.of(P0, new OffsetAndMetadata(1))));
        assertThatExceptionOfType(ConsumerStoppedException.class)
                .isThrownBy(() -> adapted.commitAsync(Map.of(P0, new OffsetAndMetadata(1))));
        assertThatExceptionOfType(RuntimeException.class).isThrownBy(adapted::topics);
        assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> adapted.beginningOffsets(List.of(P0)));
        assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> adapted.endOffsets(List.of(P0)));
        assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> adapted.offsetsForTimes(Map.of(P0, 1L)));
    }
}
