package dev.kafkaconsumer.benchmarks.apps;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.CpuClock;
import dev.kafkaconsumer.benchmarks.harness.ExternalBroker;
import dev.kafkaconsumer.benchmarks.harness.LiveHeap;
import dev.kafkaconsumer.benchmarks.harness.NewerJava;
import dev.kafkaconsumer.benchmarks.harness.Progress;
import dev.kafkaconsumer.benchmarks.harness.TopicLoader;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;

/**
 * B8, many containers in one application (issue 17 item 5): 50 topics of 6 partitions, read by a Spring Boot application
 * with 1, 10 or 50 {@code @RecordHandler} methods (the topics split evenly among them, each in a group of its own, the
 * starter's defaults otherwise: concurrency 1), then the same with {@code spring.threads.virtual.enabled=true}, against a
 * raw {@code KafkaConsumer} per topic. For each: start-up time, total throughput (start-up included), the platform
 * threads and live heap the run added, and its threads by kind. Contenders alternate in rounds after a warm-up round.
 *
 * <p>Virtual threads need Java 21; on an older Java the case runs itself on a newer one ({@link NewerJava}).
 *
 * <pre>
 * mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b8 [-Dbench.records=20000] [-Dbench.runs=2]
 * </pre>
 */
public final class ManyContainersBenchmark {

    static final int TOPICS = 50;
    static final int PARTITIONS = BenchSettings.PARTITIONS;

    /** 20,000 records per topic (1,000,000 in all), 2 measured rounds, every contender. */
    static final BenchSettings.Defaults DEFAULTS = new BenchSettings.Defaults("b8", 20_000, 2, AppContender.ALL,
            "results/b8-many-containers.md");

    private ManyContainersBenchmark() {
    }

    /**
     * Runs B8 with the {@code bench.*} system properties and writes its result; on a Java without virtual threads, in a
     * child JVM on a newer one.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        if (!NewerJava.here()) {
            NewerJava.relaunch(ManyContainersBenchmark.class);
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

    static ManyContainersTable run(BenchSettings settings) {
        MachineDescription machine = MachineDescription.current();
        Map<String, List<AppRun>> measured = new LinkedHashMap<>();
        try (ExternalBroker broker = ExternalBroker.launch()) {
            String bootstrap = broker.bootstrapServers();
            TopicLoader loader = new TopicLoader(bootstrap);
            for (String topic : topics()) {
                loader.load(topic, PARTITIONS, settings.records(), BenchSettings.VALUE_BYTES, 100, new AtomicLong());
            }
            Progress.log("B8: %d topics of %,d records produced", TOPICS, settings.records());
            CpuClock cpu = new CpuClock(broker.process());
            for (int round = 0; round <= settings.runs(); round++) {
                for (String name : settings.contenders()) {
                    AppRun run = runOnce(AppContender.of(name), bootstrap, settings.records() * TOPICS, round, cpu);
                    Progress.log("%-8s %-18s start-up %.2f s, %,.0f records/s, %d threads added, %.1f MiB live heap added, CPU %.2f s",
                            round == 0 ? "warm-up" : "round " + round, name, run.startupSeconds(), run.throughput(),
                            run.threadsAdded(), run.heapBytes() / 1048576.0, run.cpuSeconds());
                    if (round > 0) {
                        measured.computeIfAbsent(name, n -> new ArrayList<>()).add(run);
                    }
                }
            }
        }
        return new ManyContainersTable(settings, machine.ended(), measured);
    }

    /** The topics, {@code b8-00} to {@code b8-49}. */
    static List<String> topics() {
        return IntStream.range(0, TOPICS).mapToObj(t -> String.format("b8-%02d", t)).toList();
    }

    /** Handler {@code handler} of {@code handlers} reads its even share of the topics: a pattern naming them. */
    static String pattern(int handler, int handlers) {
        int per = TOPICS / handlers;
        return topics().subList(handler * per, (handler + 1) * per).stream().collect(Collectors.joining("|", "(", ")"));
    }

    private static AppRun runOnce(AppContender contender, String bootstrap, long records, int round, CpuClock cpu) {
        settleThreads();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long heapBefore = LiveHeap.bytes();
        long cpuBefore = cpu.consumerNanos();
        AppMeter.Run meter = AppMeter.start(records);
        long start = System.nanoTime();
        ConfigurableApplicationContext context = null;
        RawPerTopic raw = null;
        try {
            if (contender.raw()) {
                raw = new RawPerTopic(bootstrap, topics(), round);
            } else {
                context = application(contender, bootstrap, round).run();
            }
            long startup = System.nanoTime() - start;
            if (!meter.await(600)) {
                throw new IllegalStateException(contender.name() + " handled " + meter.counted() + " of " + records
                        + " records within 600 s" + (raw != null && raw.failure() != null ? ": " + raw.failure() : ""));
            }
            if (meter.valueBytes() != records * BenchSettings.VALUE_BYTES) {
                throw new IllegalStateException(contender.name() + " handled " + meter.valueBytes() + " value bytes");
            }
            int threads = ManagementFactory.getThreadMXBean().getThreadCount() - threadsBefore;
            Map<String, Long> kinds = ThreadCensus.now();
            long heap = LiveHeap.bytes() - heapBefore;
            return new AppRun(meter.counted(), startup, meter.nanos(), threads, heap, (cpu.consumerNanos() - cpuBefore) / 1e9, kinds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while " + contender.name() + " ran", e);
        } finally {
            if (context != null) {
                context.close();
            }
            if (raw != null) {
                raw.close();
            }
        }
    }

    private static SpringApplicationBuilder application(AppContender contender, String bootstrap, int round) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("kafka.consumer.bootstrap-servers", bootstrap);
        properties.put("kafka.consumer.auto-offset-reset", "earliest");
        properties.put("kafka.consumer.key-deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        properties.put("kafka.consumer.value-deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        properties.put("spring.threads.virtual.enabled", String.valueOf(contender.virtual()));
        properties.put("b8.group", "b8-" + contender.name() + "-" + round + "-" + Long.toHexString(System.nanoTime()));
        for (int h = 0; h < contender.handlers(); h++) {
            properties.put("b8.pattern." + h, pattern(h, contender.handlers()));
        }
        return new SpringApplicationBuilder(HandlerApp.class, contender.handlerClass())
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .registerShutdownHook(false)
                .properties(properties);
    }

    /** Waits (at most 10 s) until the threads of the run before have ended: closing does not wait for every one. */
    private static void settleThreads() {
        int before = ManagementFactory.getThreadMXBean().getThreadCount();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int last = before;
        while (System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            int now = ManagementFactory.getThreadMXBean().getThreadCount();
            if (now == last) {
                return;
            }
            last = now;
        }
    }
}
