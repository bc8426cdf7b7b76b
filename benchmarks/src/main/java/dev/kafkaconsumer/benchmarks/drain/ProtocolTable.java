package dev.kafkaconsumer.benchmarks.drain;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.DrainProperties;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.harness.Stats;
import dev.kafkaconsumer.benchmarks.report.CaseReport;
import dev.kafkaconsumer.benchmarks.report.Format;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;
import dev.kafkaconsumer.benchmarks.report.Table;
import dev.kafkaconsumer.benchmarks.report.Target;

/**
 * B1's or B2's run under both group protocols, alternated within each round ({@code -Dbench.groupProtocol=classic,consumer}):
 * each contender under the second protocol over itself under the first ({@code <case>-protocols.md}). Ratios are taken
 * pair by pair (run i under one protocol with run i under the other, which ran in the same round), so that a drift of
 * the machine affects both sides alike. No target and no headline: it tells whether a kafka-clients release made one
 * protocol slower, which each protocol's own result (with its targets) does not.
 */
final class ProtocolTable {

    /** The file name after the case, e.g. {@code b1-protocols.md}. */
    static final String FILE_SUFFIX = "-protocols.md";

    private final BenchSettings settings;
    private final MachineDescription machine;
    private final List<String> protocols;
    private final List<Map<String, List<DrainTiming>>> runs;
    /** The suite's case this table is the result of ({@code b1-protocols}, {@code b2-protocols}), or null. */
    private final String suiteCase;

    /**
     * @param settings  what was run (without a protocol of its own)
     * @param machine   where it ran
     * @param protocols the two protocols, in the order they alternated
     * @param runs      the measured drains of each contender under each protocol, in the order of {@code protocols}
     */
    ProtocolTable(BenchSettings settings, MachineDescription machine, List<String> protocols,
            List<Map<String, List<DrainTiming>>> runs) {
        this(settings, machine, protocols, runs, null);
    }

    /**
     * The result of the suite's case {@code suiteCase} ({@code b1-protocols}, {@code b2-protocols}; issue 17 item 3): the
     * same table under that case's name, with a headline per contender and protocol against raw under the same protocol.
     */
    ProtocolTable(BenchSettings settings, MachineDescription machine, List<String> protocols,
            List<Map<String, List<DrainTiming>>> runs, String suiteCase) {
        this.suiteCase = suiteCase;
        if (protocols.size() != 2 || runs.size() != 2) {
            throw new IllegalArgumentException("Two protocols and their runs are compared; were " + protocols);
        }
        this.settings = settings;
        this.machine = machine;
        this.protocols = List.copyOf(protocols);
        this.runs = runs;
    }

    /** Pairwise ratios of a metric of {@code contender}: under the second protocol over under the first. */
    double[] ratios(String contender, ToDoubleFunction<DrainTiming> metric) {
        return Stats.ratios(Stats.values(runs.get(1).get(contender), metric), Stats.values(runs.get(0).get(contender), metric));
    }

