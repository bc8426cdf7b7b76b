package dev.kafkaconsumer.benchmarks.rebalance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.kafkaconsumer.benchmarks.harness.Stats;
import dev.kafkaconsumer.benchmarks.report.CaseReport;
import dev.kafkaconsumer.benchmarks.report.Format;
import dev.kafkaconsumer.benchmarks.report.HeadlineRatio;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;
import dev.kafkaconsumer.benchmarks.report.Table;
import dev.kafkaconsumer.benchmarks.report.Target;

/**
 * B6's result ({@code results/b6-rebalance.md}). The issue sets no target for B6, so its headlines are ratios to
 * classic eager (the protocol every other one is meant to improve on), for information: below 1 means faster
 * recovery or shorter pauses than eager.
 */
final class RebalanceTable {

    static final String CONTAINER = "container";
    static final String RAW = "raw";
    static final String ENGINE = "engine";

    /**
     * What one row measures.
     *
     * @param members  {@value #CONTAINER} ({@code ConsumerContainer}s), {@value #ENGINE} ({@code ConsumerEngine}s) or
     *                 {@value #RAW} ({@code KafkaConsumer} poll loops)
     * @param protocol the group protocol set-up
     */
    record Setup(String members, RebalanceProtocol protocol) {

        String label() {
            return switch (members) {
                case CONTAINER -> "`ConsumerContainer`";
                case ENGINE -> "`ConsumerEngine` getMany loop";
                default -> "raw `KafkaConsumer`";
            } + ", " + protocol.label();
        }

        String id() {
            return members + " " + protocol.id();
        }
    }

    private final List<Setup> setups;
    private final Map<Setup, List<RebalanceRun>> runs;
    private final MachineDescription machine;
    private final int runCount;
    private final double seconds;

    /**
     * @param setups   the set-ups, in the order they ran
     * @param runs     the measured runs of each set-up, warm-ups left out
     * @param machine  where they ran
     * @param runCount measured runs per set-up
     * @param seconds  how long the case took, broker start included
     */
    RebalanceTable(List<Setup> setups, Map<Setup, List<RebalanceRun>> runs, MachineDescription machine, int runCount, double seconds) {
        this.setups = List.copyOf(setups);
        this.runs = runs;
        this.machine = machine;
        this.runCount = runCount;
        this.seconds = seconds;
    }

    /** The median of one metric over a set-up's runs, NaN-valued runs left out. */
    double median(Setup setup, ToDoubleFunction<RebalanceRun> metric) {
        return Stats.median(Stats.measured(values(setup, metric)));
    }

    /**
     * The result: each set-up's recovery and gaps, the containers' ratios to eager, every run and the method. Its
     * headlines, for the container only (none if it did not run): each newer protocol over classic eager, gap and
     * recovery, without a target.
     */
    CaseReport report() {
        CaseReport report = new CaseReport("b6", "B6: a second member joins at 5,000 records/s", machine);
        Setup eager = new Setup(CONTAINER, RebalanceProtocol.EAGER);
        if (runs.containsKey(eager)) {
            for (RebalanceProtocol protocol : List.of(RebalanceProtocol.COOPERATIVE, RebalanceProtocol.CONSUMER)) {
                Setup setup = new Setup(CONTAINER, protocol);
                report.headline("container " + protocol.id() + " / eager: longest gap on unmoved partitions",
                        median(setup, RebalanceRun::unmovedGapMillis) / median(eager, RebalanceRun::unmovedGapMillis), Target.NONE);
                report.headline("container " + protocol.id() + " / eager: time back to full rate",
                        median(setup, RebalanceRun::recoverySeconds) / median(eager, RebalanceRun::recoverySeconds), Target.NONE);
            }
        }
        Table ratios = new Table().left("ratio to classic eager, containers (median over median)").right("value");
        for (HeadlineRatio headline : report.headlines()) {
            ratios.row(headline.name(), Format.ratio(headline.value()));
        }
        return report.table(setupsTable())
                .table(ratios)
                .paragraph("Each run, set-up by set-up in turn: s back to full rate, longest gap on unmoved partitions in ms "
                        + "(the partitions), longest gap before the join in ms")
                .table(eachRun())
                .paragraph(machine.measuredBriefly() + "; the case took " + Format.whole(seconds) + " s.", method())
                .command("mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b6" + (runCount == 5 ? "" : " -Dbench.runs=" + runCount));
    }

