package dev.kafkaconsumer.benchmarks.share;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.harness.Stats;
import dev.kafkaconsumer.benchmarks.report.CaseReport;
import dev.kafkaconsumer.benchmarks.report.Format;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;
import dev.kafkaconsumer.benchmarks.report.Table;
import dev.kafkaconsumer.benchmarks.report.Target;

/**
 * B9's slow-handler result ({@code results/b9-share-slow-handler.md}): the wall times side by side, per concurrency,
 * and how much longer each other contender took than one share container, pair by pair within a round. The issue
 * sets no target here; the headlines (reported without a target) are Spring's share container and our key-ordered
 * container, each over one share container, per concurrency.
 */
final class ShareSlowTable {

    private final BenchSettings settings;
    private final MachineDescription machine;
    private final List<Integer> concurrencies;
    private final ShareSlowRecords delays;
    private final long seed;
    private final Map<ShareSlowBenchmark.Cell, List<DrainTiming>> runs;

    /**
     * @param settings      what was run
     * @param machine       where it ran
     * @param concurrencies the concurrencies measured, in order
     * @param delays        the records' delays, for the lower bounds
     * @param seed          the delays' seed
     * @param runs          the measured runs of each contender at each concurrency, in round order
     */
    ShareSlowTable(BenchSettings settings, MachineDescription machine, List<Integer> concurrencies, ShareSlowRecords delays,
            long seed, Map<ShareSlowBenchmark.Cell, List<DrainTiming>> runs) {
        this.settings = settings;
        this.machine = machine;
        this.concurrencies = List.copyOf(concurrencies);
        this.delays = delays;
        this.seed = seed;
        this.runs = runs;
    }

    /** Pairwise wall-time ratios of {@code contender} over one share container at a concurrency. */
    double[] overShare(String contender, int concurrency) {
        return Stats.ratios(seconds(contender, concurrency), seconds(ShareSlowBenchmark.SHARE, concurrency));
    }

    /** The result: one table of wall times and ratios per concurrency, then how it was measured. */
    CaseReport report() {
        CaseReport report = new CaseReport("b9-slow", "B9: slow handler (0–5 ms of simulated I/O per record) on one partition: "
                + "ShareConsumerContainer vs. key-ordered ConsumerContainer vs. Spring for Apache Kafka's share container", machine);
        for (int concurrency : concurrencies) {
            headlines(report, concurrency);
        }
        for (int concurrency : concurrencies) {
            report.paragraph("**Concurrency " + concurrency + "** (records handled at once by each contender, at most):")
                    .table(cell(concurrency));
        }
        return report.paragraph("Wall time: median of the runs (min–max); ratios: the other contender's wall time over one "
                        + "share container's, median of the pairs of one round (min–max); above 1, the share container was faster. "
                        + "Lower bound: all the records' simulated I/O spread evenly over the threads (for the key-ordered "
                        + "container, the longest key's records one after another, if longer).")
                .table(roundsTable())
                .paragraph(machine.measured(), description())
                .command(command());
    }

    private void headlines(CaseReport report, int concurrency) {
        if (!runs.containsKey(new ShareSlowBenchmark.Cell(ShareSlowBenchmark.SHARE, concurrency))) {
            return;
        }
        for (String other : List.of(ShareSlowBenchmark.SPRING, ShareSlowBenchmark.KEY)) {
            if (runs.containsKey(new ShareSlowBenchmark.Cell(other, concurrency))) {
                report.headline(label(other) + " wall / share container wall, 1 partition, concurrency " + concurrency,
                        Stats.median(overShare(other, concurrency)), Target.NONE);
            }
        }
    }

    private Table cell(int concurrency) {
        Table table = new Table().left("contender").right("median wall s", "min–max s", "lower bound s",
                "wall / share container wall", "median CPU s, consumer JVM", "median CPU s, broker JVM");
        for (String contender : settings.contenders()) {
            ShareSlowBenchmark.Cell cell = new ShareSlowBenchmark.Cell(contender, concurrency);
            List<DrainTiming> timings = runs.get(cell);
            if (timings == null) {
                continue;
            }
            Stats.Spread wall = Stats.spread(Stats.values(timings, DrainTiming::seconds));
            String ratio = "—";
            if (!contender.equals(ShareSlowBenchmark.SHARE) && runs.containsKey(new ShareSlowBenchmark.Cell(ShareSlowBenchmark.SHARE,
                    concurrency))) {
                Stats.Spread spread = Stats.spread(overShare(contender, concurrency));
                ratio = Format.bold(Format.ratio(spread.median())) + " (" + Format.ratio(spread.min()) + "–"
                        + Format.ratio(spread.max()) + ")";
            }
            table.row(description(contender, concurrency), Format.hundredths(wall.median()),
                    Format.hundredths(wall.min()) + "–" + Format.hundredths(wall.max()),
                    Format.hundredths(delays.lowerBoundSeconds(concurrency, cell.keyOrdered())), ratio,
                    Format.hundredths(Stats.median(Stats.values(timings, DrainTiming::consumerCpuSeconds))),
                    Format.hundredths(Stats.median(Stats.values(timings, DrainTiming::brokerCpuSeconds))));
        }
        return table;
    }

