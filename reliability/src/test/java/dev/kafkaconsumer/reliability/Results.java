package dev.kafkaconsumer.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The results table of a test run, {@code results.md}: one row per scenario and group protocol with the
 * {@link CheckResult} counts and a note of what else the scenario measured.
 *
 * <p>A test adopts it with one line: it declares a {@code Results} parameter (the class is extended
 * with {@code @ExtendWith(Results.Extension.class)}) and calls
 * {@code results.record("R6", protocol, check, "no rebalance: yes")}. Every row is printed at once; the
 * file is written when the test run ends, and only when the system property
 * {@value #FILE_PROPERTY} names it (the {@code reliability-full} profile does), so that the normal build
 * never rewrites the committed table. A run of some scenarios replaces their rows and keeps the rest.
 */
final class Results implements AutoCloseable {

    /** The system property naming the file to write. */
    static final String FILE_PROPERTY = "reliability.results";

    private final Instant started = Instant.now();
    private final List<Row> rows = new ArrayList<>();

    /**
     * Adds a row.
     *
     * @param scenario the scenario, such as {@code R1 rolling restart}
     * @param protocol the group protocol, or {@code -} when no group is involved
     * @param result   the checker's counts
     * @param notes    what else the scenario measured, such as {@code no rebalance: yes}
     */
    synchronized void record(String scenario, String protocol, CheckResult result, String notes) {
        add(new Row(scenario, protocol, result, notes));
    }

    /**
     * Adds a row for a scenario that judges no event logs (such as a wrong password): the counts show as {@code -}.
     *
     * @param scenario the scenario
     * @param protocol the group protocol, or {@code -}
     * @param notes    what the scenario measured
     */
    synchronized void note(String scenario, String protocol, String notes) {
        add(new Row(scenario, protocol, null, notes));
    }

    private void add(Row row) {
        rows.add(row);
        System.out.println(header() + "\n" + row.markdown());
    }

    private static String header() {
        return "| scenario | protocol | acknowledged | processed | lost | duplicated | non-monotonic | skipped "
                + "| commits above unprocessed | notes |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---|";
    }

    /** Writes the table when {@value #FILE_PROPERTY} is set; JUnit calls it when the run ends. */
    @Override
    public synchronized void close() {
        String file = System.getProperty(FILE_PROPERTY);
        if (file == null || file.isBlank() || rows.isEmpty()) {
            return;
        }
        Path path = Path.of(file);
        // a run of some scenarios replaces their rows and keeps the others' from earlier runs
        Map<String, String> table = new TreeMap<>(earlierRows(path));
        rows.forEach(row -> table.put(row.scenario() + " | " + row.protocol(), row.markdown()));
        StringBuilder text = new StringBuilder("# Reliability results\n\n");
        text.append("Written by `mvn -B -pl reliability -am verify -Preliability-full`. Last run ")
                .append(started.truncatedTo(ChronoUnit.SECONDS)).append(" (UTC): ").append(rows.size()).append(" row(s), ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, load average ")
                .append(String.format("%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
                .append(" at its end, its tests took ").append(Duration.between(started, Instant.now()).toSeconds())
                .append(" s. See README.md for what each scenario does and what each count means.\n\n");
        text.append(header()).append('\n');
        table.values().forEach(row -> text.append(row).append('\n'));
        try {
            Files.writeString(path, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    /** The rows of the table in the file, by scenario and protocol; none when there is no file. */
    private static Map<String, String> earlierRows(Path file) {
        Map<String, String> rows = new TreeMap<>();
        try {
            if (Files.exists(file)) {
                Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(Results::isRow)
                        .forEach(line -> {
                            String[] cells = line.split(" \\| ", 3);
                            rows.put(cells[0].substring(2) + " | " + cells[1], line);
                        });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
        return rows;
    }

    /** A row of the table: not its header, nor its separator (rows of every scenario letter, R, S, E, are kept). */
    private static boolean isRow(String line) {
        return line.startsWith("| ") && !line.startsWith("| scenario |");
    }

    private record Row(String scenario, String protocol, CheckResult result, String notes) {

        String markdown() {
            return result == null ? "| " + scenario + " | " + protocol + " | - | - | - | - | - | - | - | " + notes + " |"
                    : result.markdownRow(scenario + " | " + protocol) + " " + notes + " |";
        }
    }

    /** Hands tests the one {@link Results} of the run, which JUnit closes when the run ends. */
    static final class Extension implements ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Results.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Results.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(NAMESPACE).computeIfAbsent(Results.class, type -> new Results(), Results.class);
        }
    }
}