    private Table setupsTable() {
        Table table = new Table().left("members, protocol").right("median s back to full rate", "min", "max",
                "median longest gap on unmoved partitions, ms", "min", "max", "median longest gap before the join, ms")
                .left("partitions moved");
        for (Setup setup : setups) {
            List<RebalanceRun> measured = runs.getOrDefault(setup, List.of());
            double[] recovery = Stats.measured(values(setup, RebalanceRun::recoverySeconds));
            double[] gap = Stats.measured(values(setup, RebalanceRun::unmovedGapMillis));
            table.row(setup.label(),
                    Format.bold(Format.hundredths(median(setup, RebalanceRun::recoverySeconds))),
                    Format.hundredths(Stats.min(recovery)), Format.hundredths(Stats.max(recovery)),
                    Format.bold(Format.wholeOrDash(median(setup, RebalanceRun::unmovedGapMillis))),
                    Format.wholeOrDash(Stats.min(gap)), Format.wholeOrDash(Stats.max(gap)),
                    Format.wholeOrDash(median(setup, RebalanceRun::baselineGapMillis)),
                    measured.stream().map(r -> String.valueOf(r.moved())).distinct().reduce((a, b) -> a + ", " + b).orElse("—"));
        }
        return table;
    }

    private Table eachRun() {
        Table table = new Table().right("run");
        setups.forEach(setup -> table.left(setup.id()));
        for (int i = 0; i < runCount; i++) {
            List<Object> cells = new ArrayList<>();
            cells.add(i + 1);
            for (Setup setup : setups) {
                List<RebalanceRun> measured = runs.getOrDefault(setup, List.of());
                if (i < measured.size()) {
                    RebalanceRun run = measured.get(i);
                    cells.add(Format.hundredths(run.recoverySeconds()) + " s, " + Format.wholeOrDash(run.unmovedGapMillis()) + " ms "
                            + run.unmoved() + ", " + Format.wholeOrDash(run.baselineGapMillis()) + " ms");
                } else {
                    cells.add("—");
                }
            }
            table.row(cells.toArray());
        }
        return table;
    }

    private double[] values(Setup setup, ToDoubleFunction<RebalanceRun> metric) {
        return Stats.values(runs.getOrDefault(setup, List.of()), metric);
    }

    private String method() {
        return "One topic of 6 partitions, fed at 5,000 records/s (100-byte values, partitions in turn, every 5 ms) by a "
                + "producer thread of the benchmark JVM. The two members run in the benchmark JVM (the broker in its own): either two "
                + "`ConsumerContainer`s (PARTITION ordering, concurrency 6, a handler that notes partition and time, commits on "
                + "revocation) or two raw `KafkaConsumer` poll loops (`poll(100 ms)`, the same handler inline, auto-commit, which "
                + "commits on revocation), the latter showing what the protocol itself costs. Each run: a new group "
                + "starting at the log end; the first member runs alone until it handles every partition, then 2 s more; the "
                + "second member starts (the join); the run ends 1.5 s after the group is back at full rate. "
                + "**Back at full rate**: the start of the first " + RebalanceAnalysis.WINDOW_MILLIS
                + " ms window, after the second member's first record, in which both "
                + "members handle records and the group handles at least " + Math.round(RebalanceAnalysis.FULL_RATE_SHARE * 100)
                + " % of the produce rate (precise to about one "
                + "window). **Gap on unmoved partitions**: the longest time without a handled record on a partition that stayed "
                + "with the first member, from 1 s before the join to 1 s after the recovery; \"before the join\" is the same "
                + "over every partition in the 2 s before the join, the jitter of the steady state. Classic set-ups use "
                + "`session.timeout.ms=10000`, `heartbeat.interval.ms=500`, matching the broker's consumer-protocol "
                + "settings (`group.consumer.session.timeout.ms=10000`, `group.consumer.heartbeat.interval.ms=500`). "
                + "One warm-up run per protocol, then " + runCount + " measured runs each, alternating.";
    }
}
