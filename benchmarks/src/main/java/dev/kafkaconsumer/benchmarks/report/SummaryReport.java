package dev.kafkaconsumer.benchmarks.report;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one-page result of the whole suite: {@code results/summary.md} (one table: case, ratio, target,
 * met?) and {@code results/summary.svg} (the same as a chart). Built from the {@code *-ratios.tsv}
 * files the cases leave in {@code results/} ({@link HeadlineRatios}), so it is rebuilt after every case
 * and always shows the latest run of each.
 */
public final class SummaryReport {

    /** The summary's Markdown file name. */
    public static final String MARKDOWN = "summary.md";
    /** The summary's chart file name. */
    public static final String CHART = "summary.svg";

    private final List<HeadlineRatio> ratios;

    SummaryReport(List<HeadlineRatio> ratios) {
        this.ratios = List.copyOf(ratios);
    }

    /**
     * Reads the ratio files of a results directory and writes the summary and chart next to them.
     *
     * @param results the results directory
     */
    public static void rebuild(Path results) {
        SummaryReport report = new SummaryReport(HeadlineRatios.readAll(results));
        ResultFiles.write(results.resolve(MARKDOWN), report.toMarkdown());
        ResultFiles.write(results.resolve(CHART), report.toSvg());
    }

    String toMarkdown() {
        Table table = new Table().left("case", "ratio").right("value").left("target", "met?", "measured");
        for (HeadlineRatio ratio : ratios) {
            table.row(ratio.benchCase().toUpperCase(Locale.ROOT), ratio.name(), ratio.valueText(), ratio.targetText(),
                    ratio.met() || ratio.comparison() == HeadlineRatio.Comparison.NONE ? ratio.verdict() : Format.bold(ratio.verdict()),
                    ratio.measured());
        }
        if (ratios.isEmpty()) {
            table.row("—", "no case has written its ratios yet", "", "", "", "");
        }
        return "## Summary: headline ratios of every case\n\n"
                + "![headline ratios against their targets](" + CHART + ")\n\n"
                + table.toMarkdown()
                + '\n' + caption() + " Each case's own result file records the load average during its run.\n";
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
