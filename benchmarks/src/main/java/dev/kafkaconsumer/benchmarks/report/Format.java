package dev.kafkaconsumer.benchmarks.report;

import java.util.Locale;

/**
 * How the cells of every result file write their numbers, in one place so that a ratio reads the same
 * in every case and in the summary. All formats use {@link Locale#ROOT}.
 */
public final class Format {

    private Format() {
    }

    /** A ratio with three decimals, e.g. {@code 1.013}; {@code NaN} when not measured. */
    public static String ratio(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** A rate or another large number, whole, with thousands separators, e.g. {@code 4,928,117}; {@code NaN} when not measured. */
    public static String rate(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    /** Two decimals, e.g. seconds ({@code 0.49}) or milliseconds ({@code 4.03}); {@code NaN} when not measured. */
    public static String hundredths(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** A whole number without separators, e.g. seconds a case took ({@code 181}). */
    public static String whole(double value) {
        return String.format(Locale.ROOT, "%.0f", value);
    }

    /** One decimal, e.g. {@code 2.6}. */
    public static String tenths(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** A whole number with thousands separators, or {@code —} when not measured (NaN), e.g. MiB or milliseconds. */
    public static String wholeOrDash(double value) {
        return Double.isNaN(value) ? "—" : rate(value);
    }

    /** A count with thousands separators, e.g. {@code 10,000}. */
    public static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** Markdown bold. */
    public static String bold(String text) {
        return "**" + text + "**";
    }

    /** {@code met}, or {@code not met} in bold so that a miss stands out. */
    public static String verdict(boolean met) {
        return met ? "met" : bold("not met");
    }
}
