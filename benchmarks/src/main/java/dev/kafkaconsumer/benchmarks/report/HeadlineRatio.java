package dev.kafkaconsumer.benchmarks.report;

import java.time.Instant;
import java.util.Objects;

/**
 * One headline number of a benchmark case, the way the summary shows it: a ratio and the target the
 * issue sets for it. Every case adds its ratios to its {@link CaseReport}, which writes them to the case's
 * ratio file ({@link HeadlineRatios}), and the summary ({@link SummaryReport}) reads whatever files are
 * there, so that rerunning one case updates the summary without running the others.
 *
 * @param benchCase  the case, e.g. {@code b1}
 * @param name       what is divided by what, e.g. {@code engine / raw}
 * @param value      the measured ratio (a median of pairwise ratios where the case alternates contenders)
 * @param comparison how {@code value} must relate to {@code target}
 * @param target     the ratio the issue asks for; ignored when {@code comparison} is {@link Comparison#NONE}
 * @param measured   when the case ran, UTC
 * @param machine    where it ran, on one line (see {@link MachineDescription#oneLine()})
 * @param unit       what {@code value} and {@code target} are: a ratio (most cases), milliseconds where the issue
 *                   sets its target as a difference (B4's p99), or a count (B12's order violations)
 */
public record HeadlineRatio(String benchCase, String name, double value, Comparison comparison, double target,
        Instant measured, String machine, Unit unit) {

    /** What a headline number is: the summary draws ratios on a logarithmic axis, differences and counts as text only. */
    public enum Unit {

        /** A dimensionless ratio, e.g. engine / raw throughput. */
        RATIO(""),

        /** A difference in milliseconds, which may be zero or negative, e.g. container p99 − raw p99. */
        MILLISECONDS(" ms"),

        /** A count of events that the issue asks to be zero or few, e.g. B12's order violations: written whole. */
        COUNT("");

        private final String suffix;

        Unit(String suffix) {
            this.suffix = suffix;
        }

        /** Empty for a ratio and a count, {@code " ms"} for milliseconds. */
        public String suffix() {
            return suffix;
        }

        /** A value or threshold of this unit without its suffix: three decimals, or whole for a count. */
        public String format(double value) {
            return this == COUNT && !Double.isNaN(value) ? Format.whole(value) : Format.ratio(value);
        }
    }

    /** How a ratio must relate to its target. */
    public enum Comparison {

        /** The ratio must be at least the target (throughput ratios). */
        AT_LEAST("≥"),

        /** The ratio must be at most the target (memory growth, latency). */
        AT_MOST("≤"),

        /** No target: the ratio is reported for information. */
        NONE("");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        /** {@code ≥}, {@code ≤}, or empty for {@link #NONE}. */
        public String symbol() {
            return symbol;
        }
    }

    public HeadlineRatio {
        Objects.requireNonNull(benchCase, "benchCase");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(comparison, "comparison");
        Objects.requireNonNull(measured, "measured");
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(unit, "unit");
        if (benchCase.isBlank() || name.isBlank() || (benchCase + name + machine).matches("(?s).*[\t\n\r].*")) {
            throw new IllegalArgumentException("case, name and machine must be non-blank single lines without tabs; were '"
                    + benchCase + "', '" + name + "', '" + machine + "'");
        }
    }

    /** A ratio: what every case but B4 reports. */
    public HeadlineRatio(String benchCase, String name, double value, Comparison comparison, double target, Instant measured,
            String machine) {
        this(benchCase, name, value, comparison, target, measured, machine, Unit.RATIO);
    }

    /** What the issue asks of this number. */
    public Target goal() {
        return new Target(comparison, target, unit);
    }

    /**
     * Whether the target is met; always true without a target, false for a ratio that could not be measured (NaN).
     *
     * @return whether {@code value} satisfies {@code comparison target}
     */
    public boolean met() {
        return goal().met(value);
    }

    /** The target as the tables show it, e.g. {@code ≥ 0.950} or {@code ≤ 5.000 ms}, or {@code —} without one. */
    public String targetText() {
        return goal().text();
    }

    /** The value as the tables show it, e.g. {@code 1.013}, {@code -0.250 ms} or, for a count, {@code 0}. */
    public String valueText() {
        return unit.format(value) + unit.suffix();
    }

    /** {@code met}, {@code not met}, or {@code —} without a target. */
    public String verdict() {
        return comparison == Comparison.NONE ? "—" : met() ? "met" : "not met";
    }
}
