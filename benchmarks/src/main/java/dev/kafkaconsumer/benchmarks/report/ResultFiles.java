package dev.kafkaconsumer.benchmarks.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the result files of the cases and of the summary, creating their folder first. */
final class ResultFiles {

    private ResultFiles() {
    }

    /**
     * Writes a result file as UTF-8, replacing what was there.
     *
     * @param file the file
     * @param text its content
     * @throws UncheckedIOException if it cannot be written
     */
    static void write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }
}
