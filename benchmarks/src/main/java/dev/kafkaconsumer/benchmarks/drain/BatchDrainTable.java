package dev.kafkaconsumer.benchmarks.drain;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.harness.Stats;
import dev.kafkaconsumer.benchmarks.report.CaseReport;
import dev.kafkaconsumer.benchmarks.report.Format;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;
import dev.kafkaconsumer.benchmarks.report.Table;
import dev.kafkaconsumer.benchmarks.report.Target;

/**
 * B1's result ({@code results/b1-drain.md}): the contenders' drains, and the engine over raw. Ratios are
 * taken pair by pair (engine run i over raw run i, which ran right after each other), so that a drift of
 * the machine during the benchmark affects both sides of each ratio alike.
 */
final class BatchDrainTable {

    /** The ratio the issue asks the engine to reach. */
    static final Target TARGET = Target.atLeast(0.95);

    private final BenchSettings settings;
    private final MachineDescription machine;
    private final Map<String, List<DrainTiming>> runs;

    /**
     * @param settings what was run
     * @param machine  where it ran
     * @param runs     the measured drains of each contender, in run order, warm-ups left out
     */
    BatchDrainTable(BenchSettings settings, MachineDescription machine, Map<String, List<DrainTiming>> runs) {
        this.settings = settings;
        this.machine = machine;
        this.runs = runs;
    }

    /** Whether both contenders ran, so that every pairwise ratio exists. */
    boolean sideBySide() {
        return settings.contenders().containsAll(List.of(BenchSettings.RAW, DrainBenchmark.ENGINE));
    }

    /** The median of the pairwise engine/raw throughput ratios, or NaN without both contenders. */
    double medianRatio() {
        return sideBySide() ? Stats.median(ratios(DrainTiming::throughput)) : Double.NaN;
    }

    /** The result: the contenders, then (with both) the ratios pair by pair; its headline is engine/raw against its target. */
    CaseReport report() {
        CaseReport report = new CaseReport("b1", settings.heading("B1: drain a topic, ConsumerEngine vs. raw KafkaConsumer"), machine)
                .table(DrainTables.contenders(settings, runs, "batch", BatchDrainTable::label));
        if (sideBySide()) {
            double[] ratios = ratios(DrainTiming::throughput);
            double[] afterFirst = ratios(DrainTiming::throughputAfterFirstBatch);
            Stats.Spread spread = Stats.spread(ratios);
            report.headline("engine / raw, batch API drain", spread.median(), TARGET)
                    .paragraph("**engine/raw, median of " + ratios.length + " pairwise ratios: " + Format.ratio(spread.median())
                            + "** (min " + Format.ratio(spread.min()) + ", max " + Format.ratio(spread.max())
                            + "); after the first batch: " + Format.ratio(Stats.median(afterFirst)) + ". Target "
                            + TARGET.text() + ": " + TARGET.verdict(spread.median()) + ".")
                    .table(pairs(ratios, afterFirst));
        }
        new CpuPerRecord(settings, runs).addTo(report, BatchDrainTable::label, contender -> CpuPerRecord.ENGINE_TARGET,
                "batch API drain");
        return report.paragraph(machine.measured(), DrainTables.topic(settings)
                        + " Throughput = records / seconds from just before `subscribe` to the last record (group join included)."
                        + " CPU s = CPU time each JVM used during the drain, consumer creation and close included.",
                        DrainTables.consumerSettings("both", ""))
                .command(settings.command());
    }

    private Table pairs(double[] ratios, double[] afterFirst) {
        Table table = new Table().right("pair", "raw records/s", "engine records/s", "engine/raw", "raw after first batch",
                "engine after first batch", "engine/raw after first batch");
        List<DrainTiming> raw = runs.get(BenchSettings.RAW);
        List<DrainTiming> engine = runs.get(DrainBenchmark.ENGINE);
        for (int i = 0; i < ratios.length; i++) {
            table.row(i + 1, Format.rate(raw.get(i).throughput()), Format.rate(engine.get(i).throughput()),
                    Format.ratio(ratios[i]), Format.rate(raw.get(i).throughputAfterFirstBatch()),
                    Format.rate(engine.get(i).throughputAfterFirstBatch()), Format.ratio(afterFirst[i]));
        }
        return table;
    }

    private double[] ratios(ToDoubleFunction<DrainTiming> metric) {
        return Stats.ratios(Stats.values(runs.get(DrainBenchmark.ENGINE), metric), Stats.values(runs.get(BenchSettings.RAW), metric));
    }

    private static String label(String contender) {
        return contender.equals(BenchSettings.RAW) ? "raw `KafkaConsumer` poll loop" : "`ConsumerEngine` getMany loop";
    }
}
