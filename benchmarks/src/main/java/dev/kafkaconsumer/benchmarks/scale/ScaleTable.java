package dev.kafkaconsumer.benchmarks.scale;

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
 * B7's result ({@code results/b7-scale.md}): the drains of raw and the container side by side with heap per assigned
 * partition, then the fairness run window by window. Headlines: container / raw throughput (median of the pairs of a
 * round; no target in the issue) and the worst window's least-served partition over the median one (target ≥ 0.5).
 */
final class ScaleTable {

    private static final double KIB = 1024;

    private final BenchSettings settings;
    private final ScaleBenchmark.FairnessSettings fairnessSettings;
    private final MachineDescription machine;
    private final Map<String, List<ScaleRun>> runs;
    private final FairnessRun fairness;

    /**
     * @param settings         what was run
     * @param fairnessSettings how the fairness run went
     * @param machine          where it ran
     * @param runs             the measured drains of each contender, in round order
     * @param fairness         the fairness run, or null when none ran
     */
    ScaleTable(BenchSettings settings, ScaleBenchmark.FairnessSettings fairnessSettings, MachineDescription machine,
            Map<String, List<ScaleRun>> runs, FairnessRun fairness) {
        this.settings = settings;
        this.fairnessSettings = fairnessSettings;
        this.machine = machine;
        this.runs = runs;
        this.fairness = fairness;
    }

    /** Container over raw throughput, pair by pair. */
    double[] containerOverRaw() {
        return Stats.ratios(throughputs(ScaleDrains.CONTAINER), throughputs(ScaleDrains.RAW));
    }

    /** The fairness run's windows, judged; empty without a fairness run. */
    List<Fairness.Window> windows() {
        return fairness == null ? List.of() : Fairness.judge(fairness.windows(), fairness.totals());
    }

    CaseReport report() {
        CaseReport report = new CaseReport("b7", "B7: 1,000 partitions and 10,000 keys, KEY ordering: ConsumerContainer vs. "
                + "raw KafkaConsumer, heap per assigned partition, fairness", machine);
        boolean both = runs.containsKey(ScaleDrains.RAW) && runs.containsKey(ScaleDrains.CONTAINER);
        if (both) {
            report.headline("container / raw, 1,000 partitions, 10,000 keys, KEY", Stats.median(containerOverRaw()), Target.NONE);
        }
        List<Fairness.Window> windows = windows();
        if (!windows.isEmpty()) {
            report.headline("container fairness, least / median partition's records per " + fairnessSettings.windowSeconds()
                    + " s window, 1,000 partitions, max.partition.fetch.bytes " + fairnessSettings.fetchText(), Fairness.worst(windows), Target.atLeast(Fairness.TARGET));
        }
        report.table(drains(both))
                .paragraph("Throughput: records / seconds from just before `subscribe`/`start()` to the last record handled, "
                        + "median of the rounds (min–max); container / raw: median of the pairs of one round (min–max). Heap per "
                        + "assigned partition: the JVM's live heap (after two full GCs) after the last record, with the consumer "
                        + "still open and every partition assigned, minus the live heap before the consumer was made, over the "
                        + "partitions assigned.")
                .table(roundsTable());
        if (fairness != null) {
            report.paragraph(fairnessText(windows)).table(windowsTable(windows));
        }
        return report.paragraph(machine.measured(), description()).command(settings.command() + fairnessSettings.options());
    }

    private Table drains(boolean both) {
        Table table = new Table().left("contender").right("median records/s", "min–max records/s", "container / raw",
                "median heap per assigned partition, KiB", "partitions assigned", "order violations",
                "median CPU s, consumer JVM", "median CPU s, broker JVM");
        for (String contender : settings.contenders()) {
            List<ScaleRun> measured = runs.get(contender);
            if (measured == null) {
                continue;
            }
            List<DrainTiming> timings = measured.stream().map(ScaleRun::timing).toList();
            Stats.Spread rate = Stats.spread(Stats.values(timings, DrainTiming::throughput));
            String ratio = "—";
            if (both && contender.equals(ScaleDrains.CONTAINER)) {
                Stats.Spread spread = Stats.spread(containerOverRaw());
                ratio = Format.bold(Format.ratio(spread.median())) + " (" + Format.ratio(spread.min()) + "–"
                        + Format.ratio(spread.max()) + ")";
            }
            table.row(describe(contender), Format.rate(rate.median()), Format.rate(rate.min()) + "–" + Format.rate(rate.max()),
                    ratio, Format.tenths(Stats.median(Stats.values(measured, ScaleRun::heapPerPartition)) / KIB),
                    Format.whole(Stats.median(Stats.values(measured, ScaleRun::assigned))),
                    Format.count(measured.stream().mapToLong(ScaleRun::violations).sum()),
                    Format.hundredths(Stats.median(Stats.values(timings, DrainTiming::consumerCpuSeconds))),
                    Format.hundredths(Stats.median(Stats.values(timings, DrainTiming::brokerCpuSeconds))));
        }
        return table;
    }

