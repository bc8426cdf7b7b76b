package dev.kafkaconsumer.benchmarks.rebalance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kafkaconsumer.core.ConsumerEngine;

/**
 * A B6 member between the raw consumer and the container: a {@link ConsumerEngine} with a
 * {@code getMany} loop on a thread of its own, engine auto-commit on (it commits handed-out positions
 * before a revocation). Where the container pauses and the engine does not, the pause is the
 * container's; where both do, it is the engine's.
 */
final class EngineGroupMember implements AutoCloseable {

    private final ConsumerEngine<byte[], byte[]> engine;
    private final Thread thread;
    private volatile boolean running = true;

    EngineGroupMember(String name, Map<String, Object> properties, String topic, Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        Map<String, Object> withCommits = new java.util.HashMap<>(properties);
        withCommits.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true);
        this.engine = ConsumerEngine.builder(new ByteArrayDeserializer(), new ByteArrayDeserializer()).properties(withCommits).build();
        engine.subscribe(List.of(topic));
        this.thread = new Thread(() -> {
            while (running) {
                engine.getMany(Duration.ofMillis(100)).values().forEach(records -> records.forEach(handler));
            }
        }, "b6-engine-member-" + name);
        thread.setUncaughtExceptionHandler((t, e) -> System.err.println("[" + t.getName() + "] failed: " + e));
    }

    void start() {
        engine.start();
        thread.start();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.stop();
    }
}
