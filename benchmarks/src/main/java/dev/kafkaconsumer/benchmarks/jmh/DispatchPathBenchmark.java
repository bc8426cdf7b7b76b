package dev.kafkaconsumer.benchmarks.jmh;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import dev.kafkaconsumer.core.Ordering;
import dev.kafkaconsumer.core.RecordProcessor;
import dev.kafkaconsumer.core.internal.container.ContainerConfig;
import dev.kafkaconsumer.core.internal.container.RecordPipeline;

/**
 * The container's per-record path without Kafka: one take of the engine (6 partitions × 500 records of
 * 100 bytes, keys from a space of 100) goes through {@link RecordPipeline} (cut into works by lane,
 * scheduled, run by the worker threads, handler invoked, offsets marked done) until none is in flight.
 * The score is per record; {@link HandlerLoopBenchmark} is the floor it compares with.
 *
 * <p>Run with the allocation profiler, e.g. {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes
 * allocated per record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DispatchPathBenchmark {

    @Param({"PARTITION", "KEY", "UNORDERED"})
    public Ordering ordering;

    @Param({"1", "6"})
    public int concurrency;

    private ExecutorService workers;
    private ScheduledExecutorService timers;
    private RecordPipeline<byte[], byte[]> pipeline;
    private Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> take;
    private Blackhole sink;

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) {
        sink = blackhole;
        take = Takes.take();
        workers = Executors.newFixedThreadPool(concurrency, runnable -> new Thread(runnable, "jmh-worker"));
        timers = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "jmh-timer"));
        ContainerConfig<byte[], byte[]> config = ContainerConfig.builder("jmh", new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).partitions(take.keySet())
                .recordProcessor(RecordProcessor.<byte[], byte[]>of(record -> sink.consume(record.value())))
                .concurrency(concurrency).ordering(ordering).maxInFlight(Takes.RECORDS).build();
        // the configuration's partitions are assigned
        pipeline = RecordPipeline.standalone(config, workers, timers);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        workers.shutdownNow();
        timers.shutdownNow();
    }

    /** One take through the pipeline, until every record is done. */
    @Benchmark
    @OperationsPerInvocation(Takes.RECORDS)
    public void pipeline() throws InterruptedException {
        pipeline.dispatch(take);
        pipeline.awaitNothingInFlight(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        if (pipeline.inFlight() != 0) {
            throw new IllegalStateException(pipeline.inFlight() + " records still in flight");
        }
    }
}