    private Table roundsTable() {
        Table table = new Table().right("round");
        settings.contenders().forEach(contender -> table.right(contender + " records/s", contender + " heap KiB per partition"));
        for (int round = 0; round < settings.runs(); round++) {
            List<Object> cells = new ArrayList<>(List.of(round + 1));
            for (String contender : settings.contenders()) {
                List<ScaleRun> measured = runs.get(contender);
                boolean has = measured != null && round < measured.size();
                cells.add(has ? Format.rate(measured.get(round).timing().throughput()) : "");
                cells.add(has ? Format.tenths(measured.get(round).heapPerPartition() / KIB) : "");
            }
            table.row(cells.toArray());
        }
        return table;
    }

    private String fairnessText(List<Fairness.Window> windows) {
        double worst = Fairness.worst(windows);
        return "**Fairness** (the container, KEY, concurrency " + ScaleBenchmark.CONCURRENCY + ", a handler that parks "
                + fairnessSettings.handlerMicros() + " µs a record, `max.partition.fetch.bytes` "
                + fairnessSettings.fetchText() + ", " + fairnessSettings.seconds() + " s from the first record "
                + "handled, then stopped): " + Format.count(fairness.handled()) + " records handled, "
                + windows.size() + " complete windows of " + fairnessSettings.windowSeconds() + " s. In each, among the "
                + "partitions that had records waiting all through it, the least-served partition's records over the median "
                + "partition's: worst window " + Format.ratio(worst) + ", target ≥ " + Format.ratio(Fairness.TARGET) + ": "
                + (windows.isEmpty() ? "not judged (no complete window)" : Target.atLeast(Fairness.TARGET).verdict(worst))
                + ". Live heap with the backlog in flight at the end: " + Format.tenths(fairness.assigned() == 0 ? Double.NaN
                        : fairness.heapBytes() / KIB / fairness.assigned()) + " KiB per assigned partition ("
                + fairness.assigned() + " assigned); order violations: " + Format.count(fairness.violations()) + ".";
    }

    private static Table windowsTable(List<Fairness.Window> windows) {
        Table table = new Table().right("window", "partitions with records left", "least-served partition", "its records",
                "median records", "most records", "least / median");
        for (Fairness.Window window : windows) {
            table.row(window.window(), window.partitions(), window.leastPartition(), Format.count(window.least()),
                    Format.tenths(window.median()), Format.count(window.most()), Format.ratio(window.ratio()));
        }
        return table;
    }

    private static String describe(String contender) {
        return switch (contender) {
            case ScaleDrains.RAW -> "raw `KafkaConsumer` poll loop, handler per record (`raw`)";
            case ScaleDrains.CONTAINER -> "`ConsumerContainer`, KEY, concurrency " + ScaleBenchmark.CONCURRENCY + " (`container`)";
            default -> contender;
        };
    }

    private String description() {
        return "One topic of " + Format.count(ScaleBenchmark.PARTITIONS) + " partitions, " + Format.count(settings.records())
                + " records of " + BenchSettings.VALUE_BYTES + " bytes over " + Format.count(ScaleBenchmark.KEYS) + " keys (record "
                + "i has key i mod " + Format.count(ScaleBenchmark.KEYS) + ", partitioned by kafka-clients' default partitioner: "
                + "about 10 keys a partition). Both contenders run the same handler: a key-order check (records of one key of "
                + "a partition one at a time, in offset order; a violation fails the case), then the count. Consumer "
                + "properties as B1's (kafka-clients' defaults, a fresh group per drain). One warm-up drain per contender, then "
                + settings.runs() + " rounds, the contenders in turn (" + String.join(", ", settings.contenders()) + ").";
    }

    private double[] throughputs(String contender) {
        return Stats.values(runs.get(contender), run -> run.timing().throughput());
    }
}
