package dev.kafkaconsumer.benchmarks.apps;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * B8's result ({@code results/b8-many-containers.md}): per contender, start-up time, total throughput against raw's,
 * the platform threads and live heap the run added, per consumer; then the threads by kind of the last round of each
 * contender, which shows what a container's threads are and so what could be shared. Headlines (no target in the
 * issue): each application's total throughput over raw's, median of the pairs of a round.
 */
final class ManyContainersTable {

    private static final double MIB = 1024 * 1024;

    private final BenchSettings settings;
    private final MachineDescription machine;
    private final Map<String, List<AppRun>> runs;

    ManyContainersTable(BenchSettings settings, MachineDescription machine, Map<String, List<AppRun>> runs) {
        this.settings = settings;
        this.machine = machine;
        this.runs = runs;
    }

    /** {@code contender}'s throughput over raw's, pair by pair. */
    double[] overRaw(String contender) {
        return Stats.ratios(throughputs(contender), throughputs(AppContender.RAW));
    }

    CaseReport report() {
        CaseReport report = new CaseReport("b8", "B8: 1, 10 and 50 @RecordHandler methods in one Spring Boot application on "
                + "50 topics vs. a raw KafkaConsumer per topic: threads, heap, start-up, throughput", machine);
        boolean withRaw = runs.containsKey(AppContender.RAW);
        for (String name : settings.contenders()) {
            if (withRaw && !name.equals(AppContender.RAW) && runs.containsKey(name)) {
                report.headline(name + " / raw total throughput, 50 topics", Stats.median(overRaw(name)), Target.NONE);
            }
        }
        return report.table(contenders(withRaw))
                .paragraph("Start-up: from just before `SpringApplication.run` (or the raw consumers' creation) to its return. "
                        + "Throughput: every record of the 50 topics over the time from that start to the last record handled "
                        + "(start-up and group joins included), median of the rounds; / raw: median of the pairs of one round "
                        + "(min–max). Threads and heap: live platform threads, and the live heap after two full GCs, once every "
                        + "record was handled (the application still running) minus those before the start; per consumer: over "
                        + "the containers (or raw consumers). Virtual threads are not counted.")
                .table(threadKinds())
                .paragraph("Threads by kind, once every record was handled, in the last round of each contender (every "
                        + "platform thread of the JVM, the harness's own included; a container's or topic's name, the "
                        + "group or client id after ` | ` and numbers replaced by `<id>`, `<topic>`, `<group>` and `N`).")
                .table(roundsTable())
                .paragraph(machine.measured(), description())
                .command(settings.command());
    }

    private Table contenders(boolean withRaw) {
        Table table = new Table().left("contender").right("consumers", "median start-up s", "median records/s", "/ raw",
                "platform threads added", "threads per consumer", "live heap added, MiB", "MiB per consumer",
                "median CPU s, consumer JVM");
        for (String name : settings.contenders()) {
            List<AppRun> measured = runs.get(name);
            if (measured == null) {
                continue;
            }
            AppContender contender = AppContender.of(name);
            int consumers = contender.consumers(ManyContainersBenchmark.TOPICS);
            double threads = Stats.median(Stats.values(measured, AppRun::threadsAdded));
            double heap = Stats.median(Stats.values(measured, AppRun::heapBytes)) / MIB;
            String ratio = "—";
            if (withRaw && !contender.raw()) {
                Stats.Spread spread = Stats.spread(overRaw(name));
                ratio = Format.bold(Format.ratio(spread.median())) + " (" + Format.ratio(spread.min()) + "–"
                        + Format.ratio(spread.max()) + ")";
            }
            table.row(contender.describe(), consumers, Format.hundredths(Stats.median(Stats.values(measured, AppRun::startupSeconds))),
                    Format.rate(Stats.median(Stats.values(measured, AppRun::throughput))), ratio, Format.whole(threads),
                    Format.tenths(threads / consumers), Format.tenths(heap), Format.hundredths(heap / consumers),
                    Format.hundredths(Stats.median(Stats.values(measured, AppRun::cpuSeconds))));
        }
        return table;
    }

    /** Thread kinds as rows, the contenders' last rounds as columns. */
    private Table threadKinds() {
        Map<String, Map<String, Long>> last = new LinkedHashMap<>();
        for (String name : settings.contenders()) {
            List<AppRun> measured = runs.get(name);
            if (measured != null && !measured.isEmpty()) {
                last.put(name, measured.get(measured.size() - 1).threadKinds());
            }
        }
        List<String> kinds = last.values().stream().flatMap(k -> k.keySet().stream()).distinct().sorted().toList();
        Table table = new Table().left("thread kind");
        last.keySet().forEach(table::right);
        for (String kind : kinds) {
            List<Object> cells = new ArrayList<>(List.of("`" + kind.replace("|", "\\|") + "`"));
            last.values().forEach(k -> cells.add(k.getOrDefault(kind, 0L)));
            table.row(cells.toArray());
        }
        List<Object> total = new ArrayList<>(List.of("all"));
        last.values().forEach(k -> total.add(k.values().stream().mapToLong(Long::longValue).sum()));
        return table.row(total.toArray());
    }

    private Table roundsTable() {
        Table table = new Table().right("round");
        settings.contenders().forEach(name -> table.right(name + " records/s"));
        for (int round = 0; round < settings.runs(); round++) {
            List<Object> cells = new ArrayList<>(List.of(round + 1));
            for (String name : settings.contenders()) {
                List<AppRun> measured = runs.get(name);
                cells.add(measured == null || round >= measured.size() ? "" : Format.rate(measured.get(round).throughput()));
            }
            table.row(cells.toArray());
        }
        return table;
    }

    private String description() {
        return Format.count(ManyContainersBenchmark.TOPICS) + " topics of " + ManyContainersBenchmark.PARTITIONS + " partitions, "
                + Format.count(settings.records()) + " records of " + BenchSettings.VALUE_BYTES + " bytes each (100 keys), "
                + Format.count(settings.records() * ManyContainersBenchmark.TOPICS) + " in all. A Spring Boot application "
                + "(no web server) with N `@RecordHandler` methods: method i reads its 50 / N topics (a `topicPattern`), in a "
                + "group of its own, with the starter's defaults (concurrency 1, byte-array deserializers set); its handler "
                + "takes the `ConsumerRecord` and counts it. `-virtual`: the same with `spring.threads.virtual.enabled=true` "
                + "(the containers' workers become virtual threads). `raw`: a `KafkaConsumer` per topic polling on a platform "
                + "thread of its own, counting the same way. All in one JVM on Java " + Runtime.version().feature()
                + ", fresh groups each run, one warm-up round, then " + settings.runs() + " rounds, the contenders in turn ("
                + String.join(", ", settings.contenders()) + ").";
    }

    private double[] throughputs(String name) {
        return Stats.values(runs.get(name), AppRun::throughput);
    }
}
