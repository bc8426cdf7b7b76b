package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.ContainerState;
import dev.kafkaconsumer.core.RecordProcessor;

/**
 * A partition's log truncated below what the container had taken (an unclean leader election), over a stand-in
 * engine whose position moves back by itself, as kafka-clients moves it: the container goes on from the new log end
 * and commits there, below its earlier commit.
 */
class ContainerTruncationTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);

    private final FakeEngine engine = new FakeEngine();
    private final List<Long> handled = new CopyOnWriteArrayList<>();
    private ContainerRuntime<String, String> runtime;

    @AfterEach
    void stopTheContainer() {
        if (runtime != null) {
            runtime.stop(Duration.ofSeconds(1));
        }
    }

    private ContainerRuntime<String, String> running() {
        engine.assignsOnStart(P0);
        runtime = new ContainerRuntime<>(ContainerConfig.builder("c", new StringDeserializer(), new StringDeserializer())
                .property("group.id", "g").property("bootstrap.servers", "127.0.0.1:9").topics(List.of("t"))
                .recordProcessor(RecordProcessor.of(record -> handled.add(record.offset())))
                .commitInterval(Duration.ofMillis(20)).build(), engine, listener -> { }, listener -> { });
        runtime.start();
        await().until(runtime::state, state -> state == ContainerState.RUNNING);
        return runtime;
    }

    @Test
    void recordsAfterATruncationBelowTheCommitAreHandledAndCommittedFromTheNewLogEnd() {
        engine.produce(P0, 10);
        running();
        await().untilAsserted(() -> assertThat(engine.lastCommitted()).containsEntry(P0, 10L));

        engine.truncate(P0, 6);
        engine.produce(P0, 2);

        List<Long> expected = new ArrayList<>(LongStream.range(0, 10).boxed().toList());
        expected.addAll(List.of(6L, 7L));
        await().untilAsserted(() -> assertThat(handled).containsExactlyElementsOf(expected));
        await().untilAsserted(() -> assertThat(engine.lastCommitted()).as("committed again, below the commit of 10")
                .containsEntry(P0, 8L));

        engine.produce(P0, 5);
        await().untilAsserted(() -> assertThat(engine.lastCommitted()).containsEntry(P0, 13L));
        assertThat(handled).hasSize(17).endsWith(8L, 9L, 10L, 11L, 12L);
        assertThat(engine.commits).extracting(commit -> commit.get(P0).offset()).as("never a commit above the new records")
                .containsSubsequence(10L, 8L, 13L);
        assertThat(runtime.snapshot().partitions().get(0).committed()).hasValue(13);
    }

    @Test
    void aTruncationWhileTheContainerHandlesNothingIsFoundWhenRecordsComeAgain() {
        engine.produce(P0, 4);
        running();
        await().untilAsserted(() -> assertThat(engine.lastCommitted()).containsEntry(P0, 4L));

        engine.truncate(P0, 0);
        engine.produce(P0, 1);

        await().untilAsserted(() -> assertThat(handled).containsExactly(0L, 1L, 2L, 3L, 0L));
        await().untilAsserted(() -> assertThat(engine.lastCommitted()).isEqualTo(Map.of(P0, 1L)));
    }
}
