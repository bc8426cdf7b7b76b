package dev.kafkaconsumer.benchmarks.rebalance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.ExternalBroker;
import dev.kafkaconsumer.benchmarks.report.CaseReport;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;
import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.Ordering;

/**
 * B6: a second member joins a group that consumes a steady 5,000 records/s from 6 partitions. For
 * each group protocol set-up ({@link RebalanceProtocol}) it measures how long until the group is back
 * at full rate with both members processing, and the longest pause in handling on the partitions that
 * stayed with the first member ({@link RebalanceAnalysis}).
 *
 * <p>Both members are {@link ConsumerContainer}s (PARTITION ordering, concurrency 6, a handler that
 * only notes the record) in this JVM, which the suite starts fresh for the case; the broker is a child
 * JVM and the producer a thread of this one. Each run uses a new group that starts at the log end.
 * The protocols alternate run by run; one warm-up run of each is left out; medians over the runs.
 *
 * <pre>
 * mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b6 [-Dbench.runs=5] [-Dbench.contenders=container,raw,engine]
 * </pre>
 */
public final class RebalanceBenchmark {

    static final double RATE = 5_000;
    private static final String TOPIC = "b6-rebalance";
    private static final long STEADY_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long AFTER_RECOVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
    private static final long RECOVERY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Path OUTPUT = CaseReport.RESULTS.resolve("b6-rebalance.md");

    private final String bootstrapServers;

    private RebalanceBenchmark(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Runs B6 with {@code bench.runs} and {@code bench.contenders} and writes its result.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        int runs = Integer.parseInt(BenchSettings.property("bench.runs", "5"));
        String contenders = BenchSettings.property("bench.contenders", RebalanceTable.CONTAINER + "," + RebalanceTable.RAW);
        List<RebalanceTable.Setup> setups = new ArrayList<>();
        for (String members : contenders.split("\\s*,\\s*")) {
            if (!List.of(RebalanceTable.CONTAINER, RebalanceTable.ENGINE, RebalanceTable.RAW).contains(members)) {
                throw new IllegalArgumentException("bench.contenders for b6 is " + contenders + "; use container, engine, raw");
            }
            for (RebalanceProtocol protocol : RebalanceProtocol.values()) {
                setups.add(new RebalanceTable.Setup(members, protocol));
            }
        }
        MachineDescription machine = MachineDescription.current();
        Map<RebalanceTable.Setup, List<RebalanceRun>> results = new LinkedHashMap<>();
        long start = System.nanoTime();
        try (ExternalBroker broker = ExternalBroker.launch()) {
            createTopic(broker.bootstrapServers());
            RebalanceBenchmark benchmark = new RebalanceBenchmark(broker.bootstrapServers());
            try (RateProducer producer = new RateProducer(broker.bootstrapServers(), TOPIC, BenchSettings.PARTITIONS, RATE,
                    BenchSettings.VALUE_BYTES)) {
                for (int run = 0; run <= runs; run++) {
                    for (RebalanceTable.Setup setup : setups) {
                        RebalanceRun result = benchmark.runOnce(setup.members(), setup.protocol(), run);
                        System.err.printf(Locale.ROOT, "%s %d %-42s %s%n", run == 0 ? "warm-up" : "run    ", run, setup.label(),
                                result.describe());
                        if (run > 0) {
                            results.computeIfAbsent(setup, p -> new ArrayList<>()).add(result);
                        }
                    }
                }
            }
        }
        // a run without containers (-Dbench.contenders=raw) has no headlines: it leaves the container's ratios of the last full run
        new RebalanceTable(setups, results, machine.ended(), runs, (System.nanoTime() - start) / 1e9).report().write(OUTPUT);
    }

    /** A member of the group of any kind (container, engine, raw consumer), as the run starts and stops it; {@code stop} must leave the group. */
    private record Member(Runnable starter, Runnable stopper) {
        void start() {
            starter.run();
        }

        void stop() {
            stopper.run();
        }
    }

    private RebalanceRun runOnce(String kind, RebalanceProtocol protocol, int run) {
        String group = "b6-" + kind + "-" + protocol.id() + "-" + run + "-" + Long.toHexString(System.nanoTime());
        ConcurrentLinkedQueue<RebalanceAnalysis.Handled> handled = new ConcurrentLinkedQueue<>();
        Member first = member(kind, protocol, group, RebalanceAnalysis.FIRST, handled);
        Member second = member(kind, protocol, group, RebalanceAnalysis.SECOND, handled);
        try {
            first.start();
            awaitSteady(handled);
            long join = System.nanoTime();
            second.start();
            long deadline = join + RECOVERY_TIMEOUT_NANOS;
            OptionalLong recovery = OptionalLong.empty();
            while (recovery.isEmpty() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                recovery = new RebalanceAnalysis(List.copyOf(handled), join, RATE).recoveryNanos();
            }
            LockSupport.parkNanos(AFTER_RECOVERY_NANOS);
            return RebalanceRun.of(new RebalanceAnalysis(List.copyOf(handled), join, RATE));
        } finally {
            stopBoth(first, second);
        }
    }

    /** Stops both members at once, so that neither's leaving costs the other a rebalance to wait for. */
    private static void stopBoth(Member first, Member second) {
        Thread stopper = new Thread(second::stop, "b6-stop-second-member");
        stopper.setUncaughtExceptionHandler((t, e) -> System.err.println("[" + t.getName() + "] failed: " + e));
        stopper.start();
        first.stop();
        try {
            stopper.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the first member handles every partition, then for two seconds of steady state. */
    private static void awaitSteady(ConcurrentLinkedQueue<RebalanceAnalysis.Handled> handled) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (handled.stream().mapToInt(RebalanceAnalysis.Handled::partition).distinct().count() < BenchSettings.PARTITIONS) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The first member did not handle records of every partition within 60 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        LockSupport.parkNanos(STEADY_NANOS);
    }

    private Member member(String kind, RebalanceProtocol protocol, String group, int member,
            ConcurrentLinkedQueue<RebalanceAnalysis.Handled> handled) {
        Map<String, Object> properties = new LinkedHashMap<>(protocol.consumerProperties());
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-member-" + member);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        properties.put(ConsumerConfig.CHECK_CRCS_CONFIG, true);
        if (kind.equals(RebalanceTable.ENGINE)) {
            EngineGroupMember consumer = new EngineGroupMember(group + "-" + member, properties, TOPIC,
                    record -> handled.add(new RebalanceAnalysis.Handled(member, record.partition(), System.nanoTime())));
            return new Member(consumer::start, consumer::close);
        }
        if (kind.equals(RebalanceTable.RAW)) {
            RawGroupMember consumer = new RawGroupMember(group + "-" + member, properties, TOPIC,
                    record -> handled.add(new RebalanceAnalysis.Handled(member, record.partition(), System.nanoTime())));
            return new Member(consumer::start, consumer::close);
        }
        ConsumerContainer<byte[], byte[]> container = ConsumerContainer
                .builder(group + "-" + member, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .properties(properties)
                .topics(List.of(TOPIC))
                .ordering(Ordering.PARTITION)
                .concurrency(BenchSettings.PARTITIONS)
                .handler(record -> handled.add(new RebalanceAnalysis.Handled(member, record.partition(), System.nanoTime())))
                .build();
        return new Member(container::start, () -> container.stop(STOP_TIMEOUT));
    }

    private static void createTopic(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, BenchSettings.PARTITIONS, (short) 1))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Could not create " + TOPIC, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating " + TOPIC, e);
        }
    }
}
