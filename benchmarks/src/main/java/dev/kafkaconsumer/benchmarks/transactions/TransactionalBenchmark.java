package dev.kafkaconsumer.benchmarks.transactions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.CpuClock;
import dev.kafkaconsumer.benchmarks.harness.ExternalBroker;
import dev.kafkaconsumer.benchmarks.harness.PartitionTargets;
import dev.kafkaconsumer.benchmarks.harness.Progress;
import dev.kafkaconsumer.benchmarks.harness.TopicLoader;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;

/**
 * B11 ({@code -Dbench.case=b11}): transactional consume-transform-produce throughput. An input topic of 6 partitions;
 * every contender writes one output record per input record to an output topic of its own per run, in the transaction
 * that commits the input's offset, and the contenders alternate in one run: our transactional {@code ConsumerContainer}
 * (KEY ordering, concurrency 6, a transaction every 100 ms or 1,000 records) and Spring for Apache Kafka's transactional
 * listener container (6 consumers, a transaction per poll of at most 1,000 records; see
 * {@link SpringTransactionalContender}). B11-SLOW ({@code -Dbench.case=b11-slow}) gives every record 0–5 ms of
 * simulated I/O (B3's draw) over 100 keys, and adds our container at concurrency 24, where key order lets it run more
 * records at once than there are partitions.
 *
 * <p>Wall time runs from just before a contender starts to the moment its group's committed offsets reach the input's
 * end ({@link CommitWatch}); after each run a read_committed reader checks that the output holds every input's output
 * exactly once, in key order ({@link OutputCheck}). A run that fails that check is reported, and fails the case once the
 * result is written.
 *
 * <pre>
 * mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b11 [-Dbench.records=100000] [-Dbench.runs=3] [-Dbench.maxRecordsPerTransaction=1000]
 * mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b11-slow [-Dbench.records=10000] [-Dbench.runs=3] [-Dbench.seed=6]
 * </pre>
 */
public final class TransactionalBenchmark {

    /** Our transactional {@code ConsumerContainer}, KEY ordering, concurrency {@value #CONCURRENCY}. */
    static final String CONTAINER = "container";
    /** The same at concurrency {@value #WIDE}: B11-SLOW only. */
    static final String CONTAINER_WIDE = "container-c24";
    /** Spring for Apache Kafka's transactional listener container, {@value #CONCURRENCY} consumers. */
    static final String SPRING = "spring";
    /** Records handled at once by {@link #CONTAINER}, and consumers of {@link #SPRING}: one per partition. */
    static final int CONCURRENCY = 6;
    /** The concurrency of {@link #CONTAINER_WIDE}. */
    static final int WIDE = 24;
    /**
     * The most input records per transaction unless {@code bench.maxRecordsPerTransaction} says otherwise: our
     * container's default {@code maxRecordsPerTransaction}, and Spring's {@code max.poll.records} to match.
     */
    static final int DEFAULT_TRANSACTION_RECORDS = 1_000;
    /** B11's key space: B3's largest. */
    static final int FAST_KEYS = 10_000;
    /** B11-SLOW's key space, as the issue asks. */
    static final int SLOW_KEYS = 100;

    /** B11: 100,000 records, 3 rounds, our container and Spring's. */
    static final BenchSettings.Defaults FAST = new BenchSettings.Defaults("b11", 100_000, 3,
            List.of(CONTAINER, CONTAINER_WIDE, SPRING), List.of(CONTAINER, SPRING), "results/b11-transactional.md");
    /** B11-SLOW: 10,000 records, 3 rounds, our container at concurrency 6 and 24 and Spring's. */
    static final BenchSettings.Defaults SLOW = new BenchSettings.Defaults("b11-slow", 10_000, 3,
            List.of(CONTAINER, CONTAINER_WIDE, SPRING), "results/b11-transactional-slow.md");

    private final BenchSettings settings;
    private final TransactionalRecords records;
    private final int transactionRecords;
    private final Map<String, List<TransactionalRun>> measured = new LinkedHashMap<>();

    private TransactionalBenchmark(BenchSettings settings, TransactionalRecords records, int transactionRecords) {
        this.settings = settings;
        this.records = records;
        this.transactionRecords = transactionRecords;
    }

    /**
     * Runs B11, or B11-SLOW when {@code bench.case} is {@code b11-slow}, with the {@code bench.*} system properties
     * and writes the result.
     *
     * @param args ignored
     * @throws IllegalStateException after writing the result, when a run's output was not every input's exactly once
     */
    public static void main(String[] args) {
        boolean slow = BenchSettings.property("bench.case", "b11").trim().equalsIgnoreCase(SLOW.benchCase());
        BenchSettings settings = (slow ? SLOW : FAST).fromSystemProperties();
        if (settings.records() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("B11 holds its records' delays in memory; bench.records must be at most "
                    + Integer.MAX_VALUE);
        }
        long seed = Long.parseLong(BenchSettings.property("bench.seed", String.valueOf(TransactionalRecords.DEFAULT_SEED)));
        TransactionalRecords records = new TransactionalRecords((int) settings.records(), slow ? SLOW_KEYS : FAST_KEYS, slow,
                seed);
        int transactionRecords = transactionRecords(BenchSettings.property("bench.maxRecordsPerTransaction",
                String.valueOf(DEFAULT_TRANSACTION_RECORDS)));
        MachineDescription machine = MachineDescription.current();
        TransactionalBenchmark benchmark = new TransactionalBenchmark(settings, records, transactionRecords);
        try (ExternalBroker broker = ExternalBroker.launch()) {
            benchmark.measure(broker);
        }
        TransactionalTable table = new TransactionalTable(settings, machine.ended(), records, seed, transactionRecords,
                benchmark.measured);
        table.report().write(settings.output());
        table.requireExact();
    }

