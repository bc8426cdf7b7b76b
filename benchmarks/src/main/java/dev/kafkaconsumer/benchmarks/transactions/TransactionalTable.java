package dev.kafkaconsumer.benchmarks.transactions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.Stats;
import dev.kafkaconsumer.benchmarks.report.CaseReport;
import dev.kafkaconsumer.benchmarks.report.Format;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;
import dev.kafkaconsumer.benchmarks.report.Table;
import dev.kafkaconsumer.benchmarks.report.Target;

/**
 * B11's result ({@code results/b11-transactional.md}, {@code results/b11-transactional-slow.md}): throughput, wall
 * time, transactions and CPU per contender, the read_committed check of every run, and each of our containers set
 * against Spring's pair by pair within a round. The issue sets no target; the headlines (reported without one) are our
 * containers' throughput over Spring's.
 */
final class TransactionalTable {

    private final BenchSettings settings;
    private final MachineDescription machine;
    private final TransactionalRecords records;
    private final long seed;
    private final int transactionRecords;
    private final Map<String, List<TransactionalRun>> runs;

    /**
     * @param settings what was run
     * @param machine  where it ran
     * @param records  the input, for its shape and lower bounds
     * @param seed     the delays' seed
     * @param transactionRecords the most input records per transaction of every contender
     * @param runs     the measured runs of each contender, in round order
     */
    TransactionalTable(BenchSettings settings, MachineDescription machine, TransactionalRecords records, long seed,
            int transactionRecords, Map<String, List<TransactionalRun>> runs) {
        this.settings = settings;
        this.machine = machine;
        this.records = records;
        this.seed = seed;
        this.transactionRecords = transactionRecords;
        this.runs = runs;
    }

    private boolean slow() {
        return settings.benchCase().equals(TransactionalBenchmark.SLOW.benchCase());
    }

    /** Pairwise throughput ratios of {@code contender} over Spring's container. */
    double[] overSpring(String contender) {
        return Stats.ratios(throughputs(contender), throughputs(TransactionalBenchmark.SPRING));
    }

    /** The result: the contenders side by side, every round, then how it was measured. */
    CaseReport report() {
        CaseReport report = new CaseReport(settings.benchCase(), title(), machine);
        boolean spring = runs.containsKey(TransactionalBenchmark.SPRING);
        for (String contender : settings.contenders()) {
            if (spring && runs.containsKey(contender) && !contender.equals(TransactionalBenchmark.SPRING)) {
                report.headline(contender + " / Spring throughput, transactional" + (slow() ? ", slow handler, " + records.keys()
                        + " keys" : ""), Stats.median(overSpring(contender)), Target.NONE);
            }
        }
        return report.table(contenders())
                .paragraph("Records/s: input records over the wall time, from just before the contender starts to the moment "
                        + "its group's committed offsets reach the end of the input, i.e. the last input's output is visible to "
                        + "a read_committed reader (group join included, stop left out); median of the runs (min–max). "
                        + "Transactions: committed per run, as the contender counts them; aborted: in all runs. read_committed "
                        + "check: runs whose output topic, read afterwards by a read_committed consumer, held every input's "
                        + "output exactly once and, per key, in input order. Ratio: the contender's records/s over Spring's, "
                        + "median of the pairs of one round (min–max)."
                        + (slow() ? " Lower bound: the records' simulated I/O spread evenly over the contender's threads, or "
                        + "the longest chain of records it must run one after another (a key within a partition for our "
                        + "key-ordered container, a partition for Spring's), whichever is longer." : ""))
                .paragraph(perTransaction())
                .table(roundsTable())
                .paragraph(machine.measured(), description())
                .command(command());
    }

    /**
     * Fails when a run's output was not every input's output exactly once, in key order; called after the result was
     * written, so that the numbers of a broken run are still there to read.
     *
     * @throws IllegalStateException naming the runs
     */
    void requireExact() {
        List<String> broken = new ArrayList<>();
        runs.forEach((contender, list) -> {
            for (int i = 0; i < list.size(); i++) {
                TransactionalRun run = list.get(i);
                if (!run.exact()) {
                    broken.add(contender + " round " + (i + 1) + " (" + run.outputs() + " outputs of " + run.records()
                            + " inputs, " + run.duplicates() + " duplicates, " + run.missing() + " missing, " + run.outOfOrder()
                            + " out of key order)");
                }
            }
        });
        if (!broken.isEmpty()) {
            throw new IllegalStateException("B11's read_committed check failed: " + String.join("; ", broken));
        }
    }

