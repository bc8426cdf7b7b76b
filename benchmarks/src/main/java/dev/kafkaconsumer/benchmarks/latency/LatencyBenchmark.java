package dev.kafkaconsumer.benchmarks.latency;

import java.util.ArrayList;
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

    /** Records per second, as the issue asks. */
    static final int RATE = 5_000;
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
        BenchSettings settings = checked(DEFAULTS.fromSystemProperties());
        run(settings).report().write(settings.output());
    }

    /**
     * B4's settings, if they leave records to measure.
     *
     * @param settings B4's settings
     * @return the same settings
     * @throws IllegalArgumentException when a run would have no more records than those left out while it settles
     */
    static BenchSettings checked(BenchSettings settings) {
        if (settings.records() <= SETTLE_RECORDS) {
            // B4 leaves the first SETTLE_RECORDS of each run out: with no more, its histograms would be empty
            throw new IllegalArgumentException("bench.records for b4 must exceed " + SETTLE_RECORDS
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
        try (ExternalBroker broker = ExternalBroker.launch()) {
            return run(settings, broker);
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
        MachineDescription machine = MachineDescription.current();
        String bootstrap = broker.bootstrapServers();
        CpuClock cpu = new CpuClock(broker.process());
        Map<String, List<LatencyRun>> measured = new LinkedHashMap<>();
        // a tenth of a run (2 s by default), but always past the settle period
        long warmUpRecords = Math.max(2 * SETTLE_RECORDS, settings.records() / 10);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                PacedProducer producer = new PacedProducer(bootstrap)) {
            for (String contender : settings.contenders()) {
                LatencyRun warmUp = runOnce(contender, admin, producer, bootstrap, 0, warmUpRecords, cpu);
                Progress.log("warm-up  %-9s %s", contender, describe(warmUp));
                measured.put(contender, new ArrayList<>());
            }
            for (int run = 1; run <= settings.runs(); run++) {
                for (String contender : settings.contenders()) {
                    LatencyRun timing = runOnce(contender, admin, producer, bootstrap, run, settings.records(), cpu);
                    measured.get(contender).add(timing);
                    Progress.log("run %2d   %-9s %s", run, contender, describe(timing));
                }
            }
        }
        return new LatencyTable(settings, machine.ended(), measured);
    }

    private static LatencyRun runOnce(String name, Admin admin, PacedProducer producer, String bootstrap, int run,
            long records, CpuClock cpu) {
        String topic = "b4-" + name + "-" + run;
        createTopic(admin, topic);
        System.gc();
        LatencyMeter meter = new LatencyMeter(records, SETTLE_RECORDS);
        CountDownLatch assigned = new CountDownLatch(1);
        long cpuBefore = cpu.consumerNanos();
        try (LatencyContender contender = contender(name)) {
            contender.start(bootstrap, topic, run, meter::record, assigned);
            await(assigned, name);
            double rate = producer.produce(topic, PARTITIONS, records, RATE);
            meter.await(name, 60);
            return meter.result(rate, cpuBefore < 0 ? -1 : cpu.consumerNanos() - cpuBefore);
        }
    }

    private static LatencyContender contender(String name) {
        return switch (name) {
            case BenchSettings.RAW -> new RawLatencyContender();
            case BenchSettings.CONTAINER -> new ContainerLatencyContender();
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
