package dev.kafkaconsumer.benchmarks.slow;

import java.util.ArrayList;
import java.util.Arrays;
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
import dev.kafkaconsumer.benchmarks.report.MachineDescription;
import dev.kafkaconsumer.core.Ordering;

/**
 * B3, the slow handler: every record needs 0–5 ms of simulated I/O ({@link SlowRecords}, {@link SlowWork}),
 * and the contenders are a {@code ConsumerContainer} with KEY ordering and concurrency 100, Spring for
 * Apache Kafka's listener container with concurrency = partitions (its default ack mode, BATCH), and
 * Confluent Parallel Consumer with KEY ordering and max concurrency 100. Each reads 20,000 records from
 * topics of 1 and 6 partitions with 1, 10, 100 and 10,000 keys, as {@link SlowRunPlan} says; the wall
 * time runs from just before start/subscribe to the last record handled.
 *
 * <p>If Parallel Consumer fails (it is built for kafka-clients 3.9), the failure is recorded in the
 * result and the case goes on without it.
 *
 * <pre>
 * mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b3 [-Dbench.records=20000] [-Dbench.runs=5] [-Dbench.fewerRuns=1]
 * </pre>
 */
public final class SlowHandlerBenchmark {

    /** 20,000 records per topic, 5 measured runs of each targeted entry, every contender. */
    static final BenchSettings.Defaults DEFAULTS = new BenchSettings.Defaults("b3", 20_000, 5,
            List.of(SlowRunPlan.CONTAINER, SlowRunPlan.SPRING, SlowRunPlan.PARALLEL_CONSUMER), "results/b3-slow-handler.md");

    private final BenchSettings settings;
    private final SlowRunPlan plan;
    private final SlowRecords delays;
    private final long seed;
    private final Map<SlowRunPlan.SlowRun, List<DrainTiming>> measured = new LinkedHashMap<>();
    /** The floor each measured run's own handler times set, in the order of {@link #measured}. */
    private final Map<SlowRunPlan.SlowRun, List<HandlerFloor>> floors = new LinkedHashMap<>();
    private String parallelConsumerFailure;

    private SlowHandlerBenchmark(BenchSettings settings) {
        if (settings.records() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("B3 holds its delays in memory; bench.records must be at most "
                    + Integer.MAX_VALUE);
        }
        this.settings = settings;
        this.seed = Long.parseLong(BenchSettings.property("bench.seed", String.valueOf(SlowRecords.DEFAULT_SEED)));
        this.delays = new SlowRecords(seed, (int) settings.records());
        this.plan = new SlowRunPlan(settings.contenders(), counts("bench.partitions", SlowRunPlan.PARTITION_COUNTS),
                counts("bench.keys", SlowRunPlan.KEY_SPACES),
                (int) settings.records(), settings.runs(), Integer.parseInt(BenchSettings.property("bench.fewerRuns", "1")));
    }

    /**
     * The partition counts or key spaces to run: {@code -Dbench.partitions=6 -Dbench.keys=100} runs one cell (to profile it,
     * or to check the wiring quickly); unset, every one of the issue.
     */
    static List<Integer> counts(String property, List<Integer> all) {
        String value = BenchSettings.property(property, "");
        return value.isEmpty() ? all : Arrays.stream(value.split("\\s*,\\s*")).map(Integer::valueOf).sorted().toList();
    }

    /**
     * Runs B3 with the {@code bench.*} system properties and writes its result.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        BenchSettings settings = DEFAULTS.fromSystemProperties();
        run(settings).report().write(settings.output());
    }

    /**
     * Runs B3 on a broker JVM of its own.
     *
     * @param settings B3's settings; {@code bench.records} is the records per topic
     * @return the result, to print or write
     */
    static SlowHandlerTable run(BenchSettings settings) {
        try (ExternalBroker broker = ExternalBroker.launch()) {
            return run(settings, broker);
        }
    }

    /**
     * Runs B3 on a broker that the caller owns (e.g. one shared by several cases); creates its own topics.
     *
     * @param settings B3's settings
     * @param broker   a running broker JVM
     * @return the result
     */
    static SlowHandlerTable run(BenchSettings settings, ExternalBroker broker) {
        MachineDescription machine = MachineDescription.current();
        SlowHandlerBenchmark benchmark = new SlowHandlerBenchmark(settings);
        benchmark.measure(broker);
        return new SlowHandlerTable(settings, machine.ended(), benchmark.plan, benchmark.delays, benchmark.seed,
                benchmark.measured, benchmark.parallelConsumerFailure).withFloors(benchmark.floors);
    }

