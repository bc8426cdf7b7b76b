package dev.kafkaconsumer.benchmarks;

import java.nio.file.Path;
import java.util.List;

/**
 * What one run of the B1 drain benchmark does, read from system properties so that the Maven
 * profile (and a person running the main class by hand) can change it without a rebuild. The
 * topic's shape (6 partitions, 100-byte values) is fixed by the issue, so that numbers from
 * different machines stay comparable.
 *
 * @param records    how many records the topic holds; every drain reads all of them
 * @param runs       how many measured runs each contender makes, after one warm-up run
 * @param contenders which contenders run ({@code raw}, {@code engine}), in the order they alternate
 * @param output     where the Markdown result is written
 */
record BenchSettings(long records, int runs, List<String> contenders, Path output) {

    static final int PARTITIONS = 6;
    static final int VALUE_BYTES = 100;
    static final String RAW = "raw";
    static final String ENGINE = "engine";

    BenchSettings {
        if (records < 1 || runs < 1) {
            throw new IllegalArgumentException("bench.records and bench.runs must be positive; were " + records
                    + " and " + runs);
        }
        contenders = List.copyOf(contenders);
        if (contenders.isEmpty() || contenders.stream().anyMatch(c -> !c.equals(RAW) && !c.equals(ENGINE))) {
            throw new IllegalArgumentException("bench.contenders is " + contenders + "; use raw, engine or raw,engine");
        }
    }

    /** Reads {@code bench.*} system properties, falling back to the defaults of the Maven profile. */
    static BenchSettings fromSystemProperties() {
        return new BenchSettings(
                Long.getLong("bench.records", 10_000_000L),
                Integer.getInteger("bench.runs", 11),
                List.of(System.getProperty("bench.contenders", RAW + "," + ENGINE).trim().split("\\s*,\\s*")),
                Path.of(System.getProperty("bench.output", "results/b1-drain.md")));
    }

    /** Whether both contenders run, so that pairwise ratios exist. */
    boolean sideBySide() {
        return contenders.contains(RAW) && contenders.contains(ENGINE);
    }

    /** The Maven command that reproduces this run. */
    String command() {
        StringBuilder command = new StringBuilder("mvn -B -pl benchmarks -am verify -Pbench -DskipTests");
        command.append(" -Dbench.records=").append(records).append(" -Dbench.runs=").append(runs);
        if (!sideBySide()) {
            command.append(" -Dbench.contenders=").append(String.join(",", contenders));
        }
        return command.toString();
    }
}
