package dev.kafkaconsumer.core.internal.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kafkaconsumer.core.AcquiredRecord;
import dev.kafkaconsumer.core.ShareConsumerEngine;
import dev.kafkaconsumer.core.ShareEngineListener;
import dev.kafkaconsumer.core.ShareEngineSnapshot;

/**
 * What a share container uses of its {@link ShareConsumerEngine} of raw bytes, with the engine's contracts (see
 * each method there), so that a test gives the container a stand-in without a broker, as {@link ContainerEngine}
 * does for the other container. {@link #of} builds the engine and adapts it; the engine's records reach the
 * container as {@link Acquired}, and what the engine tells its listener reaches it as {@link Events}, in plain
 * values.
 */
interface ShareContainerEngine {

    void subscribe(Collection<String> topics);

    void start();

    void stop(Duration timeout);

    boolean isRunning();

    List<Acquired> getMany(Duration timeout, int maxRecords);

    ShareEngineSnapshot snapshot();

    Map<MetricName, ? extends Metric> metrics();

    /** One record the engine acquired: an {@link AcquiredRecord}'s contract. */
    interface Acquired {

        ConsumerRecord<byte[], byte[]> record();

        TopicPartition partition();

        int deliveryCount();

        /** Whether the engine found the record's lock expired before a final acknowledgement. */
        boolean isLockExpired();

        /** @throws IllegalStateException after a final acknowledgement; {@code ConsumerStoppedException} after the engine stopped */
        CompletableFuture<Void> acknowledge(AcknowledgeType type);
    }

    /** What the engine reports, on its callback thread: a {@link ShareEngineListener}'s events that the container uses. */
    interface Events {

        /** The broker confirmed acknowledgements. */
        void acknowledged(TopicPartition partition, AcknowledgeType type, int count);

        /** A record's lock expired before it was acknowledged; the engine sends no acknowledgement for it. */
        void lockExpired(TopicPartition partition, long offset, int deliveryCount, Duration heldFor);
    }

    /**
     * Builds the engine for a share container: raw bytes (the container deserializes on its workers), its
     * consumer properties with the container's name as default {@code client.id}, its lock renewal, and a
     * listener that passes the engine's events on.
     *
     * @param config the container's configuration
     * @param events told what the engine reports
     * @return the engine, not started
     */
    static ShareContainerEngine of(ShareContainerConfig<?, ?> config, Events events) {
        ShareConsumerEngine.Builder<byte[], byte[]> builder = ShareConsumerEngine.builder(new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).properties(config.engineProperties()).lockRenewal(config.lockRenewal())
                .listener(new ShareEngineListener() {
                    @Override
                    public void acknowledged(TopicPartition partition, AcknowledgeType type, int count) {
                        events.acknowledged(partition, type, count);
                    }

                    @Override
                    public void lockExpired(AcquiredRecord<?, ?> record, Duration heldFor) {
                        events.lockExpired(record.partition(), record.offset(), record.deliveryCount(), heldFor);
                    }
                });
        if (config.maxLockRenewal() != null) {
            builder.maxLockRenewal(config.maxLockRenewal());
        }
        return of(builder.build());
    }

    /** The engine, as a share container uses it. */
    static ShareContainerEngine of(ShareConsumerEngine<byte[], byte[]> engine) {
        return new ShareContainerEngine() {

            @Override
            public void subscribe(Collection<String> topics) {
                engine.subscribe(topics);
            }

            @Override
            public void start() {
                engine.start();
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
            public List<Acquired> getMany(Duration timeout, int maxRecords) {
                List<AcquiredRecord<byte[], byte[]>> records = engine.getMany(timeout, maxRecords);
                List<Acquired> acquired = new ArrayList<>(records.size());
                for (AcquiredRecord<byte[], byte[]> record : records) {
                    acquired.add(new Acquired() {
                        @Override
                        public ConsumerRecord<byte[], byte[]> record() {
                            return record.record();
                        }

                        @Override
                        public TopicPartition partition() {
                            return record.partition();
                        }

                        @Override
                        public int deliveryCount() {
                            return record.deliveryCount();
                        }

                        @Override
                        public boolean isLockExpired() {
                            return record.isLockExpired();
                        }

                        @Override
                        public CompletableFuture<Void> acknowledge(AcknowledgeType type) {
                            return record.acknowledge(type);
                        }

                        @Override
                        public String toString() {
                            return record.toString();
                        }
                    });
                }
                return acquired;
            }

            @Override
            public ShareEngineSnapshot snapshot() {
                return engine.snapshot();
            }

            @Override
            public Map<MetricName, ? extends Metric> metrics() {
                return engine.metrics();
            }
        };
    }
}
