package dev.kafkaconsumer.benchmarks.drain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.kafka.listener.ContainerProperties;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.ContainerDrain;
import dev.kafkaconsumer.benchmarks.harness.CpuClock;
import dev.kafkaconsumer.benchmarks.harness.Drain;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.harness.ExternalBroker;
import dev.kafkaconsumer.benchmarks.harness.Progress;
import dev.kafkaconsumer.benchmarks.harness.SpringContainerDrain;
import dev.kafkaconsumer.benchmarks.harness.TopicLoader;
import dev.kafkaconsumer.benchmarks.report.CaseReport;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;
import dev.kafkaconsumer.core.ConsumerEngine;

/**
 * B1 and B2, the side-by-side drains. B1: how fast a {@code ConsumerEngine} reads a topic from the beginning,
 * compared with a raw {@code KafkaConsumer} poll loop reading the same data with the same settings.
 * The engine adds a thread and a buffer between the consumer and the application; B1 shows what that
 * costs where it would hurt most, when the application does almost nothing per record ({@link BatchDrainTable}).
 *
 * <p>B2 ({@code -Dbench.case=b2}) hands the records to a handler one at a time: a
 * {@code ConsumerContainer}, Spring for Apache Kafka's listener container and a raw poll loop calling a
 * handler per record; see {@link OnePerCallTable}.
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

    static final String ENGINE = "engine";
    static final String CONTAINER_6 = "container-c6";
    static final String SPRING_BATCH = "spring-batch";
    static final String SPRING_TIME = "spring-time";

    /** The minimum wherever a case drains a topic. */
    static final long DEFAULT_RECORDS = 5_000_000;

    /** B1: raw and engine alternate for 11 measured drains of 5 million records. */
    static final BenchSettings.Defaults B1 = new BenchSettings.Defaults("b1", DEFAULT_RECORDS, 11,
            List.of(BenchSettings.RAW, ENGINE), "results/b1-drain.md");
    /**
     * B2: every way of calling a handler once per record, 5 measured rounds. It runs without Spring's
     * AckMode.BATCH unless asked: its commit after every poll holds it near 75,000 records/s here, so 5 million
     * records would take it over a minute per drain, most of the suite's budget. Its other mode, TIME, is faster
     * by far, so "Spring's best" is the same without it.
     */
    static final BenchSettings.Defaults B2 = new BenchSettings.Defaults("b2", DEFAULT_RECORDS, 5,
            List.of(BenchSettings.RAW, BenchSettings.CONTAINER, CONTAINER_6, SPRING_BATCH, SPRING_TIME),
            List.of(BenchSettings.RAW, BenchSettings.CONTAINER, CONTAINER_6, SPRING_TIME), "results/b2-one-per-call.md");

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
            case BenchSettings.RAW -> B1.benchCase().equals(benchCase) ? new RawConsumerDrain() : new RawHandlerDrain();
            case ENGINE -> new EngineDrain();
            case BenchSettings.CONTAINER -> new ContainerDrain(contender, 1);
            case CONTAINER_6 -> new ContainerDrain(contender, BenchSettings.PARTITIONS);
            case SPRING_BATCH -> new SpringContainerDrain(contender, ContainerProperties.AckMode.BATCH);
            case SPRING_TIME -> new SpringContainerDrain(contender, ContainerProperties.AckMode.TIME);
            default -> throw new IllegalArgumentException("Unknown contender " + contender);
        };
    }

    /**
     * Runs the case named by {@code bench.case} ({@code b1} by default, or {@code b2}) with the
     * {@code bench.*} system properties, and writes its result.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        String benchCase = BenchSettings.property("bench.case", B1.benchCase());
        BenchSettings settings = switch (benchCase) {
            case "b1" -> B1.fromSystemProperties();
            case "b2" -> B2.fromSystemProperties();
            default -> throw new IllegalArgumentException("bench.case is " + benchCase + "; DrainBenchmark runs b1 or b2");
        };
        MachineDescription machine = MachineDescription.current();
        Map<String, List<DrainTiming>> measured = new DrainBenchmark(settings).run();
        CaseReport report = settings.benchCase().equals(B1.benchCase())
                ? new BatchDrainTable(settings, machine.ended(), measured).report()
                : new OnePerCallTable(settings, machine.ended(), measured).report();
        report.write(settings.output());
    }

    private Map<String, List<DrainTiming>> run() {
        try (ExternalBroker broker = ExternalBroker.launch()) {
            String bootstrap = broker.bootstrapServers();
            CpuClock cpu = new CpuClock(broker.process());
            Progress.log("ConsumerEngine from %s", ConsumerEngine.class.getProtectionDomain().getCodeSource().getLocation());
            Progress.log("Broker JVM ready at %s; producing %,d records of %d bytes to %d partitions",
                    bootstrap, settings.records(), BenchSettings.VALUE_BYTES, BenchSettings.PARTITIONS);
            long start = System.nanoTime();
            long records = new TopicLoader(bootstrap).load(topic, BenchSettings.PARTITIONS, settings.records(),
                    BenchSettings.VALUE_BYTES);
            Progress.log("Produced %,d records in %.1f s", records, (System.nanoTime() - start) / 1e9);

            for (Drain drain : drains.values()) {
                DrainTiming warmUp = drain.measure(bootstrap, topic, records, 0, cpu);
                Progress.log("warm-up  %-12s %s", drain.name(), warmUp.describe());
            }
            Map<String, List<DrainTiming>> measured = new LinkedHashMap<>();
            drains.keySet().forEach(name -> measured.put(name, new ArrayList<>()));
            for (int run = 1; run <= settings.runs(); run++) {
                for (Drain drain : drains.values()) {
                    DrainTiming timing = drain.measure(bootstrap, topic, records, run, cpu);
                    measured.get(drain.name()).add(timing);
                    Progress.log("run %2d   %-12s %s", run, drain.name(), timing.describe());
                }
            }
            return measured;
        }
    }
}
