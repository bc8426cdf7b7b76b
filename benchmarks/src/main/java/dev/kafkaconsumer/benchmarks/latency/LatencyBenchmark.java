package dev.kafkaconsumer.benchmarks.latency;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.CpuClock;
import dev.kafkaconsumer.benchmarks.harness.ExternalBroker;
import dev.kafkaconsumer.benchmarks.harness.Progress;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;

/**
 * B4, end-to-end latency at a fixed rate: a producer in this JVM sends {@value #RATE} records/s
 * ({@link PacedProducer}) while a contender consumes them, and {@link LatencyMeter} notes, per record, the
 * time from just before {@code send} to the handler call. Contenders: a raw {@code KafkaConsumer} poll
 * loop and a {@code ConsumerContainer} with its defaults, the same consumer properties for both.
 *
 * <p>Each run has a fresh topic of {@value #PARTITIONS} partitions that the contender subscribes to before
 * anything is produced; production starts once the group has assigned it the partitions. One shorter
 * warm-up run per contender, then the contenders alternate.
 */
public final class LatencyBenchmark {

    /** 100,000 records per measured run (20 s at the rate), 5 runs, raw and container. */
    static final BenchSettings.Defaults DEFAULTS = new BenchSettings.Defaults("b4", 100_000, 5,
            List.of(BenchSettings.RAW, BenchSettings.CONTAINER), "results/b4-latency.md");

    /**
     * B4 at ten times the rate (issue 17, item 7): 500,000 records per measured run (10 s at the rate), 5 runs, raw and
     * container; {@code -Dbench.case=b4-50k}, result in {@code results/b4-latency-50k.md}.
     */
    static final BenchSettings.Defaults HIGH_RATE = new BenchSettings.Defaults("b4-50k", 500_000, 5,
            List.of(BenchSettings.RAW, BenchSettings.CONTAINER), "results/b4-latency-50k.md");
    /**
     * B4 under both group protocols, alternated within each round (issue 17, item 3): {@code -Dbench.case=b4-protocols},
     * each protocol's result in {@code results/protocols/<protocol>/b4-latency.md}, the comparison in
     * {@code results/b4-protocols.md}.
     */
    static final BenchSettings.Defaults PROTOCOLS = new BenchSettings.Defaults("b4-protocols", 100_000, 5,
            List.of(BenchSettings.RAW, BenchSettings.CONTAINER), "results/b4-protocols.md");

    /** Records per second, as the issue asks. */
    static final int RATE = 5_000;
    /** Records per second of {@link #HIGH_RATE}. */
    static final int HIGH = 50_000;
    static final int PARTITIONS = BenchSettings.PARTITIONS;
    /** The first second of each run (the first fetches of a new subscription) is left out of the histogram. */
    static final long SETTLE_RECORDS = RATE;

    private LatencyBenchmark() {
    }

    /**
     * Runs B4 with the {@code bench.*} system properties and writes its result.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        String benchCase = BenchSettings.property("bench.case", DEFAULTS.benchCase());
        if (benchCase.equals(HIGH_RATE.benchCase())) {
            BenchSettings settings = checked(HIGH_RATE.fromSystemProperties(), HIGH);
            run(settings, HIGH, Collections.singletonList(null)).get(0).report().write(settings.output());
        } else if (benchCase.equals(PROTOCOLS.benchCase())) {
            BenchSettings settings = checked(PROTOCOLS.fromSystemProperties(), RATE);
            List<String> protocols = List.of("classic", "consumer");
            List<LatencyTable> tables = run(settings, RATE, protocols);
            Path directory = settings.output().toAbsolutePath().getParent().resolve("protocols");
            for (LatencyTable table : tables) {
                table.report().write(directory.resolve(table.protocol()).resolve("b4-latency.md"));
            }
            new LatencyProtocolTable(settings, tables).report().write(settings.output());
        } else {
            BenchSettings settings = checked(DEFAULTS.fromSystemProperties());
            run(settings).report().write(settings.output());
        }
    }

    /**
     * B4's settings, if they leave records to measure.
     *
     * @param settings B4's settings
     * @return the same settings
     * @throws IllegalArgumentException when a run would have no more records than those left out while it settles
     */
    static BenchSettings checked(BenchSettings settings) {
        return checked(settings, RATE);
    }

    /** The same check at another rate: a second of records is left out of each run. */
    static BenchSettings checked(BenchSettings settings, int rate) {
        if (settings.records() <= rate) {
            // B4 leaves the first second of records of each run out: with no more, its histograms would be empty
            throw new IllegalArgumentException("bench.records for " + settings.benchCase() + " must exceed " + rate
                    + " (the records of each run that are left out while it settles); was " + settings.records());
        }
        return settings;
    }

    /**
     * Runs B4 on a broker JVM of its own.
     *
     * @param settings B4's settings; {@code bench.records} is the records of each measured run
     * @return the result, to print or write
     */
    static LatencyTable run(BenchSettings settings) {
        checked(settings);
        return run(settings, RATE, Collections.singletonList(null)).get(0);
    }