    private void measure(ExternalBroker broker) {
        String bootstrap = broker.bootstrapServers();
        CpuClock cpu = new CpuClock(broker.process());
        Progress.log("B3: %d rounds planned; the handling alone takes at least %.0f s", plan.rounds().size(),
                plan.lowerBoundSeconds(delays));
        TopicLoader loader = new TopicLoader(bootstrap);
        for (int partitions : plan.partitionCounts()) {
            for (int keys : plan.keySpaces()) {
                String topic = new SlowRunPlan.SlowRun(SlowRunPlan.CONTAINER, partitions, keys).topic();
                loader.load(topic, partitions, delays.size(), i -> delays.record(topic, (int) i, partitions, keys));
            }
        }
        Progress.log("Produced %d topics of %,d records", plan.partitionCounts().size() * plan.keySpaces().size(),
                delays.size());
        for (SlowRunPlan.SlowRun run : plan.warmUps()) {
            runOnce(run, new SlowWork(), bootstrap, 0, cpu, "warm-up");
        }
        List<List<SlowRunPlan.SlowRun>> rounds = plan.rounds();
        for (int round = 1; round <= rounds.size(); round++) {
            for (SlowRunPlan.SlowRun run : rounds.get(round - 1)) {
                SlowWork work = new SlowWork();
                DrainTiming timing = runOnce(run, work, bootstrap, round, cpu, "round " + round);
                if (timing != null) {
                    measured.computeIfAbsent(run, r -> new ArrayList<>()).add(timing);
                    floors.computeIfAbsent(run, r -> new ArrayList<>()).add(work.floor());
                }
            }
        }
    }

    /** One run; null when it is Parallel Consumer's and Parallel Consumer failed (now or before). */
    private DrainTiming runOnce(SlowRunPlan.SlowRun run, SlowWork work, String bootstrap, int round, CpuClock cpu, String label) {
        boolean parallelConsumer = SlowRunPlan.PARALLEL_CONSUMER.equals(run.contender());
        if (parallelConsumer && parallelConsumerFailure != null) {
            return null;
        }
        try {
            DrainTiming timing = drain(run, work).measure(bootstrap, run.topic(), delays.size(), round, cpu);
            if (work.violations() > 0) {
                throw new IllegalStateException(run.contender() + " broke key order " + work.violations() + " times on "
                        + run.topic() + "; the first: " + work.firstViolation());
            }
            HandlerFloor floor = work.floor();
            double floorSeconds = SlowRunPlan.floorSeconds(floor, run);
            Progress.log("%-8s p%d k%-6d %-9s %6.2f s (lower bound %.2f s; floor from its handler times %.3f s, wall / floor %.3f, "
                    + "first record after %.3f s, handling %.3f s; CPU s: consumer JVM %.2f, broker JVM %.2f)",
                    label, run.partitions(), run.keys(), run.contender(), timing.totalNanos() / 1e9,
                    SlowRunPlan.lowerBoundSeconds(delays, run), floorSeconds, timing.seconds() / floorSeconds,
                    timing.secondsToFirstBatch(), floor.handlingSeconds(), timing.consumerCpuSeconds(), timing.brokerCpuSeconds());
            return timing;
        } catch (RuntimeException | LinkageError e) {
            if (!parallelConsumer) {
                throw e;
            }
            parallelConsumerFailure = describe(e);
            Progress.log("Parallel Consumer failed (%s run on %s); B3 goes on without it: %s", label, run.topic(),
                    parallelConsumerFailure);
            e.printStackTrace();
            return null;
        }
    }

    private static Drain drain(SlowRunPlan.SlowRun run, SlowWork work) {
        return switch (run.contender()) {
            case SlowRunPlan.CONTAINER -> new ContainerDrain(run.contender(), Ordering.KEY, SlowRunPlan.CONCURRENCY, work);
            case SlowRunPlan.SPRING -> new SpringContainerDrain(run.contender(), ContainerProperties.AckMode.BATCH,
                    run.partitions(), work);
            case SlowRunPlan.PARALLEL_CONSUMER -> new ParallelConsumerDrain(run.contender(), SlowRunPlan.CONCURRENCY, work);
            default -> throw new IllegalArgumentException("Unknown B3 contender " + run.contender());
        };
    }

    /** The exception and its causes on one line: what the result file says about a failure. */
    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (text.length() > 0) {
                text.append("; caused by ");
            }
            text.append(t.getClass().getName()).append(": ").append(t.getMessage());
        }
        return text.toString();
    }
}
