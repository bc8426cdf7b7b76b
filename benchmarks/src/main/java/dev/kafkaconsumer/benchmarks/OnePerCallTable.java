package dev.kafkaconsumer.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the measured B2 drains into Markdown. Ratios are taken pair by pair (container run i over the
 * other contender's run i, which ran in the same round), so that a drift of the machine affects both
 * sides of each ratio alike. "Spring's best" is the Spring ack mode with the higher median throughput.
 */
final class OnePerCallTable {

    /** container/raw, as the issue asks. */
    static final double TARGET_VS_RAW = 0.90;
    /** container/Spring's best, as the issue asks. */
    static final double TARGET_VS_SPRING = 1.0;

    private static final List<String> CONTAINERS = List.of(BenchSettings.CONTAINER, BenchSettings.CONTAINER_6);
    private static final List<String> SPRINGS = List.of(BenchSettings.SPRING_BATCH, BenchSettings.SPRING_TIME);

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
        List<DrainTiming> top = runs.get(contender);
        List<DrainTiming> bottom = runs.get(baseline);
        int pairs = Math.min(top.size(), bottom.size());
        double[] ratios = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            ratios[i] = top.get(i).throughput() / bottom.get(i).throughput();
        }
        return ratios;
    }

    /** The headlines for the summary: each container over raw and over Spring's best, where both ran. */
    List<HeadlineRatio> headlines() {
        List<HeadlineRatio> headlines = new ArrayList<>();
        for (String[] pair : pairs()) {
            boolean raw = pair[1].equals(BenchSettings.RAW);
            headlines.add(new HeadlineRatio(BenchSettings.B2, pair[0] + " / " + (raw ? "raw" : "Spring's best (" + pair[1] + ")")
                    + ", one per call", Stats.median(ratios(pair[0], pair[1])), HeadlineRatio.Comparison.AT_LEAST,
                    raw ? TARGET_VS_RAW : TARGET_VS_SPRING, machine.date(), machine.oneLine()));
        }
        return headlines;
    }

    /** The ratios the issue sets targets for: each container that ran over raw and over Spring's best. */
    private List<String[]> pairs() {
        String springBest = springBest();
        List<String[]> pairs = new ArrayList<>();
        for (String container : CONTAINERS) {
            if (!runs.containsKey(container)) {
                continue;
            }
            if (runs.containsKey(BenchSettings.RAW)) {
                pairs.add(new String[] {container, BenchSettings.RAW});
            }
            if (springBest != null) {
                pairs.add(new String[] {container, springBest});
            }
        }
        return pairs;
    }

    String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("## B2: drain a topic, one record per handler call: ConsumerContainer vs. Spring for Apache Kafka vs. raw\n\n");
        md.append("| contender | median records/s | min records/s | max records/s | median records/s after first record "
                + "| median s to first record | median CPU s, consumer JVM | median CPU s, broker JVM |\n");
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
        appendRatios(md);
        appendMachine(md);
        return md.toString();
    }

    private void appendRatios(StringBuilder md) {
        String springBest = springBest();
        List<String[]> pairs = pairs();
        if (pairs.isEmpty()) {
            return;
        }
        md.append("\n| ratio (median of pairwise) | median | min | max | target | met |\n");
        md.append("|---|---:|---:|---:|---:|---|\n");
        for (String[] pair : pairs) {
            double[] ratios = ratios(pair[0], pair[1]);
            double median = Stats.median(ratios);
            double target = pair[1].equals(BenchSettings.RAW) ? TARGET_VS_RAW : TARGET_VS_SPRING;
            md.append("| ").append(pair[0]).append(" / ").append(pair[1])
                    .append(pair[1].equals(springBest) ? " (Spring's best)" : "")
                    .append(" | **").append(Stats.ratio(median)).append("** | ")
                    .append(Stats.ratio(Arrays.stream(ratios).min().orElse(Double.NaN))).append(" | ")
                    .append(Stats.ratio(Arrays.stream(ratios).max().orElse(Double.NaN))).append(" | ≥ ")
                    .append(Stats.ratio(target)).append(" | ").append(median >= target ? "met" : "**not met**").append(" |\n");
        }
        md.append("\nRecords/s of each round (contenders ran in this order within a round):\n\n| round |");
        settings.contenders().forEach(c -> md.append(' ').append(c).append(" |"));
        pairs.forEach(p -> md.append(' ').append(p[0]).append('/').append(p[1]).append(" |"));
        md.append("\n|---:|");
        md.append("---:|".repeat(settings.contenders().size() + pairs.size()));
        md.append('\n');
        for (int i = 0; i < settings.runs(); i++) {
            md.append("| ").append(i + 1).append(" |");
            for (String contender : settings.contenders()) {
                md.append(' ').append(Stats.rate(runs.get(contender).get(i).throughput())).append(" |");
            }
            for (String[] pair : pairs) {
                md.append(' ').append(Stats.ratio(ratios(pair[0], pair[1])[i])).append(" |");
            }
            md.append('\n');
        }
    }

    private void appendMachine(StringBuilder md) {
        md.append(machine.toMarkdown());
        md.append("Topic: ").append(String.format(Locale.ROOT, "%,d", settings.records())).append(" records, ")
                .append(BenchSettings.PARTITIONS).append(" partitions, ").append(BenchSettings.VALUE_BYTES)
                .append("-byte random values, null keys, no compression; one in-process KRaft broker in its own JVM ")
                .append("on the same machine. One warm-up drain per contender, then ").append(settings.runs())
                .append(" measured drains each, alternating ").append(String.join(", ", settings.contenders()))
                .append(". Every contender hands each record to a handler that calls `DrainMeter.count` for its partition.")
                .append(" Throughput = records / seconds from just before `subscribe`/`start()` to the last record handled")
                .append(" (group join included, stop/close left out).")
                .append(" CPU s = CPU time each JVM used during the drain, consumer creation and close included.\n");
        Map<String, String> overrides = DrainProperties.overrides();
        md.append(overrides.isEmpty() ? "Consumer settings: kafka-clients defaults for all, `check.crcs=true`, byte[] deserializers."
                : "Consumer settings changed from the defaults for all, with -Dbench.consumer.* on a java command "
                        + "line (the Maven command below does not pass them on): " + overrides + ".").append("\n\n");
        md.append("```\n").append(settings.command()).append("\n```\n");
    }

    private double medianThroughput(String contender) {
        return Stats.median(Stats.values(runs.get(contender), DrainTiming::throughput));
    }


    private static String label(String contender) {
        return switch (contender) {
            case BenchSettings.RAW -> "raw `KafkaConsumer` poll loop, handler per record (`raw`)";
            case BenchSettings.CONTAINER -> "`ConsumerContainer`, PARTITION, concurrency 1 (`container`)";
            case BenchSettings.CONTAINER_6 -> "`ConsumerContainer`, PARTITION, concurrency 6 (`container-c6`)";
            case BenchSettings.SPRING_BATCH -> "Spring Kafka listener container, AckMode.BATCH (`spring-batch`)";
            case BenchSettings.SPRING_TIME -> "Spring Kafka listener container, AckMode.TIME (`spring-time`)";
            default -> contender;
        };
    }



}
