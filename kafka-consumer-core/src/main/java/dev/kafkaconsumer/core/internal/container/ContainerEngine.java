package dev.kafkaconsumer.core.internal.container;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;

import dev.kafkaconsumer.core.ConsumerEngine;
import dev.kafkaconsumer.core.internal.EngineCore;
import dev.kafkaconsumer.core.internal.RecordAccess;

/**
 * What a container uses of its engine of raw bytes, with the contracts of {@link ConsumerEngine} (see each
 * method there): the runtime, the dispatcher, the committer and the snapshots ask for nothing else, so a
 * test gives them a stand-in without a broker. {@link #of} adapts the engine; the threads that call each
 * method are the engine's callers, as its Javadoc allows.
 *
 * <p>One call is the container's own: a take that bounds each partition ({@link #getMany(Duration, int, ToIntFunction)}),
 * which {@code ConsumerEngine} has no place for (its get calls for chosen partitions park the others' fetching, as
 * they should for an application that chooses). So the adapter sits on the engine's core, {@link EngineCore}, and its
 * {@link RecordAccess}, as the share container sits on its engine's core, rather than on the public facade: what the
 * facade adds is only the checks of arguments that the container never gets wrong.
 */
interface ContainerEngine {

    /** How long {@link #stop()} gives the consumer, as {@code ConsumerEngine#stop()} does. */
    Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    void start();

    void stop();

    void stop(Duration timeout);

    boolean isRunning();

    void subscribe(Collection<String> topics, ConsumerRebalanceListener listener);

    void subscribe(Pattern pattern, ConsumerRebalanceListener listener);

    void assign(Collection<TopicPartition> partitions);

    Set<TopicPartition> assignment();

    Set<String> subscription();

    Set<TopicPartition> paused();

    void pause(TopicPartition... partitions);

    void resume(TopicPartition... partitions);

    /**
     * Takes records of all partitions in turn, but no more of a partition than {@code room} allows it, leaving out
     * those without room without parking their fetching (see {@code RecordAccess#getMany(Duration, int, ToIntFunction)}).
     *
     * @param room how many records of a partition may be taken now; asked under the engine's buffers lock
     */
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> getMany(Duration timeout, int maxRecords,
            ToIntFunction<TopicPartition> room);

    /** Wakes a take waiting in {@link #getMany}, to ask its {@code room} again: a partition left out has room now. */
    void roomChanged();

    OptionalLong currentPosition(TopicPartition partition);

    void seek(TopicPartition partition, long offset);

    Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions);

    Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions);

    Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps);

    Set<String> topics();

    void commit(Map<TopicPartition, OffsetAndMetadata> offsets);

    OffsetAndMetadata committed(TopicPartition partition);

    ConsumerGroupMetadata groupMetadata();

    CompletableFuture<Void> commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets);

    OptionalLong highwater(TopicPartition partition);

    OptionalLong lastStableOffset(TopicPartition partition);

    OptionalLong lastPollTimestamp(TopicPartition partition);

    Map<MetricName, ? extends Metric> metrics();

    /** The engine, as a container uses it. */
    static ContainerEngine of(EngineCore<byte[], byte[]> engine) {
        RecordAccess<byte[], byte[]> records = engine.records();
        return new ContainerEngine() {

            @Override
            public void start() {
                engine.start();
            }

            @Override
            public void stop() {
                engine.stop(STOP_TIMEOUT);
            }

            @Override
            public void stop(Duration timeout) {
                engine.stop(timeout);
            }

            @Override
            public boolean isRunning() {
                return engine.isRunning();
            }

            @Override
            public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
                engine.subscribe(new LinkedHashSet<>(topics), listener);
            }

            @Override
            public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
                engine.subscribe(pattern, listener);
            }

            @Override
            public void assign(Collection<TopicPartition> partitions) {
                engine.assign(new LinkedHashSet<>(partitions));
            }

            @Override
            public Set<TopicPartition> assignment() {
                return records.assignment();
            }

            @Override
            public Set<String> subscription() {
                return engine.subscription();
            }

            @Override
            public Set<TopicPartition> paused() {
                return records.paused();
            }

            @Override
            public void pause(TopicPartition... partitions) {
                records.pause(List.of(partitions));
            }

            @Override
            public void resume(TopicPartition... partitions) {
                records.resume(List.of(partitions));
            }

            @Override
            public Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> getMany(Duration timeout, int maxRecords,
                    ToIntFunction<TopicPartition> room) {
                return records.getMany(timeout, maxRecords, room);
            }

            @Override
            public void roomChanged() {
                records.roomChanged();
            }

            @Override
            public OptionalLong currentPosition(TopicPartition partition) {
                return records.currentPosition(partition);
            }

            @Override
            public void seek(TopicPartition partition, long offset) {
                engine.seek(partition, offset);
            }

            @Override
            public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
                return engine.beginningOffsets(partitions);
            }

            @Override
            public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
                return engine.endOffsets(partitions);
            }

            @Override
            public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
                return engine.offsetsForTimes(timestamps);
            }

            @Override
            public Set<String> topics() {
                return engine.topics();
            }

            @Override
            public void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
                engine.commit(new LinkedHashMap<>(offsets));
            }

            @Override
            public OffsetAndMetadata committed(TopicPartition partition) {
                return engine.committed(partition);
            }

            @Override
            public ConsumerGroupMetadata groupMetadata() {
                return engine.groupMetadata();
            }

            @Override
            public CompletableFuture<Void> commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets) {
                return engine.commitAsync(new LinkedHashMap<>(offsets));
            }

            @Override
            public OptionalLong highwater(TopicPartition partition) {
                return records.highwater(partition);
            }

            @Override
            public OptionalLong lastStableOffset(TopicPartition partition) {
                return records.lastStableOffset(partition);
            }

            @Override
            public OptionalLong lastPollTimestamp(TopicPartition partition) {
                return records.lastPollTimestamp(partition);
            }

            @Override
            public Map<MetricName, ? extends Metric> metrics() {
                return engine.metrics();
            }
        };
    }
}
