package dev.kafkaconsumer.benchmarks.drain;

import java.util.List;
import java.util.Locale;
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
 * The result of B1 over TLS ({@code results/b1-tls.md}, issue 17 item 3): the engine against raw through the broker's
 * TLS listener, with B1's throughput target and the CPU-per-record target, both headlines; the same through the
 * plaintext listener in the same rounds, for reference only (B1 itself is the plaintext case); and what TLS costs each
 * contender, TLS over plaintext. Every ratio is taken pair by pair within a round, as in B1, so that a drift of the
 * machine affects both sides alike.
 */
final class TlsTable {

    private final BenchSettings settings;
    private final MachineDescription machine;
    private final Map<String, List<DrainTiming>> plaintext;
    private final Map<String, List<DrainTiming>> tls;

    /**
     * @param settings  what was run
     * @param machine   where it ran
     * @param plaintext the measured drains of each contender through the plaintext listener, in run order
     * @param tls       the same through the TLS listener, which ran in the same rounds
     */
    TlsTable(BenchSettings settings, MachineDescription machine, Map<String, List<DrainTiming>> plaintext,
            Map<String, List<DrainTiming>> tls) {
        this.settings = settings;
        this.machine = machine;
        this.plaintext = plaintext;
        this.tls = tls;
    }

    /** Whether both contenders ran, so that every engine/raw ratio exists. */
    private boolean sideBySide() {
        return settings.contenders().containsAll(List.of(BenchSettings.RAW, DrainBenchmark.ENGINE));
    }

    /** Pairwise ratios of the engine's metric over raw's through one listener. */
    double[] engineOverRaw(Map<String, List<DrainTiming>> runs, ToDoubleFunction<DrainTiming> metric) {
        return Stats.ratios(Stats.values(runs.get(DrainBenchmark.ENGINE), metric), Stats.values(runs.get(BenchSettings.RAW), metric));
    }

    /** Pairwise ratios of a contender's metric over TLS over the same through plaintext. */
    double[] tlsOverPlaintext(String contender, ToDoubleFunction<DrainTiming> metric) {
        return Stats.ratios(Stats.values(tls.get(contender), metric), Stats.values(plaintext.get(contender), metric));
    }

    /** The result: engine/raw per listener (the TLS one a headline), the cost of TLS per contender, CPU per record, every round. */
    CaseReport report() {
        CaseReport report = new CaseReport(DrainBenchmark.B1_TLS, settings.heading("B1 over TLS: drain a topic through the "
                + "broker's TLS listener, ConsumerEngine vs. raw KafkaConsumer (plaintext alternated in the same run)"), machine);
        if (sideBySide()) {
            report.table(againstRaw(report));
        }
        report.paragraph("What TLS costs each contender: its drains through the TLS listener over its drains through the "
                + "plaintext listener of the same broker, round by round.").table(cost());
        CpuPerRecord tlsCpu = new CpuPerRecord(settings, tls);
        if (sideBySide() && tlsCpu.measured()) {
            report.paragraph("Over TLS:");
            tlsCpu.addTo(report, contender -> label(contender) + ", TLS", contender -> CpuPerRecord.ENGINE_TARGET,
                    "batch API drain, TLS");
            report.paragraph("Over plaintext, in the same rounds (for reference; B1 is the plaintext case):");
            new CpuPerRecord(settings, plaintext).addTo(report, contender -> label(contender) + ", plaintext",
                    contender -> Target.NONE, "batch API drain, plaintext");
        }
        report.paragraph("Records/s of each round (in each round every contender drained through the plaintext listener, "
                + "then every contender through the TLS listener):").table(rounds());
        return report.paragraph(machine.measured(), DrainTables.topic(settings) + " Each contender drains the same topic "
                        + "through both listeners of one broker, alternated within each round; " + DrainTables.warmUps().toLowerCase(Locale.ROOT)
                        + " per contender and listener. TLS: a self-signed certificate (RSA 2048, `CN=localhost`) the harness makes with the "
                        + "JDK's `keytool` for the run; clients with `security.protocol=SSL` and a trust store holding only that "
                        + "certificate, every other TLS setting kafka-clients' and the JDK's defaults (TLS 1.3 here, host name "
                        + "verified). CPU s = CPU time of the consumer JVM; the broker JVM's (TLS costs it too) is in the "
                        + "cost table.",
                        DrainTables.consumerSettings("both", ""))
                .command(settings.command().replaceFirst("-Dbench\\.case=" + settings.benchCase() + "\\b",
                        "-Dbench.case=" + DrainBenchmark.B1_TLS));
    }

