package dev.kafkaconsumer.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Turns the measured drains into the Markdown that is printed and kept in {@code results/}.
 * Ratios are taken pair by pair (engine run i over raw run i, which ran right after each other),
 * so that a drift of the machine during the benchmark affects both sides of each ratio alike.
 */
final class ResultTable {

    /** The ratio the issue asks the engine to reach. */
    static final double TARGET_RATIO = 0.95;

    private final BenchSettings settings;
    private final MachineDescription machine;
    private final Map<String, List<DrainTiming>> runs;

    /**
     * @param settings what was run
     * @param machine  where it ran
     * @param runs     the measured drains of each contender, in run order, warm-ups left out
     */
    ResultTable(BenchSettings settings, MachineDescription machine, Map<String, List<DrainTiming>> runs) {
        this.settings = settings;
        this.machine = machine;
        this.runs = runs;
    }

    /** The median of the pairwise engine/raw throughput ratios, or NaN without both contenders. */
    double medianRatio() {
        return settings.sideBySide() ? Stats.median(ratios(DrainTiming::throughput)) : Double.NaN;
    }

    /** The headline for the summary: engine/raw against its target; none unless both contenders ran. */
    List<HeadlineRatio> headlines() {
        return settings.sideBySide()
                ? List.of(new HeadlineRatio(BenchSettings.B1, "engine / raw, batch API drain", medianRatio(),
                        HeadlineRatio.Comparison.AT_LEAST, TARGET_RATIO, machine.date(), machine.oneLine()))
                : List.of();
    }

    String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("## B1: drain a topic, ConsumerEngine vs. raw KafkaConsumer\n\n");
        md.append("| contender | median records/s | min records/s | max records/s | median records/s after first batch "
                + "| median s to first batch | median CPU s, consumer JVM | median CPU s, broker JVM |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String contender : settings.contenders()) {
            List<DrainTiming> timings = runs.get(contender);
            double[] throughput = Stats.values(timings, DrainTiming::throughput);
            md.append("| ").append(label(contender))
                    .append(" | ").append(Stats.rate(Stats.median(throughput)))
                    .append(" | ").append(Stats.rate(Arrays.stream(throughput).min().orElse(Double.NaN)))
                    .append(" | ").append(Stats.rate(Arrays.stream(throughput).max().orElse(Double.NaN)))
                    .append(" | ").append(Stats.rate(Stats.median(Stats.values(timings, DrainTiming::throughputAfterFirstBatch))))
                    .append(" | ").append(Stats.seconds(Stats.median(Stats.values(timings, DrainTiming::secondsToFirstBatch))))
                    .append(" | ").append(Stats.seconds(Stats.median(Stats.values(timings, DrainTiming::consumerCpuSeconds))))
                    .append(" | ").append(Stats.seconds(Stats.median(Stats.values(timings, DrainTiming::brokerCpuSeconds))))
                    .append(" |\n");
        }
        if (settings.sideBySide()) {
            appendRatios(md);
        }
        appendMachine(md);
        return md.toString();
    }

    private void appendRatios(StringBuilder md) {
        double[] ratios = ratios(DrainTiming::throughput);
        double[] afterFirst = ratios(DrainTiming::throughputAfterFirstBatch);
        double median = Stats.median(ratios);
        md.append("\n**engine/raw, median of ").append(ratios.length).append(" pairwise ratios: ")
                .append(Stats.ratio(median)).append("** (min ").append(Stats.ratio(Arrays.stream(ratios).min().orElse(Double.NaN)))
                .append(", max ").append(Stats.ratio(Arrays.stream(ratios).max().orElse(Double.NaN)))
                .append("); after the first batch: ").append(Stats.ratio(Stats.median(afterFirst)))
                .append(". Target ≥ ").append(Stats.ratio(TARGET_RATIO)).append(": ")
                .append(median >= TARGET_RATIO ? "met" : "**not met**").append(".\n\n");
        md.append("| pair | raw records/s | engine records/s | engine/raw | raw after first batch | engine after first batch | engine/raw after first batch |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|\n");
        List<DrainTiming> raw = runs.get(BenchSettings.RAW);
        List<DrainTiming> engine = runs.get(BenchSettings.ENGINE);
        for (int i = 0; i < ratios.length; i++) {
            md.append("| ").append(i + 1)
                    .append(" | ").append(Stats.rate(raw.get(i).throughput()))
                    .append(" | ").append(Stats.rate(engine.get(i).throughput()))
                    .append(" | ").append(Stats.ratio(ratios[i]))
                    .append(" | ").append(Stats.rate(raw.get(i).throughputAfterFirstBatch()))
                    .append(" | ").append(Stats.rate(engine.get(i).throughputAfterFirstBatch()))
                    .append(" | ").append(Stats.ratio(afterFirst[i]))
                    .append(" |\n");
        }
    }

    private void appendMachine(StringBuilder md) {
        md.append(machine.toMarkdown());
        md.append("Topic: ").append(String.format(Locale.ROOT, "%,d", settings.records())).append(" records, ")
                .append(BenchSettings.PARTITIONS).append(" partitions, ").append(BenchSettings.VALUE_BYTES)
                .append("-byte random values, null keys, no compression; one in-process KRaft broker in its own JVM ")
                .append("on the same machine. One warm-up drain per contender, then ").append(settings.runs())
                .append(" measured drains each, alternating ").append(String.join(", ", settings.contenders()))
                .append(". Throughput = records / seconds from just before `subscribe` to the last record (group join included).")
                .append(" CPU s = CPU time each JVM used during the drain, consumer creation and close included.\n");
        Map<String, String> overrides = DrainProperties.overrides();
        md.append(overrides.isEmpty() ? "Consumer settings: kafka-clients defaults for both."
                : "Consumer settings changed from the defaults for both, with -Dbench.consumer.* on a java command "
                        + "line (the Maven command below does not pass them on): " + overrides + ".").append("\n\n");
        md.append("```\n").append(settings.command()).append("\n```\n");
    }

    private double[] ratios(ToDoubleFunction<DrainTiming> metric) {
        List<DrainTiming> raw = runs.get(BenchSettings.RAW);
        List<DrainTiming> engine = runs.get(BenchSettings.ENGINE);
        int pairs = Math.min(raw.size(), engine.size());
        double[] ratios = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            ratios[i] = metric.applyAsDouble(engine.get(i)) / metric.applyAsDouble(raw.get(i));
        }
        return ratios;
    }



    private static String label(String contender) {
        return contender.equals(BenchSettings.RAW) ? "raw `KafkaConsumer` poll loop" : "`ConsumerEngine` getMany loop";
    }



}
