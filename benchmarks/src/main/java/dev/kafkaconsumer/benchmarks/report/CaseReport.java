package dev.kafkaconsumer.benchmarks.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One case's result, the way every case writes it: a Markdown file that people read
 * ({@code results/<case>-....md}: a heading, then blocks of tables and text separated by blank lines,
 * ending with where it ran and the command that reproduces it) and the case's headline numbers against
 * their targets, which {@link #write} puts in {@code results/<case>-ratios.tsv} for the summary
 * ({@link SummaryReport}).
 *
 * <p>A case declares its content; it never lays out Markdown or the ratio file itself:
 *
 * <pre>
 * CaseReport report = new CaseReport("b1", "B1: drain a topic, ConsumerEngine vs. raw KafkaConsumer", machine)
 *         .table(contenders)
 *         .headline("engine / raw, batch API drain", median, Target.atLeast(0.95))
 *         .paragraph(machine.measured(), "Topic: ...")
 *         .command(settings.command());
 * report.write(settings.output());
 * </pre>
 *
 * Not thread-safe: built by the thread that ran the case.
 */
public final class CaseReport {

    /** Where every case writes its results, relative to the module (the working directory of {@code -Pbench}). */
    public static final Path RESULTS = Path.of("results");

    private final String benchCase;
    private final MachineDescription machine;
    private final String heading;
    private final List<String> blocks = new ArrayList<>();
    private final List<HeadlineRatio> headlines = new ArrayList<>();

    /**
     * @param benchCase the case, e.g. {@code b1}: its ratio file is {@code <benchCase>-ratios.tsv}
     * @param title     the heading of the Markdown, e.g. {@code B1: drain a topic, ...}
     * @param machine   where the case ran; dates and describes its headline numbers
     */
    public CaseReport(String benchCase, String title, MachineDescription machine) {
        this.benchCase = Objects.requireNonNull(benchCase, "benchCase");
        this.heading = "## " + Objects.requireNonNull(title, "title") + "\n\n";
        this.machine = Objects.requireNonNull(machine, "machine");
    }

    /** Appends a table as a block of its own. */
    public CaseReport table(Table table) {
        blocks.add(table.toMarkdown());
        return this;
    }

    /**
     * Appends a paragraph: the lines one below the other, as one block.
     *
     * @param lines Markdown lines, without their newlines
     * @return this report
     */
    public CaseReport paragraph(String... lines) {
        blocks.add(String.join("\n", lines) + "\n");
        return this;
    }

    /** Appends the command that reproduces the run, as a code block. */
    public CaseReport command(String command) {
        blocks.add("```\n" + command + "\n```\n");
        return this;
    }

    /**
     * Adds a headline number for the summary, dated and described by this report's machine. The order of
     * the calls is the order of the ratio file and of the summary's rows.
     *
     * @param name   what is compared with what, e.g. {@code engine / raw, batch API drain}
     * @param value  the measured ratio or difference; NaN when it could not be measured
     * @param target what the issue asks of it
     * @return this report
     */
    public CaseReport headline(String name, double value, Target target) {
        headlines.add(new HeadlineRatio(benchCase, name, value, target.comparison(), target.threshold(), machine.date(),
                machine.oneLine(), target.unit()));
        return this;
    }

    /** The case, e.g. {@code b1}. */
    public String benchCase() {
        return benchCase;
    }

    /** The headline numbers, in the order they were added. */
    public List<HeadlineRatio> headlines() {
        return List.copyOf(headlines);
    }

    /** The result file: the heading, then the blocks separated by blank lines. */
    public String toMarkdown() {
        return heading + String.join("\n", blocks);
    }

    /**
     * Prints the Markdown, writes it to {@code markdown} and, when the case has headline numbers, writes
     * them to {@code <benchCase>-ratios.tsv} in the same directory, replacing the case's earlier ratios.
     * A run without headline numbers (e.g. one contender only) leaves the earlier ratio file alone.
     *
     * @param markdown the result file, e.g. {@code results/b1-drain.md}
     */
    public void write(Path markdown) {
        String text = toMarkdown();
        System.out.println();
        System.out.println(text);
        ResultFiles.write(markdown, text);
        System.err.println("Result written to " + markdown.toAbsolutePath());
        if (!headlines.isEmpty()) {
            HeadlineRatios.write(markdown.toAbsolutePath().getParent(), benchCase, headlines);
        }
    }
}
