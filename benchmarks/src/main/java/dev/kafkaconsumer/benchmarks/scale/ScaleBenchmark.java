package dev.kafkaconsumer.benchmarks.scale;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.benchmarks.harness.CpuClock;
import dev.kafkaconsumer.benchmarks.harness.ExternalBroker;
import dev.kafkaconsumer.benchmarks.harness.Progress;
import dev.kafkaconsumer.benchmarks.harness.TopicLoader;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;

/**
 * B7, scale in partitions and keys (issue 17 item 4): one topic of 1,000 partitions and 10,000 keys. First the drains:
 * a raw poll loop against one {@link dev.kafkaconsumer.core.ConsumerContainer} with KEY ordering at concurrency 6, both
 * with the same trivial handler (key-order check and count), alternated in rounds after a warm-up each; each drain also
 * gives the live heap per assigned partition. Then the fairness run ({@link FairnessRun}): the container with a handler
 * that parks 200 µs a record and {@code max.partition.fetch.bytes} of 32 KiB, for 40 s, judged in 10-second windows
 * ({@link Fairness}).
 *
 * <pre>
 * mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b7 [-Dbench.records=2000000] [-Dbench.runs=3]
 *     [-Dbench.fairnessSeconds=40] [-Dbench.windowSeconds=10] [-Dbench.handlerMicros=200]
 *     [-Dbench.fairnessFetchBytes=32768]
 * </pre>
 */
public final class ScaleBenchmark {

    static final int PARTITIONS = 1_000;
    static final int KEYS = 10_000;
    static final int CONCURRENCY = 6;
    static final String TOPIC = "b7-scale";

    /** 2,000,000 records (2,000 a partition), 3 measured rounds, raw and the container. */
    static final BenchSettings.Defaults DEFAULTS = new BenchSettings.Defaults("b7", 2_000_000, 3,
            List.of(ScaleDrains.RAW, ScaleDrains.CONTAINER), "results/b7-scale.md");

    private ScaleBenchmark() {
    }

    /**
     * Runs B7 with the {@code bench.*} system properties and writes its result.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        BenchSettings settings = DEFAULTS.fromSystemProperties();
        FairnessSettings fairness = FairnessSettings.fromSystemProperties();
        run(settings, fairness).report().write(settings.output());
    }

    static ScaleTable run(BenchSettings settings, FairnessSettings fairness) {
        MachineDescription machine = MachineDescription.current();
        Map<String, List<ScaleRun>> measured = new LinkedHashMap<>();
        FairnessRun fairnessRun = null;
        try (ExternalBroker broker = ExternalBroker.launch()) {
            String bootstrap = broker.bootstrapServers();
            new TopicLoader(bootstrap).load(TOPIC, PARTITIONS, settings.records(), BenchSettings.VALUE_BYTES, KEYS, new AtomicLong());
            Progress.log("B7: %,d records over %,d keys in %,d partitions produced", settings.records(), KEYS, PARTITIONS);
            ScaleDrains drains = new ScaleDrains(bootstrap, TOPIC, CONCURRENCY, new CpuClock(broker.process()));
            for (int round = 0; round <= settings.runs(); round++) {
                for (String contender : settings.contenders()) {
                    ScaleRun run = drains.drain(contender, settings.records(), round);
                    Progress.log("%-8s %-9s %s; heap %.0f B per assigned partition (%d assigned)",
                            round == 0 ? "warm-up" : "round " + round, contender, run.timing().describe(), run.heapPerPartition(),
                            run.assigned());
                    if (round > 0) {
                        measured.computeIfAbsent(contender, c -> new ArrayList<>()).add(run);
                    }
                }
            }
            if (settings.contenders().contains(ScaleDrains.CONTAINER) && fairness.seconds() > 0) {
                fairnessRun = FairnessRun.run(bootstrap, TOPIC, CONCURRENCY, fairness.handlerMicros(), fairness.windowSeconds(),
                        fairness.seconds(), fairness.fetchBytes());
            }
        }
        return new ScaleTable(settings, fairness, machine.ended(), measured, fairnessRun);
    }

    /**
     * How the fairness run goes.
     *
     * @param seconds       how long it counts (0: no fairness run)
     * @param windowSeconds the windows' length
     * @param handlerMicros how long the handler parks per record
     * @param fetchBytes    the fairness run's {@code max.partition.fetch.bytes}; 0 for kafka-clients' default (1 MiB).
     *                      The default, 32 KiB, is the container's buffer bound for all partitions (32 MiB) over the
     *                      1,000 partitions: with 1 MiB a fetch brings a whole partition's backlog (about 200 KiB), the
     *                      buffer fills with the backlogs of the first 150 or so partitions, and the others get nothing
     *                      until those are drained (the run of 2026-12-05: the median partition got 0 records a window)
     */
    record FairnessSettings(int seconds, int windowSeconds, long handlerMicros, int fetchBytes) {

        static final FairnessSettings DEFAULTS = new FairnessSettings(40, 10, 200, 32 * 1024);

        static FairnessSettings fromSystemProperties() {
            return new FairnessSettings(
                    Integer.parseInt(BenchSettings.property("bench.fairnessSeconds", String.valueOf(DEFAULTS.seconds))),
                    Integer.parseInt(BenchSettings.property("bench.windowSeconds", String.valueOf(DEFAULTS.windowSeconds))),
                    Long.parseLong(BenchSettings.property("bench.handlerMicros", String.valueOf(DEFAULTS.handlerMicros))),
                    Integer.parseInt(BenchSettings.property("bench.fairnessFetchBytes", String.valueOf(DEFAULTS.fetchBytes))));
        }

        /** The options that differ from the defaults, as the command shows them. */
        String options() {
            StringBuilder options = new StringBuilder();
            if (seconds != DEFAULTS.seconds) {
                options.append(" -Dbench.fairnessSeconds=").append(seconds);
            }
            if (windowSeconds != DEFAULTS.windowSeconds) {
                options.append(" -Dbench.windowSeconds=").append(windowSeconds);
            }
            if (handlerMicros != DEFAULTS.handlerMicros) {
                options.append(" -Dbench.handlerMicros=").append(handlerMicros);
            }
            if (fetchBytes != DEFAULTS.fetchBytes) {
                options.append(" -Dbench.fairnessFetchBytes=").append(fetchBytes);
            }
            return options.toString();
        }

        /** The fetch size as the result names it, e.g. {@code 32 KiB}, or kafka-clients' default. */
        String fetchText() {
            return fetchBytes <= 0 ? "kafka-clients' default (1 MiB)"
                    : fetchBytes % 1024 == 0 ? fetchBytes / 1024 + " KiB" : fetchBytes + " bytes";
        }
    }
}
