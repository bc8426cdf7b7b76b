package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaconsumer.reliability.ExactlyOnceChecker.Output;
import dev.kafkaconsumer.test.KafkaBroker;

/**
 * E1: exactly-once consume-transform-produce under kills. A {@link SequenceProducer} writes numbered, keyed input
 * records at a steady rate; a {@link TransformingConsumer} JVM (a transactional container, KEY ordering, concurrency 6)
 * writes one output record per input; the transformer is killed with SIGKILL (and restarted), in the full form twice,
 * and one of three brokers is killed once. At the end a {@code read_committed} reader of the output must find every
 * acknowledged input exactly once, each key's outputs in order ({@link ExactlyOnceChecker}); a {@code read_uncommitted}
 * reader's surplus shows that the kills hit open transactions (aborted output exists).
 *
 * <p>A killed transformer leaves its transaction open: its transactional id dies with it (each process has its own), so
 * nothing fences it and the coordinator aborts it when {@code transaction.timeout.ms} expires; until then the output's
 * last stable offset and the group's committed offsets (fetched as stable) wait. The transformers use a 5 s transaction
 * timeout and the brokers look for expired transactions every 500 ms, so that the wait is seconds, not Kafka's default
 * 60 s plus 10 s.
 */
@ExtendWith(Results.Extension.class)
class ExactlyOnceTest {

    private static final int PARTITIONS = 6;
    private static final int KEYS = 60;
    private static final int RATE = 500;
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(2);
    private static final Map<String, String> BROKER = Map.of(
            "transaction.abort.timed.out.transaction.cleanup.interval.ms", "500",
            "transaction.remove.expired.transaction.cleanup.interval.ms", "60000");
    private static final List<String> TRANSFORMER = List.of("-Dproducer.transaction.timeout.ms=5000",
            "-Dkafka.max.poll.records=200");

    /** The short form's broker: one in-process node, which looks for expired transactions often. */
    private static KafkaBroker kafka;

    /** Kept when the test fails, with every event log and process output, for the post-mortem. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @BeforeAll
    static void startBroker() {
        KafkaBroker.Builder builder = KafkaBroker.builder();
        BROKER.forEach(builder::brokerProperty);
        kafka = builder.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aTransformerKilledMidTransactionWritesEveryInputExactlyOnce(String protocol, Results results) throws Exception {
        Run run = new Run(dir, protocol, kafka.clientProperties(), kafka::admin, (topic, partitions) -> kafka.createTopic(topic, partitions));
        ExactlyOnceResult result = run.execute(List.of(Fault.KILL_TRANSFORMER), 1_000);
        run.record(results, "E1 exactly once, short", result);
        run.assertExactlyOnce(result, 1);
    }

    @Tag(FullSuite.TAG)
    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void twoTransformerKillsAndABrokerKillWriteEveryInputExactlyOnce(String protocol, Results results) throws Exception {
        BrokerCluster.Builder builder = BrokerCluster.builder(dir, 3);
        BROKER.forEach(builder::property);
        try (BrokerCluster cluster = builder.start()) {
            Run run = new Run(dir, protocol, cluster.clientProperties(), cluster::admin, cluster::createTopic);
            run.cluster = cluster;
            ExactlyOnceResult result = run.execute(
                    List.of(Fault.KILL_TRANSFORMER, Fault.KILL_BROKER, Fault.KILL_TRANSFORMER), 3_000);
            run.record(results, "E1 exactly once", result);
            run.assertExactlyOnce(result, 2);
        }
    }

    /** What happens to a run, one after another, each after the transformer has handled some records. */
    private enum Fault {
        /** SIGKILL of the transformer, then a new one. */
        KILL_TRANSFORMER,
        /** SIGKILL of the broker that coordinates the running transformer's transactions; not restarted. */
        KILL_BROKER
    }

    /** How a cluster creates a topic (replicated as much as it can) and waits for its leaders. */
    @FunctionalInterface
    private interface TopicCreator {
        void create(String topic, int partitions) throws Exception;
    }

    /** One run of the scenario on one cluster under one group protocol. */
    private static final class Run {

        private final Path dir;
        private final String protocol;
        private final Map<String, Object> client;
        private final Supplier<Admin> admin;
        private final String input;
        private final String output;
        private final List<Path> logs = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private BrokerCluster cluster;
        private long uncommittedOutputs;
        private long committedOutputs;
        private long aborts;
        private long seconds;

