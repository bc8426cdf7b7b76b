package dev.kafkaconsumer.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.kafkaconsumer.benchmarks.MemoryConsumerProcess.Mode;

/**
 * Turns B5's samples into Markdown and headline ratios: for each consumer, the peak live heap and
 * resident set at the large backlog over those at the small one. The target, from the brief: at most
 * {@value MemoryGrowth#FLAT} (flat), for the container.
 */
final class MemoryTable {

    private static final int SAMPLE_ROWS = 16;

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

    List<HeadlineRatio> headlines() {
        List<HeadlineRatio> headlines = new ArrayList<>();
        MemoryGrowth.Growth drain = MemoryGrowth.drains(smallDrains.get(Mode.CONTAINER_DRAIN), largeDrains.get(Mode.CONTAINER_DRAIN));
        MemoryGrowth.Growth slow = MemoryGrowth.growing(growing.get(Mode.CONTAINER_SLOW));
        headlines.add(headline("container live heap, drain: 5M / 1M backlog", drain.heapRatio()));
        // two JVMs of different run times: their RSS differs mostly by how far G1 grew the heap, not by buffers
        headlines.add(new HeadlineRatio("b5", "container RSS, drain: 5M / 1M backlog (GC heap sizing)", drain.rssRatio(),
                HeadlineRatio.Comparison.NONE, 0, machine.date(), machine.oneLine()));
        headlines.add(headline("container live heap, slow handler: ≥4M / ≤2M backlog", slow.heapRatio()));
        headlines.add(headline("container RSS, slow handler: ≥4M / ≤2M backlog", slow.rssRatio()));
        return headlines;
    }

    private HeadlineRatio headline(String name, double value) {
        return new HeadlineRatio("b5", name, value, HeadlineRatio.Comparison.AT_MOST, MemoryGrowth.FLAT, machine.date(), machine.oneLine());
    }

    String toMarkdown() {
        StringBuilder md = new StringBuilder("## B5: memory of the consumer JVM as the backlog grows\n\n");
        md.append("| consumer | scenario | live heap at small backlog, MiB | at large backlog, MiB | ratio | RSS at small, MiB "
                + "| at large, MiB | ratio | flat? |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Mode mode : List.of(Mode.CONTAINER_DRAIN, Mode.SPRING_DRAIN)) {
            row(md, mode, "(a) drain of 1M, then of 5M", MemoryGrowth.drains(smallDrains.get(mode), largeDrains.get(mode)), false);
        }
        for (Mode mode : List.of(Mode.CONTAINER_SLOW, Mode.SPRING_SLOW)) {
            row(md, mode, "(b) slow handler, backlog ≤ 2M vs ≥ 4M", MemoryGrowth.growing(growing.get(mode)), true);
        }
        md.append("\nDrains: records, seconds from the first to the last sample, peak live heap, peak heap used (garbage "
                + "included), peak VmHWM.\n\n| consumer | records | s | live heap MiB | heap used MiB | VmHWM MiB |\n|---|---:|---:|---:|---:|---:|\n");
        for (Map<Mode, List<ConsumerJvm.Point>> drains : List.of(smallDrains, largeDrains)) {
            drains.forEach((mode, points) -> {
                ConsumerJvm.Point last = points.get(points.size() - 1);
                md.append("| ").append(label(mode)).append(" | ").append(String.format(Locale.ROOT, "%,d", last.produced()))
                        .append(" | ").append(String.format(Locale.ROOT, "%.1f", last.sample().millis() / 1000.0))
                        .append(" | ").append(mib(MemoryGrowth.Peak.of(points).heapMib()))
                        .append(" | ").append(mib(points.stream().mapToDouble(p -> p.sample().heapUsed() / 1048576.0).max().orElse(Double.NaN)))
                        .append(" | ").append(mib(MemoryGrowth.Peak.of(points).hwmMib())).append(" |\n");
            });
        }
        growing.forEach((mode, points) -> md.append(samples(mode, points)));
        appendMethod(md);
        return md.toString();
    }

