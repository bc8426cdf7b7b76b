package dev.kafkaconsumer.benchmarks.drain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * B10's result ({@code results/b10-decoding.md}, issue 17): a value deserializer that costs CPU, one record per
 * handler call. A raw poll loop decodes on its one thread, inside {@code poll}; the question is whether the container
 * at concurrency 6 decodes on its workers, in parallel, and so drains faster than raw and than Spring's container of
 * six consumers. Ratios are taken pair by pair (round i of one over round i of the other), as in B2.
 */
final class DecodingTable {

    /** container-c6 / raw, as issue 17 asks. */
    static final Target TARGET_VS_RAW = Target.atLeast(1.3);
    /** container-c6 / spring-c6, as issue 17 asks. */
    static final Target TARGET_VS_SPRING = Target.atLeast(1.0);

    /**
     * A ratio of the result.
     *
     * @param top    the contender over ...
     * @param bottom ... this one
     * @param target what issue 17 asks of it, or {@link Target#NONE}
     */
    private record Pair(String top, String bottom, Target target) {

        String name() {
            return top + " / " + bottom;
        }
    }

    private static final List<Pair> PAIRS = List.of(
            new Pair(DrainBenchmark.CONTAINER_6, BenchSettings.RAW, TARGET_VS_RAW),
            new Pair(DrainBenchmark.CONTAINER_6, DrainBenchmark.SPRING_6, TARGET_VS_SPRING),
            new Pair(DrainBenchmark.ENGINE, BenchSettings.RAW, Target.NONE),
            new Pair(DrainBenchmark.SPRING_6, BenchSettings.RAW, Target.NONE));

    private final BenchSettings settings;
    private final MachineDescription machine;
    private final Map<String, List<DrainTiming>> runs;
    private final double decodingNanos;

    /**
     * @param settings      what was run
     * @param machine       where it ran
     * @param runs          the measured drains of each contender, in run order, warm-ups left out
     * @param decodingNanos what one value's decoding cost alone on one thread, in ns; NaN when not measured
     */
    DecodingTable(BenchSettings settings, MachineDescription machine, Map<String, List<DrainTiming>> runs, double decodingNanos) {
        this.settings = settings;
        this.machine = machine;
        this.runs = runs;
        this.decodingNanos = decodingNanos;
    }

    /** Pairwise throughput ratios of {@code top} over {@code bottom}. */
    double[] ratios(String top, String bottom) {
        return Stats.ratios(Stats.values(runs.get(top), DrainTiming::throughput), Stats.values(runs.get(bottom), DrainTiming::throughput));
    }

    /** The ratios whose two contenders ran. */
    private List<Pair> pairs() {
        List<Pair> pairs = new ArrayList<>();
        for (Pair pair : PAIRS) {
            if (runs.containsKey(pair.top()) && runs.containsKey(pair.bottom())) {
                pairs.add(pair);
            }
        }
        return pairs;
    }

    /** The result: the contenders, the ratios with their targets (the headlines), every round, and the CPU per record. */
    CaseReport report() {
        CaseReport report = new CaseReport("b10", settings.heading("B10: decoding that costs CPU, one record per handler call: "
                + "ConsumerContainer vs. Spring for Apache Kafka vs. raw"), machine)
                .table(DrainTables.contenders(settings, runs, "record", DecodingTable::label));
        List<Pair> pairs = pairs();
        if (!pairs.isEmpty()) {
            Table table = new Table().left("ratio (median of pairwise)").right("median", "min", "max", "target").left("met");
            Map<String, double[]> byRound = new LinkedHashMap<>();
            for (Pair pair : pairs) {
                double[] ratios = ratios(pair.top(), pair.bottom());
                byRound.put(pair.top() + "/" + pair.bottom(), ratios);
                Stats.Spread spread = Stats.spread(ratios);
                table.row(pair.name(), Format.bold(Format.ratio(spread.median())), Format.ratio(spread.min()),
                        Format.ratio(spread.max()), pair.target().text(), pair.target().verdict(spread.median()));
                report.headline(pair.name() + ", costly decoding, one per call", spread.median(), pair.target());
            }
            report.table(table)
                    .paragraph("Records/s of each round (contenders ran in this order within a round):")
                    .table(DrainTables.rounds(settings, runs, byRound));
        }
        new CpuPerRecord(settings, runs).addTo(report, DecodingTable::label, contender -> Target.NONE, "costly decoding");
        return report.paragraph(machine.measured(), DrainTables.topic(settings)
                        + " Every contender decodes each value with `CostlyDeserializer` (" + CostlyDeserializer.ROUNDS
                        + " rounds of SHA-256 over the value, each with the digest before in its first bytes" + decodingCost()
                        + ") and hands the record to a handler that calls `DrainMeter.count` for its partition."
                        + " Throughput = records / seconds from just before `subscribe`/`start()` to the last record handled"
                        + " (group join included, stop/close left out).",
                        DrainTables.consumerSettings("all", ", `check.crcs=true`, byte[] keys, the costly value deserializer"))
                .command(settings.command());
    }

    private String decodingCost() {
        return Double.isNaN(decodingNanos) ? "" : String.format(Locale.ROOT,
                "; %.2f µs a value alone on one thread of this JVM before the run, so one thread decodes at most %s records/s",
                decodingNanos / 1000, Format.rate(1e9 / decodingNanos));
    }

    private static String label(String contender) {
        return switch (contender) {
            case BenchSettings.RAW -> "raw `KafkaConsumer` poll loop, handler per record, decodes in `poll` (`raw`)";
            case DrainBenchmark.ENGINE -> "`ConsumerEngine` getMany loop, decodes on its I/O thread (`engine`)";
            case DrainBenchmark.CONTAINER_6 -> "`ConsumerContainer`, PARTITION, concurrency 6, decodes on its workers (`container-c6`)";
            case DrainBenchmark.SPRING_6 -> "Spring Kafka listener container, concurrency 6, AckMode.TIME, each consumer decodes "
                    + "in its `poll` (`spring-c6`)";
            default -> contender;
        };
    }
}
