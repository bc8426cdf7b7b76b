package dev.kafkaconsumer.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Collectors;

import dev.kafkaconsumer.benchmarks.SlowRunPlan.SlowRun;

/**
 * Turns B3's measured runs into Markdown: per cell, the container's speed-up over Spring (Spring's wall
 * time over the container's) and the container's wall time over Parallel Consumer's, each the median of
 * ratios taken pair by pair (run i of one with run i of the other, which ran in the same round). Where
 * one side made fewer runs (see {@link SlowRunPlan}), each run of the other side is set against that
 * side's median instead, and the table says so.
 */
public final class SlowHandlerTable {

    /** Container ≥ 8 × Spring's throughput, for key spaces of at least {@link SlowRunPlan#TARGET_KEYS}. */
    static final double TARGET_VS_SPRING = 8.0;
    /** Container wall time ≤ 1.1 × Parallel Consumer's, for key spaces of at least {@link SlowRunPlan#TARGET_KEYS}. */
    static final double TARGET_VS_PARALLEL_CONSUMER = 1.1;

    /**
     * A ratio of one cell.
     *
     * @param median the median of the ratios
     * @param min    the smallest
     * @param max    the largest
     * @param paired whether the ratios were taken pair by pair (else against the other side's median)
     */
    record Ratio(double median, double min, double max, boolean paired) {

        static Ratio of(double[] top, double[] bottom) {
            double[] ratios = ratios(top, bottom);
            return new Ratio(Stats.median(ratios), Arrays.stream(ratios).min().orElse(Double.NaN),
                    Arrays.stream(ratios).max().orElse(Double.NaN), top.length == bottom.length);
        }

        /** Pair by pair when both made as many runs; else each run of the longer side against the other's median. */
        static double[] ratios(double[] top, double[] bottom) {
            if (top.length == 0 || bottom.length == 0) {
                return new double[0];
            }
            double[] ratios = new double[Math.max(top.length, bottom.length)];
            for (int i = 0; i < ratios.length; i++) {
                double numerator = top.length == bottom.length || top.length > bottom.length ? top[i] : Stats.median(top);
                double denominator = top.length == bottom.length || bottom.length > top.length ? bottom[i] : Stats.median(bottom);
                ratios[i] = numerator / denominator;
            }
            return ratios;
        }

        String text() {
            if (Double.isNaN(median)) {
                return "not measured";
            }
            return "**" + Stats.ratio(median) + "** (" + Stats.ratio(min) + "–" + Stats.ratio(max) + ")" + (paired ? "" : " †");
        }
    }

    private final BenchSettings settings;
    private final MachineDescription machine;
    private final SlowRunPlan plan;
    private final SlowRecords delays;
    private final long seed;
    private final Map<SlowRun, List<DrainTiming>> runs;
    private final String parallelConsumerFailure;

    /**
     * @param settings what was run
     * @param machine  where it ran
     * @param plan     the plan that was run
     * @param delays   the records' delays
     * @param seed     the delays' seed
     * @param runs     the measured runs of each entry, in run order, warm-ups left out
     * @param parallelConsumerFailure why Parallel Consumer did not run (to the end), or null
     */
    SlowHandlerTable(BenchSettings settings, MachineDescription machine, SlowRunPlan plan, SlowRecords delays, long seed,
            Map<SlowRun, List<DrainTiming>> runs, String parallelConsumerFailure) {
        this.settings = settings;
        this.machine = machine;
        this.plan = plan;
        this.delays = delays;
        this.seed = seed;
        this.runs = runs;
        this.parallelConsumerFailure = parallelConsumerFailure;
    }

    /** Wall times in seconds of the entry's measured runs, in run order; empty when it did not run. */
    double[] wallSeconds(SlowRun run) {
        return runs.getOrDefault(run, List.of()).stream().mapToDouble(t -> t.totalNanos() / 1e9).toArray();
    }

    /** The container's speed-up over Spring in a cell: Spring's wall time over the container's. */
    Ratio containerOverSpring(int partitions, int keys) {
        return Ratio.of(wallSeconds(plan.springRun(partitions)),
                wallSeconds(new SlowRun(BenchSettings.CONTAINER, partitions, keys)));
    }

    /** The container's wall time over Parallel Consumer's in a cell. */
    Ratio containerOverParallelConsumer(int partitions, int keys) {
        return Ratio.of(wallSeconds(new SlowRun(BenchSettings.CONTAINER, partitions, keys)),
                wallSeconds(new SlowRun(BenchSettings.PARALLEL_CONSUMER, partitions, keys)));
    }

