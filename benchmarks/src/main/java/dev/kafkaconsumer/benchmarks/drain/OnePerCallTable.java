package dev.kafkaconsumer.benchmarks.drain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * B2's result ({@code results/b2-one-per-call.md}). Ratios are taken pair by pair (container run i over the
 * other contender's run i, which ran in the same round), so that a drift of the machine affects both
 * sides of each ratio alike. "Spring's best" is the Spring ack mode with the higher median throughput.
 */
final class OnePerCallTable {

    /** container/raw, as the issue asks. */
    static final Target TARGET_VS_RAW = Target.atLeast(0.90);
    /** container/Spring's best, as the issue asks. */
    static final Target TARGET_VS_SPRING = Target.atLeast(1.0);

    private static final List<String> CONTAINERS = List.of(BenchSettings.CONTAINER, DrainBenchmark.CONTAINER_6);
    private static final List<String> SPRINGS = List.of(DrainBenchmark.SPRING_BATCH, DrainBenchmark.SPRING_TIME);

    /**
     * A ratio the issue sets a target for.
     *
     * @param container a container contender
     * @param baseline  raw or Spring's best
     */
    private record Pair(String container, String baseline) {

        boolean againstRaw() {
            return baseline.equals(BenchSettings.RAW);
        }

        Target target() {
            return againstRaw() ? TARGET_VS_RAW : TARGET_VS_SPRING;
        }
    }

    private final BenchSettings settings;
    private final MachineDescription machine;
    private final Map<String, List<DrainTiming>> runs;

    /**
     * @param settings what was run
     * @param machine  where it ran
     * @param runs     the measured drains of each contender, in run order, warm-ups left out
     */
    OnePerCallTable(BenchSettings settings, MachineDescription machine, Map<String, List<DrainTiming>> runs) {
        this.settings = settings;
        this.machine = machine;
        this.runs = runs;
    }

    /** The Spring contender with the higher median throughput, or null when none ran. */
    String springBest() {
        String best = null;
        for (String spring : SPRINGS) {
            if (runs.containsKey(spring) && (best == null || medianThroughput(spring) > medianThroughput(best))) {
                best = spring;
            }
        }
        return best;
    }

    /** Pairwise throughput ratios of {@code contender} over {@code baseline}. */
    double[] ratios(String contender, String baseline) {
        return Stats.ratios(throughput(contender), throughput(baseline));
    }

    /** The ratios the issue sets targets for: each container that ran over raw and over Spring's best. */
    private List<Pair> pairs() {
        String springBest = springBest();
        List<Pair> pairs = new ArrayList<>();
        for (String container : CONTAINERS) {
            if (!runs.containsKey(container)) {
                continue;
            }
            if (runs.containsKey(BenchSettings.RAW)) {
                pairs.add(new Pair(container, BenchSettings.RAW));
            }
            if (springBest != null) {
                pairs.add(new Pair(container, springBest));
            }
        }
        return pairs;
    }

    /**
     * The result: the contenders; where a container and raw or Spring ran, the ratios against their targets and
     * every round. Its headlines: each container over raw and over Spring's best.
     */
    CaseReport report() {
        CaseReport report = new CaseReport("b2", settings.heading(
                "B2: drain a topic, one record per handler call: ConsumerContainer vs. Spring for Apache Kafka vs. raw"), machine)
                .table(DrainTables.contenders(settings, runs, "record", OnePerCallTable::label));
        List<Pair> pairs = pairs();
        if (!pairs.isEmpty()) {
            String springBest = springBest();
            Table ratios = new Table().left("ratio (median of pairwise)").right("median", "min", "max", "target").left("met");
            for (Pair pair : pairs) {
                Stats.Spread spread = Stats.spread(ratios(pair.container(), pair.baseline()));
                ratios.row(pair.container() + " / " + pair.baseline() + (pair.baseline().equals(springBest) ? " (Spring's best)" : ""),
                        Format.bold(Format.ratio(spread.median())), Format.ratio(spread.min()), Format.ratio(spread.max()),
                        pair.target().text(), pair.target().verdict(spread.median()));
                report.headline(pair.container() + " / " + (pair.againstRaw() ? "raw" : "Spring's best (" + pair.baseline() + ")")
                        + ", one per call", spread.median(), pair.target());
            }
            report.table(ratios)
                    .paragraph("Records/s of each round (contenders ran in this order within a round):")
                    .table(rounds(pairs));
        }
        CpuPerRecord cpu = new CpuPerRecord(settings, runs);
        cpu.addTo(report, OnePerCallTable::label,
                contender -> CONTAINERS.contains(contender) ? CpuPerRecord.CONTAINER_TARGET : Target.NONE, "one per call");
        if (cpu.measured() && runs.containsKey(DrainBenchmark.RAW_HAND_OFF)) {
            report.paragraph("Against the least hand-off (`raw-handoff`: each poll's records handed as they are to one "
                    + "handler thread, nothing tracked or committed), pair by pair: what the container adds to handing the "
                    + "records off the polling thread at all.").table(againstHandOff(cpu, report));
        }
        return report.paragraph(machine.measured(), DrainTables.topic(settings)
                        + " Every contender hands each record to a handler that calls `DrainMeter.count` for its partition."
                        + " Throughput = records / seconds from just before `subscribe`/`start()` to the last record handled"
                        + " (group join included, stop/close left out)."
                        + " CPU s = CPU time each JVM used during the drain, consumer creation and close included.",
                        DrainTables.consumerSettings("all", ", `check.crcs=true`, byte[] deserializers"))
                .command(settings.command());
    }

