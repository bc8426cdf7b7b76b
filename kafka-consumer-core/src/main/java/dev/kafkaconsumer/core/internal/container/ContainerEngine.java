package dev.kafkaconsumer.core.internal.container;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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

/**
 * What a container uses of its {@link ConsumerEngine} of raw bytes, with the engine's contracts (see each
 * method there): the runtime, the dispatcher, the committer and the snapshots ask for nothing else, so a
 * test gives them a stand-in without a broker. {@link #of} adapts the engine; the threads that call each
 * method are the engine's callers, as its Javadoc allows.
 */
interface ContainerEngine {

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

    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> getMany(Duration timeout, int maxRecords);

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
    static ContainerEngine of(ConsumerEngine<byte[], byte[]> engine) {
        return new ContainerEngine() {

            @Override
            public void start() {
                engine.start();
            }

            @Override
            public void stop() {
                engine.stop();
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
                engine.subscribe(topics, listener);
            }

            @Override
            public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
                engine.subscribe(pattern, listener);
            }

            @Override
            public void assign(Collection<TopicPartition> partitions) {
                engine.assign(partitions);
            }

            @Override
            public Set<TopicPartition> assignment() {
                return engine.assignment();
            }

            @Override
            public Set<String> subscription() {
                return engine.subscription();
            }

            @Override
            public Set<TopicPartition> paused() {
                return engine.paused();
            }

            @Override
            public void pause(TopicPartition... partitions) {
                engine.pause(partitions);
            }

            @Override
            public void resume(TopicPartition... partitions) {
                engine.resume(partitions);
            }

            @Override
            public Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> getMany(Duration timeout, int maxRecords) {
                return engine.getMany(timeout, maxRecords);
            }

            @Override
            public OptionalLong currentPosition(TopicPartition partition) {
                return engine.currentPosition(partition);
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
                engine.commit(offsets);
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
                return engine.commitAsync(offsets);
            }

            @Override
            public OptionalLong highwater(TopicPartition partition) {
                return engine.highwater(partition);
            }

            @Override
            public OptionalLong lastStableOffset(TopicPartition partition) {
                return engine.lastStableOffset(partition);
            }

            @Override
            public OptionalLong lastPollTimestamp(TopicPartition partition) {
                return engine.lastPollTimestamp(partition);
            }

            @Override
            public Map<MetricName, ? extends Metric> metrics() {
                return engine.metrics();
            }
        };
    }
}
