package dev.kafkaconsumer.benchmarks.blocking;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.ContainerDrain;
import dev.kafkaconsumer.benchmarks.harness.CpuClock;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.harness.ExternalBroker;
import dev.kafkaconsumer.benchmarks.harness.NewerJava;
import dev.kafkaconsumer.benchmarks.harness.Progress;
import dev.kafkaconsumer.benchmarks.harness.TopicLoader;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;
import dev.kafkaconsumer.core.Ordering;

/**
 * B12, blocking handlers (issue 17 item 6, "B9" there): every record blocks its handler for 20 ms
 * ({@link BlockingWork}); 100,000 records over 10,000 keys on 6 partitions, KEY ordering; the container on platform
 * threads at concurrency 100 against the same container on virtual threads at 1,000 and 10,000. Wall time from just
 * before {@code start()} to the last record handled, and order violations, which fail the case. Contenders alternate
 * in rounds after one warm-up each.
 *
 * <p>Virtual threads need Java 21; on an older Java the case runs itself on a newer one ({@link NewerJava}), every
 * contender in that one JVM.
 *
 * <pre>
 * mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b12 [-Dbench.records=100000] [-Dbench.runs=3]
 * </pre>
 */
public final class BlockingHandlerBenchmark {

    /** Keys of the topic: 10 records per key at the default size, so the busiest key needs about 0.2 s alone. */
    static final int KEYS = 10_000;
    static final String TOPIC = "b12-blocking";

    /** 100,000 records, 3 measured rounds, the three contenders (others of the same shape on request). */
    static final BenchSettings.Defaults DEFAULTS = new BenchSettings.Defaults("b12", 100_000, 3,
            List.of("platform-c100", "virtual-c1000", "virtual-c10000", "platform-c1000", "virtual-c100"),
            BlockingContender.DEFAULTS, "results/b12-blocking-handlers.md");

    /** Live platform threads before the first run (the broker's client threads, if any, included). */
    private static int baselineThreads;

    private BlockingHandlerBenchmark() {
    }

    /**
     * Runs B12 with the {@code bench.*} system properties and writes its result; on a Java without virtual threads, in a
     * child JVM on a newer one.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        if (!NewerJava.here()) {
            NewerJava.relaunch(BlockingHandlerBenchmark.class);
            return;
        }
        int status = 1;
        try {
            BenchSettings settings = DEFAULTS.fromSystemProperties();
            run(settings).report().write(settings.output());
            status = 0;
        } finally {
            if (NewerJava.relaunched()) {
                System.exit(status);
            }
        }
    }

    /** Runs B12 on a broker JVM of its own. */
    static BlockingTable run(BenchSettings settings) {
        MachineDescription machine = MachineDescription.current();
        Map<String, List<BlockingRun>> measured = new LinkedHashMap<>();
        long busiestKey;
        try (ExternalBroker broker = ExternalBroker.launch()) {
            String bootstrap = broker.bootstrapServers();
            baselineThreads = ManagementFactory.getThreadMXBean().getThreadCount();
            CpuClock cpu = new CpuClock(broker.process());
            new TopicLoader(bootstrap).load(TOPIC, BenchSettings.PARTITIONS, settings.records(), BenchSettings.VALUE_BYTES, KEYS,
                    new AtomicLong());
            busiestKey = (settings.records() + KEYS - 1) / KEYS;
            Progress.log("B12: %,d records over %,d keys produced; %d rounds of %s", settings.records(), KEYS, settings.runs(),
                    settings.contenders());
            for (String name : settings.contenders()) {
                runOnce(BlockingContender.of(name), bootstrap, settings.records(), 0, cpu, busiestKey);
            }
            for (int round = 1; round <= settings.runs(); round++) {
                for (String name : settings.contenders()) {
                    measured.computeIfAbsent(name, n -> new ArrayList<>())
                            .add(runOnce(BlockingContender.of(name), bootstrap, settings.records(), round, cpu, busiestKey));
                }
            }
        }
        return new BlockingTable(settings, machine.ended(), measured, busiestKey);
    }

    /**
     * Waits (at most 10 s) until the threads of the run before are gone: {@code stop()} does not wait for its workers to
     * end, and the next run's peak must not count them.
     */
    private static void settleThreads(ThreadMXBean threads) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (threads.getThreadCount() > baselineThreads + 2 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static BlockingRun runOnce(BlockingContender contender, String bootstrap, long records, int round, CpuClock cpu,
            long busiestKey) {
        BlockingWork work = new BlockingWork();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        settleThreads(threads);
        threads.resetPeakThreadCount();
        DrainTiming timing = new ContainerDrain(contender.name(), Ordering.KEY, contender.concurrency(), work)
                .virtualThreads(contender.virtual())
                .measure(bootstrap, TOPIC, records, round, cpu);
        int peak = threads.getPeakThreadCount();
        work.order().requireNone(contender.name(), TOPIC);
        Progress.log("%-8s %-15s %6.2f s (lower bound %.2f s; peak platform threads %d; CPU s: consumer JVM %.2f, broker JVM %.2f)",
                round == 0 ? "warm-up" : "round " + round, contender.name(), timing.seconds(),
                contender.lowerBoundSeconds(records, busiestKey), peak, timing.consumerCpuSeconds(), timing.brokerCpuSeconds());
        return new BlockingRun(timing, work.order().violations(), peak);
    }
}
