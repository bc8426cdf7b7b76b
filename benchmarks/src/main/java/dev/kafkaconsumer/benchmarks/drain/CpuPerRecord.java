package dev.kafkaconsumer.benchmarks.drain;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.harness.Stats;
import dev.kafkaconsumer.benchmarks.report.CaseReport;
import dev.kafkaconsumer.benchmarks.report.Format;
import dev.kafkaconsumer.benchmarks.report.Table;
import dev.kafkaconsumer.benchmarks.report.Target;

/**
 * What a record costs each contender of a drain (B1, B2, B10) in CPU, against raw's cost (issue 17): on a shared
 * machine CPU is the bill, and a contender that matches raw's throughput by burning a second core is not as cheap as
 * raw. CPU is the consumer JVM's (all threads, GC and JIT included) from the start of the drain to its last record, the
 * span of the throughput, as the issue defines it ({@link DrainTiming#drainCpuNanos()}); for results measured before
 * that was read, the CPU of the whole drain, consumer creation and close included ({@link DrainTiming#consumerCpuNanos()}),
 * and the table says which. The ratio is taken pair by pair (contender run i over raw run i, which ran in the same round),
 * like the throughput ratios.
 */
final class CpuPerRecord {

    /** The engine's CPU per record over raw's, as issue 17 asks. */
    static final Target ENGINE_TARGET = Target.atMost(1.10);
    /** A container's CPU per record over raw's, as issue 17 asks. */
    static final Target CONTAINER_TARGET = Target.atMost(1.15);

    private final Map<String, List<DrainTiming>> runs;
    private final List<String> contenders;
    /** Whether every drain has its CPU from the start to the last record; otherwise the whole drain's is used. */
    private final boolean toLastRecord;

    /**
     * @param settings what was run
     * @param runs     the measured drains of each contender, in run order
     */
    CpuPerRecord(BenchSettings settings, Map<String, List<DrainTiming>> runs) {
        this.runs = runs;
        this.contenders = settings.contenders();
        this.toLastRecord = runs.values().stream().flatMap(List::stream).allMatch(timing -> timing.drainCpuNanos() >= 0);
    }

    /** CPU seconds of the consumer JVM per million records of one drain; NaN when not measured. */
    double perMillion(DrainTiming timing) {
        return (toLastRecord ? timing.drainCpuSeconds() : timing.consumerCpuSeconds()) * 1e6 / timing.records();
    }

    /** Whether raw ran and every drain's CPU was measured, so that every pairwise ratio exists. */
    boolean measured() {
        return runs.containsKey(BenchSettings.RAW) && contenders.stream()
                .allMatch(c -> Stats.measured(Stats.values(runs.get(c), this::perMillion)).length == runs.get(c).size());
    }

    /** Pairwise ratios of {@code contender}'s CPU per record over raw's. */
    double[] ratios(String contender) {
        return ratios(contender, BenchSettings.RAW);
    }

    /** Pairwise ratios of {@code contender}'s CPU per record over {@code baseline}'s. */
    double[] ratios(String contender, String baseline) {
        return Stats.ratios(Stats.values(runs.get(contender), this::perMillion), Stats.values(runs.get(baseline), this::perMillion));
    }

    /**
     * Adds the table of CPU per record (each contender's median, min and max, and its median ratio to raw's with its
     * target) and a headline for every contender with a target; does nothing unless {@link #measured()}.
     *
     * @param report  the case's report
     * @param labels  each contender's label
     * @param targets each contender's target, {@link Target#NONE} for one reported for information
     * @param suffix  what the headline's name ends with, e.g. {@code batch API drain}
     * @return the report
     */
    CaseReport addTo(CaseReport report, Function<String, String> labels, Function<String, Target> targets, String suffix) {
        if (!measured()) {
            return report;
        }
        Table table = new Table().left("contender").right("median CPU s per 1M records, consumer JVM", "min", "max",
                "CPU per record / raw (median of pairwise)", "min", "max", "target").left("met");
        for (String contender : contenders) {
            Stats.Spread cpu = Stats.spread(Stats.values(runs.get(contender), this::perMillion));
            if (contender.equals(BenchSettings.RAW)) {
                table.row(labels.apply(contender), Format.ratio(cpu.median()), Format.ratio(cpu.min()),
                        Format.ratio(cpu.max()), Format.ratio(1), "", "", "", "");
                continue;
            }
            Stats.Spread ratio = Stats.spread(ratios(contender));
            Target target = targets.apply(contender);
            table.row(labels.apply(contender), Format.ratio(cpu.median()), Format.ratio(cpu.min()),
                    Format.ratio(cpu.max()), Format.bold(Format.ratio(ratio.median())), Format.ratio(ratio.min()),
                    Format.ratio(ratio.max()), target.text(), target.verdict(ratio.median()));
            if (!target.equals(Target.NONE)) {
                report.headline(contender + " / raw, CPU per record, " + suffix, ratio.median(), target);
            }
        }
        return report.paragraph("CPU per record: the consumer JVM's CPU seconds (all threads, GC and JIT included) per "
                + "million records, " + (toLastRecord ? "from the start of each drain to its last record (the span of the throughput)"
                        : "over each drain from the consumer's creation to its close") + "; the ratio to raw is taken round by round.")
                .table(table);
    }
}
