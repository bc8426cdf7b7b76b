package dev.kafkaconsumer.benchmarks.share;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.ContainerDrain;
import dev.kafkaconsumer.benchmarks.harness.CpuClock;
import dev.kafkaconsumer.benchmarks.harness.Drain;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.harness.ExternalBroker;
import dev.kafkaconsumer.benchmarks.harness.Progress;
import dev.kafkaconsumer.benchmarks.harness.TopicLoader;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;
import dev.kafkaconsumer.core.Ordering;
import dev.kafkaconsumer.core.ShareConsumerContainer;

/**
 * B9's slow handler ({@code -Dbench.case=b9-slow}): every record needs 0–5 ms of simulated I/O
 * ({@link ShareSlowRecords}, {@link ShareWork#SLOW}) and all of them sit in <em>one</em> partition, where a
 * partition-bound consumer is serial. The contenders handle up to the same number of records at once (the
 * concurrency of the cell, 6 and 24 by default): one {@code ShareConsumerContainer} at that concurrency; three of
 * them in one share group, each at a third of it; our {@code ConsumerContainer} with KEY ordering over 10,000 keys; and
 * Spring for Apache Kafka's {@code ShareKafkaMessageListenerContainer} at that concurrency (as many share consumers,
 * each handling its polls one record after another), in its defaults and, when named in {@code bench.contenders}, with
 * polls of at most 10 records. Wall time runs from just before start to the last record handled; see
 * {@link ShareSlowTable}.
 *
 * <pre>
 * mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b9-slow [-Dbench.records=20000] [-Dbench.runs=3] [-Dbench.concurrency=6,24]
 * </pre>
 */
public final class ShareSlowBenchmark {

    /** One share container at the cell's concurrency. */
    static final String SHARE = "share";
    /** One share container at the cell's concurrency with two share consumers ({@code consumers(2)}). */
    static final String SHARE_TWO_CONSUMERS = "share-2";
    /** Three share containers in one group, each at a third of the cell's concurrency. */
    static final String SHARE_X3 = "share-x3";
    /** The same, each container with two share consumers ({@code consumers(2)}). */
    static final String SHARE_X3_TWO_CONSUMERS = "share-x3-2";
    /** Our key-ordered {@code ConsumerContainer} at the cell's concurrency. */
    static final String KEY = "key";
    /** Spring's share container at the cell's concurrency. */
    static final String SPRING = "spring";
    /**
     * Spring's share container at the cell's concurrency, each consumer taking at most {@link #SMALL_POLL} records a
     * poll ({@code share.acquire.mode=record_limit}); not run unless named in {@code bench.contenders}.
     */
    static final String SPRING_SMALL_POLLS = "spring-small-polls";
    /** The poll size of {@link #SPRING_SMALL_POLLS}. */
    static final int SMALL_POLL = 10;
    /** How many containers {@link #SHARE_X3} runs. */
    static final int X3 = 3;
    /** The key space of the records: B3's largest, where key order costs the key-ordered container nothing measurable. */
    static final int KEYS = 10_000;
    /** The concurrencies measured unless {@code bench.concurrency} says otherwise. */
    static final List<Integer> DEFAULT_CONCURRENCY = List.of(6, 24);

    /** 20,000 records, 3 measured rounds, every contender. */
    static final BenchSettings.Defaults DEFAULTS = new BenchSettings.Defaults("b9-slow", 20_000, 3,
            List.of(SHARE, SHARE_TWO_CONSUMERS, SHARE_X3, SHARE_X3_TWO_CONSUMERS, KEY, SPRING, SPRING_SMALL_POLLS),
            List.of(SHARE, SHARE_TWO_CONSUMERS, SHARE_X3, SHARE_X3_TWO_CONSUMERS, KEY, SPRING),
            "results/b9-share-slow-handler.md");

    private final BenchSettings settings;
    private final List<Integer> concurrencies;
    private final ShareSlowRecords delays;
    private final long seed;
    private final Map<Cell, List<DrainTiming>> measured = new LinkedHashMap<>();

    /**
     * A contender at one concurrency.
     *
     * @param contender   the contender
     * @param concurrency records it may handle at once
     */
    record Cell(String contender, int concurrency) {

        /** Whether records of one key must run one after another. */
        boolean keyOrdered() {
            return KEY.equals(contender);
        }
    }

    private ShareSlowBenchmark(BenchSettings settings, List<Integer> concurrencies, long seed) {
        if (settings.records() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("B9 holds its delays in memory; bench.records must be at most " + Integer.MAX_VALUE);
        }
        this.settings = settings;
        this.concurrencies = checked(concurrencies, settings.contenders());
        this.seed = seed;
        this.delays = new ShareSlowRecords(seed, (int) settings.records(), KEYS);
    }

