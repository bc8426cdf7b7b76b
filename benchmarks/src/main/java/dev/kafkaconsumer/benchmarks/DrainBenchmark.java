package dev.kafkaconsumer.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.kafka.listener.ContainerProperties;

import dev.kafkaconsumer.core.ConsumerEngine;

/**
 * B1 and B2, the side-by-side drains. B1: how fast a {@code ConsumerEngine} reads a topic from the beginning,
 * compared with a raw {@code KafkaConsumer} poll loop reading the same data with the same settings.
 * The engine adds a thread and a buffer between the consumer and the application; B1 shows what that
 * costs where it would hurt most, when the application does almost nothing per record.
 *
 * B2 ({@code -Dbench.case=b2}) hands the records to a handler one at a time: a
 * {@code ConsumerContainer}, Spring for Apache Kafka's listener container and a raw poll loop calling a
 * handler per record; see {@link OnePerCallTable}. {@code b3} and {@code b4} run
 * {@link SlowHandlerBenchmark} and {@link LatencyBenchmark}.
 *
 * <p>The broker runs in a child JVM; the topic is filled once; each contender drains it once to warm
 * up, then the contenders alternate (raw, engine, raw, engine...) so that a slow phase of the machine
 * hits both alike. Progress goes to standard error; the Markdown table goes to standard output and to
 * {@code bench.output}.
 *
 * <pre>
 * mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b1 [-Dbench.records=5000000] [-Dbench.runs=11]
 * </pre>
 */
public final class DrainBenchmark {

    private final BenchSettings settings;
    private final String topic;
    private final Map<String, Drain> drains = new LinkedHashMap<>();

    private DrainBenchmark(BenchSettings settings) {
        this.settings = settings;
        this.topic = settings.benchCase() + "-drain";
        for (String contender : settings.contenders()) {
            drains.put(contender, drain(settings.benchCase(), contender));
        }
    }

    private static Drain drain(String benchCase, String contender) {
        return switch (contender) {
            case BenchSettings.RAW -> BenchSettings.B1.equals(benchCase) ? new RawConsumerDrain() : new RawHandlerDrain();
            case BenchSettings.ENGINE -> new EngineDrain();
            case BenchSettings.CONTAINER -> new ContainerDrain(contender, 1);
            case BenchSettings.CONTAINER_6 -> new ContainerDrain(contender, BenchSettings.PARTITIONS);
            case BenchSettings.SPRING_BATCH -> new SpringContainerDrain(contender, ContainerProperties.AckMode.BATCH);
            case BenchSettings.SPRING_TIME -> new SpringContainerDrain(contender, ContainerProperties.AckMode.TIME);
            default -> throw new IllegalArgumentException("Unknown contender " + contender);
        };
    }

    /**
     * Runs the case named by {@code bench.case} ({@code b1} by default) with the {@code bench.*} system
     * properties.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        BenchSettings settings = BenchSettings.fromSystemProperties();
        switch (settings.benchCase()) {
            case BenchSettings.B3 -> {
                SlowHandlerTable table = SlowHandlerBenchmark.run(settings);
                report(settings, table.toMarkdown(), table.headlines());
            }
            case BenchSettings.B4 -> {
                LatencyTable table = LatencyBenchmark.run(settings);
                report(settings, table.toMarkdown(), table.headlines());
            }
            default -> drains(settings);
        }
    }

    private static void drains(BenchSettings settings) {
        MachineDescription machine = MachineDescription.current();
        Map<String, List<DrainTiming>> measured = new DrainBenchmark(settings).run();
        if (BenchSettings.B1.equals(settings.benchCase())) {
            ResultTable table = new ResultTable(settings, machine, measured);
            report(settings, table.toMarkdown(), table.headlines());
        } else {
            OnePerCallTable table = new OnePerCallTable(settings, machine, measured);
            report(settings, table.toMarkdown(), table.headlines());
        }
    }

    /** Prints a case's Markdown, writes it to {@code bench.output} and its headline ratios next to it. */
    private static void report(BenchSettings settings, String markdown, List<HeadlineRatio> headlines) {
        System.out.println();
        System.out.println(markdown);
        ResultFiles.write(settings.output(), markdown);
        System.err.println("Result written to " + settings.output().toAbsolutePath());
        if (!headlines.isEmpty()) {
            HeadlineRatios.write(settings.output().toAbsolutePath().getParent(), settings.benchCase(), headlines);
        }
    }

    private Map<String, List<DrainTiming>> run() {
        try (ExternalBroker broker = ExternalBroker.launch()) {
            String bootstrap = broker.bootstrapServers();
            CpuClock cpu = new CpuClock(broker.process());
            progress("ConsumerEngine from %s", ConsumerEngine.class.getProtectionDomain().getCodeSource().getLocation());
            progress("Broker JVM ready at %s; producing %,d records of %d bytes to %d partitions",
                    bootstrap, settings.records(), BenchSettings.VALUE_BYTES, BenchSettings.PARTITIONS);
            long start = System.nanoTime();
            long records = new TopicLoader(bootstrap).load(topic, BenchSettings.PARTITIONS, settings.records(),
                    BenchSettings.VALUE_BYTES);
            progress("Produced %,d records in %.1f s", records, (System.nanoTime() - start) / 1e9);

            for (Drain drain : drains.values()) {
                DrainTiming warmUp = drainOnce(drain, bootstrap, topic, records, 0, cpu);
                progress("warm-up  %-12s %s", drain.name(), describe(warmUp));
            }
            Map<String, List<DrainTiming>> measured = new LinkedHashMap<>();
            drains.keySet().forEach(name -> measured.put(name, new ArrayList<>()));
            for (int run = 1; run <= settings.runs(); run++) {
                for (Drain drain : drains.values()) {
                    DrainTiming timing = drainOnce(drain, bootstrap, topic, records, run, cpu);
                    measured.get(drain.name()).add(timing);
                    progress("run %2d   %-12s %s", run, drain.name(), describe(timing));
                }
            }
            return measured;
        }
    }

    /** One drain, after a GC so that no run pays for the garbage of the one before; checks that every record was read. */
    static DrainTiming drainOnce(Drain drain, String bootstrap, String topic, long records, int run, CpuClock cpu) {
        System.gc();
        long consumerCpu = cpu.consumerNanos();
        long brokerCpu = cpu.brokerNanos();
        DrainTiming timing = drain.drain(bootstrap, topic, records, run)
                .withCpu(cpu.consumerNanos() - consumerCpu, cpu.brokerNanos() - brokerCpu);
        long expectedBytes = records * BenchSettings.VALUE_BYTES;
        if (timing.records() != records || timing.valueBytes() != expectedBytes) {
            throw new IllegalStateException(drain.name() + " read " + timing.records() + " records and "
                    + timing.valueBytes() + " value bytes; expected " + records + " and " + expectedBytes);
        }
        return timing;
    }

    static String describe(DrainTiming timing) {
        return String.format(Locale.ROOT, "%,12.0f records/s  (%.2f s, first batch after %.2f s, %,.0f records/s after it; "
                + "CPU s: consumer JVM %.2f, broker JVM %.2f)",
                timing.throughput(), timing.totalNanos() / 1e9, timing.secondsToFirstBatch(),
                timing.throughputAfterFirstBatch(), timing.consumerCpuSeconds(), timing.brokerCpuSeconds());
    }

    static void progress(String format, Object... args) {
        System.err.println(String.format(Locale.ROOT, format, args));
    }
}
