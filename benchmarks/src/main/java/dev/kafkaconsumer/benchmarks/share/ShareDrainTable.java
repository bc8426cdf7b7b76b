package dev.kafkaconsumer.benchmarks.share;

import java.util.ArrayList;
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
 * B9's drain result ({@code results/b9-share-drain.md}). Ratios are taken pair by pair (run i of one contender over
 * run i of the other, which ran in the same round), so that a drift of the machine affects both sides alike. The
 * issue's target: a share container ≥ 0.9 × the raw share consumer; Spring's share container is shown against both
 * without a target.
 */
final class ShareDrainTable {

    /** A share container over the raw share consumer, as the issue asks. */
    static final Target TARGET_VS_RAW = Target.atLeast(0.90);

    private static final List<String> CONTAINERS = List.of(ShareDrainBenchmark.CONTAINER, ShareDrainBenchmark.CONTAINER_6,
            ShareDrainBenchmark.CONTAINER_6_TWO_CONSUMERS);

    /**
     * A ratio of the result.
     *
     * @param top    the contender measured
     * @param bottom the one it is measured against
     * @param target what the issue asks of it
     */
    record Pair(String top, String bottom, Target target) {
    }

    private final BenchSettings settings;
    private final MachineDescription machine;
    private final Map<String, List<DrainTiming>> runs;

    /**
     * @param settings what was run
     * @param machine  where it ran
     * @param runs     the measured drains of each contender, in run order, warm-ups left out
     */
    ShareDrainTable(BenchSettings settings, MachineDescription machine, Map<String, List<DrainTiming>> runs) {
        this.settings = settings;
        this.machine = machine;
        this.runs = runs;
    }

    /**
     * The ratios of the contenders that ran: each container over raw (targeted); each container over the explicit raw
     * loop and that loop over raw (how much of the gap is kafka-clients' per-record acknowledgement); Spring over raw;
     * each container over Spring.
     */
    List<Pair> pairs() {
        List<Pair> pairs = new ArrayList<>();
        for (String container : CONTAINERS) {
            if (runs.containsKey(container) && runs.containsKey(ShareDrainBenchmark.RAW)) {
                pairs.add(new Pair(container, ShareDrainBenchmark.RAW, TARGET_VS_RAW));
            }
        }
        for (String container : CONTAINERS) {
            if (runs.containsKey(container) && runs.containsKey(ShareDrainBenchmark.RAW_EXPLICIT)) {
                pairs.add(new Pair(container, ShareDrainBenchmark.RAW_EXPLICIT, Target.NONE));
            }
        }
        if (runs.containsKey(ShareDrainBenchmark.RAW_EXPLICIT) && runs.containsKey(ShareDrainBenchmark.RAW)) {
            pairs.add(new Pair(ShareDrainBenchmark.RAW_EXPLICIT, ShareDrainBenchmark.RAW, Target.NONE));
        }
        if (runs.containsKey(ShareDrainBenchmark.SPRING) && runs.containsKey(ShareDrainBenchmark.RAW)) {
            pairs.add(new Pair(ShareDrainBenchmark.SPRING, ShareDrainBenchmark.RAW, Target.NONE));
        }
        for (String container : CONTAINERS) {
            if (runs.containsKey(container) && runs.containsKey(ShareDrainBenchmark.SPRING)) {
                pairs.add(new Pair(container, ShareDrainBenchmark.SPRING, Target.NONE));
            }
        }
        return pairs;
    }

    /** Pairwise throughput ratios of {@code top} over {@code bottom}. */
    double[] ratios(String top, String bottom) {
        return Stats.ratios(throughput(top), throughput(bottom));
    }

