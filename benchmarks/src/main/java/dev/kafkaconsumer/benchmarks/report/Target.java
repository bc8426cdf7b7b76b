package dev.kafkaconsumer.benchmarks.report;

import java.util.Objects;

import dev.kafkaconsumer.benchmarks.report.HeadlineRatio.Comparison;
import dev.kafkaconsumer.benchmarks.report.HeadlineRatio.Unit;

/**
 * What the issue asks of a headline number: at least or at most a threshold, or nothing (reported for
 * information). The one place that decides whether a value meets its target and how the target reads,
 * for the case's own tables and for the summary alike.
 *
 * @param comparison how the value must relate to the threshold
 * @param threshold  the threshold; ignored with {@link Comparison#NONE}
 * @param unit       what value and threshold are: a ratio, a difference in milliseconds, or a count
 */
public record Target(Comparison comparison, double threshold, Unit unit) {

    /** No target: the number is reported for information. */
    public static final Target NONE = new Target(Comparison.NONE, 0, Unit.RATIO);

    public Target {
        Objects.requireNonNull(comparison, "comparison");
        Objects.requireNonNull(unit, "unit");
    }

    /** A ratio that must be at least {@code threshold} (throughput ratios). */
    public static Target atLeast(double threshold) {
        return new Target(Comparison.AT_LEAST, threshold, Unit.RATIO);
    }

    /** A ratio that must be at most {@code threshold} (memory growth, wall time). */
    public static Target atMost(double threshold) {
        return new Target(Comparison.AT_MOST, threshold, Unit.RATIO);
    }

    /** A difference in milliseconds that must be at most {@code threshold} (B4's p99). */
    public static Target atMostMillis(double threshold) {
        return new Target(Comparison.AT_MOST, threshold, Unit.MILLISECONDS);
    }

    /** A count that must be at most {@code threshold} (B12's order violations: none). */
    public static Target atMostCount(long threshold) {
        return new Target(Comparison.AT_MOST, threshold, Unit.COUNT);
    }

    /**
     * Whether {@code value} meets the target: always without one, never for a value that could not be
     * measured (NaN).
     */
    public boolean met(double value) {
        return switch (comparison) {
            case AT_LEAST -> value >= threshold;
            case AT_MOST -> value <= threshold;
            case NONE -> true;
        };
    }

    /** The target as the tables show it, e.g. {@code ≥ 0.950}, {@code ≤ 5.000 ms} or {@code ≤ 0}, or {@code —} without one. */
    public String text() {
        return comparison == Comparison.NONE ? "—" : comparison.symbol() + " " + unit.format(threshold) + unit.suffix();
    }

    /**
     * How a case's own table says whether {@code value} met the target: {@code met} or, in bold, {@code not met}; an
     * empty cell without a target, where there is nothing to meet.
     */
    public String verdict(double value) {
        return comparison == Comparison.NONE ? "" : Format.verdict(met(value));
    }
}