    /**
     * Each container's throughput and CPU per record over {@code raw-handoff}'s, pair by pair; the CPU ratios are headlines
     * without a target of their own, beside the target against raw.
     */
    private Table againstHandOff(CpuPerRecord cpu, CaseReport report) {
        Table table = new Table().left("ratio (median of pairwise)").right("throughput", "min", "max", "CPU per record", "min",
                "max");
        for (String container : CONTAINERS) {
            if (!runs.containsKey(container)) {
                continue;
            }
            Stats.Spread rate = Stats.spread(ratios(container, DrainBenchmark.RAW_HAND_OFF));
            Stats.Spread perRecord = Stats.spread(cpu.ratios(container, DrainBenchmark.RAW_HAND_OFF));
            report.headline(container + " / " + DrainBenchmark.RAW_HAND_OFF + ", CPU per record, one per call", perRecord.median(),
                    Target.NONE);
            table.row(container + " / " + DrainBenchmark.RAW_HAND_OFF, Format.bold(Format.ratio(rate.median())),
                    Format.ratio(rate.min()), Format.ratio(rate.max()), Format.bold(Format.ratio(perRecord.median())),
                    Format.ratio(perRecord.min()), Format.ratio(perRecord.max()));
        }
        Stats.Spread handOff = Stats.spread(cpu.ratios(DrainBenchmark.RAW_HAND_OFF));
        table.row(DrainBenchmark.RAW_HAND_OFF + " / raw", Format.bold(Format.ratio(Stats.median(ratios(DrainBenchmark.RAW_HAND_OFF,
                BenchSettings.RAW)))), "", "", Format.bold(Format.ratio(handOff.median())), Format.ratio(handOff.min()),
                Format.ratio(handOff.max()));
        return table;
    }

    private Table rounds(List<Pair> pairs) {
        Map<String, double[]> ratios = new LinkedHashMap<>();
        pairs.forEach(pair -> ratios.put(pair.container() + "/" + pair.baseline(), ratios(pair.container(), pair.baseline())));
        return DrainTables.rounds(settings, runs, ratios);
    }

    private double[] throughput(String contender) {
        return Stats.values(runs.get(contender), DrainTiming::throughput);
    }

    private double medianThroughput(String contender) {
        return Stats.median(throughput(contender));
    }

    private static String label(String contender) {
        return switch (contender) {
            case BenchSettings.RAW -> "raw `KafkaConsumer` poll loop, handler per record (`raw`)";
            case DrainBenchmark.RAW_HAND_OFF -> "raw poll loop handing each poll to one handler thread (`raw-handoff`)";
            case BenchSettings.CONTAINER -> "`ConsumerContainer`, PARTITION, concurrency 1 (`container`)";
            case DrainBenchmark.CONTAINER_6 -> "`ConsumerContainer`, PARTITION, concurrency 6 (`container-c6`)";
            case DrainBenchmark.SPRING_BATCH -> "Spring Kafka listener container, AckMode.BATCH (`spring-batch`)";
            case DrainBenchmark.SPRING_TIME -> "Spring Kafka listener container, AckMode.TIME (`spring-time`)";
            default -> contender;
        };
    }
}