        Run(Path dir, String protocol, Map<String, Object> client, Supplier<Admin> admin, TopicCreator topics) throws Exception {
            this.dir = dir;
            this.protocol = protocol;
            this.client = client;
            this.admin = admin;
            String id = UUID.randomUUID().toString().substring(0, 8);
            this.input = "e1-in-" + protocol + "-" + id;
            this.output = "e1-out-" + protocol + "-" + id;
            topics.create(input, PARTITIONS);
            topics.create(output, PARTITIONS);
        }

        /**
         * Runs the faults in order, each once the running transformer has handled {@code between} records since it started
         * or since the last fault, lets the last transformer handle as many again, stops the producer, waits until every input offset is committed and stops the
         * last transformer; then reads the output.
         */
        ExactlyOnceResult execute(List<Fault> faults, int between) throws Exception {
            long started = System.nanoTime();
            List<String> options = new ArrayList<>(TRANSFORMER);
            try (Admin admin = this.admin.get()) {
                options.addAll(Groups.sessionTimeout(admin, input, protocol, SESSION_TIMEOUT));
            }
            List<Long> acknowledged;
            try (SequenceProducer producer = SequenceProducer.start(client, input, PARTITIONS, RATE, KEYS)) {
                ConsumerProcess transformer = start(options);
                long mark = 0; // what the running transformer had handled at the last fault
                try {
                    for (Fault fault : faults) {
                        awaitHandled(transformer, mark + between);
                        switch (fault) {
                            case KILL_TRANSFORMER -> {
                                boolean open = killDuringATransaction(transformer);
                                notes.add("transformer killed after " + Logs.processed(transformer.log()) + " handled"
                                        + (open ? " with a transaction's output written" : " (no open transaction seen in 60 s)"));
                                transformer = start(options);
                                mark = 0;
                            }
                            case KILL_BROKER -> {
                                notes.add(killCoordinator());
                                mark = Logs.processed(transformer.log());
                            }
                        }
                    }
                    awaitHandled(transformer, mark + between);
                    producer.stop();
                    acknowledged = producer.acknowledged();
                    awaitEveryInputCommitted(transformer);
                    transformer.terminate();
                } catch (ConditionTimeoutException | AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; output:\n" + transformer.output(), e);
                } finally {
                    transformer.close();
                }
            }
            awaitNoOpenTransaction();
            seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            List<Output> committed = OutputReader.read(client, output, "read_committed", Duration.ofSeconds(60));
            List<Output> uncommitted = OutputReader.read(client, output, "read_uncommitted", Duration.ofSeconds(60));
            committedOutputs = committed.size();
            uncommittedOutputs = uncommitted.size();
            List<List<String>> lines = new ArrayList<>();
            for (Path log : logs) {
                lines.add(Logs.lines(log));
            }
            aborts = lines.stream().flatMap(List::stream).filter(line -> line.startsWith("aborted ")).count();
            return ExactlyOnceChecker.check(committed, acknowledged, lines);
        }

        private ConsumerProcess start(List<String> options) throws Exception {
            ConsumerProcess process = ConsumerProcess.startTransformer(dir, "transformer-" + (logs.size() + 1),
                    String.valueOf(client.get("bootstrap.servers")), input, output, input, protocol, options);
            logs.add(process.log());
            return process;
        }

