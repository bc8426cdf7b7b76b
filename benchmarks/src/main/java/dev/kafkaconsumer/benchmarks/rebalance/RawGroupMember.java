package dev.kafkaconsumer.benchmarks.rebalance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * B6's baseline member: a raw {@link KafkaConsumer} poll loop on a thread of its own that hands each
 * record to the handler inline, with auto-commit on (so that a revoked partition's position is
 * committed before its next owner starts). What its gaps show is the group protocol's own cost, with
 * no container in between.
 */
final class RawGroupMember implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param name       names the thread
     * @param properties the consumer properties, group and protocol included
     * @param topic      the topic to subscribe to
     * @param handler    called for every record, on the poll thread
     */
    RawGroupMember(String name, Map<String, Object> properties, String topic, Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        Map<String, Object> withCommits = new java.util.HashMap<>(properties);
        withCommits.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true);
        this.consumer = new KafkaConsumer<>(withCommits, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(() -> {
            try {
                consumer.subscribe(List.of(topic));
                while (running) {
                    consumer.poll(Duration.ofMillis(100)).forEach(handler);
                }
            } catch (WakeupException e) {
                // close() asked the loop to end
            } finally {
                consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
            }
        }, "b6-raw-member-" + name);
        thread.setUncaughtExceptionHandler((t, e) -> System.err.println("[" + t.getName() + "] failed: " + e));
    }

    void start() {
        thread.start();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
