package dev.kafkaconsumer.benchmarks.memory;

import java.util.List;
import java.util.Map;

import dev.kafkaconsumer.benchmarks.memory.MemoryConsumerProcess.Mode;
import dev.kafkaconsumer.benchmarks.report.CaseReport;
import dev.kafkaconsumer.benchmarks.report.Format;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;
import dev.kafkaconsumer.benchmarks.report.Table;
import dev.kafkaconsumer.benchmarks.report.Target;

/**
 * B5's result ({@code results/b5-memory.md}): for each consumer, the peak live heap and resident set at the
 * large backlog over those at the small one. The target, from the brief: at most {@value MemoryGrowth#FLAT}
 * (flat), for the container.
 */
final class MemoryTable {

    /** Flat: the memory grows by at most {@value MemoryGrowth#FLAT} times from the small backlog to the large one. */
    static final Target FLAT = Target.atMost(MemoryGrowth.FLAT);

    private static final int SAMPLE_ROWS = 16;
    private static final double MIB = 1048576.0;

    private final Map<Mode, List<ConsumerJvm.Point>> smallDrains;
    private final Map<Mode, List<ConsumerJvm.Point>> largeDrains;
    private final Map<Mode, List<ConsumerJvm.Point>> growing;
    private final MachineDescription machine;
    private final double seconds;

    MemoryTable(Map<Mode, List<ConsumerJvm.Point>> smallDrains, Map<Mode, List<ConsumerJvm.Point>> largeDrains,
            Map<Mode, List<ConsumerJvm.Point>> growing, MachineDescription machine, double seconds) {
        this.smallDrains = smallDrains;
        this.largeDrains = largeDrains;
        this.growing = growing;
        this.machine = machine;
        this.seconds = seconds;
    }

    /**
     * The result: each consumer's growth, the drains, the samples of the slow consumers and the method. Its
     * headlines: the container's live heap and RSS ratios; the RSS of the drains without a target (two JVMs of
     * different run times: their RSS differs mostly by how far G1 grew the heap, not by buffers).
     */
    CaseReport report() {
        MemoryGrowth.Growth drain = MemoryGrowth.drains(smallDrains.get(Mode.CONTAINER_DRAIN), largeDrains.get(Mode.CONTAINER_DRAIN));
        MemoryGrowth.Growth slow = MemoryGrowth.growing(growing.get(Mode.CONTAINER_SLOW));
        CaseReport report = new CaseReport("b5", "B5: memory of the consumer JVM as the backlog grows", machine)
                .headline("container live heap, drain: 5M / 1M backlog", drain.heapRatio(), FLAT)
                .headline("container RSS, drain: 5M / 1M backlog (GC heap sizing)", drain.rssRatio(), Target.NONE)
                .headline("container live heap, slow handler: ≥4M / ≤2M backlog", slow.heapRatio(), FLAT)
                .headline("container RSS, slow handler: ≥4M / ≤2M backlog", slow.rssRatio(), FLAT)
                .table(growth())
                .paragraph("Drains: records, seconds from the first to the last sample, peak live heap, peak heap used (garbage "
                        + "included), peak VmHWM.")
                .table(drains());
        growing.forEach((mode, points) -> report.paragraph(label(mode) + ", slow handler, while the backlog grows:").table(samples(points)));
        return report.paragraph(machine.measuredBriefly() + "; the case took " + Format.whole(seconds) + " s.", method())
                .command("mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b5");
    }

    private Table growth() {
        Table table = new Table().left("consumer", "scenario").right("live heap at small backlog, MiB", "at large backlog, MiB",
                "ratio", "RSS at small, MiB", "at large, MiB", "ratio").left("flat?");
        for (Mode mode : List.of(Mode.CONTAINER_DRAIN, Mode.SPRING_DRAIN)) {
            row(table, mode, "(a) drain of 1M, then of 5M", MemoryGrowth.drains(smallDrains.get(mode), largeDrains.get(mode)), false);
        }
        for (Mode mode : List.of(Mode.CONTAINER_SLOW, Mode.SPRING_SLOW)) {
            row(table, mode, "(b) slow handler, backlog ≤ 2M vs ≥ 4M", MemoryGrowth.growing(growing.get(mode)), true);
        }
        return table;
    }