    /** A row; {@code rssCounts} when both sides are samples of one JVM, so that RSS compares like with like. */
    private void row(StringBuilder md, Mode mode, String scenario, MemoryGrowth.Growth growth, boolean rssCounts) {
        boolean flat = growth.heapRatio() <= MemoryGrowth.FLAT && (!rssCounts || growth.rssRatio() <= MemoryGrowth.FLAT);
        md.append("| ").append(label(mode)).append(" | ").append(scenario)
                .append(" | ").append(mib(growth.small().heapMib())).append(" | ").append(mib(growth.large().heapMib()))
                .append(" | **").append(HeadlineRatio.format(growth.heapRatio())).append("**")
                .append(" | ").append(mib(growth.small().rssMib())).append(" | ").append(mib(growth.large().rssMib()))
                .append(" | **").append(HeadlineRatio.format(growth.rssRatio())).append("**")
                .append(" | ").append(flat ? "flat" : "**not flat**").append(" |\n");
    }

    /** A table of about {@value #SAMPLE_ROWS} evenly spaced samples of a slow consumer: backlog against heap and RSS. */
    private static String samples(Mode mode, List<ConsumerJvm.Point> points) {
        StringBuilder sampleTables = new StringBuilder();
        sampleTables.append("\n").append(label(mode)).append(", slow handler, while the backlog grows:\n\n")
                .append("| s | produced | handled | backlog | live heap MiB | heap used MiB | VmRSS MiB |\n|---:|---:|---:|---:|---:|---:|---:|\n");
        int step = Math.max(1, points.size() / SAMPLE_ROWS);
        for (int i = 0; i < points.size(); i += step) {
            ConsumerJvm.Point p = points.get(i);
            sampleTables.append(String.format(Locale.ROOT, "| %.1f | %,d | %,d | %,d | %s | %s | %s |%n", p.sample().millis() / 1000.0,
                    p.produced(), p.sample().handled(), p.backlog(), mib(p.sample().heapAfterGcMib()),
                    mib(p.sample().heapUsed() / 1048576.0), mib(p.sample().rssMib())));
        }
        return sampleTables.toString();
    }

    private void appendMethod(StringBuilder md) {
        md.append(String.format(Locale.ROOT, "%nMeasured %s on %s; load average %s at the start, %s at the end; the case took %.0f s.%n",
                machine.date(), machine.oneLine(), machine.loadAtStart(), MachineDescription.loadAverage(), seconds));
        md.append("Each consumer runs in a JVM of its own (`").append(String.join(" ", ConsumerJvm.JVM_OPTIONS))
                .append("`), which every ").append(MemoryConsumerProcess.SAMPLE_MILLIS).append(" ms forces a full collection and "
                        + "reports the used heap right after it (**live heap**), the used heap just before it (garbage included), "
                        + "and `VmRSS`/`VmHWM` from `/proc/self/status` (**RSS**: heap, metaspace, stacks, buffers, code). "
                        + "(a) B2's contenders: the container with PARTITION ordering and concurrency 1, Spring's listener container with "
                        + "AckMode.TIME; a topic of 1,000,000 records (null keys, 100-byte values, 6 partitions) drained from the "
                        + "beginning by a fresh JVM, then 4,000,000 more added and all 5,000,000 drained by another; peaks over each drain. "
                        + "(b) B3's contenders with 1–5 ms of simulated I/O per record (`LockSupport.parkNanos`), keys from a space of "
                        + "10,000: the container with KEY ordering and concurrency 100, Spring's listener container with concurrency 6 "
                        + "(one per partition) and AckMode.BATCH; 1,000,000 records produced, the consumer started, 4,000,000 more produced "
                        + "as fast as the broker takes them; the backlog of a sample is what was produced when it arrived minus what the "
                        + "consumer had handled; the first ").append(MemoryGrowth.SKIPPED_SAMPLES).append(" samples after the first "
                        + "handled record are left out (start-up). Ratios are the peak at the large backlog over the peak at the small one. "
                        + "**Flat**: the live-heap ratio is at most ").append(MemoryGrowth.FLAT).append(", and in (b) the RSS ratio too. "
                        + "In (a) the RSS ratio compares two JVMs that ran for different times, so it shows mostly how far G1 grew "
                        + "the heap (`-Xms64m` up to 1 GiB) for the garbage of a longer drain, not the buffers; it is reported "
                        + "without a target.\n\n```\n")
                .append("mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b5\n```\n");
    }

    private static String label(Mode mode) {
        return switch (mode) {
            case CONTAINER_DRAIN, CONTAINER_SLOW -> "`ConsumerContainer`";
            case SPRING_DRAIN, SPRING_SLOW -> "Spring Kafka listener container";
        };
    }

    private static String mib(double value) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%,.0f", value);
    }
}
