package dev.kafkaconsumer.benchmarks.latency;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.DrainProperties;

/**
 * B4's baseline: a plain {@link KafkaConsumer} {@code poll(500 ms)} loop on a thread of its own, calling
 * the handler for each record as soon as its batch arrives; no commits. Stopped with {@code wakeup()}.
 */
final class RawLatencyContender implements LatencyContender {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    /** {@code group.protocol} chosen for this contender, or null for {@code -Dbench.groupProtocol}'s (or kafka-clients') default. */
    private final String protocol;
    private volatile boolean running;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    /** @param protocol {@code classic} or {@code consumer}, or null for the run's default */
    RawLatencyContender(String protocol) {
        this.protocol = protocol;
    }

    @Override
    public String name() {
        return BenchSettings.RAW;
    }

    @Override
    public void start(String bootstrapServers, String topic, int run, Consumer<ConsumerRecord<byte[], byte[]>> handler,
            CountDownLatch assigned) {
        consumer = new KafkaConsumer<>(protocol == null ? DrainProperties.forRun(bootstrapServers, name(), run)
                : DrainProperties.forRun(bootstrapServers, name(), run, protocol), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        running = true;
        thread = new Thread(() -> pollLoop(topic, handler, assigned), "b4-raw-poll-" + run);
        thread.setUncaughtExceptionHandler((t, e) -> System.err.println("[" + t.getName() + "] failed: " + e));
        thread.start();
    }

    private void pollLoop(String topic, Consumer<ConsumerRecord<byte[], byte[]>> handler, CountDownLatch assigned) {
        try {
            consumer.subscribe(List.of(topic), LatencyContender.countingDown(assigned));
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                    handler.accept(record);
                }
            }
        } catch (WakeupException e) {
            // close() asked the loop to end
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
