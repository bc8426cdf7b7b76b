package dev.kafkaconsumer.benchmarks.apps;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kafkaconsumer.benchmarks.harness.DrainProperties;

/**
 * B8's baseline: one raw {@link KafkaConsumer} per topic, each polling on a platform thread of its own and handing each
 * record to {@link AppMeter}; what an application without a container library would run for 50 topics.
 */
final class RawPerTopic implements AutoCloseable {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** Starts a consumer and its thread per topic. */
    RawPerTopic(String bootstrap, List<String> topics, int run) {
        for (String topic : topics) {
            Thread thread = new Thread(() -> poll(bootstrap, topic, run), "raw-" + topic);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    private void poll(String bootstrap, String topic, int run) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(DrainProperties.forRun(bootstrap, "b8-raw-" + topic, run),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                    AppMeter.count(record);
                }
            }
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** The first consumer's failure, or null. */
    Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() {
        running.set(false);
        for (Thread thread : threads) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
