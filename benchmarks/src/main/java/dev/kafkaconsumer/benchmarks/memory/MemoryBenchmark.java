package dev.kafkaconsumer.benchmarks.memory;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.ExternalBroker;
import dev.kafkaconsumer.benchmarks.harness.HandlerMeter;
import dev.kafkaconsumer.benchmarks.harness.Progress;
import dev.kafkaconsumer.benchmarks.harness.TopicLoader;
import dev.kafkaconsumer.benchmarks.memory.MemoryConsumerProcess.Mode;
import dev.kafkaconsumer.benchmarks.report.CaseReport;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;

/**
 * B5: the heap and resident set of a consumer JVM while its backlog is 1 million records and while it
 * is 5 million. Bounded buffers mean memory stays flat; an unbounded prefetch would grow with the
 * backlog. Each consumer runs in a child JVM of its own ({@link MemoryConsumerProcess}), the broker in
 * another.
 *
 * <ul>
 * <li>(a) drain, B2-style: a topic of 1,000,000 records is drained by a fresh consumer JVM, then
 *     4,000,000 more are added and a fresh consumer JVM drains all 5,000,000; the peaks of the two are
 *     compared.</li>
 * <li>(b) slow handler, B3-style (1 to 5 ms per record, 10,000 keys): 1,000,000 records are produced,
 *     the consumer starts, and 4,000,000 more are produced as fast as the broker takes them while the
 *     consumer works through the backlog; samples at a backlog of up to 2 million are compared with
 *     samples at 4 million or more ({@link MemoryGrowth}).</li>
 * </ul>
 * Both for the {@code ConsumerContainer} and for Spring for Apache Kafka's listener container.
 *
 * <pre>
 * mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b5
 * </pre>
 */
public final class MemoryBenchmark {

    static final long SMALL = 1_000_000;
    static final long LARGE = 5_000_000;
    static final int KEYS = 10_000;
    private static final long TAIL_NANOS = TimeUnit.SECONDS.toNanos(4);
    private static final Path OUTPUT = CaseReport.RESULTS.resolve("b5-memory.md");

    private final String bootstrapServers;
    private final TopicLoader loader;

    private MemoryBenchmark(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.loader = new TopicLoader(bootstrapServers);
    }

    /**
     * Runs B5 and writes its result.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        MachineDescription machine = MachineDescription.current();
        long start = System.nanoTime();
        Map<Mode, List<ConsumerJvm.Point>> smallDrains = new LinkedHashMap<>();
        Map<Mode, List<ConsumerJvm.Point>> largeDrains = new LinkedHashMap<>();
        Map<Mode, List<ConsumerJvm.Point>> growing = new LinkedHashMap<>();
        try (ExternalBroker broker = ExternalBroker.launch()) {
            MemoryBenchmark benchmark = new MemoryBenchmark(broker.bootstrapServers());
            AtomicLong drainTopic = new AtomicLong();
            benchmark.loader.load("b5-drain", BenchSettings.PARTITIONS, SMALL, BenchSettings.VALUE_BYTES, 0, drainTopic);
            for (Mode mode : List.of(Mode.CONTAINER_DRAIN, Mode.SPRING_DRAIN)) {
                smallDrains.put(mode, benchmark.drain(mode, "b5-drain", drainTopic.get()));
            }
            benchmark.loader.load("b5-drain", BenchSettings.PARTITIONS, LARGE - SMALL, BenchSettings.VALUE_BYTES, 0, drainTopic);
            for (Mode mode : List.of(Mode.CONTAINER_DRAIN, Mode.SPRING_DRAIN)) {
                largeDrains.put(mode, benchmark.drain(mode, "b5-drain", drainTopic.get()));
            }
            for (Mode mode : List.of(Mode.CONTAINER_SLOW, Mode.SPRING_SLOW)) {
                growing.put(mode, benchmark.growBacklog(mode));
            }
        }
        new MemoryTable(smallDrains, largeDrains, growing, machine.ended(), (System.nanoTime() - start) / 1e9).report().write(OUTPUT);
    }

    /** A fresh consumer JVM drains the whole topic; its samples until the last record and one more. */
    private List<ConsumerJvm.Point> drain(Mode mode, String topic, long records) {
        Progress.log("%s: draining %,d records", mode, records);
        try (ConsumerJvm consumer = new ConsumerJvm(mode, bootstrapServers, topic, () -> records)) {
            awaitHandled(consumer, records, mode);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2 * MemoryConsumerProcess.SAMPLE_MILLIS));
            return consumer.points();
        }
    }

    /** 1 M records, a fresh slow consumer JVM, then 4 M more while it works; its samples throughout. */
    private List<ConsumerJvm.Point> growBacklog(Mode mode) {
        String topic = "b5-slow-" + mode.name().toLowerCase(Locale.ROOT);
        AtomicLong produced = new AtomicLong();
        loader.load(topic, BenchSettings.PARTITIONS, SMALL, BenchSettings.VALUE_BYTES, KEYS, produced);
        Progress.log("%s: %,d records produced; starting the consumer", mode, produced.get());
        try (ConsumerJvm consumer = new ConsumerJvm(mode, bootstrapServers, topic, produced::get)) {
            awaitHandled(consumer, 1, mode);
            long growStart = System.nanoTime();
            loader.load(topic, BenchSettings.PARTITIONS, LARGE - SMALL, BenchSettings.VALUE_BYTES, KEYS, produced);
            Progress.log("%s: %,d records produced in %.1f s; the consumer has handled %,d", mode, produced.get(),
                    (System.nanoTime() - growStart) / 1e9, consumer.handled());
            LockSupport.parkNanos(TAIL_NANOS);
            return consumer.points();
        }
    }

    private static void awaitHandled(ConsumerJvm consumer, long records, Mode mode) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HandlerMeter.timeoutSeconds(records));
        while (consumer.handled() < records) {
            if (!consumer.alive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(mode + " handled " + consumer.handled() + " of " + records
                        + " records before " + (consumer.alive() ? "the deadline" : "its JVM ended"));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }
}
