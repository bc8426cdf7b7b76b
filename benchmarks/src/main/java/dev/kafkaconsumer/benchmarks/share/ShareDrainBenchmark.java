package dev.kafkaconsumer.benchmarks.share;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.CpuClock;
import dev.kafkaconsumer.benchmarks.harness.Drain;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.harness.ExternalBroker;
import dev.kafkaconsumer.benchmarks.harness.Progress;
import dev.kafkaconsumer.benchmarks.harness.RecordWork;
import dev.kafkaconsumer.benchmarks.harness.TopicLoader;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;
import dev.kafkaconsumer.core.ShareConsumerContainer;

/**
 * B9, the share-group drain: how fast a {@code ShareConsumerContainer} hands every record of a topic to a handler,
 * one record per call, against a raw {@code KafkaShareConsumer} poll loop in implicit acknowledgement mode (the least
 * a share-group application can do), and Spring for Apache Kafka's share container. Same topic shape as B1/B2
 * (6 partitions of 100-byte values); every contender reads it with a share group nobody used before
 * ({@link ShareGroups}); one warm-up drain each, then rounds in which the contenders alternate. See
 * {@link ShareDrainTable} for the result.
 *
 * <pre>
 * mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b9 [-Dbench.records=1000000] [-Dbench.runs=5]
 * </pre>
 */
public final class ShareDrainBenchmark {

    /** A raw {@code KafkaShareConsumer} poll loop, implicit acknowledgement. */
    static final String RAW = BenchSettings.RAW;
    /**
     * The same loop in explicit acknowledgement mode, accepting each record after its handler: what kafka-clients'
     * per-record acknowledgement costs, the floor of any container that acknowledges record by record.
     */
    static final String RAW_EXPLICIT = "raw-explicit";
    /** One {@code ShareConsumerContainer}, concurrency 1. */
    static final String CONTAINER = BenchSettings.CONTAINER;
    /** One {@code ShareConsumerContainer}, concurrency 6. */
    static final String CONTAINER_6 = "container-c6";
    /** One {@code ShareConsumerContainer}, concurrency 6, two share consumers ({@code consumers(2)}). */
    static final String CONTAINER_6_TWO_CONSUMERS = "container-c6-2";
    /** Spring for Apache Kafka's {@code ShareKafkaMessageListenerContainer}, concurrency 1, {@code ShareAckMode.EXPLICIT}. */
    static final String SPRING = "spring";

    /** B9: both raw loops, both containers and Spring alternate for 5 measured drains of 1,000,000 records. */
    static final BenchSettings.Defaults DEFAULTS = new BenchSettings.Defaults("b9", 1_000_000, 5,
            List.of(RAW, RAW_EXPLICIT, CONTAINER, CONTAINER_6, CONTAINER_6_TWO_CONSUMERS, SPRING), "results/b9-share-drain.md");

    private final BenchSettings settings;
    private final String topic;
    private final Map<String, Drain> drains = new LinkedHashMap<>();

    private ShareDrainBenchmark(BenchSettings settings) {
        this.settings = settings;
        this.topic = "b9-share-drain";
        for (String contender : settings.contenders()) {
            drains.put(contender, drain(contender));
        }
    }

    /** The drain of a contender. */
    static Drain drain(String contender) {
        return switch (contender) {
            case RAW -> new RawShareDrain(false);
            case RAW_EXPLICIT -> new RawShareDrain(true);
            case CONTAINER -> new ShareContainerDrain(contender, 1, 1, ShareConsumerContainer.DEFAULT_CONSUMERS, RecordWork.COUNT);
            case CONTAINER_6 -> new ShareContainerDrain(contender, 1, BenchSettings.PARTITIONS,
                    ShareConsumerContainer.DEFAULT_CONSUMERS, ShareWork.COUNT_SHARED);
            case CONTAINER_6_TWO_CONSUMERS -> new ShareContainerDrain(contender, 1, BenchSettings.PARTITIONS, 2, ShareWork.COUNT_SHARED);
            case SPRING -> new SpringShareDrain(contender, 1, RecordWork.COUNT);
            default -> throw new IllegalArgumentException("Unknown B9 contender " + contender);
        };
    }

    /**
     * Runs B9 with the {@code bench.*} system properties and writes its result.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        BenchSettings settings = DEFAULTS.fromSystemProperties();
        MachineDescription machine = MachineDescription.current();
        Map<String, List<DrainTiming>> measured = new ShareDrainBenchmark(settings).run();
        new ShareDrainTable(settings, machine.ended(), measured).report().write(settings.output());
    }

    private Map<String, List<DrainTiming>> run() {
        try (ExternalBroker broker = ExternalBroker.launch()) {
            String bootstrap = broker.bootstrapServers();
            CpuClock cpu = new CpuClock(broker.process());
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
