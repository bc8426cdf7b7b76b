package dev.kafkaconsumer.core.internal.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kafkaconsumer.core.AcquiredRecord;
import dev.kafkaconsumer.core.ShareEngineListener;
import dev.kafkaconsumer.core.ShareEngineSnapshot;
import dev.kafkaconsumer.core.internal.share.Acquisition;
import dev.kafkaconsumer.core.internal.share.ShareEngineConfig;
import dev.kafkaconsumer.core.internal.share.ShareEngineCore;

/**
 * What a share container uses of its share engine of raw bytes (a {@code ShareConsumerEngine}'s core), with the engine's contracts (see
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

    /**
     * Sets what the engine tells each time records (or an error for the next get) become ready to take; it runs on
     * the engine's thread (the share engine's I/O thread) and must return at once. The container's workers take with
     * a zero timeout and never wait in the engine, so that this is how they learn that records came.
     */
    void onRecords(Runnable listener);

    ShareEngineSnapshot snapshot();

    Map<MetricName, ? extends Metric> metrics();

    /** One record the engine acquired: an {@link AcquiredRecord}'s contract, without the future of an acknowledgement. */
    interface Acquired {

        ConsumerRecord<byte[], byte[]> record();

        TopicPartition partition();

        int deliveryCount();

        /** Whether the engine found the record's lock expired before a final acknowledgement. */
        boolean isLockExpired();

        /**
         * Acknowledges the record; the container learns the outcome from the engine's {@link Events}, so no future
         * is made for it. Nothing is sent when the record's lock had expired or the engine had stopped.
         *
         * @throws IllegalStateException after a final acknowledgement
         */
        void acknowledge(AcknowledgeType type);
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
     * listener that passes the engine's events on. The engine is a {@code ShareConsumerEngine}'s core, without the
     * facade, so that the container takes the engine's records themselves and acknowledges them without a future per
     * record (B9: the futures and their completion were a large part of the I/O thread's work per record). A container
     * of several consumers has one per consumer ({@link CombinedShareEngines#of}).
     *
     * @param config     the container's configuration
     * @param properties the consumer's properties: {@link ShareContainerConfig#engineProperties()}, or those of one
     *                   of several consumers
     * @param events     told what the engine reports
     * @param views      makes the application's view of a record, which only the public package can (the listener's
     *                   {@code lockExpired} gets one)
     * @return the engine, not started
     */
    static ShareContainerEngine of(ShareContainerConfig<?, ?> config, Map<String, Object> properties, Events events,
            Function<Acquisition<byte[], byte[]>, AcquiredRecord<byte[], byte[]>> views) {
        ShareEngineListener listener = new ShareEngineListener() {
            @Override
            public void acknowledged(TopicPartition partition, AcknowledgeType type, int count) {
                events.acknowledged(partition, type, count);
            }

            @Override
            public void lockExpired(AcquiredRecord<?, ?> record, Duration heldFor) {
                events.lockExpired(record.partition(), record.offset(), record.deliveryCount(), heldFor);
            }
        };
        ByteArrayDeserializer keys = new ByteArrayDeserializer();
        ByteArrayDeserializer values = new ByteArrayDeserializer();
        ShareEngineConfig engineConfig = new ShareEngineConfig(properties, keys, values, config.lockRenewal(),
                config.maxLockRenewal() != null ? config.maxLockRenewal() : ShareEngineConfig.DEFAULT_MAX_LOCK_RENEWAL,
                ShareEngineConfig.DEFAULT_ACKNOWLEDGEMENT_INTERVAL);
        return of(new ShareEngineCore<>(engineConfig, keys, values, listener, views));
    }

    /** The engine, as a share container uses it. */
    static ShareContainerEngine of(ShareEngineCore<byte[], byte[]> engine) {
        return new ShareContainerEngine() {

            @Override
            public void subscribe(Collection<String> topics) {
                engine.subscribe(Set.copyOf(topics));
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
                List<Acquisition<byte[], byte[]>> records = engine.getAcquisitions(timeout, maxRecords);
                List<Acquired> acquired = new ArrayList<>(records.size());
                for (Acquisition<byte[], byte[]> record : records) {
                    acquired.add(new EngineRecord(record));
                }
                return acquired;
            }

            @Override
            public void onRecords(Runnable listener) {
                engine.onRecordsReady(listener);
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

    /** An engine's record, as a share container sees it. */
    record EngineRecord(Acquisition<byte[], byte[]> acquisition) implements Acquired {

        @Override
        public ConsumerRecord<byte[], byte[]> record() {
            return acquisition.record();
        }

        @Override
        public TopicPartition partition() {
            return acquisition.partition();
        }

        @Override
        public int deliveryCount() {
            return acquisition.deliveryCount();
        }

        @Override
        public boolean isLockExpired() {
            return acquisition.isExpired();
        }

        @Override
        public void acknowledge(AcknowledgeType type) {
            acquisition.acknowledgeUnanswered(type);
        }

        @Override
        public String toString() {
            return acquisition.toString();
        }
    }
}
