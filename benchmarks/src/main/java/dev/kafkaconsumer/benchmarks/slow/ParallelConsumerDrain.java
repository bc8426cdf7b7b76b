package dev.kafkaconsumer.benchmarks.slow;

import java.util.List;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelStreamProcessor;
import io.confluent.parallelconsumer.internal.AbstractParallelEoSStreamProcessor;

import dev.kafkaconsumer.benchmarks.harness.Drain;
import dev.kafkaconsumer.benchmarks.harness.DrainProperties;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.harness.HandlerMeter;
import dev.kafkaconsumer.benchmarks.harness.PartitionTargets;
import dev.kafkaconsumer.benchmarks.harness.RecordWork;

/**
 * A B3 peer: Confluent Parallel Consumer ({@code parallel-consumer-core}, a benchmark-only dependency)
 * over a {@link KafkaConsumer} with the same properties as the other contenders, KEY ordering, the given
 * maximum concurrency, otherwise its defaults (periodic asynchronous commits). The clock runs from just
 * before {@code subscribe} to the last record handled; closing is left out, as in the other drains.
 *
 * <p>Parallel Consumer 0.5.3.3 is built against kafka-clients 3.9; here it runs on this build's
 * kafka-clients, and B3's result says whether it did.
 */
final class ParallelConsumerDrain implements Drain {

    private final String name;
    private final int maxConcurrency;
    private final RecordWork work;

    ParallelConsumerDrain(String name, int maxConcurrency, RecordWork work) {
        this.name = name;
        this.maxConcurrency = maxConcurrency;
        this.work = work;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DrainTiming drain(String bootstrapServers, String topic, long records, int run) {
        long[] targets = PartitionTargets.read(bootstrapServers, topic);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(DrainProperties.forRun(bootstrapServers, name, run),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        ParallelConsumerOptions<byte[], byte[]> options = ParallelConsumerOptions.<byte[], byte[]>builder()
                .consumer(consumer)
                .ordering(ParallelConsumerOptions.ProcessingOrder.KEY)
                .maxConcurrency(maxConcurrency)
                .build();
        ParallelStreamProcessor<byte[], byte[]> processor;
        try {
            processor = ParallelStreamProcessor.createEosStreamProcessor(options);
        } catch (RuntimeException | LinkageError e) {
            consumer.close();
            throw e;
        }
        try {
            HandlerMeter meter = new HandlerMeter(targets);
            Consumer<ConsumerRecord<byte[], byte[]>> handler = work.handler(meter);
            processor.subscribe(List.of(topic));
            processor.poll(context -> handler.accept(context.getSingleConsumerRecord()));
            meter.await(name, work.timeoutSeconds(records), () -> failure(processor));
            return meter.finish();
        } finally {
            processor.closeDontDrainFirst();
        }
    }

    /** Parallel Consumer's own threads may die (e.g. on an API that kafka-clients 4 removed); the drain then fails at once. */
    private static Throwable failure(ParallelStreamProcessor<byte[], byte[]> processor) {
        if (!processor.isClosedOrFailed()) {
            return null;
        }
        Throwable cause = processor instanceof AbstractParallelEoSStreamProcessor<?, ?> pc ? pc.getFailureCause() : null;
        return cause != null ? cause : new IllegalStateException("Parallel Consumer closed itself");
    }
}
