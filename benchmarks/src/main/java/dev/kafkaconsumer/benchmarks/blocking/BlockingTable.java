package dev.kafkaconsumer.benchmarks.blocking;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.harness.Stats;
import dev.kafkaconsumer.benchmarks.report.CaseReport;
import dev.kafkaconsumer.benchmarks.report.Format;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;
import dev.kafkaconsumer.benchmarks.report.Table;
import dev.kafkaconsumer.benchmarks.report.Target;

/**
 * B12's result ({@code results/b12-blocking-handlers.md}): each contender's wall time against its lower bound, its
 * order violations (which must be 0) and the platform threads it took; then every round. The headlines: the order
 * violations of every contender and round together (target 0, the one target the issue sets), then (without a target)
 * the first contender's wall time (platform threads) over each other's, pair by pair within a round: how many times
 * faster virtual threads at a higher concurrency drained the topic.
 */
final class BlockingTable {

    private final BenchSettings settings;
    private final MachineDescription machine;
    private final Map<String, List<BlockingRun>> runs;
    private final long busiestKey;

    /**
     * @param settings   what was run
     * @param machine    where it ran
     * @param runs       the measured runs of each contender, in round order
     * @param busiestKey records of the key that has the most, for the lower bound
     */
    BlockingTable(BenchSettings settings, MachineDescription machine, Map<String, List<BlockingRun>> runs, long busiestKey) {
        this.settings = settings;
        this.machine = machine;
        this.runs = runs;
        this.busiestKey = busiestKey;
    }

    /** Pairwise wall-time ratios: {@code baseline}'s wall time over {@code other}'s. */
    double[] speedUp(String baseline, String other) {
        return Stats.ratios(seconds(baseline), seconds(other));
    }

    /** The result: the contenders' table, the rounds, how it was measured. */
    CaseReport report() {
        CaseReport report = new CaseReport("b12", "B12: blocking handlers (20 ms `Thread.sleep` per record), KEY ordering: "
                + "ConsumerContainer on platform threads vs. virtual threads", machine);
        String baseline = settings.contenders().get(0);
        if (!runs.isEmpty()) {
            report.headline("order violations, every contender and round, 20 ms blocking handler, KEY", violations(),
                    Target.atMostCount(0));
        }
        for (String other : settings.contenders().subList(1, settings.contenders().size())) {
            if (runs.containsKey(baseline) && runs.containsKey(other)) {
                report.headline(baseline + " wall / " + other + " wall, 20 ms blocking handler, KEY",
                        Stats.median(speedUp(baseline, other)), Target.NONE);
            }
        }
        return report.table(contenders(baseline))
                .paragraph("Wall time: median of the rounds (min–max). Lower bound: every record's 20 ms spread evenly over "
                        + "the concurrency, or the busiest key's " + busiestKey + " records one after another, whichever is "
                        + "longer. " + baseline + " wall / wall: median of the pairs of one round (min–max); above 1, the "
                        + "contender was faster. Order violations: records of one key of a partition that ran at once or out of "
                        + "offset order, over every measured round (a run with any fails the case). Peak platform threads: "
                        + "the JVM's, during the run (virtual threads are not counted; the broker runs in its own JVM). S to first record: from "
                        + "the start to the first record handled, mostly the group join.")
                .table(roundsTable())
                .paragraph(machine.measured(), description())
                .command(settings.command());
    }

    private Table contenders(String baseline) {
        Table table = new Table().left("contender").right("median wall s", "min–max s", "lower bound s", "median records/s",
                baseline + " wall / wall", "order violations", "peak platform threads", "median CPU s, consumer JVM",
                "median CPU s, broker JVM", "median s to first record");
        for (String name : settings.contenders()) {
            List<BlockingRun> measured = runs.get(name);
            if (measured == null) {
                continue;
            }
            BlockingContender contender = BlockingContender.of(name);
            List<DrainTiming> timings = measured.stream().map(BlockingRun::timing).toList();
            Stats.Spread wall = Stats.spread(Stats.values(timings, DrainTiming::seconds));
            String ratio = "—";
            if (!name.equals(baseline) && runs.containsKey(baseline)) {
                Stats.Spread spread = Stats.spread(speedUp(baseline, name));
                ratio = Format.bold(Format.ratio(spread.median())) + " (" + Format.ratio(spread.min()) + "–"
                        + Format.ratio(spread.max()) + ")";
            }
            table.row(contender.describe() + " (`" + name + "`)", Format.hundredths(wall.median()),
                    Format.hundredths(wall.min()) + "–" + Format.hundredths(wall.max()),
                    Format.hundredths(contender.lowerBoundSeconds(settings.records(), busiestKey)),
                    Format.rate(Stats.median(Stats.values(timings, DrainTiming::throughput))), ratio,
                    Format.count(measured.stream().mapToLong(BlockingRun::violations).sum()),
                    Format.whole(Stats.median(Stats.values(measured, BlockingRun::peakThreads))),
                    Format.hundredths(Stats.median(Stats.values(timings, DrainTiming::consumerCpuSeconds))),
                    Format.hundredths(Stats.median(Stats.values(timings, DrainTiming::brokerCpuSeconds))),
                    Format.hundredths(Stats.median(Stats.values(timings, DrainTiming::secondsToFirstBatch))));
        }
        return table;
    }

    /** Every run's wall time, round by round. */
    private Table roundsTable() {
        Table table = new Table().right("round");
        settings.contenders().forEach(name -> table.right(name + " s"));
        for (int round = 0; round < settings.runs(); round++) {
            List<Object> cells = new ArrayList<>(List.of(round + 1));
            for (String name : settings.contenders()) {
                List<BlockingRun> measured = runs.get(name);
                cells.add(measured == null || round >= measured.size() ? "" : Format.hundredths(measured.get(round).timing().seconds()));
            }
            table.row(cells.toArray());
        }
        return table;
    }

    private String description() {
        return "One topic of " + BenchSettings.PARTITIONS + " partitions, " + Format.count(settings.records()) + " records of "
                + BenchSettings.VALUE_BYTES + " bytes over " + Format.count(BlockingHandlerBenchmark.KEYS) + " keys (record i "
                + "has key i mod " + Format.count(BlockingHandlerBenchmark.KEYS) + ", partitioned by kafka-clients' default "
                + "partitioner). Each record blocks its handler " + BlockingWork.BLOCK_MILLIS + " ms in `Thread.sleep`, then "
                + "is counted. Every contender is a `ConsumerContainer` with KEY ordering and its defaults otherwise (in-flight "
                + "bound 4 × concurrency, at least 4 × `max.poll.records`: 2,000 records at concurrency 100, 4,000 at 1,000, "
                + "40,000 at 10,000), on platform worker threads (`kafka-consumer-worker-*`) or virtual threads "
                + "(`virtualThreads(true)`: a virtual thread per work, at most concurrency at once), all in one JVM on Java "
                + Runtime.version().feature() + ", a fresh consumer group each run. One warm-up run per contender, then "
                + settings.runs() + " rounds, the contenders in turn (" + String.join(", ", settings.contenders()) + "). Wall "
                + "time = from just before `start()` to the last record handled (group join included, stop left out).";
    }

    /** Records that ran out of key order, over every contender's measured runs. */
    long violations() {
        return runs.values().stream().flatMap(List::stream).mapToLong(BlockingRun::violations).sum();
    }

    private double[] seconds(String name) {
        return Stats.values(runs.get(name), run -> run.timing().seconds());
    }
}
