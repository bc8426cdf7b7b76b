package dev.kafkaconsumer.benchmarks.harness;

import java.util.Locale;

/**
 * The progress log of a case: one line per step on standard error, so that standard output carries the
 * result alone.
 */
public final class Progress {

    private Progress() {
    }

    /**
     * Prints a line, formatted with {@link Locale#ROOT}.
     *
     * @param format a {@link String#format} pattern
     * @param args   its arguments
     */
    public static void log(String format, Object... args) {
        System.err.println(String.format(Locale.ROOT, format, args));
    }
}
