package dev.kafkaconsumer.benchmarks;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one-page result of the whole suite: {@code results/summary.md} (one table: case, ratio, target,
 * met?) and {@code results/summary.svg} (the same as a chart). Built from the {@code *-ratios.tsv}
 * files the cases leave in {@code results/} ({@link HeadlineRatios}), so it is rebuilt after every case
 * and always shows the latest run of each.
 */
final class SummaryReport {

    /** The summary's Markdown file name. */
    static final String MARKDOWN = "summary.md";
    /** The summary's chart file name. */
    static final String CHART = "summary.svg";

    private final List<HeadlineRatio> ratios;

    SummaryReport(List<HeadlineRatio> ratios) {
        this.ratios = List.copyOf(ratios);
    }

    /**
     * Reads the ratio files of a results directory and writes the summary and chart next to them.
     *
     * @param results the results directory
     */
    static void rebuild(Path results) {
        SummaryReport report = new SummaryReport(HeadlineRatios.readAll(results));
        ResultFiles.write(results.resolve(MARKDOWN), report.toMarkdown());
        ResultFiles.write(results.resolve(CHART), report.toSvg());
    }

    String toMarkdown() {
        StringBuilder md = new StringBuilder("## Summary: headline ratios of every case\n\n");
        md.append("![headline ratios against their targets](").append(CHART).append(")\n\n");
        md.append("| case | ratio | value | target | met? | measured |\n|---|---|---:|---|---|---|\n");
        for (HeadlineRatio ratio : ratios) {
            md.append("| ").append(ratio.benchCase().toUpperCase(java.util.Locale.ROOT)).append(" | ").append(ratio.name())
                    .append(" | ").append(ratio.valueText()).append(" | ").append(ratio.targetText())
                    .append(" | ").append(ratio.met() || ratio.comparison() == HeadlineRatio.Comparison.NONE
                            ? ratio.verdict() : "**" + ratio.verdict() + "**")
                    .append(" | ").append(ratio.measured()).append(" |\n");
        }
        if (ratios.isEmpty()) {
            md.append("| — | no case has written its ratios yet | | | | |\n");
        }
        md.append('\n').append(caption()).append(" Each case's own result file records the load average during its run.\n");
        return md.toString();
    }

    String toSvg() {
        return new SummaryChart(ratios).toSvg("kafka-consumer benchmarks: headline ratios against their targets", caption());
    }

    /** The machines and dates the ratios come from; usually one machine, one run of the suite. */
    String caption() {
        Set<String> machines = new LinkedHashSet<>();
        ratios.forEach(r -> machines.add(r.machine()));
        Instant first = ratios.stream().map(HeadlineRatio::measured).min(Comparator.naturalOrder()).orElse(null);
        Instant last = ratios.stream().map(HeadlineRatio::measured).max(Comparator.naturalOrder()).orElse(null);
        if (first == null) {
            return "No measurements yet.";
        }
        String dates = first.equals(last) ? "Measured " + first : "Measured from " + first + " to " + last;
        return dates + " (UTC) on " + String.join("; and on ", machines) + ".";
    }
}
