package dev.kafkaconsumer.benchmarks;

import java.nio.file.Path;
import java.util.List;

/**
 * What one run of a drain benchmark does, read from system properties so that the Maven profile (and
 * a person running the main class by hand) can change it without a rebuild. The topic's shape
 * (6 partitions, 100-byte values) is fixed by the issue, so that numbers from different machines
 * stay comparable. An empty property (the Maven profile passes empty ones) means the case's default.
 *
 * @param benchCase  which case runs: {@code b1} (batch API) or {@code b2} (one record per handler call)
 * @param records    how many records the topic holds; every drain reads all of them
 * @param runs       how many measured runs each contender makes, after one warm-up run
 * @param contenders which contenders run, in the order they alternate
 * @param output     where the Markdown result is written
 */
record BenchSettings(String benchCase, long records, int runs, List<String> contenders, Path output) {

    static final int PARTITIONS = 6;
    static final int VALUE_BYTES = 100;
    static final String B1 = "b1";
    static final String B2 = "b2";
    static final String RAW = "raw";
    static final String ENGINE = "engine";
    static final String CONTAINER = "container";
    static final String CONTAINER_6 = "container-c6";
    static final String SPRING_BATCH = "spring-batch";
    static final String SPRING_TIME = "spring-time";

    private static final List<String> B1_CONTENDERS = List.of(RAW, ENGINE);
    private static final List<String> B2_CONTENDERS = List.of(RAW, CONTAINER, CONTAINER_6, SPRING_BATCH, SPRING_TIME);
    /**
     * B2 without Spring's AckMode.BATCH, whose commit after every poll holds it near 75,000 records/s
     * here: 5 million records would take it over a minute per drain, most of the suite's budget. Its
     * other mode, TIME, is faster by far, so "Spring's best" is the same without it.
     */
    private static final List<String> B2_DEFAULT_CONTENDERS = List.of(RAW, CONTAINER, CONTAINER_6, SPRING_TIME);
    /** The issue's minimum wherever a case drains a topic. */
    static final long DEFAULT_RECORDS = 5_000_000;

    BenchSettings {
        if (!B1.equals(benchCase) && !B2.equals(benchCase)) {
            throw new IllegalArgumentException("bench.case is " + benchCase + "; use b1 or b2");
        }
        if (records < 1 || runs < 1) {
            throw new IllegalArgumentException("bench.records and bench.runs must be positive; were " + records
                    + " and " + runs);
        }
        contenders = List.copyOf(contenders);
        List<String> known = B1.equals(benchCase) ? B1_CONTENDERS : B2_CONTENDERS;
        if (contenders.isEmpty() || !known.containsAll(contenders)) {
            throw new IllegalArgumentException("bench.contenders is " + contenders + "; for " + benchCase
                    + " use one or more of " + String.join(",", known));
        }
    }

    /** A B1 run. */
    BenchSettings(long records, int runs, List<String> contenders, Path output) {
        this(B1, records, runs, contenders, output);
    }

    /** Reads {@code bench.*} system properties, falling back to the defaults of the case. */
    static BenchSettings fromSystemProperties() {
        String benchCase = property("bench.case", B1);
        boolean b1 = B1.equals(benchCase);
        return new BenchSettings(
                benchCase,
                Long.parseLong(property("bench.records", String.valueOf(DEFAULT_RECORDS))),
                Integer.parseInt(property("bench.runs", b1 ? "11" : "5")),
                List.of(property("bench.contenders", String.join(",", b1 ? B1_CONTENDERS : B2_DEFAULT_CONTENDERS)).split("\\s*,\\s*")),
                Path.of(property("bench.output", b1 ? "results/b1-drain.md" : "results/b2-one-per-call.md")));
    }

    /** A {@code bench.*} system property, or {@code fallback} when it is unset, empty or an unresolved Maven placeholder. */
    static String property(String name, String fallback) {
        String value = System.getProperty(name, "").trim();
        // an unset Maven property arrives as an empty string, or as its own ${...} placeholder
        return value.isEmpty() || value.startsWith("${") ? fallback : value;
    }

    /** Whether all contenders of the case run, so that every pairwise ratio exists. */
    boolean sideBySide() {
        return contenders.contains(RAW) && (contenders.contains(ENGINE) || contenders.contains(CONTAINER)
                || contenders.contains(CONTAINER_6));
    }

    /** The Maven command that reproduces this run. */
    String command() {
        StringBuilder command = new StringBuilder("mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=").append(benchCase);
        command.append(" -Dbench.records=").append(records).append(" -Dbench.runs=").append(runs);
        List<String> all = B1.equals(benchCase) ? B1_CONTENDERS : B2_DEFAULT_CONTENDERS;
        if (!contenders.equals(all)) {
            command.append(" -Dbench.contenders=").append(String.join(",", contenders));
        }
        return command.toString();
    }
}
