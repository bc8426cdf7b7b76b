package dev.kafkaconsumer.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.HdrHistogram.Histogram;

/**
 * Turns B4's runs into Markdown: per contender, the medians over runs of each run's p50, p99, p99.9 and
 * max, and the percentiles of all runs' latencies together; then the container's p99 minus raw's p99, pair
 * by pair (run i of each, which ran one after the other), against the target of at most
 * {@value #TARGET_P99_EXTRA_MILLIS} ms.
 */
public final class LatencyTable {

    /** Container p99 ≤ raw p99 + this, as the issue asks. */
    static final double TARGET_P99_EXTRA_MILLIS = 5.0;

    private final BenchSettings settings;
    private final MachineDescription machine;
    private final Map<String, List<LatencyRun>> runs;

    /**
     * @param settings what was run
     * @param machine  where it ran
     * @param runs     each contender's measured runs, in run order, warm-ups left out
     */
    LatencyTable(BenchSettings settings, MachineDescription machine, Map<String, List<LatencyRun>> runs) {
        this.settings = settings;
        this.machine = machine;
        this.runs = runs;
    }

    /** Container p99 minus raw p99 of each pair of runs, in milliseconds; empty without both contenders. */
    double[] p99Differences() {
        return differences(run -> run.millisAt(99));
    }

    /** Whether the median pairwise p99 difference is within the target. */
    boolean targetMet() {
        double[] differences = p99Differences();
        return differences.length > 0 && Stats.median(differences) <= TARGET_P99_EXTRA_MILLIS;
    }

    /**
     * The summary's row: the median of the pairwise container p99 − raw p99, in milliseconds (NaN without
     * both contenders), against the target of at most {@value #TARGET_P99_EXTRA_MILLIS} ms.
     */
    List<HeadlineRatio> headlines() {
        double[] differences = p99Differences();
        return List.of(new HeadlineRatio(BenchSettings.B4, "container p99 − raw p99 at " + Stats.rate(LatencyBenchmark.RATE)
                + " records/s", differences.length == 0 ? Double.NaN : Stats.median(differences), HeadlineRatio.Comparison.AT_MOST,
                TARGET_P99_EXTRA_MILLIS, machine.date(), machine.oneLine(), HeadlineRatio.Unit.MILLISECONDS));
    }