    /**
     * Parses {@code bench.concurrency}: a comma-separated list of positive numbers, each a multiple of 3 when
     * {@link #SHARE_X3} or {@link #SHARE_X3_TWO_CONSUMERS} runs.
     *
     * @throws IllegalArgumentException naming the property
     */
    static List<Integer> concurrencies(String property, List<String> contenders) {
        List<Integer> values;
        try {
            values = Arrays.stream(property.split("\\s*,\\s*")).map(Integer::valueOf).toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bench.concurrency is " + property + "; use numbers such as 6,24", e);
        }
        return checked(values, contenders);
    }

    private static List<Integer> checked(List<Integer> values, List<String> contenders) {
        for (int value : values) {
            boolean split = contenders.contains(SHARE_X3) || contenders.contains(SHARE_X3_TWO_CONSUMERS);
            if (value < 1 || (split && value % X3 != 0)) {
                throw new IllegalArgumentException("bench.concurrency is " + values + "; each must be positive"
                        + (split ? " and a multiple of " + X3 + " (" + SHARE_X3 + " splits it among "
                        + X3 + " containers)" : ""));
            }
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("bench.concurrency names no concurrency");
        }
        return List.copyOf(values);
    }

    /**
     * Runs B9's slow handler with the {@code bench.*} system properties and writes its result.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        BenchSettings settings = DEFAULTS.fromSystemProperties();
        List<Integer> concurrencies = concurrencies(BenchSettings.property("bench.concurrency",
                DEFAULT_CONCURRENCY.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElseThrow()),
                settings.contenders());
        long seed = Long.parseLong(BenchSettings.property("bench.seed", String.valueOf(ShareSlowRecords.DEFAULT_SEED)));
        MachineDescription machine = MachineDescription.current();
        ShareSlowBenchmark benchmark = new ShareSlowBenchmark(settings, concurrencies, seed);
        try (ExternalBroker broker = ExternalBroker.launch()) {
            benchmark.measure(broker);
        }
        new ShareSlowTable(settings, machine.ended(), concurrencies, benchmark.delays, seed, benchmark.measured).report()
                .write(settings.output());
    }

    private void measure(ExternalBroker broker) {
        String bootstrap = broker.bootstrapServers();
        CpuClock cpu = new CpuClock(broker.process());
        String topic = "b9-slow";
        new TopicLoader(bootstrap).load(topic, 1, delays.size(), i -> delays.record(topic, (int) i));
        Progress.log("Produced %,d records on one partition; every contender at concurrency %s, %d rounds", delays.size(),
                concurrencies, settings.runs());
        for (String contender : settings.contenders()) {
            runOnce(new Cell(contender, concurrencies.get(0)), topic, bootstrap, 0, cpu, "warm-up");
        }
        for (int round = 1; round <= settings.runs(); round++) {
            for (int concurrency : concurrencies) {
                for (String contender : settings.contenders()) {
                    Cell cell = new Cell(contender, concurrency);
                    measured.computeIfAbsent(cell, c -> new ArrayList<>())
                            .add(runOnce(cell, topic, bootstrap, round, cpu, "round " + round));
                }
            }
        }
    }

    private DrainTiming runOnce(Cell cell, String topic, String bootstrap, int round, CpuClock cpu, String label) {
        DrainTiming timing = drain(cell).measure(bootstrap, topic, delays.size(), round, cpu);
        Progress.log("%-8s c%-3d %-9s %6.2f s (lower bound %.2f s; CPU s: consumer JVM %.2f, broker JVM %.2f)", label,
                cell.concurrency(), cell.contender(), timing.seconds(), delays.lowerBoundSeconds(cell.concurrency(),
                        cell.keyOrdered()), timing.consumerCpuSeconds(), timing.brokerCpuSeconds());
        return timing;
    }

    /** The drain of a contender at a concurrency. */
    static Drain drain(Cell cell) {
        int concurrency = cell.concurrency();
        return switch (cell.contender()) {
            case SHARE -> new ShareContainerDrain(SHARE, 1, concurrency, ShareConsumerContainer.DEFAULT_CONSUMERS, ShareWork.SLOW);
            case SHARE_TWO_CONSUMERS -> new ShareContainerDrain(SHARE_TWO_CONSUMERS, 1, concurrency, 2, ShareWork.SLOW);
            case SHARE_X3 -> new ShareContainerDrain(SHARE_X3, X3, concurrency / X3, ShareConsumerContainer.DEFAULT_CONSUMERS,
                    ShareWork.SLOW);
            case SHARE_X3_TWO_CONSUMERS -> new ShareContainerDrain(SHARE_X3_TWO_CONSUMERS, X3, concurrency / X3, 2, ShareWork.SLOW);
            case KEY -> new ContainerDrain(KEY, Ordering.KEY, concurrency, ShareWork.SLOW);
            case SPRING -> new SpringShareDrain(SPRING, concurrency, ShareWork.SLOW);
            case SPRING_SMALL_POLLS -> new SpringShareDrain(SPRING_SMALL_POLLS, concurrency, ShareWork.SLOW,
                    Map.of("share.acquire.mode", "record_limit", "max.poll.records", SMALL_POLL));
            default -> throw new IllegalArgumentException("Unknown B9 contender " + cell.contender());
        };
    }
}