    /** A row; {@code rssCounts} when both sides are samples of one JVM, so that RSS compares like with like. */
    private static void row(Table table, Mode mode, String scenario, MemoryGrowth.Growth growth, boolean rssCounts) {
        boolean flat = FLAT.met(growth.heapRatio()) && (!rssCounts || FLAT.met(growth.rssRatio()));
        table.row(label(mode), scenario, Format.wholeOrDash(growth.small().heapMib()), Format.wholeOrDash(growth.large().heapMib()),
                Format.bold(Format.ratio(growth.heapRatio())), Format.wholeOrDash(growth.small().rssMib()),
                Format.wholeOrDash(growth.large().rssMib()), Format.bold(Format.ratio(growth.rssRatio())),
                flat ? "flat" : Format.bold("not flat"));
    }

    private Table drains() {
        Table table = new Table().left("consumer").right("records", "s", "live heap MiB", "heap used MiB", "VmHWM MiB");
        for (Map<Mode, List<ConsumerJvm.Point>> drains : List.of(smallDrains, largeDrains)) {
            drains.forEach((mode, points) -> {
                ConsumerJvm.Point last = points.get(points.size() - 1);
                table.row(label(mode), Format.count(last.produced()), Format.tenths(last.sample().millis() / 1000.0),
                        Format.wholeOrDash(MemoryGrowth.Peak.of(points).heapMib()),
                        Format.wholeOrDash(points.stream().mapToDouble(p -> p.sample().heapUsed() / MIB).max().orElse(Double.NaN)),
                        Format.wholeOrDash(MemoryGrowth.Peak.of(points).hwmMib()));
            });
        }
        return table;
    }

    /** About {@value #SAMPLE_ROWS} evenly spaced samples of a slow consumer: backlog against heap and RSS. */
    private static Table samples(List<ConsumerJvm.Point> points) {
        Table table = new Table().right("s", "produced", "handled", "backlog", "live heap MiB", "heap used MiB", "VmRSS MiB");
        int step = Math.max(1, points.size() / SAMPLE_ROWS);
        for (int i = 0; i < points.size(); i += step) {
            ConsumerJvm.Point p = points.get(i);
            table.row(Format.tenths(p.sample().millis() / 1000.0), Format.count(p.produced()), Format.count(p.sample().handled()),
                    Format.count(p.backlog()), Format.wholeOrDash(p.sample().heapAfterGcMib()),
                    Format.wholeOrDash(p.sample().heapUsed() / MIB), Format.wholeOrDash(p.sample().rssMib()));
        }
        return table;
    }

    private static String method() {
        return "Each consumer runs in a JVM of its own (`" + String.join(" ", ConsumerJvm.JVM_OPTIONS) + "`), which every "
                + MemoryConsumerProcess.SAMPLE_MILLIS + " ms forces a full collection and "
                + "reports the used heap right after it (**live heap**), the used heap just before it (garbage included), "
                + "and `VmRSS`/`VmHWM` from `/proc/self/status` (**RSS**: heap, metaspace, stacks, buffers, code). "
                + "(a) B2's contenders: the container with PARTITION ordering and concurrency 1, Spring's listener container with "
                + "AckMode.TIME; a topic of 1,000,000 records (null keys, 100-byte values, 6 partitions) drained from the "
                + "beginning by a fresh JVM, then 4,000,000 more added and all 5,000,000 drained by another; peaks over each drain. "
                + "(b) B3's contenders with 1–5 ms of simulated I/O per record (`LockSupport.parkNanos`), keys from a space of "
                + "10,000: the container with KEY ordering and concurrency 100, Spring's listener container with concurrency 6 "
                + "(one per partition) and AckMode.BATCH; 1,000,000 records produced, the consumer started, 4,000,000 more produced "
                + "as fast as the broker takes them; the backlog of a sample is what was produced when it arrived minus what the "
                + "consumer had handled; the first " + MemoryGrowth.SKIPPED_SAMPLES + " samples after the first "
                + "handled record are left out (start-up). Ratios are the peak at the large backlog over the peak at the small one. "
                + "**Flat**: the live-heap ratio is at most " + MemoryGrowth.FLAT + ", and in (b) the RSS ratio too. "
                + "In (a) the RSS ratio compares two JVMs that ran for different times, so it shows mostly how far G1 grew "
                + "the heap (`-Xms64m` up to 1 GiB) for the garbage of a longer drain, not the buffers; it is reported "
                + "without a target.";
    }

    private static String label(Mode mode) {
        return switch (mode) {
            case CONTAINER_DRAIN, CONTAINER_SLOW -> "`ConsumerContainer`";
            case SPRING_DRAIN, SPRING_SLOW -> "Spring Kafka listener container";
        };
    }
}
