package dev.kafkaconsumer.benchmarks.scale;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.CpuClock;
import dev.kafkaconsumer.benchmarks.harness.DrainProperties;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.harness.HandlerMeter;
import dev.kafkaconsumer.benchmarks.harness.KeyOrderCheck;
import dev.kafkaconsumer.benchmarks.harness.LiveHeap;
import dev.kafkaconsumer.benchmarks.harness.PartitionTargets;
import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.Ordering;

/**
 * B7's two contenders over the topic of 1,000 partitions, each with the same handler (key-order check, then count):
 * a raw {@link KafkaConsumer} poll loop on the calling thread, and one {@link ConsumerContainer} with KEY ordering.
 * Each drain measures, besides its time and CPU, the live heap with every partition assigned (after the last record,
 * before close) over the live heap before the consumer was made.
 */
final class ScaleDrains {

    static final String RAW = BenchSettings.RAW;
    static final String CONTAINER = BenchSettings.CONTAINER;

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final long STALL_NANOS = 60_000_000_000L;

    private final String bootstrap;
    private final String topic;
    private final int concurrency;
    private final CpuClock cpu;

    ScaleDrains(String bootstrap, String topic, int concurrency, CpuClock cpu) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.concurrency = concurrency;
        this.cpu = cpu;
    }

    /** One drain of {@code contender} ({@link #RAW} or {@link #CONTAINER}); fails on a key-order violation. */
    ScaleRun drain(String contender, long records, int run) {
        long[] targets = PartitionTargets.read(bootstrap, topic);
        KeyOrderCheck order = new KeyOrderCheck();
        long heapBefore = LiveHeap.bytes();
        long consumerCpu = cpu.consumerNanos();
        long brokerCpu = cpu.brokerNanos();
        ScaleRun measured = switch (contender) {
            case RAW -> raw(targets, order, run, heapBefore);
            case CONTAINER -> container(targets, order, run, heapBefore);
            default -> throw new IllegalArgumentException("Unknown B7 contender " + contender);
        };
        DrainTiming timing = measured.timing();
        DrainTiming withCpu = new DrainTiming(timing.records(), timing.valueBytes(), timing.totalNanos(),
                timing.firstBatchRecords(), timing.afterFirstNanos(), cpu.consumerNanos() - consumerCpu,
                cpu.brokerNanos() - brokerCpu, timing.drainCpuNanos());
        order.requireNone(contender, topic);
        if (withCpu.records() != records) {
            throw new IllegalStateException(contender + " read " + withCpu.records() + " records; expected " + records);
        }
        return new ScaleRun(withCpu, measured.heapBytes(), measured.assigned(), order.violations());
    }

    private ScaleRun raw(long[] targets, KeyOrderCheck order, int run, long heapBefore) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(DrainProperties.forRun(bootstrap, RAW, run),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            HandlerMeter meter = new HandlerMeter(targets);
            Consumer<ConsumerRecord<byte[], byte[]>> handler = handler(order, meter);
            consumer.subscribe(List.of(topic));
            long lastRecords = System.nanoTime();
            while (!meter.done()) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL_TIMEOUT);
                if (batch.isEmpty()) {
                    if (System.nanoTime() - lastRecords > STALL_NANOS) {
                        throw new IllegalStateException("raw received nothing for 60 s; is the broker alive?");
                    }
                    continue;
                }
                lastRecords = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    handler.accept(record);
                }
            }
            DrainTiming timing = meter.finish();
            long heap = LiveHeap.bytes() - heapBefore;
            return new ScaleRun(timing, heap, consumer.assignment().size(), 0);
        }
    }

    private ScaleRun container(long[] targets, KeyOrderCheck order, int run, long heapBefore) {
        HandlerMeter[] meter = new HandlerMeter[1];
        @SuppressWarnings("unchecked")
        Consumer<ConsumerRecord<byte[], byte[]>>[] handler = new Consumer[1];
        ConsumerContainer<byte[], byte[]> container = ConsumerContainer
                .builder("b7-container-" + run, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .properties(properties(run))
                .topics(List.of(topic))
                .ordering(Ordering.KEY)
                .concurrency(concurrency)
                .handler(record -> handler[0].accept(record))
                .build();
        try {
            meter[0] = new HandlerMeter(targets);
            handler[0] = handler(order, meter[0]);
            container.start();
            meter[0].await(CONTAINER, HandlerMeter.timeoutSeconds(targets.length * 1_000L) + 120);
            DrainTiming timing = meter[0].finish();
            long heap = LiveHeap.bytes() - heapBefore;
            return new ScaleRun(timing, heap, container.snapshot().partitions().size(), 0);
        } finally {
            container.stop();
        }
    }

    private Map<String, Object> properties(int run) {
        return DrainProperties.forRun(bootstrap, CONTAINER, run);
    }

    /** The handler both contenders run: the key-order check around the count. */
    private static Consumer<ConsumerRecord<byte[], byte[]>> handler(KeyOrderCheck order, HandlerMeter meter) {
        return record -> {
            boolean alone = order.begin(record);
            order.end(record, alone);
            meter.countShared(record);
        };
    }
}
