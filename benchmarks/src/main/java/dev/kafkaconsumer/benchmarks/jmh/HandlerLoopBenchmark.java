package dev.kafkaconsumer.benchmarks.jmh;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The floor for {@link DispatchPathBenchmark}: the same handler called in a plain loop over the same
 * take, on the benchmark thread, as a raw poll loop would.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class HandlerLoopBenchmark {

    private final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> take = Takes.take();

    /** Every record of the take, handed to the handler in a loop. */
    @Benchmark
    @OperationsPerInvocation(Takes.RECORDS)
    public void handlerLoop(Blackhole blackhole) {
        for (List<ConsumerRecord<byte[], byte[]>> records : take.values()) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                blackhole.consume(record.value());
            }
        }
    }
}