    /**
     * Runs B4 at {@code rate} under each group protocol, on a broker JVM of its own; the protocols alternate within each
     * round (raw and container under the first, then under the second...).
     *
     * @param protocols {@code classic} and/or {@code consumer}; one null entry for {@code -Dbench.groupProtocol}'s choice
     * @return one result per protocol, in their order
     */
    static List<LatencyTable> run(BenchSettings settings, int rate, List<String> protocols) {
        checked(settings, rate);
        try (ExternalBroker broker = ExternalBroker.launch()) {
            return run(settings, broker, rate, protocols);
        }
    }

    /**
     * Runs B4 on a broker that the caller owns; creates its own topics.
     *
     * @param settings B4's settings
     * @param broker   a running broker JVM
     * @return the result
     */
    static LatencyTable run(BenchSettings settings, ExternalBroker broker) {
        return run(settings, broker, RATE, Collections.singletonList(null)).get(0);
    }

    private static List<LatencyTable> run(BenchSettings settings, ExternalBroker broker, int rate, List<String> protocols) {
        MachineDescription machine = MachineDescription.current();
        String bootstrap = broker.bootstrapServers();
        CpuClock cpu = new CpuClock(broker.process());
        List<Map<String, List<LatencyRun>>> measured = new ArrayList<>();
        // a tenth of a run (2 s by default), but always past the settle period
        long warmUpRecords = Math.max(2L * rate, settings.records() / 10);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                PacedProducer producer = new PacedProducer(bootstrap)) {
            for (String protocol : protocols) {
                Map<String, List<LatencyRun>> byContender = new LinkedHashMap<>();
                for (String contender : settings.contenders()) {
                    LatencyRun warmUp = runOnce(contender, protocol, admin, producer, bootstrap, 0, warmUpRecords, rate, cpu);
                    Progress.log("warm-up  %-18s %s", label(contender, protocol), describe(warmUp));
                    byContender.put(contender, new ArrayList<>());
                }
                measured.add(byContender);
            }
            for (int run = 1; run <= settings.runs(); run++) {
                for (int p = 0; p < protocols.size(); p++) {
                    for (String contender : settings.contenders()) {
                        LatencyRun timing = runOnce(contender, protocols.get(p), admin, producer, bootstrap, run,
                                settings.records(), rate, cpu);
                        measured.get(p).get(contender).add(timing);
                        Progress.log("run %2d   %-18s %s", run, label(contender, protocols.get(p)), describe(timing));
                    }
                }
            }
        }
        MachineDescription ended = machine.ended();
        List<LatencyTable> tables = new ArrayList<>();
        for (int p = 0; p < protocols.size(); p++) {
            String protocol = protocols.get(p);
            tables.add(new LatencyTable(protocol == null ? settings : settings.withGroupProtocol(protocol), ended,
                    measured.get(p), rate));
        }
        return tables;
    }

    private static String label(String contender, String protocol) {
        return protocol == null ? contender : contender + "@" + protocol;
    }

    private static LatencyRun runOnce(String name, String protocol, Admin admin, PacedProducer producer, String bootstrap,
            int run, long records, int rate, CpuClock cpu) {
        String topic = "b4-" + name + (protocol == null ? "" : "-" + protocol) + "-" + run;
        createTopic(admin, topic);
        System.gc();
        LatencyMeter meter = new LatencyMeter(records, rate);
        CountDownLatch assigned = new CountDownLatch(1);
        long cpuBefore = cpu.consumerNanos();
        try (LatencyContender contender = contender(name, protocol)) {
            contender.start(bootstrap, topic, run, meter::record, assigned);
            await(assigned, name);
            double reached = producer.produce(topic, PARTITIONS, records, rate);
            meter.await(name, 60);
            return meter.result(reached, cpuBefore < 0 ? -1 : cpu.consumerNanos() - cpuBefore);
        }
    }

    private static LatencyContender contender(String name, String protocol) {
        return switch (name) {
            case BenchSettings.RAW -> new RawLatencyContender(protocol);
            case BenchSettings.CONTAINER -> new ContainerLatencyContender(protocol);
            default -> throw new IllegalArgumentException("Unknown B4 contender " + name);
        };
    }

    private static void createTopic(Admin admin, String topic) {
        try {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not create topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + topic, e);
        }
    }

    private static void await(CountDownLatch assigned, String name) {
        try {
            if (!assigned.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " was assigned no partitions within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while " + name + " joined its group", e);
        }
    }

    private static String describe(LatencyRun run) {
        return String.format(Locale.ROOT, "p50 %6.2f ms  p99 %6.2f ms  p99.9 %6.2f ms  max %7.2f ms  "
                + "(%,d records measured, %,.0f records/s produced, CPU s %.2f)", run.millisAt(50), run.millisAt(99),
                run.millisAt(99.9), run.maxMillis(), run.histogram().getTotalCount(), run.producedPerSecond(),
                run.consumerCpuNanos() / 1e9);
    }
}
