package dev.kafkaconsumer.benchmarks;

import java.nio.file.Path;
import java.util.List;

/**
 * What one run of a drain benchmark does, read from system properties so that the Maven profile (and
 * a person running the main class by hand) can change it without a rebuild. The topic's shape
 * (6 partitions, 100-byte values) is fixed by the issue, so that numbers from different machines
 * stay comparable. An empty property (the Maven profile passes empty ones) means the case's default.
 *
 * @param benchCase  which case runs: {@code b1} (batch API), {@code b2} (one record per handler call),
 *                   {@code b3} (slow handler) or {@code b4} (end-to-end latency)
 * @param records    how many records the topic holds (every drain reads all of them); in B4, how many
 *                   records each measured run produces at the fixed rate
 * @param runs       how many measured runs each contender makes, after one warm-up run
 * @param contenders which contenders run, in the order they alternate
 * @param output     where the Markdown result is written
 */
record BenchSettings(String benchCase, long records, int runs, List<String> contenders, Path output) {

    static final int PARTITIONS = 6;
    static final int VALUE_BYTES = 100;
    static final String B1 = "b1";
    static final String B2 = "b2";
    static final String B3 = "b3";
    static final String B4 = "b4";
    static final String RAW = "raw";
    static final String ENGINE = "engine";
    static final String CONTAINER = "container";
    static final String CONTAINER_6 = "container-c6";
    static final String SPRING_BATCH = "spring-batch";
    static final String SPRING_TIME = "spring-time";
    static final String SPRING = "spring";
    static final String PARALLEL_CONSUMER = "pc";

    /** The issue's minimum wherever a case drains a topic. */
    static final long DEFAULT_RECORDS = 5_000_000;

    /**
     * What a case does unless told otherwise.
     *
     * @param records    default {@code bench.records}
     * @param runs       default {@code bench.runs}
     * @param known      every contender of the case, in the order they alternate
     * @param contenders the contenders that run unless {@code bench.contenders} says otherwise
     * @param output     default {@code bench.output}, relative to the module
     */
    private record CaseDefaults(long records, int runs, List<String> known, List<String> contenders, String output) {

        CaseDefaults(long records, int runs, List<String> contenders, String output) {
            this(records, runs, contenders, contenders, output);
        }
    }

    private static CaseDefaults defaults(String benchCase) {
        return switch (benchCase) {
            case B1 -> new CaseDefaults(DEFAULT_RECORDS, 11, List.of(RAW, ENGINE), "results/b1-drain.md");
            /*
             * B2 runs without Spring's AckMode.BATCH unless asked: its commit after every poll holds it near
             * 75,000 records/s here, so 5 million records would take it over a minute per drain, most of the
             * suite's budget. Its other mode, TIME, is faster by far, so "Spring's best" is the same without it.
             */
            case B2 -> new CaseDefaults(DEFAULT_RECORDS, 5, List.of(RAW, CONTAINER, CONTAINER_6, SPRING_BATCH, SPRING_TIME),
                    List.of(RAW, CONTAINER, CONTAINER_6, SPRING_TIME), "results/b2-one-per-call.md");
            case B3 -> new CaseDefaults(20_000, 5, List.of(CONTAINER, SPRING, PARALLEL_CONSUMER), "results/b3-slow-handler.md");
            case B4 -> new CaseDefaults(100_000, 5, List.of(RAW, CONTAINER), "results/b4-latency.md");
            default -> throw new IllegalArgumentException("bench.case is " + benchCase + "; use b1, b2, b3 or b4");
        };
    }

    BenchSettings {
        CaseDefaults defaults = defaults(benchCase);
        if (records < 1 || runs < 1) {
            throw new IllegalArgumentException("bench.records and bench.runs must be positive; were " + records
                    + " and " + runs);
        }
        if (B4.equals(benchCase) && records <= LatencyBenchmark.SETTLE_RECORDS) {
            // B4 leaves the first SETTLE_RECORDS of each run out: with no more, its histograms would be empty
            throw new IllegalArgumentException("bench.records for b4 must exceed " + LatencyBenchmark.SETTLE_RECORDS
                    + " (the records of each run that are left out while it settles); was " + records);
        }
        contenders = List.copyOf(contenders);
        List<String> known = defaults.known();
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
        CaseDefaults defaults = defaults(benchCase);
        return new BenchSettings(
                benchCase,
                Long.parseLong(property("bench.records", String.valueOf(defaults.records()))),
                Integer.parseInt(property("bench.runs", String.valueOf(defaults.runs()))),
                List.of(property("bench.contenders", String.join(",", defaults.contenders())).split("\\s*,\\s*")),
                Path.of(property("bench.output", defaults.output())));
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
        List<String> all = defaults(benchCase).contenders();
        if (!contenders.equals(all)) {
            command.append(" -Dbench.contenders=").append(String.join(",", contenders));
        }
        return command.toString();
    }
}