    /**
     * Parses {@code bench.maxRecordsPerTransaction}.
     *
     * @throws IllegalArgumentException naming the property, for anything but a positive number
     */
    static int transactionRecords(String property) {
        try {
            int value = Integer.parseInt(property.trim());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("bench.maxRecordsPerTransaction is " + property + "; use a positive number such "
                + "as " + DEFAULT_TRANSACTION_RECORDS);
    }

    private void measure(ExternalBroker broker) {
        String bootstrap = broker.bootstrapServers();
        CpuClock cpu = new CpuClock(broker.process());
        String input = settings.benchCase() + "-in";
        new TopicLoader(bootstrap).load(input, TransactionalRecords.PARTITIONS, records.size(), i -> records.record(input, (int) i));
        long[] end = PartitionTargets.read(bootstrap, input);
        Progress.log("Produced %,d records on %d partitions with %,d keys; contenders %s, %d rounds", records.size(),
                TransactionalRecords.PARTITIONS, records.keys(), settings.contenders(), settings.runs());
        for (String contender : settings.contenders()) {
            runOnce(contender(contender, transactionRecords), bootstrap, input, end, 0, cpu);
        }
        for (int round = 1; round <= settings.runs(); round++) {
            for (String contender : settings.contenders()) {
                measured.computeIfAbsent(contender, c -> new ArrayList<>())
                        .add(runOnce(contender(contender, transactionRecords), bootstrap, input, end, round, cpu));
            }
        }
    }

    private TransactionalRun runOnce(TransactionalContender contender, String bootstrap, String input, long[] end, int round,
            CpuClock cpu) {
        String output = settings.benchCase() + "-out-" + contender.name() + "-" + round;
        createTopic(bootstrap, output);
        String group = settings.benchCase() + "-" + contender.name() + "-" + round + "-" + Long.toHexString(System.nanoTime());
        long timeoutSeconds = 60 + records.size() / 2_000 + records.totalNanos() * 2 / 1_000_000_000L;
        System.gc();
        long wall;
        long consumerCpu;
        long brokerCpu;
        long committed;
        long aborted;
        try (CommitWatch watch = new CommitWatch(bootstrap, input, end)) {
            long consumerStart = cpu.consumerNanos();
            long brokerStart = cpu.brokerNanos();
            long start = System.nanoTime();
            TransactionalContender.Running running = contender.start(bootstrap, input, output, group, round);
            try {
                wall = watch.awaitCommitted(group, contender.name(), timeoutSeconds, running::failure) - start;
                consumerCpu = cpu.consumerNanos() - consumerStart;
                brokerCpu = cpu.brokerNanos() - brokerStart;
            } finally {
                running.close();
            }
            committed = running.committed();
            aborted = running.aborted();
        }
        OutputTally tally = OutputCheck.read(bootstrap, output, TransactionalRecords.PARTITIONS, end);
        TransactionalRun run = new TransactionalRun(records.size(), wall, committed, aborted, consumerCpu, brokerCpu,
                tally.outputs(), tally.duplicates(), tally.missing(), tally.outOfOrder());
        Progress.log("%-9s %-13s %,10.0f records/s (%.2f s; %d transactions, %d aborted; CPU s: consumer JVM %.2f, broker "
                + "JVM %.2f; read_committed: %,d outputs, %d duplicates, %d missing, %d out of order)",
                round == 0 ? "warm-up" : "round " + round, contender.name(), run.throughput(), run.seconds(), committed, aborted,
                run.consumerCpuSeconds(), run.brokerCpuSeconds(), tally.outputs(), tally.duplicates(), tally.missing(),
                tally.outOfOrder());
        return run;
    }

    /** The contender of a name, committing at most {@code transactionRecords} input records per transaction. */
    static TransactionalContender contender(String name, int transactionRecords) {
        return switch (name) {
            case CONTAINER -> new ContainerTransactionalContender(CONTAINER, CONCURRENCY, transactionRecords);
            case CONTAINER_WIDE -> new ContainerTransactionalContender(CONTAINER_WIDE, WIDE, transactionRecords);
            case SPRING -> new SpringTransactionalContender(SPRING, CONCURRENCY, transactionRecords);
            default -> throw new IllegalArgumentException("Unknown B11 contender " + name);
        };
    }

    private static void createTopic(String bootstrap, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, TransactionalRecords.PARTITIONS, (short) 1))).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not create output topic " + topic, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating output topic " + topic, e);
        }
    }
}