    private String title() {
        return slow() ? "B11-SLOW: transactional consume-transform-produce, slow handler (0–5 ms of simulated I/O per record, "
                + records.keys() + " keys): ConsumerContainer (KEY ordering) vs. Spring for Apache Kafka's transactional "
                + "listener container"
                : "B11: transactional consume-transform-produce throughput, one output per input: ConsumerContainer (KEY "
                + "ordering) vs. Spring for Apache Kafka's transactional listener container";
    }

    private Table contenders() {
        Table table = new Table().left("contender").right("median records/s", "min–max records/s", "median wall s");
        if (slow()) {
            table.right("lower bound s");
        }
        table.right("median transactions per run", "median records per transaction", "aborted", "read_committed check",
                "median CPU s, consumer JVM", "median CPU s, broker JVM", "records/s / Spring's");
        for (String contender : settings.contenders()) {
            List<TransactionalRun> list = runs.get(contender);
            if (list == null) {
                continue;
            }
            Stats.Spread rate = Stats.spread(Stats.values(list, TransactionalRun::throughput));
            String ratio = "—";
            if (!contender.equals(TransactionalBenchmark.SPRING) && runs.containsKey(TransactionalBenchmark.SPRING)) {
                Stats.Spread spread = Stats.spread(overSpring(contender));
                ratio = Format.bold(Format.ratio(spread.median())) + " (" + Format.ratio(spread.min()) + "–"
                        + Format.ratio(spread.max()) + ")";
            }
            List<Object> cells = new ArrayList<>(List.of(description(contender), Format.rate(rate.median()),
                    Format.rate(rate.min()) + "–" + Format.rate(rate.max()),
                    Format.hundredths(Stats.median(Stats.values(list, TransactionalRun::seconds)))));
            if (slow()) {
                cells.add(Format.hundredths(lowerBound(contender)));
            }
            long exact = list.stream().filter(TransactionalRun::exact).count();
            cells.addAll(List.of(Format.whole(Stats.median(Stats.values(list, TransactionalRun::transactions))),
                    Format.wholeOrDash(Stats.median(Stats.values(list, TransactionalRun::recordsPerTransaction))),
                    list.stream().mapToLong(TransactionalRun::aborted).sum(),
                    exact + " of " + list.size() + (exact == list.size() ? " exact" : " exact: " + flaws(list)),
                    Format.hundredths(Stats.median(Stats.values(list, TransactionalRun::consumerCpuSeconds))),
                    Format.hundredths(Stats.median(Stats.values(list, TransactionalRun::brokerCpuSeconds))), ratio));
            table.row(cells.toArray());
        }
        return table;
    }

    private static String flaws(List<TransactionalRun> list) {
        return list.stream().mapToLong(TransactionalRun::duplicates).sum() + " duplicated, "
                + list.stream().mapToLong(TransactionalRun::missing).sum() + " missing, "
                + list.stream().mapToLong(TransactionalRun::outOfOrder).sum() + " out of key order";
    }

    /** Every run's records/s and transactions, round by round, in the order they ran. */
    private Table roundsTable() {
        Table table = new Table().right("round");
        settings.contenders().forEach(contender -> table.right(contender + " records/s"));
        settings.contenders().forEach(contender -> table.right(contender + " transactions"));
        for (int round = 0; round < settings.runs(); round++) {
            List<Object> cells = new ArrayList<>(List.of(round + 1));
            for (String contender : settings.contenders()) {
                TransactionalRun run = run(contender, round);
                cells.add(run == null ? "" : Format.rate(run.throughput()));
            }
            for (String contender : settings.contenders()) {
                TransactionalRun run = run(contender, round);
                cells.add(run == null ? "" : run.transactions());
            }
            table.row(cells.toArray());
        }
        return table;
    }