    /** Every run's wall time, round by round, in the order they ran. */
    private Table roundsTable() {
        Table table = new Table().right("round", "concurrency");
        settings.contenders().forEach(contender -> table.right(contender + " s"));
        for (int round = 0; round < settings.runs(); round++) {
            for (int concurrency : concurrencies) {
                List<Object> cells = new ArrayList<>(List.of(round + 1, concurrency));
                for (String contender : settings.contenders()) {
                    List<DrainTiming> timings = runs.get(new ShareSlowBenchmark.Cell(contender, concurrency));
                    cells.add(timings == null || round >= timings.size() ? "" : Format.hundredths(timings.get(round).seconds()));
                }
                table.row(cells.toArray());
            }
        }
        return table;
    }

    private String description() {
        return "One topic of one partition, " + Format.count(settings.records()) + " records of " + BenchSettings.VALUE_BYTES
                + " bytes with " + Format.count(delays.keys()) + " keys; each record's simulated I/O is drawn uniformly from "
                + "0–5 ms (seed " + seed + "; " + Format.tenths(delays.totalNanos() / 1e9) + " s in all) and waited with "
                + "`LockSupport.parkNanos`, then the record is counted. One warm-up run per contender at concurrency "
                + concurrencies.get(0) + ", then " + settings.runs() + " rounds; in each, every concurrency in turn ("
                + concurrencies.stream().map(String::valueOf).collect(Collectors.joining(", ")) + "), every contender in turn ("
                + String.join(", ", settings.contenders()) + "). Every share-group run uses a new share group reading from the "
                + "earliest offset; the key-ordered container a new consumer group. Wall time = from just before `start()` to "
                + "the last record handled (group join included, stop left out). Share consumers: kafka-clients' defaults "
                + "(`max.poll.records` 500); the broker's defaults for share groups (`group.share.partition.max.record.locks` "
                + "2,000 records in flight per partition, a 30 s acquisition lock).";
    }

    private String description(String contender, int concurrency) {
        return switch (contender) {
            case ShareSlowBenchmark.SHARE -> "one `ShareConsumerContainer`, concurrency " + concurrency + " (`share`)";
            case ShareSlowBenchmark.SHARE_TWO_CONSUMERS -> "one `ShareConsumerContainer`, concurrency " + concurrency
                    + ", 2 share consumers (`consumers(2)`; `share-2`)";
            case ShareSlowBenchmark.SHARE_X3 -> ShareSlowBenchmark.X3 + " `ShareConsumerContainer`s in one share group, concurrency "
                    + concurrency / ShareSlowBenchmark.X3 + " each (`share-x3`)";
            case ShareSlowBenchmark.SHARE_X3_TWO_CONSUMERS -> "the same, 2 share consumers each (`consumers(2)`; `share-x3-2`)";
            case ShareSlowBenchmark.KEY -> "`ConsumerContainer`, KEY ordering, concurrency " + concurrency + " (`key`)";
            case ShareSlowBenchmark.SPRING -> "Spring Kafka `ShareKafkaMessageListenerContainer`, concurrency " + concurrency
                    + " (`spring`)";
            case ShareSlowBenchmark.SPRING_SMALL_POLLS -> "the same, each consumer polling at most " + ShareSlowBenchmark.SMALL_POLL
                    + " records (`share.acquire.mode=record_limit`, `max.poll.records=" + ShareSlowBenchmark.SMALL_POLL
                    + "`; `spring-small-polls`)";
            default -> contender;
        };
    }

    private static String label(String contender) {
        return switch (contender) {
            case ShareSlowBenchmark.SPRING -> "Spring share container";
            case ShareSlowBenchmark.KEY -> "KEY-ordered container";
            default -> contender;
        };
    }

    private String command() {
        String command = settings.command();
        String levels = concurrencies.stream().map(String::valueOf).collect(Collectors.joining(","));
        if (!concurrencies.equals(ShareSlowBenchmark.DEFAULT_CONCURRENCY)) {
            command += " -Dbench.concurrency=" + levels;
        }
        return seed != ShareSlowRecords.DEFAULT_SEED ? command + " -Dbench.seed=" + seed : command;
    }

    private double[] seconds(String contender, int concurrency) {
        return Stats.values(runs.get(new ShareSlowBenchmark.Cell(contender, concurrency)), DrainTiming::seconds);
    }
}