        private void awaitHandled(ConsumerProcess transformer, long records) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Logs.processed(transformer.log()) >= records);
        }

        /**
         * Kills the transformer while one of its transactions has written output and not committed, the case that
         * matters: the container sends a transaction's outputs only when it commits it, so a kill at a random moment
         * mostly falls between transactions. An output partition's end offset read before its last stable offset, and
         * above it, means a transaction that had written there was open when the stable offset was read.
         *
         * @return whether an open transaction was seen (else the process is killed after 60 s anyway)
         */
        private boolean killDuringATransaction(ConsumerProcess transformer) throws Exception {
            Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, PARTITIONS).boxed()
                    .collect(Collectors.toMap(partition -> new TopicPartition(output, partition), partition -> OffsetSpec.latest()));
            ListOffsetsOptions stable = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            try (Admin admin = this.admin.get()) {
                while (System.nanoTime() < deadline) {
                    Map<TopicPartition, ListOffsetsResultInfo> end = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                    Map<TopicPartition, ListOffsetsResultInfo> lso = admin.listOffsets(latest, stable).all().get(10, TimeUnit.SECONDS);
                    if (end.entrySet().stream().anyMatch(partition -> lso.get(partition.getKey()).offset() < partition.getValue().offset())) {
                        transformer.kill();
                        return true;
                    }
                }
            }
            transformer.kill();
            return false;
        }

        /**
         * Waits until no transaction is open on the output: a killed transformer's transaction that had written output
         * but not yet sent its offsets holds no offsets of the group, so the new transformer may commit the same partitions
         * long before the coordinator aborts the killed one (after its timeout); until then the output's last stable offset
         * stays below the open transaction's first output, and a {@code read_committed} reader would stop there.
         */
        private void awaitNoOpenTransaction() {
            Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, PARTITIONS).boxed()
                    .collect(Collectors.toMap(partition -> new TopicPartition(output, partition), partition -> OffsetSpec.latest()));
            try (Admin admin = this.admin.get()) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    Map<TopicPartition, ListOffsetsResultInfo> end = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                    Map<TopicPartition, ListOffsetsResultInfo> lso = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                            .all().get(10, TimeUnit.SECONDS);
                    return end.entrySet().stream().allMatch(partition -> lso.get(partition.getKey()).offset() == partition.getValue().offset());
                });
            }
        }

        /** Waits until the transformer's transactions have committed every input partition to its end. */
        private void awaitEveryInputCommitted(ConsumerProcess transformer) throws Exception {
            Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, PARTITIONS).boxed()
                    .collect(Collectors.toMap(partition -> new TopicPartition(input, partition), partition -> OffsetSpec.latest()));
            Map<Integer, Long> end = new HashMap<>();
            try (Admin admin = this.admin.get()) {
                admin.listOffsets(latest).all().get(60, TimeUnit.SECONDS)
                        .forEach((partition, info) -> end.put(partition.partition(), info.offset()));
            }
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                    .until(() -> committedOffsets(transformer.log()).equals(end));
        }

        private static Map<Integer, Long> committedOffsets(Path log) throws Exception {
            Map<Integer, Long> committed = new HashMap<>();
            for (String line : Logs.lines(log)) {
                String[] fields = line.split(" ");
                if (fields[0].equals("committed")) {
                    committed.merge(Integer.valueOf(fields[1]), Long.valueOf(fields[2]), Math::max);
                }
            }
            return committed;
        }

        /**
         * Kills the broker coordinating the running transformer's open transaction (the group coordinator if none is seen).
         *
         * @return which broker, for the row
         */
        private String killCoordinator() throws Exception {
            int coordinator;
            String role;
            try (Admin admin = this.admin.get()) {
                // the running transformer's transaction is open for a few milliseconds of each 100 ms (its outputs are sent
                // when it commits), so this looks until it sees one; a killed transformer's was aborted after its 5 s timeout
                Optional<String> id = Optional.empty();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (id.isEmpty() && System.nanoTime() < deadline) {
                    id = admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
                            .all().get(30, TimeUnit.SECONDS).stream().map(TransactionListing::transactionalId)
                            .filter(name -> name.startsWith(TransformingConsumer.TRANSACTIONAL_ID_PREFIX)).findFirst();
                }
                coordinator = id.isPresent()
                        ? admin.describeTransactions(List.of(id.get())).description(id.get()).get(30, TimeUnit.SECONDS).coordinatorId()
                        : admin.describeConsumerGroups(List.of(input)).all().get(30, TimeUnit.SECONDS).get(input).coordinator().id();
                role = id.isPresent() ? "the coordinator of an open transaction" : "the group coordinator: no open transaction seen in 30 s";
            }
            cluster.kill(coordinator);
            return "broker " + coordinator + " (" + role + ") killed";
        }

        void record(Results results, String scenario, ExactlyOnceResult result) {
            results.record(scenario, protocol, result.counts(), String.format(
                    "%s; read_committed: %d outputs, %d keys, %d out of key order; read_uncommitted: %d outputs (%d aborted); "
                            + "%d transactions aborted in the transformers' logs; %d s",
                    String.join(", ", notes), committedOutputs, result.keys(), result.outOfKeyOrder(), uncommittedOutputs,
                    uncommittedOutputs - committedOutputs, aborts, seconds));
        }

        void assertExactlyOnce(ExactlyOnceResult result, int transformerKills) {
            assertThat(result.counts().acknowledged()).as("acknowledged inputs").isPositive();
            assertThat(result.counts().lost()).as("lost").isZero();
            assertThat(result.counts().duplicated()).as("duplicated").isZero();
            assertThat(result.outOfKeyOrder()).as("outputs out of key order").isZero();
            assertThat(result.counts().commitsAboveUnprocessed()).as("transactions committing above an unhandled record").isZero();
            assertThat(notes.stream().filter(note -> note.startsWith("transformer killed"))).hasSize(transformerKills);
        }
    }
}