    /** The result as Markdown. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("## B4: end-to-end latency at ").append(Stats.rate(LatencyBenchmark.RATE))
                .append(" records/s, ConsumerContainer vs. raw KafkaConsumer\n\n");
        appendTarget(md);
        appendContenders(md);
        appendRuns(md);
        appendSettings(md);
        return md.toString();
    }

    private void appendTarget(StringBuilder md) {
        double[] p99 = p99Differences();
        double[] p50 = differences(run -> run.millisAt(50));
        md.append("| difference (median of pairwise, ms) | median | min | max | target | met |\n");
        md.append("|---|---:|---:|---:|---:|---|\n");
        md.append("| container p99 − raw p99 | **").append(millis(Stats.median(p99))).append("** | ")
                .append(millis(min(p99))).append(" | ").append(millis(max(p99))).append(" | ≤ +")
                .append(millis(TARGET_P99_EXTRA_MILLIS)).append(" | ").append(targetMet() ? "met" : "**not met**").append(" |\n");
        md.append("| container p50 − raw p50 | ").append(millis(Stats.median(p50))).append(" | ").append(millis(min(p50)))
                .append(" | ").append(millis(max(p50))).append(" | – | – |\n");
        if (p99.length > 0) {
            md.append("| median container p99 − median raw p99 (not pairwise) | ")
                    .append(millis(medianOf(BenchSettings.CONTAINER, 99) - medianOf(BenchSettings.RAW, 99)))
                    .append(" | | | – | – |\n");
        }
        md.append("\nOn a busy machine a run's p99 is mostly the machine's scheduling delays: when the pairwise and the "
                + "not-pairwise differences disagree in sign, the difference is within the noise.\n");
    }

    private double medianOf(String contender, double percentile) {
        return Stats.median(values(runs.get(contender), run -> run.millisAt(percentile)));
    }

    private void appendContenders(StringBuilder md) {
        md.append("\n| contender | median p50 ms | median p99 ms | p99 min–max ms | median p99.9 ms | largest max ms "
                + "| all runs: p50 / p99 / p99.9 / max ms | median records/s produced | median CPU s, measured JVM |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String contender : settings.contenders()) {
            List<LatencyRun> measured = runs.get(contender);
            double[] p99 = values(measured, run -> run.millisAt(99));
            Histogram all = new Histogram(3);
            measured.forEach(run -> all.add(run.histogram()));
            md.append("| ").append(label(contender))
                    .append(" | ").append(millis(Stats.median(values(measured, run -> run.millisAt(50)))))
                    .append(" | ").append(millis(Stats.median(p99)))
                    .append(" | ").append(millis(min(p99))).append("–").append(millis(max(p99)))
                    .append(" | ").append(millis(Stats.median(values(measured, run -> run.millisAt(99.9)))))
                    .append(" | ").append(millis(max(values(measured, LatencyRun::maxMillis))))
                    .append(" | ").append(millis(all.getValueAtPercentile(50) / 1e6)).append(" / ")
                    .append(millis(all.getValueAtPercentile(99) / 1e6)).append(" / ")
                    .append(millis(all.getValueAtPercentile(99.9) / 1e6)).append(" / ")
                    .append(millis(all.getMaxValue() / 1e6))
                    .append(" | ").append(Stats.rate(Stats.median(values(measured, LatencyRun::producedPerSecond))))
                    .append(" | ").append(Stats.seconds(Stats.median(values(measured, run -> run.consumerCpuNanos() / 1e9))))
                    .append(" |\n");
        }
    }

    private void appendRuns(StringBuilder md) {
        md.append("\nEach run (contenders ran in this order within a run), ms:\n\n| run |");
        for (String contender : settings.contenders()) {
            md.append(' ').append(contender).append(" p50 | ").append(contender).append(" p99 | ")
                    .append(contender).append(" p99.9 | ").append(contender).append(" max |");
        }
        md.append("\n|---:|").append("---:|".repeat(4 * settings.contenders().size())).append('\n');
        for (int i = 0; i < settings.runs(); i++) {
            md.append("| ").append(i + 1).append(" |");
            for (String contender : settings.contenders()) {
                LatencyRun run = runs.get(contender).get(i);
                md.append(' ').append(millis(run.millisAt(50))).append(" | ").append(millis(run.millisAt(99))).append(" | ")
                        .append(millis(run.millisAt(99.9))).append(" | ").append(millis(run.maxMillis())).append(" |");
            }
            md.append('\n');
        }
    }

    private void appendSettings(StringBuilder md) {
        md.append(machine.toMarkdown());
        md.append("Each run: a fresh topic of ").append(LatencyBenchmark.PARTITIONS).append(" partitions; the contender ")
                .append("subscribes (fresh group), and once it has its partitions a producer in the same JVM sends ")
                .append(String.format(Locale.ROOT, "%,d", settings.records())).append(" records of ")
                .append(BenchSettings.VALUE_BYTES).append(" bytes at ").append(Stats.rate(LatencyBenchmark.RATE))
                .append(" records/s (`linger.ms=0`, `acks=1`, round-robin over the partitions). Latency = the handler ")
                .append("call's `System.nanoTime()` minus the one the producer wrote into the value just before `send` ")
                .append("(the record's timestamp is the same instant in ms); the first ")
                .append(String.format(Locale.ROOT, "%,d", LatencyBenchmark.SETTLE_RECORDS))
                .append(" records (1 s) of each run are left out. HdrHistogram, 3 significant digits. One warm-up run per ")
                .append("contender, then ").append(settings.runs()).append(" runs alternating ")
                .append(String.join(", ", settings.contenders())).append(".\n");
        md.append("Contenders: `raw` = `KafkaConsumer.poll(500 ms)` loop on its own thread, handler per record, no commits; ")
                .append("`container` = `ConsumerContainer` with its defaults (PARTITION ordering, concurrency 1, commits every ")
                .append("5 s). Both: kafka-clients' default fetch settings, `check.crcs=true`, byte[] deserializers.\n\n");
        md.append("```\n").append(settings.command()).append("\n```\n");
    }

    private double[] differences(ToDoubleFunction<LatencyRun> metric) {
        List<LatencyRun> raw = runs.get(BenchSettings.RAW);
        List<LatencyRun> container = runs.get(BenchSettings.CONTAINER);
        if (raw == null || container == null) {
            return new double[0];
        }
        double[] differences = new double[Math.min(raw.size(), container.size())];
        for (int i = 0; i < differences.length; i++) {
            differences[i] = metric.applyAsDouble(container.get(i)) - metric.applyAsDouble(raw.get(i));
        }
        return differences;
    }

    private static double[] values(List<LatencyRun> runs, ToDoubleFunction<LatencyRun> metric) {
        return runs.stream().mapToDouble(metric).toArray();
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    private static String millis(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String label(String contender) {
        return switch (contender) {
            case BenchSettings.RAW -> "raw `KafkaConsumer` poll loop (`raw`)";
            case BenchSettings.CONTAINER -> "`ConsumerContainer`, defaults (`container`)";
            default -> contender;
        };
    }
}