    /** The result: the contenders, the ratios with their targets, every round; its headlines are the ratios. */
    CaseReport report() {
        CaseReport report = new CaseReport("b9", "B9: drain a topic through a share group, one record per handler call: "
                + "ShareConsumerContainer vs. raw KafkaShareConsumer vs. Spring for Apache Kafka", machine)
                .table(contenders());
        List<Pair> pairs = pairs();
        if (!pairs.isEmpty()) {
            Table ratios = new Table().left("ratio (median of pairwise)").right("median", "min", "max", "target").left("met");
            for (Pair pair : pairs) {
                Stats.Spread spread = Stats.spread(ratios(pair.top(), pair.bottom()));
                ratios.row(pair.top() + " / " + pair.bottom(), Format.bold(Format.ratio(spread.median())),
                        Format.ratio(spread.min()), Format.ratio(spread.max()), pair.target().text(),
                        pair.target().verdict(spread.median()));
                report.headline(pair.top() + " / " + pair.bottom() + ", share-group drain", spread.median(), pair.target());
            }
            report.table(ratios)
                    .paragraph("Records/s of each round (contenders ran in this order within a round):")
                    .table(rounds(pairs));
        }
        return report.paragraph(machine.measured(), "Topic: " + Format.count(settings.records()) + " records, "
                        + BenchSettings.PARTITIONS + " partitions, " + BenchSettings.VALUE_BYTES + "-byte random values, null keys, "
                        + "no compression; one in-process KRaft broker (share groups enabled) in its own JVM on the same machine. "
                        + "One warm-up drain per contender, then " + settings.runs() + " measured drains each, alternating "
                        + String.join(", ", settings.contenders()) + ". Every drain reads with a new share group whose "
                        + "`share.auto.offset.reset` is `earliest`. Every contender hands each record to a handler that counts it "
                        + "for its partition (under the partition's lock where several threads handle records). Throughput = "
                        + "records / seconds from just before `subscribe`/`start()` to the last record handled (group join "
                        + "included, stop/close left out). CPU s = CPU time each JVM used during the drain, consumer creation "
                        + "and close included.",
                        "Share consumer settings: kafka-clients defaults for all (`max.poll.records` 500, `share.acquire.mode` "
                        + "`batch_optimized`), `check.crcs=true`, byte[] deserializers; the containers' own defaults otherwise.")
                .command(settings.command());
    }

    private Table contenders() {
        Table table = new Table().left("contender").right("median records/s", "min records/s", "max records/s",
                "median records/s after first record", "median s to first record", "median CPU s, consumer JVM",
                "median CPU s, broker JVM");
        for (String contender : settings.contenders()) {
            List<DrainTiming> timings = runs.get(contender);
            Stats.Spread throughput = Stats.spread(Stats.values(timings, DrainTiming::throughput));
            table.row(label(contender), Format.rate(throughput.median()), Format.rate(throughput.min()),
                    Format.rate(throughput.max()), Format.rate(median(timings, DrainTiming::throughputAfterFirstBatch)),
                    Format.hundredths(median(timings, DrainTiming::secondsToFirstBatch)),
                    Format.hundredths(median(timings, DrainTiming::consumerCpuSeconds)),
                    Format.hundredths(median(timings, DrainTiming::brokerCpuSeconds)));
        }
        return table;
    }

    private Table rounds(List<Pair> pairs) {
        Table table = new Table().right("round");
        settings.contenders().forEach(table::right);
        pairs.forEach(pair -> table.right(pair.top() + "/" + pair.bottom()));
        for (int i = 0; i < settings.runs(); i++) {
            List<Object> cells = new ArrayList<>();
            cells.add(i + 1);
            for (String contender : settings.contenders()) {
                cells.add(Format.rate(runs.get(contender).get(i).throughput()));
            }
            for (Pair pair : pairs) {
                cells.add(Format.ratio(ratios(pair.top(), pair.bottom())[i]));
            }
            table.row(cells.toArray());
        }
        return table;
    }

    private double[] throughput(String contender) {
        return Stats.values(runs.get(contender), DrainTiming::throughput);
    }

    private static double median(List<DrainTiming> timings, ToDoubleFunction<DrainTiming> metric) {
        return Stats.median(Stats.values(timings, metric));
    }

    private static String label(String contender) {
        return switch (contender) {
            case ShareDrainBenchmark.RAW -> "raw `KafkaShareConsumer` poll loop (100 ms polls), implicit acknowledgement, handler per "
                    + "record (`raw`)";
            case ShareDrainBenchmark.RAW_EXPLICIT -> "raw `KafkaShareConsumer` poll loop (100 ms polls), explicit acknowledgement "
                    + "(`acknowledge(record, ACCEPT)` after each handler call), handler per record (`raw-explicit`)";
            case ShareDrainBenchmark.CONTAINER -> "`ShareConsumerContainer`, concurrency 1 (`container`)";
            case ShareDrainBenchmark.CONTAINER_6 -> "`ShareConsumerContainer`, concurrency 6 (`container-c6`)";
            case ShareDrainBenchmark.CONTAINER_6_TWO_CONSUMERS -> "`ShareConsumerContainer`, concurrency 6, 2 share consumers "
                    + "(`consumers(2)`; `container-c6-2`)";
            case ShareDrainBenchmark.SPRING -> "Spring Kafka `ShareKafkaMessageListenerContainer`, concurrency 1, "
                    + "`ShareAckMode.EXPLICIT` (`spring`)";
            default -> contender;
        };
    }
}