    /** The result: per contender, both protocols' medians and their pairwise ratio; then every round. */
    CaseReport report() {
        String first = protocols.get(0);
        String second = protocols.get(1);
        CaseReport report = new CaseReport(suiteCase == null ? settings.benchCase() : suiteCase,
                settings.benchCase().toUpperCase(Locale.ROOT)
                + ": group.protocol=" + second + " vs. group.protocol=" + first + ", alternated in one run", machine);
        Table table = new Table().left("contender").right("median records/s, " + first, "median records/s, " + second,
                second + " / " + first + " (median of pairwise)", "min–max", second + " / " + first + " after the first "
                        + arrival(), "median s to first " + arrival() + ", " + first, "median s to first " + arrival() + ", "
                        + second);
        for (String contender : settings.contenders()) {
            Stats.Spread ratio = Stats.spread(ratios(contender, DrainTiming::throughput));
            table.row("`" + contender + "`", Format.rate(median(0, contender, DrainTiming::throughput)),
                    Format.rate(median(1, contender, DrainTiming::throughput)), Format.bold(Format.ratio(ratio.median())),
                    Format.ratio(ratio.min()) + "–" + Format.ratio(ratio.max()),
                    Format.ratio(Stats.median(ratios(contender, DrainTiming::throughputAfterFirstBatch))),
                    Format.hundredths(median(0, contender, DrainTiming::secondsToFirstBatch)),
                    Format.hundredths(median(1, contender, DrainTiming::secondsToFirstBatch)));
        }
        if (suiteCase != null) {
            report.table(againstRaw(report));
        }
        report.table(table).paragraph("Records/s of each round (in each round every contender ran under " + first
                + ", then every contender under " + second + "):").table(rounds());
        return report.paragraph(machine.measured(), "Topic: " + Format.count(settings.records()) + " records, "
                        + BenchSettings.PARTITIONS + " partitions, " + BenchSettings.VALUE_BYTES + "-byte random values, null "
                        + "keys, no compression; one in-process KRaft broker in its own JVM on the same machine. One warm-up "
                        + "drain per contender and protocol, then " + settings.runs() + " rounds. Each protocol's drains, with "
                        + "their own ratios and targets, are in `" + first + "/` and `" + second + "/` beside this file.",
                        DrainTables.consumerSettings(settings.benchCase().equals(DrainBenchmark.B1.benchCase()) ? "both" : "all",
                                ""))
                .command(settings.command() + " -D" + DrainProperties.GROUP_PROTOCOL + "=" + first + "," + second);
    }

    /** Each contender over raw under the same protocol, pair by pair; each a headline with the case's own target. */
    private Table againstRaw(CaseReport report) {
        boolean b1 = settings.benchCase().equals(DrainBenchmark.B1.benchCase());
        Target target = b1 ? BatchDrainTable.TARGET : OnePerCallTable.TARGET_VS_RAW;
        Table table = new Table().left("group.protocol", "ratio").right("median of pairwise", "min–max", "target").left("met");
        for (int p = 0; p < 2; p++) {
            for (String contender : settings.contenders()) {
                if (contender.equals(BenchSettings.RAW) || !runs.get(p).containsKey(BenchSettings.RAW)) {
                    continue;
                }
                Stats.Spread ratio = Stats.spread(Stats.ratios(Stats.values(runs.get(p).get(contender), DrainTiming::throughput),
                        Stats.values(runs.get(p).get(BenchSettings.RAW), DrainTiming::throughput)));
                Target own = contender.startsWith("spring") || contender.equals(DrainBenchmark.RAW_HAND_OFF) ? Target.NONE : target;
                String name = contender + " / raw, " + (b1 ? "batch API drain" : "one per call") + ", " + protocols.get(p);
                report.headline(name, ratio.median(), own);
                table.row("`" + protocols.get(p) + "`", "`" + contender + "` / `raw`", Format.bold(Format.ratio(ratio.median())),
                        Format.ratio(ratio.min()) + "–" + Format.ratio(ratio.max()), own.text(), own.verdict(ratio.median()));
            }
        }
        return table;
    }

    private Table rounds() {
        Table table = new Table().right("round");
        for (String protocol : protocols) {
            settings.contenders().forEach(contender -> table.right(contender + "@" + protocol));
        }
        for (int i = 0; i < settings.runs(); i++) {
            Object[] cells = new Object[1 + 2 * settings.contenders().size()];
            cells[0] = i + 1;
            int cell = 1;
            for (int p = 0; p < 2; p++) {
                for (String contender : settings.contenders()) {
                    cells[cell++] = Format.rate(runs.get(p).get(contender).get(i).throughput());
                }
            }
            table.row(cells);
        }
        return table;
    }

    private double median(int protocol, String contender, ToDoubleFunction<DrainTiming> metric) {
        return Stats.median(Stats.values(runs.get(protocol).get(contender), metric));
    }

    /** What B1 calls its first arrival ({@code batch}) and B2 ({@code record}). */
    private String arrival() {
        return settings.benchCase().equals(DrainBenchmark.B1.benchCase()) ? "batch" : "record";
    }
}
