package dev.kafkaconsumer.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Turns the B6 runs into Markdown and headline ratios. The issue sets no target for B6, so its
 * headlines are ratios to classic eager (the protocol every other one is meant to improve on), for
 * information: below 1 means faster recovery or shorter pauses than eager.
 */
final class RebalanceTable {

    static final String CONTAINER = "container";
    static final String RAW = "raw";
    static final String ENGINE = "engine";

    /**
     * What one row measures.
     *
     * @param members  {@value #CONTAINER} ({@code ConsumerContainer}s) or {@value #RAW} ({@code KafkaConsumer} poll loops)
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
     * @param runs     the measured runs of each protocol, warm-ups left out
     * @param machine  where they ran
     * @param runCount measured runs per protocol
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
        return Stats.median(runs.getOrDefault(setup, List.of()).stream().mapToDouble(metric).filter(v -> !Double.isNaN(v)).toArray());
    }

    /** For the container: each newer protocol over classic eager, gap and recovery; none if the container did not run. */
    List<HeadlineRatio> headlines() {
        List<HeadlineRatio> headlines = new ArrayList<>();
        Setup eager = new Setup(CONTAINER, RebalanceProtocol.EAGER);
        if (!runs.containsKey(eager)) {
            return headlines;
        }
        for (RebalanceProtocol protocol : List.of(RebalanceProtocol.COOPERATIVE, RebalanceProtocol.CONSUMER)) {
            Setup setup = new Setup(CONTAINER, protocol);
            headlines.add(headline("container " + protocol.id() + " / eager: longest gap on unmoved partitions",
                    median(setup, RebalanceRun::unmovedGapMillis) / median(eager, RebalanceRun::unmovedGapMillis)));
            headlines.add(headline("container " + protocol.id() + " / eager: time back to full rate",
                    median(setup, RebalanceRun::recoverySeconds) / median(eager, RebalanceRun::recoverySeconds)));
        }
        return headlines;
    }

    private HeadlineRatio headline(String name, double value) {
        return new HeadlineRatio("b6", name, value, HeadlineRatio.Comparison.NONE, 0, machine.date(), machine.oneLine());
    }

    String toMarkdown() {
        StringBuilder md = new StringBuilder("## B6: a second member joins at 5,000 records/s\n\n");
        md.append("| members, protocol | median s back to full rate | min | max | median longest gap on unmoved partitions, ms | min | max "
                + "| median longest gap before the join, ms | partitions moved |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Setup protocol : setups) {
            List<RebalanceRun> measured = runs.getOrDefault(protocol, List.of());
            double[] recovery = measured.stream().mapToDouble(RebalanceRun::recoverySeconds).toArray();
            double[] gap = measured.stream().mapToDouble(RebalanceRun::unmovedGapMillis).toArray();
            md.append("| ").append(protocol.label())
                    .append(" | **").append(Stats.seconds(median(protocol, RebalanceRun::recoverySeconds))).append("** | ")
                    .append(Stats.seconds(min(recovery))).append(" | ").append(Stats.seconds(max(recovery)))
                    .append(" | **").append(millis(median(protocol, RebalanceRun::unmovedGapMillis))).append("** | ")
                    .append(millis(min(gap))).append(" | ").append(millis(max(gap)))
                    .append(" | ").append(millis(median(protocol, RebalanceRun::baselineGapMillis)))
                    .append(" | ").append(measured.stream().map(r -> String.valueOf(r.moved())).distinct().reduce((a, b) -> a + ", " + b).orElse("—"))
                    .append(" |\n");
        }
        md.append("\n| ratio to classic eager, containers (median over median) | value |\n|---|---:|\n");
        for (HeadlineRatio headline : headlines()) {
            md.append("| ").append(headline.name()).append(" | ").append(HeadlineRatio.format(headline.value())).append(" |\n");
        }
        md.append("\nEach run, set-up by set-up in turn: s back to full rate, longest gap on unmoved partitions in ms "
                + "(the partitions), longest gap before the join in ms\n\n| run |");
        for (Setup protocol : setups) {
            md.append(' ').append(protocol.id()).append(" |");
        }
        md.append("\n|---:|").append("---|".repeat(setups.size())).append('\n');
        for (int i = 0; i < runCount; i++) {
            md.append("| ").append(i + 1).append(" |");
            for (Setup protocol : setups) {
                List<RebalanceRun> measured = runs.getOrDefault(protocol, List.of());
                if (i < measured.size()) {
                    RebalanceRun run = measured.get(i);
                    md.append(' ').append(Stats.seconds(run.recoverySeconds())).append(" s, ").append(millis(run.unmovedGapMillis()))
                            .append(" ms ").append(run.unmoved()).append(", ").append(millis(run.baselineGapMillis())).append(" ms |");
                } else {
                    md.append(" — |");
                }
            }
            md.append('\n');
        }
        appendMethod(md);
        return md.toString();
    }

    private void appendMethod(StringBuilder md) {
        md.append(String.format(Locale.ROOT, "%nMeasured %s on %s; load average %s at the start, %s at the end; the case took %.0f s.%n",
                machine.date(), machine.oneLine(), machine.loadAtStart(), MachineDescription.loadAverage(), seconds));
        md.append("One topic of 6 partitions, fed at 5,000 records/s (100-byte values, partitions in turn, every 5 ms) by a "
                + "producer thread of the benchmark JVM. The two members run in the benchmark JVM (the broker in its own): either two "
                + "`ConsumerContainer`s (PARTITION ordering, concurrency 6, a handler that notes partition and time, commits on "
                + "revocation) or two raw `KafkaConsumer` poll loops (`poll(100 ms)`, the same handler inline, auto-commit, which "
                + "commits on revocation), the latter showing what the protocol itself costs. Each run: a new group "
                + "starting at the log end; the first member runs alone until it handles every partition, then 2 s more; the "
                + "second member starts (the join); the run ends 1.5 s after the group is back at full rate. "
                + "**Back at full rate**: the start of the first ")
                .append(RebalanceAnalysis.WINDOW_MILLIS).append(" ms window, after the second member's first record, in which both "
                        + "members handle records and the group handles at least ")
                .append(Math.round(RebalanceAnalysis.FULL_RATE_SHARE * 100)).append(" % of the produce rate (precise to about one "
                        + "window). **Gap on unmoved partitions**: the longest time without a handled record on a partition that stayed "
                        + "with the first member, from 1 s before the join to 1 s after the recovery; \"before the join\" is the same "
                        + "over every partition in the 2 s before the join, the jitter of the steady state. Classic set-ups use "
                        + "`session.timeout.ms=10000`, `heartbeat.interval.ms=500`, matching the broker's consumer-protocol "
                        + "settings (`group.consumer.session.timeout.ms=10000`, `group.consumer.heartbeat.interval.ms=500`). ")
                .append("One warm-up run per protocol, then ").append(runCount).append(" measured runs each, alternating.\n\n```\n")
                .append("mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b6").append(runCount == 5 ? "" : " -Dbench.runs=" + runCount)
                .append("\n```\n");
    }

    private static double min(double[] values) {
        return Arrays.stream(values).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }

    private static String millis(double value) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%,.0f", value);
    }
}
