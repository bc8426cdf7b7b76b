package dev.kafkaconsumer.benchmarks.slow;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Collectors;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.harness.Stats;
import dev.kafkaconsumer.benchmarks.report.CaseReport;
import dev.kafkaconsumer.benchmarks.report.Format;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;
import dev.kafkaconsumer.benchmarks.report.Table;
import dev.kafkaconsumer.benchmarks.report.Target;
import dev.kafkaconsumer.benchmarks.slow.SlowRunPlan.SlowRun;

/**
 * B3's result ({@code results/b3-slow-handler.md}): per cell, the container's speed-up over Spring (Spring's wall
 * time over the container's) and the container's wall time over Parallel Consumer's, each the median of
 * ratios taken pair by pair (run i of one with run i of the other, which ran in the same round). Where
 * one side made fewer runs (see {@link SlowRunPlan}), each run of the other side is set against that
 * side's median instead, and the table says so.
 */
final class SlowHandlerTable {

    /** Container ≥ 8 × Spring's throughput, for key spaces of at least {@link SlowRunPlan#TARGET_KEYS}. */
    static final Target TARGET_VS_SPRING = Target.atLeast(8.0);
    /** Container wall time ≤ 1.1 × Parallel Consumer's, for key spaces of at least {@link SlowRunPlan#TARGET_KEYS}. */
    static final Target TARGET_VS_PARALLEL_CONSUMER = Target.atMost(1.1);
    /** Container wall time ≤ 1.3 × the floor its own handler times set (issue 17, item 8), same key spaces. */
    static final Target TARGET_VS_FLOOR = Target.atMost(1.3);

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
            Stats.Spread spread = Stats.spread(ratios(top, bottom));
            return new Ratio(spread.median(), spread.min(), spread.max(), top.length == bottom.length);
        }

        /** Pair by pair when both made as many runs; else each run of the longer side against the other's median. */
        static double[] ratios(double[] top, double[] bottom) {
            if (top.length == 0 || bottom.length == 0) {
                return new double[0];
            }
            if (top.length == bottom.length) {
                return Stats.ratios(top, bottom);
            }
            double[] ratios = new double[Math.max(top.length, bottom.length)];
            for (int i = 0; i < ratios.length; i++) {
                double numerator = top.length > bottom.length ? top[i] : Stats.median(top);
                double denominator = bottom.length > top.length ? bottom[i] : Stats.median(bottom);
                ratios[i] = numerator / denominator;
            }
            return ratios;
        }

        String text() {
            if (Double.isNaN(median)) {
                return "not measured";
            }
            return Format.bold(Format.ratio(median)) + " (" + Format.ratio(min) + "–" + Format.ratio(max) + ")" + (paired ? "" : " †");
        }
    }

    private final BenchSettings settings;
    private final MachineDescription machine;
    private final SlowRunPlan plan;
    private final SlowRecords delays;
    private final long seed;
    private final Map<SlowRun, List<DrainTiming>> runs;
    private final String parallelConsumerFailure;
    private final Map<SlowRun, List<HandlerFloor>> floors;

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
        this(settings, machine, plan, delays, seed, runs, parallelConsumerFailure, Map.of());
    }

    private SlowHandlerTable(BenchSettings settings, MachineDescription machine, SlowRunPlan plan, SlowRecords delays, long seed,
            Map<SlowRun, List<DrainTiming>> runs, String parallelConsumerFailure, Map<SlowRun, List<HandlerFloor>> floors) {
        this.floors = Map.copyOf(floors);
        this.settings = settings;
        this.machine = machine;
        this.plan = plan;
        this.delays = delays;
        this.seed = seed;
        this.runs = runs;
        this.parallelConsumerFailure = parallelConsumerFailure;
    }

    /**
     * This table with the floor each run's own handler times set ({@link HandlerFloor}), in the order of the runs: the
     * result then sets each wall time against its floor, and the container's worst targeted cell is a headline.
     *
     * @param floors the floors of each entry's measured runs
     * @return a new table
     */
    SlowHandlerTable withFloors(Map<SlowRun, List<HandlerFloor>> floors) {
        return new SlowHandlerTable(settings, machine, plan, delays, seed, runs, parallelConsumerFailure, floors);
    }

    /** Wall times in seconds of the entry's measured runs, in run order; empty when it did not run. */
    double[] wallSeconds(SlowRun run) {
        return Stats.values(runs.getOrDefault(run, List.of()), DrainTiming::seconds);
    }

    /** The container's speed-up over Spring in a cell: Spring's wall time over the container's. */
    Ratio containerOverSpring(int partitions, int keys) {
        return Ratio.of(wallSeconds(plan.springRun(partitions)), wallSeconds(new SlowRun(SlowRunPlan.CONTAINER, partitions, keys)));
    }

    /** The container's wall time over Parallel Consumer's in a cell. */
    Ratio containerOverParallelConsumer(int partitions, int keys) {
        return Ratio.of(wallSeconds(new SlowRun(SlowRunPlan.CONTAINER, partitions, keys)),
                wallSeconds(new SlowRun(SlowRunPlan.PARALLEL_CONSUMER, partitions, keys)));
    }

    /** Each run's wall time over the floor its own handler times set, in run order; empty without floors. */
    double[] overFloor(SlowRun run) {
        List<HandlerFloor> measured = floors.getOrDefault(run, List.of());
        double[] wall = wallSeconds(run);
        if (measured.size() != wall.length) {
            return new double[0];
        }
        double[] ratios = new double[wall.length];
        for (int i = 0; i < wall.length; i++) {
            ratios[i] = wall[i] / SlowRunPlan.floorSeconds(measured.get(i), run);
        }
        return ratios;
    }

    /** Whether every cell that a target concerns meets it; false when a cell was not measured. */
    boolean targetsMet() {
        for (int partitions : plan.partitionCounts()) {
            for (int keys : targetedKeySpaces()) {
                if (!TARGET_VS_SPRING.met(containerOverSpring(partitions, keys).median())
                        || !TARGET_VS_PARALLEL_CONSUMER.met(containerOverParallelConsumer(partitions, keys).median())) {
                    return false;
                }
            }
        }
        return true;
    }

    private List<Integer> targetedKeySpaces() {
        return plan.keySpaces().stream().filter(k -> k >= SlowRunPlan.TARGET_KEYS).toList();
    }

    /**
     * The result: the cells against their targets, how Parallel Consumer fared, every entry's wall times, and
     * the method. Its headlines: per partition count, the worst cell of each target among the key spaces it
     * concerns (≥ {@link SlowRunPlan#TARGET_KEYS} keys): the smallest speed-up over Spring and the largest wall
     * time over Parallel Consumer's. The worst cell meets its target exactly when all of them do.
     */
    CaseReport report() {
        CaseReport report = new CaseReport("b3", settings.heading("B3: slow handler (0–5 ms of simulated I/O per record): "
                + "ConsumerContainer vs. Spring for Apache Kafka vs. Confluent Parallel Consumer"), machine);
        headlines(report);
        report.table(cells())
                .paragraph("Ratios: median of the runs' ratios (min–max in brackets), taken pair by pair (run i with run i of the "
                        + "same round); † = one side made fewer runs, so each run of the other side is set against "
                        + "that side's median. The targets concern key spaces of ≥ " + SlowRunPlan.TARGET_KEYS
                        + " keys; the other rows are for information. **Targets " + (targetsMet() ? "met" : "not all met") + ".**");
        if (!floors.isEmpty()) {
            report.table(floors()).paragraph(FLOOR_NOTE);
        }
        return report.paragraph(parallelConsumer())
                .table(wallTimes())
                .paragraph("Lower bound = the least wall time any contender keeping that order could reach with these delays: "
                        + "the longest sum of delays that must run one after another (one partition for Spring, one key within a "
                        + "partition for the key-ordered contenders), or the sum of all delays over the concurrency, whichever is "
                        + "longer. Spring ignores keys and every topic of a partition count holds the same records in the same "
                        + "partitions, so Spring ran once per partition count (on the topic with "
                        + Format.count(plan.largestKeySpace()) + " keys) and its result stands for every key space (\"any\").")
                .paragraph(machine.measured(), topics(), contenders())
                .command(command());
    }

    private void headlines(CaseReport report) {
        List<Integer> keySpaces = targetedKeySpaces();
        if (keySpaces.isEmpty()) {
            return;
        }
        for (int partitions : plan.partitionCounts()) {
            String cells = partitions + (partitions == 1 ? " partition" : " partitions") + ", worst of ≥ "
                    + SlowRunPlan.TARGET_KEYS + " keys";
            report.headline("container / Spring throughput, " + cells,
                    worst(keySpaces, k -> containerOverSpring(partitions, k).median(), false), TARGET_VS_SPRING);
            if (!floors.isEmpty() && settings.contenders().contains(SlowRunPlan.CONTAINER)) {
                report.headline("container wall / floor from its handler times, " + cells,
                        worst(keySpaces, k -> Stats.median(overFloor(new SlowRun(SlowRunPlan.CONTAINER, partitions, k))), true),
                        TARGET_VS_FLOOR);
            }
            if (settings.contenders().contains(SlowRunPlan.PARALLEL_CONSUMER)) {
                report.headline("container / Parallel Consumer wall time, " + cells,
                        worst(keySpaces, k -> containerOverParallelConsumer(partitions, k).median(), true),
                        TARGET_VS_PARALLEL_CONSUMER);
            }
        }
    }

    private static final String FLOOR_NOTE = "Floor = what the run's own handler calls allow (issue 17, item 8): the longest "
            + "sum of the handler times that had to run one after another (one key within a partition; one partition for "
            + "Spring), or the sum of all handler times over the concurrency, whichever is longer. Unlike the lower bound "
            + "below, which adds up the delays the records ask for, it adds up what each call took (`parkNanos` "
            + "overshoots, more on a loaded machine), so wall / floor is what the contender's own machinery and its "
            + "start-up cost. Handling = from the first handler call's start to the last one's end. Thread time while "
            + "handling: the contender's threads (concurrency) × handling, split into handler calls, before a thread's "
            + "first call, between its calls (its own work per record and waits for a record it may run), after its "
            + "last call, and threads that ran no call. Medians over the runs. Target: container wall ≤ "
            + Format.ratio(TARGET_VS_FLOOR.threshold()) + " × floor, for ≥ " + SlowRunPlan.TARGET_KEYS + " keys.";

    private Table floors() {
        Table table = new Table().right("partitions", "keys").left("contender")
                .right("median wall s", "median floor s", "wall / floor (min–max)", "target", "median s to first record",
                        "handling / floor", "thread time while handling: calls / before first / between / after last / unused");
        for (SlowRun run : plan.entries()) {
            List<HandlerFloor> measured = floors.getOrDefault(run, List.of());
            double[] ratios = overFloor(run);
            if (ratios.length == 0) {
                continue;
            }
            int concurrency = run.keyOrdered() ? SlowRunPlan.CONCURRENCY : run.partitions();
            Stats.Spread ratio = Stats.spread(ratios);
            StringBuilder split = new StringBuilder();
            for (int part = 0; part < 5; part++) {
                int index = part;
                double share = Stats.median(Stats.values(measured, floor -> floor.threadTime(concurrency)[index]));
                split.append(part == 0 ? "" : " / ").append(Format.whole(100 * share)).append(" %");
            }
            boolean targeted = SlowRunPlan.CONTAINER.equals(run.contender()) && run.keys() >= SlowRunPlan.TARGET_KEYS;
            table.row(run.partitions(), run.keyOrdered() ? Format.count(run.keys()) : "any", label(run.contender()),
                    Format.hundredths(Stats.median(wallSeconds(run))),
                    Format.ratio(Stats.median(Stats.values(measured, floor -> SlowRunPlan.floorSeconds(floor, run)))),
                    Format.bold(Format.ratio(ratio.median())) + " (" + Format.ratio(ratio.min()) + "–" + Format.ratio(ratio.max()) + ")",
                    targeted ? TARGET_VS_FLOOR.text() : "–",
                    Format.ratio(Stats.median(Stats.values(runs.get(run), DrainTiming::secondsToFirstBatch))),
                    Format.ratio(Stats.median(Stats.values(measured, floor -> floor.handlingSeconds() / SlowRunPlan.floorSeconds(floor, run)))),
                    split.toString());
        }
        return table;
    }

    /** The largest ({@code highest}) or smallest median of the cells; NaN when any cell was not measured. */
    private static double worst(List<Integer> keySpaces, IntToDoubleFunction median, boolean highest) {
        double[] medians = keySpaces.stream().mapToDouble(median::applyAsDouble).toArray();
        if (Arrays.stream(medians).anyMatch(Double::isNaN)) {
            return Double.NaN;
        }
        return highest ? Stats.max(medians) : Stats.min(medians);
    }

    private Table cells() {
        Table table = new Table().right("partitions", "keys", "container × Spring (Spring wall / container wall)", "target").left("met")
                .right("container wall / Parallel Consumer wall", "target").left("met");
        for (int partitions : plan.partitionCounts()) {
            for (int keys : plan.keySpaces()) {
                Ratio spring = containerOverSpring(partitions, keys);
                Ratio pc = containerOverParallelConsumer(partitions, keys);
                boolean targeted = keys >= SlowRunPlan.TARGET_KEYS;
                table.row(partitions, Format.count(keys),
                        spring.text(), targeted ? TARGET_VS_SPRING.text() : "–", targeted ? TARGET_VS_SPRING.verdict(spring.median()) : "–",
                        pc.text(), targeted ? TARGET_VS_PARALLEL_CONSUMER.text() : "–",
                        targeted ? TARGET_VS_PARALLEL_CONSUMER.verdict(pc.median()) : "–");
            }
        }
        return table;
    }

    private String parallelConsumer() {
        if (!settings.contenders().contains(SlowRunPlan.PARALLEL_CONSUMER)) {
            return "Confluent Parallel Consumer was not run (`-Dbench.contenders` left it out).";
        } else if (parallelConsumerFailure != null) {
            return "**Confluent Parallel Consumer failed** on kafka-clients " + machine.kafkaClients()
                    + ", and the runs after the failure left it out: `" + parallelConsumerFailure + "`";
        }
        return "Confluent Parallel Consumer 0.5.3.3 (built against kafka-clients 3.9) resolved from Maven Central and ran "
                + "on kafka-clients " + machine.kafkaClients() + " without a failure.";
    }

    private Table wallTimes() {
        Table table = new Table().right("partitions", "keys").left("contender")
                .right("runs", "median wall s", "min s", "max s", "median records/s", "lower bound s", "median CPU s, consumer JVM")
                .left("wall s of each run");
        for (SlowRun run : plan.entries()) {
            double[] wall = wallSeconds(run);
            Stats.Spread spread = Stats.spread(wall);
            double cpu = Stats.median(Stats.values(runs.getOrDefault(run, List.of()), DrainTiming::consumerCpuSeconds));
            table.row(run.partitions(), run.keyOrdered() ? Format.count(run.keys()) : "any", label(run.contender()),
                    wall.length + (plan.serialBound(run) ? " (serial-bound)" : "") + (plan.targeted(run) ? "" : " (no target)"),
                    Format.hundredths(spread.median()), Format.hundredths(spread.min()), Format.hundredths(spread.max()),
                    Format.rate(delays.size() / spread.median()), Format.hundredths(SlowRunPlan.lowerBoundSeconds(delays, run)),
                    Format.hundredths(cpu), Arrays.stream(wall).mapToObj(Format::hundredths).collect(Collectors.joining(", ")));
        }
        return table;
    }

    private String topics() {
        return "Topics: " + Format.count(settings.records()) + " records each, " + BenchSettings.VALUE_BYTES
                + "-byte values, one topic per partition count ("
                + plan.partitionCounts().stream().map(String::valueOf).collect(Collectors.joining(", "))
                + ") and key space (" + plan.keySpaces().stream().map(Format::count).collect(Collectors.joining(", "))
                + "); record i goes to partition i mod partitions with the string key `key-<i mod keys>`. "
                + "Each record's simulated I/O is drawn uniformly from 0–5 ms (seed " + seed
                + "; sum " + Format.hundredths(delays.totalNanos() / 1e9)
                + " s), written into its value and waited with `LockSupport.parkNanos`: every contender waits the same "
                + "time for the same record; the handler also checks that no contender ran two records of one key "
                + "(within a partition) at once or out of offset order, and a run that did fails. "
                + "One in-process KRaft broker in its own JVM on the same machine.";
    }

    private String contenders() {
        return "Contenders: `container` = `ConsumerContainer`, `Ordering.KEY`, concurrency " + SlowRunPlan.CONCURRENCY
                + ", its defaults otherwise; `spring` = Spring Kafka `ConcurrentMessageListenerContainer`, concurrency = "
                + "partitions, `AckMode.BATCH` (its default); `pc` = Confluent Parallel Consumer, `ProcessingOrder.KEY`, "
                + "maxConcurrency " + SlowRunPlan.CONCURRENCY + ", its defaults otherwise. All with "
                + "kafka-clients' default fetch settings, `check.crcs=true`, byte[] deserializers, a fresh group per run. "
                + "One warm-up run per contender, then " + settings.runs()
                + " measured runs per entry that a target concerns, " + plan.fewerRuns()
                + " per other or serial-bound entry (they take up to 50 s each), alternating contenders cell by cell in each "
                + "round. Wall time = from just before `start()`/`subscribe` to the last record handled (group join included, "
                + "stop left out).";
    }

    private String command() {
        return settings.command() + (seed != SlowRecords.DEFAULT_SEED ? " -Dbench.seed=" + seed : "")
                + (plan.fewerRuns() != 1 ? " -Dbench.fewerRuns=" + plan.fewerRuns() : "");
    }

    private static String label(String contender) {
        return switch (contender) {
            case SlowRunPlan.CONTAINER -> "`ConsumerContainer` KEY, concurrency 100 (`container`)";
            case SlowRunPlan.SPRING -> "Spring Kafka, concurrency = partitions (`spring`)";
            case SlowRunPlan.PARALLEL_CONSUMER -> "Parallel Consumer KEY, max concurrency 100 (`pc`)";
            default -> contender;
        };
    }
}