    /** Whether every cell that a target concerns meets it; false when a cell was not measured. */
    boolean targetsMet() {
        for (int partitions : plan.partitionCounts()) {
            for (int keys : plan.keySpaces()) {
                if (keys >= SlowRunPlan.TARGET_KEYS && (!(containerOverSpring(partitions, keys).median() >= TARGET_VS_SPRING)
                        || !(containerOverParallelConsumer(partitions, keys).median() <= TARGET_VS_PARALLEL_CONSUMER))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The summary's rows: per partition count, the worst cell of each target among the key spaces it
     * concerns (≥ {@link SlowRunPlan#TARGET_KEYS} keys): the smallest speed-up over Spring and the largest
     * wall time over Parallel Consumer's. The worst cell meets its target exactly when all of them do.
     */
    List<HeadlineRatio> headlines() {
        List<HeadlineRatio> headlines = new ArrayList<>();
        for (int partitions : plan.partitionCounts()) {
            List<Integer> keySpaces = plan.keySpaces().stream().filter(k -> k >= SlowRunPlan.TARGET_KEYS).toList();
            if (keySpaces.isEmpty()) {
                continue;
            }
            String cells = partitions + (partitions == 1 ? " partition" : " partitions") + ", worst of ≥ "
                    + SlowRunPlan.TARGET_KEYS + " keys";
            headlines.add(headline("container / Spring throughput, " + cells,
                    worst(keySpaces, k -> containerOverSpring(partitions, k).median(), false),
                    HeadlineRatio.Comparison.AT_LEAST, TARGET_VS_SPRING));
            if (settings.contenders().contains(BenchSettings.PARALLEL_CONSUMER)) {
                headlines.add(headline("container / Parallel Consumer wall time, " + cells,
                        worst(keySpaces, k -> containerOverParallelConsumer(partitions, k).median(), true),
                        HeadlineRatio.Comparison.AT_MOST, TARGET_VS_PARALLEL_CONSUMER));
            }
        }
        return headlines;
    }

    /** The largest ({@code highest}) or smallest median of the cells; NaN when any cell was not measured. */
    private static double worst(List<Integer> keySpaces, IntToDoubleFunction median, boolean highest) {
        double[] medians = keySpaces.stream().mapToDouble(median::applyAsDouble).toArray();
        if (Arrays.stream(medians).anyMatch(Double::isNaN)) {
            return Double.NaN;
        }
        return highest ? Arrays.stream(medians).max().orElseThrow() : Arrays.stream(medians).min().orElseThrow();
    }

    private HeadlineRatio headline(String name, double value, HeadlineRatio.Comparison comparison, double target) {
        return new HeadlineRatio(BenchSettings.B3, name, value, comparison, target, machine.date(), machine.oneLine());
    }

    /** The result as Markdown. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("## B3: slow handler (0–5 ms of simulated I/O per record): ConsumerContainer vs. Spring for Apache Kafka "
                + "vs. Confluent Parallel Consumer\n\n");
        appendRatios(md);
        appendParallelConsumer(md);
        appendWallTimes(md);
        appendSettings(md);
        return md.toString();
    }

    private void appendRatios(StringBuilder md) {
        md.append("| partitions | keys | container × Spring (Spring wall / container wall) | target | met "
                + "| container wall / Parallel Consumer wall | target | met |\n");
        md.append("|---:|---:|---:|---:|---|---:|---:|---|\n");
        for (int partitions : plan.partitionCounts()) {
            for (int keys : plan.keySpaces()) {
                Ratio spring = containerOverSpring(partitions, keys);
                Ratio pc = containerOverParallelConsumer(partitions, keys);
                boolean target = keys >= SlowRunPlan.TARGET_KEYS;
                md.append("| ").append(partitions).append(" | ").append(String.format(Locale.ROOT, "%,d", keys))
                        .append(" | ").append(spring.text())
                        .append(" | ").append(target ? "≥ " + Stats.ratio(TARGET_VS_SPRING) : "–")
                        .append(" | ").append(target ? met(spring.median() >= TARGET_VS_SPRING) : "–")
                        .append(" | ").append(pc.text())
                        .append(" | ").append(target ? "≤ " + Stats.ratio(TARGET_VS_PARALLEL_CONSUMER) : "–")
                        .append(" | ").append(target ? met(pc.median() <= TARGET_VS_PARALLEL_CONSUMER) : "–")
                        .append(" |\n");
            }
        }
        md.append("\nRatios: median of the runs' ratios (min–max in brackets), taken pair by pair (run i with run i of the "
                + "same round); † = one side made fewer runs, so each run of the other side is set against "
                + "that side's median. The targets concern key spaces of ≥ ").append(SlowRunPlan.TARGET_KEYS)
                .append(" keys; the other rows are for information. **Targets ")
                .append(targetsMet() ? "met" : "not all met").append(".**\n");
    }

    private void appendParallelConsumer(StringBuilder md) {
        if (!settings.contenders().contains(BenchSettings.PARALLEL_CONSUMER)) {
            md.append("\nConfluent Parallel Consumer was not run (`-Dbench.contenders` left it out).\n");
        } else if (parallelConsumerFailure != null) {
            md.append("\n**Confluent Parallel Consumer failed** on kafka-clients ").append(machine.kafkaClients())
                    .append(", and the runs after the failure left it out: `").append(parallelConsumerFailure).append("`\n");
        } else {
            md.append("\nConfluent Parallel Consumer 0.5.3.3 (built against kafka-clients 3.9) resolved from Maven Central and ran "
                    + "on kafka-clients ").append(machine.kafkaClients()).append(" without a failure.\n");
        }
    }

    private void appendWallTimes(StringBuilder md) {
        md.append("\n| partitions | keys | contender | runs | median wall s | min s | max s | median records/s "
                + "| lower bound s | median CPU s, consumer JVM | wall s of each run |\n");
        md.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (SlowRun run : plan.entries()) {
            double[] wall = wallSeconds(run);
            double median = Stats.median(wall);
            double cpu = Stats.median(Stats.values(runs.getOrDefault(run, List.of()), DrainTiming::consumerCpuSeconds));
            md.append("| ").append(run.partitions())
                    .append(" | ").append(run.keyOrdered() ? String.format(Locale.ROOT, "%,d", run.keys()) : "any")
                    .append(" | ").append(label(run.contender()))
                    .append(" | ").append(wall.length).append(plan.serialBound(run) ? " (serial-bound)" : "")
                    .append(plan.targeted(run) ? "" : " (no target)")
                    .append(" | ").append(Stats.seconds(median))
                    .append(" | ").append(Stats.seconds(Arrays.stream(wall).min().orElse(Double.NaN)))
                    .append(" | ").append(Stats.seconds(Arrays.stream(wall).max().orElse(Double.NaN)))
                    .append(" | ").append(Stats.rate(delays.size() / median))
                    .append(" | ").append(Stats.seconds(SlowRunPlan.lowerBoundSeconds(delays, run)))
                    .append(" | ").append(Stats.seconds(cpu))
                    .append(" | ").append(Arrays.stream(wall).mapToObj(Stats::seconds).collect(Collectors.joining(", ")))
                    .append(" |\n");
        }
        md.append("\nLower bound = the least wall time any contender keeping that order could reach with these delays: "
                + "the longest sum of delays that must run one after another (one partition for Spring, one key within a "
                + "partition for the key-ordered contenders), or the sum of all delays over the concurrency, whichever is "
                + "longer. Spring ignores keys and every topic of a partition count holds the same records in the same "
                + "partitions, so Spring ran once per partition count (on the topic with ")
                .append(String.format(Locale.ROOT, "%,d", plan.largestKeySpace()))
                .append(" keys) and its result stands for every key space (\"any\").\n");
    }

    private void appendSettings(StringBuilder md) {
        md.append(machine.toMarkdown());
        md.append("Topics: ").append(String.format(Locale.ROOT, "%,d", settings.records())).append(" records each, ")
                .append(BenchSettings.VALUE_BYTES).append("-byte values, one topic per partition count (")
                .append(plan.partitionCounts().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                .append(") and key space (")
                .append(plan.keySpaces().stream().map(k -> String.format(Locale.ROOT, "%,d", k)).collect(Collectors.joining(", ")))
                .append("); record i goes to partition i mod partitions with the string key `key-<i mod keys>`. ")
                .append("Each record's simulated I/O is drawn uniformly from 0–5 ms (seed ").append(seed)
                .append("; sum ").append(Stats.seconds(delays.totalNanos() / 1e9))
                .append(" s), written into its value and waited with `LockSupport.parkNanos`: every contender waits the same ")
                .append("time for the same record; the handler also checks that no contender ran two records of one key ")
                .append("(within a partition) at once or out of offset order, and a run that did fails. ")
                .append("One in-process KRaft broker in its own JVM on the same machine.\n");
        md.append("Contenders: `container` = `ConsumerContainer`, `Ordering.KEY`, concurrency ").append(SlowRunPlan.CONCURRENCY)
                .append(", its defaults otherwise; `spring` = Spring Kafka `ConcurrentMessageListenerContainer`, concurrency = ")
                .append("partitions, `AckMode.BATCH` (its default); `pc` = Confluent Parallel Consumer, `ProcessingOrder.KEY`, ")
                .append("maxConcurrency ").append(SlowRunPlan.CONCURRENCY).append(", its defaults otherwise. All with ")
                .append("kafka-clients' default fetch settings, `check.crcs=true`, byte[] deserializers, a fresh group per run. ")
                .append("One warm-up run per contender, then ").append(settings.runs())
                .append(" measured runs per entry that a target concerns, ").append(plan.fewerRuns())
                .append(" per other or serial-bound entry (they take up to 50 s each), alternating contenders cell by cell in each round. Wall time = from just before ")
                .append("`start()`/`subscribe` to the last record handled (group join included, stop left out).\n\n");
        md.append("```\n").append(settings.command());
        if (seed != SlowRecords.DEFAULT_SEED) {
            md.append(" -Dbench.seed=").append(seed);
        }
        if (plan.fewerRuns() != 1) {
            md.append(" -Dbench.fewerRuns=").append(plan.fewerRuns());
        }
        md.append("\n```\n");
    }

    private static String met(boolean met) {
        return met ? "met" : "**not met**";
    }

    private static String label(String contender) {
        return switch (contender) {
            case BenchSettings.CONTAINER -> "`ConsumerContainer` KEY, concurrency 100 (`container`)";
            case BenchSettings.SPRING -> "Spring Kafka, concurrency = partitions (`spring`)";
            case BenchSettings.PARALLEL_CONSUMER -> "Parallel Consumer KEY, max concurrency 100 (`pc`)";
            default -> contender;
        };
    }
}