    private TransactionalRun run(String contender, int round) {
        List<TransactionalRun> list = runs.get(contender);
        return list == null || round >= list.size() ? null : list.get(round);
    }

    private String perTransaction() {
        boolean defaults = transactionRecords == TransactionalBenchmark.DEFAULT_TRANSACTION_RECORDS;
        return "What each commits per transaction. Our container: every 100 ms (its default commit interval), or as soon as "
                + Format.count(transactionRecords) + " records are finished (" + (defaults ? "its default "
                + "`maxRecordsPerTransaction`" : "`maxRecordsPerTransaction`, set with `-Dbench.maxRecordsPerTransaction`")
                + "), one transaction with the buffered "
                + "outputs of each partition's contiguous finished prefix and those offsets, over all its partitions; records "
                + "finished beyond a prefix keep their outputs for a later transaction. Spring's container: one transaction "
                + "per poll of each of its 6 consumers (the records of that poll, at most `max.poll.records` = "
                + Format.count(transactionRecords) + ", set to match our container's " + Format.count(transactionRecords) + "), begun before the "
                + "batch listener gets the poll, with the outputs the listener sent through `KafkaTemplate` and the poll's "
                + "offsets (`sendOffsetsToTransaction`), committed after it returns; a record listener would instead commit "
                + "one transaction per record.";
    }

    private String description() {
        return "Input: one topic of " + TransactionalRecords.PARTITIONS + " partitions, " + Format.count(settings.records())
                + " records of " + BenchSettings.VALUE_BYTES + " bytes over " + Format.count(records.keys()) + " keys, "
                + "record i in partition i mod " + TransactionalRecords.PARTITIONS
                + (slow() ? "; each record's simulated I/O is drawn uniformly from 0–5 ms (seed " + seed + "; "
                + Format.tenths(records.totalNanos() / 1e9) + " s in all) and waited with `LockSupport.parkNanos` before its "
                + "output is made" : "; no simulated I/O")
                + ". Output: one record per input with the input's key and a 100-byte value naming the input's partition and "
                + "offset, to a new topic of " + TransactionalRecords.PARTITIONS + " partitions per run. One warm-up run per "
                + "contender, then " + settings.runs() + (settings.runs() == 1 ? " round" : " rounds") + ", every contender in turn (" + String.join(", ",
                        settings.contenders()) + "), each run under a new consumer group reading from the earliest offset, "
                + "`read_committed`. Producers: kafka-clients' defaults (idempotent, `acks=all`), one transactional id "
                + "prefix per run. Committed offsets read with an admin client every " + CommitWatch.POLL_MILLIS + " ms.";
    }

    private String description(String contender) {
        return switch (contender) {
            case TransactionalBenchmark.CONTAINER, TransactionalBenchmark.CONTAINER_WIDE -> "transactional `ConsumerContainer`, "
                    + "KEY ordering, concurrency " + concurrency(contender) + ", commit interval 100 ms (`" + contender + "`)";
            case TransactionalBenchmark.SPRING -> "Spring Kafka `ConcurrentMessageListenerContainer`, `KafkaTransactionManager`, "
                    + "batch listener, " + TransactionalBenchmark.CONCURRENCY + " consumers (`spring`)";
            default -> contender;
        };
    }

    private static int concurrency(String contender) {
        return contender.equals(TransactionalBenchmark.CONTAINER_WIDE) ? TransactionalBenchmark.WIDE
                : TransactionalBenchmark.CONCURRENCY;
    }

    private double lowerBound(String contender) {
        return records.lowerBoundSeconds(concurrency(contender), !contender.equals(TransactionalBenchmark.SPRING));
    }

    private String command() {
        String command = settings.command();
        if (transactionRecords != TransactionalBenchmark.DEFAULT_TRANSACTION_RECORDS) {
            command += " -Dbench.maxRecordsPerTransaction=" + transactionRecords;
        }
        return seed != TransactionalRecords.DEFAULT_SEED ? command + " -Dbench.seed=" + seed : command;
    }

    private double[] throughputs(String contender) {
        return Stats.values(runs.get(contender), TransactionalRun::throughput);
    }
}
