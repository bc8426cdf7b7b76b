package dev.kafkaconsumer.benchmarks.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads and writes the small machine-readable file of each case's {@link HeadlineRatio}s:
 * {@code results/<case>-ratios.tsv}, one ratio per line, tab-separated, after a header comment:
 *
 * <pre>
 * # case  name  value  comparison  target  measured  machine  unit
 * b1      engine / raw  1.013  AT_LEAST  0.950  2026-11-28T15:00:00Z  2 cores (AMD EPYC ...), ...  RATIO
 * </pre>
 *
 * A line without the last field (files written before it existed) is a {@link HeadlineRatio.Unit#RATIO}.
 *
 * A case replaces its own file each time it runs ({@link CaseReport#write}), so the set of files is
 * always the latest result of each case. Plain text rather than JSON, so that a case on another branch can adopt it in a few lines
 * and a person can read it in a diff.
 */
final class HeadlineRatios {

    /** A file name: the case's letters, its number (none for {@code jmh}), the rest. */
    private static final Pattern CASE = Pattern.compile("([a-z]*)([0-9]*)(.*)", Pattern.DOTALL);

    /** The suffix of the files this class writes and reads. */
    static final String SUFFIX = "-ratios.tsv";

    private static final String HEADER = "# case\tname\tvalue\tcomparison\ttarget\tmeasured\tmachine\tunit";

    private HeadlineRatios() {
    }

    /**
     * Replaces {@code <directory>/<benchCase>-ratios.tsv} with these ratios.
     *
     * @param directory the results directory, created if missing
     * @param benchCase the case whose file it is
     * @param ratios    the case's ratios, all of {@code benchCase}
     * @return the file written
     */
    static Path write(Path directory, String benchCase, List<HeadlineRatio> ratios) {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (HeadlineRatio ratio : ratios) {
            if (!ratio.benchCase().equals(benchCase)) {
                throw new IllegalArgumentException("A ratio of case " + ratio.benchCase() + " in the file of " + benchCase);
            }
            text.append(String.join("\t", ratio.benchCase(), ratio.name(), String.format(Locale.ROOT, "%.6f", ratio.value()),
                    ratio.comparison().name(), String.format(Locale.ROOT, "%.6f", ratio.target()),
                    ratio.measured().toString(), ratio.machine(), ratio.unit().name())).append('\n');
        }
        Path file = directory.resolve(benchCase + SUFFIX);
        ResultFiles.write(file, text.toString());
        return file;
    }

    /**
     * Reads every {@code *-ratios.tsv} file of a directory.
     *
     * @param directory the results directory; missing means no ratios
     * @return the ratios, ordered by case (by its number, so B9 before B11), then as each file lists them
     */
    static List<HeadlineRatio> readAll(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<HeadlineRatio> ratios = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX))
                    .sorted(Comparator.comparing((Path f) -> f.getFileName().toString(), HeadlineRatios::byCaseNumber))
                    .toList()) {
                ratios.addAll(read(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list " + directory, e);
        }
        return ratios;
    }

    /** Orders file names by their letters, then the number after them, then the rest: b9-… before b11-…. */
    static int byCaseNumber(String a, String b) {
        Matcher left = CASE.matcher(a);
        Matcher right = CASE.matcher(b);
        if (left.matches() && right.matches()) {
            int letters = left.group(1).compareTo(right.group(1));
            if (letters != 0) {
                return letters;
            }
            int number = Long.compare(number(left.group(2)), number(right.group(2)));
            if (number != 0) {
                return number;
            }
            return left.group(3).compareTo(right.group(3));
        }
        return a.compareTo(b);
    }

    private static long number(String digits) {
        return digits.isEmpty() ? -1 : Long.parseLong(digits);
    }

    /**
     * Reads one file written by {@link #write}.
     *
     * @param file the file
     * @return its ratios, in file order
     * @throws IllegalArgumentException naming the file and line that is not a ratio
     */
    static List<HeadlineRatio> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
        List<HeadlineRatio> ratios = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            try {
                if (fields.length != 7 && fields.length != 8) {
                    throw new IllegalArgumentException("expected 7 or 8 tab-separated fields, found " + fields.length);
                }
                ratios.add(new HeadlineRatio(fields[0], fields[1], Double.parseDouble(fields[2]),
                        HeadlineRatio.Comparison.valueOf(fields[3]), Double.parseDouble(fields[4]),
                        Instant.parse(fields[5]), fields[6],
                        fields.length == 8 ? HeadlineRatio.Unit.valueOf(fields[7]) : HeadlineRatio.Unit.RATIO));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " is not a headline ratio: " + e.getMessage(), e);
            }
        }
        return ratios;
    }
}
