package dev.kafkaconsumer.benchmarks.latency;

import java.util.List;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.Stats;
import dev.kafkaconsumer.benchmarks.report.CaseReport;
import dev.kafkaconsumer.benchmarks.report.Format;
import dev.kafkaconsumer.benchmarks.report.Table;

/**
 * B4 under both group protocols, alternated within each round ({@code -Dbench.case=b4-protocols}, issue 17 item 3):
 * per protocol, each contender's median percentiles and the container's p99 minus raw's, pair by pair, against B4's
 * target; its headlines are that difference under each protocol. Each protocol's full result is in
 * {@code protocols/<protocol>/b4-latency.md}.
 */
final class LatencyProtocolTable {

    private final BenchSettings settings;
    private final List<LatencyTable> tables;

    /**
     * @param settings what was run (without a protocol of its own)
     * @param tables   each protocol's result, in the order the protocols alternated
     */
    LatencyProtocolTable(BenchSettings settings, List<LatencyTable> tables) {
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("No protocol's result");
        }
        this.settings = settings;
        this.tables = List.copyOf(tables);
    }

    /** The comparison, with a headline per protocol. */
    CaseReport report() {
        LatencyTable first = tables.get(0);
        CaseReport report = new CaseReport(LatencyBenchmark.PROTOCOLS.benchCase(), "B4 under group.protocol="
                + String.join(" and ", tables.stream().map(LatencyTable::protocol).toList()) + ": end-to-end latency at "
                + Format.rate(first.rate()) + " records/s, ConsumerContainer vs. raw KafkaConsumer, alternated in one run",
                first.machine());
        Table table = new Table().left("group.protocol", "contender").right("median p50 ms", "median p99 ms", "median p99.9 ms",
                "median records/s produced").left("container p99 − raw p99 (median of pairwise, ms; min–max)", "target", "met");
        for (LatencyTable protocol : tables) {
            double[] p99 = protocol.p99Differences();
            Stats.Spread spread = Stats.spread(p99);
            report.headline("container p99 − raw p99 at " + Format.rate(protocol.rate()) + " records/s, "
                    + protocol.protocol(), spread.median(), LatencyTable.TARGET);
            for (String contender : settings.contenders()) {
                boolean container = contender.equals(BenchSettings.CONTAINER);
                table.row("`" + protocol.protocol() + "`", "`" + contender + "`",
                        Format.hundredths(protocol.medianOf(contender, 50)), Format.hundredths(protocol.medianOf(contender, 99)),
                        Format.hundredths(protocol.medianOf(contender, 99.9)), Format.rate(protocol.producedPerSecond(contender)),
                        container ? Format.bold(Format.hundredths(spread.median())) + " (" + Format.hundredths(spread.min()) + "–"
                                + Format.hundredths(spread.max()) + ")" : "",
                        container ? LatencyTable.TARGET.text() : "", container ? LatencyTable.TARGET.verdict(spread.median()) : "");
            }
        }
        return report.table(table)
                .paragraph("In each round raw and the container ran under `" + first.protocol() + "`, then under the next "
                        + "protocol, each on a fresh topic and group: a protocol is always compared with the other seconds apart on "
                        + "the same broker and machine. Each protocol's full result (every run, the method) is in `protocols/"
                        + first.protocol() + "/b4-latency.md` and its siblings.",
                        first.machine().measured())
                .command(settings.command());
    }
}
