package dev.kafkaconsumer.benchmarks.drain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.DrainProperties;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.harness.Stats;
import dev.kafkaconsumer.benchmarks.report.Format;
import dev.kafkaconsumer.benchmarks.report.Table;

/** What the results of B1 and B2 share: the table of contenders and the description of the topic. */
final class DrainTables {

    private DrainTables() {
    }

    /**
     * One row per contender: throughput (median, min, max, after the first batch or record), time to the
     * first batch or record, and the CPU of each JVM, medians over the measured drains.
     *
     * @param first  what B1 calls its first arrival ({@code batch}) and B2 ({@code record})
     * @param labels each contender's label
     */
    static Table contenders(BenchSettings settings, Map<String, List<DrainTiming>> runs, String first,
            Function<String, String> labels) {
        Table table = new Table().left("contender").right("median records/s", "min records/s", "max records/s",
                "median records/s after first " + first, "median s to first " + first, "median CPU s, consumer JVM",
                "median CPU s, broker JVM");
        for (String contender : settings.contenders()) {
            List<DrainTiming> timings = runs.get(contender);
            Stats.Spread throughput = Stats.spread(Stats.values(timings, DrainTiming::throughput));
            table.row(labels.apply(contender), Format.rate(throughput.median()), Format.rate(throughput.min()),
                    Format.rate(throughput.max()),
                    Format.rate(median(timings, DrainTiming::throughputAfterFirstBatch)),
                    Format.hundredths(median(timings, DrainTiming::secondsToFirstBatch)),
                    Format.hundredths(median(timings, DrainTiming::consumerCpuSeconds)),
                    Format.hundredths(median(timings, DrainTiming::brokerCpuSeconds)));
        }
        return table;
    }

    /**
     * The records/s of each round, one column per contender in the order they ran, then one per ratio.
     *
     * @param ratios each ratio's column header and its pairwise values, round by round
     */
    static Table rounds(BenchSettings settings, Map<String, List<DrainTiming>> runs, Map<String, double[]> ratios) {
        Table table = new Table().right("round");
        settings.contenders().forEach(table::right);
        ratios.keySet().forEach(table::right);
        for (int i = 0; i < settings.runs(); i++) {
            List<Object> cells = new ArrayList<>();
            cells.add(i + 1);
            for (String contender : settings.contenders()) {
                cells.add(Format.rate(runs.get(contender).get(i).throughput()));
            }
            for (double[] ratio : ratios.values()) {
                cells.add(Format.ratio(ratio[i]));
            }
            table.row(cells.toArray());
        }
        return table;
    }

    /** The median of one metric over a contender's drains. */
    static double median(List<DrainTiming> timings, ToDoubleFunction<DrainTiming> metric) {
        return Stats.median(Stats.values(timings, metric));
    }

    /** The first sentences about the topic and the order of the drains. */
    static String topic(BenchSettings settings) {
        return "Topic: " + Format.count(settings.records()) + " records, " + BenchSettings.PARTITIONS + " partitions, "
                + BenchSettings.VALUE_BYTES + "-byte random values, null keys, no compression; one in-process KRaft broker in "
                + "its own JVM on the same machine. " + warmUps() + " per contender, then " + settings.runs()
                + " measured drains each, alternating " + String.join(", ", settings.contenders()) + ".";
    }

    /** "One warm-up drain", or how many when {@code -Dbench.warmups} asks for more. */
    static String warmUps() {
        int warmUps = DrainBenchmark.warmUps();
        return warmUps == 1 ? "One warm-up drain" : warmUps + " warm-up drains";
    }

    /**
     * The consumer settings: the defaults, or the {@code -Dbench.consumer.*} overrides of this run.
     *
     * @param whom     {@code both} (B1) or {@code all} (B2)
     * @param defaults what the defaults are, after "kafka-clients defaults for {@code whom}"
     */
    static String consumerSettings(String whom, String defaults) {
        Map<String, String> overrides = DrainProperties.overrides();
        return overrides.isEmpty() ? "Consumer settings: kafka-clients defaults for " + whom + defaults + "."
                : "Consumer settings changed from the defaults for " + whom + ", with -Dbench.consumer.* on a java command "
                        + "line (the Maven command below does not pass them on): " + overrides + ".";
    }
}