    /** Engine over raw through each listener, pair by pair; the TLS ratio is the case's headline, with B1's target. */
    private Table againstRaw(CaseReport report) {
        Table table = new Table().left("listener", "ratio").right("median of pairwise", "min–max", "after the first batch",
                "target").left("met");
        for (String listener : List.of(DrainBenchmark.TLS, DrainBenchmark.PLAINTEXT)) {
            boolean overTls = listener.equals(DrainBenchmark.TLS);
            Stats.Spread ratio = Stats.spread(engineOverRaw(overTls ? tls : plaintext, DrainTiming::throughput));
            double afterFirst = Stats.median(engineOverRaw(overTls ? tls : plaintext, DrainTiming::throughputAfterFirstBatch));
            Target target = overTls ? BatchDrainTable.TARGET : Target.NONE;
            if (overTls) {
                report.headline("engine / raw, batch API drain, TLS", ratio.median(), target);
            }
            table.row("`" + listener + "`", "`engine` / `raw`", Format.bold(Format.ratio(ratio.median())),
                    Format.ratio(ratio.min()) + "–" + Format.ratio(ratio.max()), Format.ratio(afterFirst), target.text(),
                    overTls ? target.verdict(ratio.median()) : "");
        }
        return table;
    }

    private Table cost() {
        Table table = new Table().left("contender").right("median records/s, plaintext", "median records/s, TLS",
                "TLS / plaintext (median of pairwise)", "min–max", "median CPU s per 1M records, plaintext",
                "median CPU s per 1M records, TLS", "median broker CPU s per drain, plaintext", "median broker CPU s per drain, TLS");
        for (String contender : settings.contenders()) {
            Stats.Spread ratio = Stats.spread(tlsOverPlaintext(contender, DrainTiming::throughput));
            table.row("`" + contender + "`", Format.rate(median(plaintext, contender, DrainTiming::throughput)),
                    Format.rate(median(tls, contender, DrainTiming::throughput)), Format.bold(Format.ratio(ratio.median())),
                    Format.ratio(ratio.min()) + "–" + Format.ratio(ratio.max()),
                    Format.ratio(median(plaintext, contender, TlsTable::cpuPerMillion)),
                    Format.ratio(median(tls, contender, TlsTable::cpuPerMillion)),
                    Format.hundredths(median(plaintext, contender, DrainTiming::brokerCpuSeconds)),
                    Format.hundredths(median(tls, contender, DrainTiming::brokerCpuSeconds)));
        }
        return table;
    }

    /** The consumer JVM's CPU seconds per million records, to the last record where measured (as {@link CpuPerRecord}). */
    private static double cpuPerMillion(DrainTiming timing) {
        double seconds = timing.drainCpuNanos() >= 0 ? timing.drainCpuSeconds() : timing.consumerCpuSeconds();
        return seconds * 1e6 / timing.records();
    }

    private Table rounds() {
        Table table = new Table().right("round");
        for (String listener : List.of(DrainBenchmark.PLAINTEXT, DrainBenchmark.TLS)) {
            settings.contenders().forEach(contender -> table.right(contender + "@" + listener));
        }
        for (int i = 0; i < settings.runs(); i++) {
            Object[] cells = new Object[1 + 2 * settings.contenders().size()];
            cells[0] = i + 1;
            int cell = 1;
            for (Map<String, List<DrainTiming>> runs : List.of(plaintext, tls)) {
                for (String contender : settings.contenders()) {
                    cells[cell++] = Format.rate(runs.get(contender).get(i).throughput());
                }
            }
            table.row(cells);
        }
        return table;
    }

    private static double median(Map<String, List<DrainTiming>> runs, String contender, ToDoubleFunction<DrainTiming> metric) {
        return Stats.median(Stats.values(runs.get(contender), metric));
    }

    private static String label(String contender) {
        return contender.equals(BenchSettings.RAW) ? "raw `KafkaConsumer` poll loop" : "`ConsumerEngine` getMany loop";
    }
}
