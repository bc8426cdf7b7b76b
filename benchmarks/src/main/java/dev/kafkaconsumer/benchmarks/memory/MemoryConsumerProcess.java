package dev.kafkaconsumer.benchmarks.memory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.BrokerProcess;
import dev.kafkaconsumer.benchmarks.harness.DrainProperties;
import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.Ordering;

/**
 * The consumer side of B5, run in a JVM of its own so that its resident set is the consumer's alone:
 * starts one contender ({@link Mode}), prints a {@link MemorySample} line every
 * {@value #SAMPLE_MILLIS} ms, and stops when its standard input closes.
 *
 * <p>Each sample forces a full collection ({@code System.gc()}) and reads the used heap right after
 * it: the live set, what bounded buffers must keep flat. Without it, a young collection's "after"
 * value would include whatever garbage the old generation has not yet collected. The forced
 * collections slow the consumer down a little; B5 measures memory, not speed.
 *
 * <p>{@code MemoryConsumerProcess <mode> <bootstrap-servers> <topic>}
 */
public final class MemoryConsumerProcess {

    static final long SAMPLE_MILLIS = 500;

    /** What consumes, and how slowly. */
    enum Mode {
        /** B2's container: PARTITION ordering, concurrency 1, a handler that only counts. */
        CONTAINER_DRAIN,
        /** B2's Spring peer at its best: AckMode.TIME, concurrency 1. */
        SPRING_DRAIN,
        /** B3's container: KEY ordering, concurrency 100, 1 to 5 ms of simulated I/O per record. */
        CONTAINER_SLOW,
        /** B3's Spring peer: concurrency = partitions, its default AckMode.BATCH, the same handler. */
        SPRING_SLOW;

        boolean slow() {
            return this == CONTAINER_SLOW || this == SPRING_SLOW;
        }
    }

    private MemoryConsumerProcess() {
    }

    /**
     * @param args mode, bootstrap servers, topic
     * @throws IOException if standard input cannot be read
     */
    public static void main(String[] args) throws IOException {
        Mode mode = Mode.valueOf(args[0]);
        LongAdder handled = new LongAdder();
        AutoCloseable consumer = start(mode, args[1], args[2], record -> {
            if (mode.slow()) {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextLong(1_000, 5_001)));
            }
            handled.increment();
        });
        Thread sampler = new Thread(() -> sample(handled), "b5-memory-sampler");
        sampler.setDaemon(true);
        sampler.start();
        BrokerProcess.awaitEndOfInput(System.in);
        try {
            consumer.close();
        } catch (Exception e) {
            System.err.println("Stopping the consumer failed: " + e);
        }
        System.exit(0);
    }

    private static AutoCloseable start(Mode mode, String bootstrapServers, String topic,
            java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        Map<String, Object> properties = DrainProperties.forRun(bootstrapServers, "b5-" + mode.name().toLowerCase(java.util.Locale.ROOT), 0);
        if (mode == Mode.CONTAINER_DRAIN || mode == Mode.CONTAINER_SLOW) {
            boolean slow = mode.slow();
            ConsumerContainer<byte[], byte[]> container = ConsumerContainer
                    .builder("b5-" + mode, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                    .properties(properties)
                    .topics(List.of(topic))
                    .ordering(slow ? Ordering.KEY : Ordering.PARTITION)
                    .concurrency(slow ? 100 : 1)
                    .handler(handler::accept)
                    .build();
            container.start();
            return container;
        }
        ContainerProperties containerProperties = new ContainerProperties(topic);
        containerProperties.setAckMode(mode.slow() ? ContainerProperties.AckMode.BATCH : ContainerProperties.AckMode.TIME);
        containerProperties.setMessageListener((MessageListener<byte[], byte[]>) handler::accept);
        ConcurrentMessageListenerContainer<byte[], byte[]> container = new ConcurrentMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                containerProperties);
        container.setConcurrency(mode.slow() ? BenchSettings.PARTITIONS : 1);
        container.setBeanName("b5-" + mode);
        container.start();
        return container::stop;
    }

    private static void sample(LongAdder handled) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long start = System.nanoTime();
        while (true) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SAMPLE_MILLIS));
            long used = memory.getHeapMemoryUsage().getUsed();
            System.gc();
            long live = memory.getHeapMemoryUsage().getUsed();
            ProcStatus status = ProcStatus.self();
            System.out.println(new MemorySample(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), handled.sum(), live, used,
                    status.rssKib(), status.hwmKib()).toLine());
            System.out.flush();
        }
    }
}
