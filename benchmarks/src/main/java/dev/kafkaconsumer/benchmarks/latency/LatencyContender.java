package dev.kafkaconsumer.benchmarks.latency;

import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One contender of B4: a consumer that runs in the background, calling a handler per record, from
 * {@link #start} until {@link #close}. Both contenders use {@code DrainProperties} (kafka-clients' default
 * fetch settings, {@code check.crcs=true}, byte[] deserializers, a fresh group, reading from the earliest
 * offset of a topic that is empty when they start).
 */
interface LatencyContender extends AutoCloseable {

    /** A short label for tables and logs. */
    String name();

    /**
     * Subscribes to {@code topic} and starts handing its records to {@code handler}; returns at once.
     *
     * @param assigned counted down when the group has assigned partitions to this contender
     */
    void start(String bootstrapServers, String topic, int run, Consumer<ConsumerRecord<byte[], byte[]>> handler,
            CountDownLatch assigned);

    /** Stops the consumer and waits for it. */
    @Override
    void close();

    /** A rebalance listener that counts {@code assigned} down on the first non-empty assignment. */
    static ConsumerRebalanceListener countingDown(CountDownLatch assigned) {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // nothing to do: the run's only member never loses its partitions
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    assigned.countDown();
                }
            }
        };
    }
}
