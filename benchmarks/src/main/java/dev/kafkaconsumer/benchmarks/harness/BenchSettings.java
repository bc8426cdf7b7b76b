package dev.kafkaconsumer.benchmarks.harness;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What one run of a case that measures contenders side by side (B1 to B4) does, read from system
 * properties so that the Maven profile (and a person running a main class by hand) can change it without a
 * rebuild. Each case declares its {@link Defaults}; an empty property (the Maven profile passes empty ones)
 * means the case's default. The topics' shape (6 partitions, 100-byte values) is fixed by the issue, so
 * that numbers from different machines stay comparable.
 *
 * @param defaults   the case and what it does unless told otherwise
 * @param records    how many records a topic holds (every drain reads all of them); in B3 per topic, in
 *                   B4 per measured run
 * @param runs       how many measured runs each contender makes, after one warm-up run
 * @param contenders which contenders run, in the order they alternate
 * @param output     where the Markdown result is written
 * @param groupProtocol the {@code group.protocol} every contender's consumer uses ({@code classic} or {@code consumer},
 *                   from {@code -Dbench.groupProtocol}, see {@link DrainProperties#groupProtocol()}), or null for
 *                   kafka-clients' default (and for a run that alternates both: each protocol's result gets settings
 *                   {@link #withGroupProtocol with} its own)
 */
public record BenchSettings(Defaults defaults, long records, int runs, List<String> contenders, Path output,
        String groupProtocol) {

    /** Partitions of every drained topic. */
    public static final int PARTITIONS = 6;
    /** Bytes of every record's value. */
    public static final int VALUE_BYTES = 100;
    /** The contender every throughput and latency case compares with: a plain {@code KafkaConsumer} poll loop. */
    public static final String RAW = "raw";
    /** The contender the cases are about: a {@code ConsumerContainer}. */
    public static final String CONTAINER = "container";

    /**
     * What a case does unless told otherwise.
     *
     * @param benchCase  the case, e.g. {@code b1}
     * @param records    default {@code bench.records}
     * @param runs       default {@code bench.runs}
     * @param known      every contender of the case, in the order they alternate
     * @param contenders the contenders that run unless {@code bench.contenders} says otherwise
     * @param output     default {@code bench.output}, relative to the module
     */
    public record Defaults(String benchCase, long records, int runs, List<String> known, List<String> contenders, String output) {

        public Defaults {
            Objects.requireNonNull(benchCase, "benchCase");
            known = List.copyOf(known);
            contenders = List.copyOf(contenders);
        }

        /** A case whose every contender runs by default. */
        public Defaults(String benchCase, long records, int runs, List<String> contenders, String output) {
            this(benchCase, records, runs, contenders, contenders, output);
        }

        /** Reads the {@code bench.*} system properties, falling back to these defaults. */
        public BenchSettings fromSystemProperties() {
            return new BenchSettings(this,
                    Long.parseLong(property("bench.records", String.valueOf(records))),
                    Integer.parseInt(property("bench.runs", String.valueOf(runs))),
                    List.of(property("bench.contenders", String.join(",", contenders)).split("\\s*,\\s*")),
                    Path.of(property("bench.output", output)),
                    DrainProperties.groupProtocols().size() == 1 ? DrainProperties.groupProtocols().get(0) : null);
        }

        /** Settings with these records, runs and contenders, written to the default output, under kafka-clients' default group protocol. */
        public BenchSettings with(long records, int runs, List<String> contenders) {
            return new BenchSettings(this, records, runs, contenders, Path.of(output), null);
        }
    }

    public BenchSettings {
        Objects.requireNonNull(defaults, "defaults");
        if (records < 1 || runs < 1) {
            throw new IllegalArgumentException("bench.records and bench.runs must be positive; were " + records
                    + " and " + runs);
        }
        contenders = List.copyOf(contenders);
        if (groupProtocol != null && !groupProtocol.equals("classic") && !groupProtocol.equals("consumer")) {
            throw new IllegalArgumentException("group protocol is " + groupProtocol + "; use classic, consumer or null");
        }
        if (contenders.isEmpty() || !defaults.known().containsAll(contenders)) {
            throw new IllegalArgumentException("bench.contenders is " + contenders + "; for " + defaults.benchCase()
                    + " use one or more of " + String.join(",", defaults.known()));
        }
    }

    /** These settings under the given group protocol ({@code classic} or {@code consumer}; null for kafka-clients' default). */
    public BenchSettings withGroupProtocol(String protocol) {
        return new BenchSettings(defaults, records, runs, contenders, output, protocol);
    }

    /**
     * A result's heading: {@code title}, followed by the group protocol when the run chose one, e.g.
     * {@code B1: drain a topic, ... (group.protocol=consumer)}; without a choice, the title alone (kafka-clients' default).
     */
    public String heading(String title) {
        return groupProtocol == null ? title : title + " (group.protocol=" + groupProtocol + ")";
    }

    /** The case, e.g. {@code b1}. */
    public String benchCase() {
        return defaults.benchCase();
    }

    /** The Maven command that reproduces this run. */
    public String command() {
        StringBuilder command = new StringBuilder("mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=").append(benchCase());
        command.append(" -Dbench.records=").append(records).append(" -Dbench.runs=").append(runs);
        if (!contenders.equals(defaults.contenders())) {
            command.append(" -Dbench.contenders=").append(String.join(",", contenders));
        }
        if (groupProtocol != null) {
            command.append(" -D").append(DrainProperties.GROUP_PROTOCOL).append('=').append(groupProtocol);
        }
        return command.toString();
    }

    /** A {@code bench.*} system property, or {@code fallback} when it is unset, empty or an unresolved Maven placeholder. */
    public static String property(String name, String fallback) {
        String value = System.getProperty(name, "").trim();
        // an unset Maven property arrives as an empty string, or as its own ${...} placeholder
        return value.isEmpty() || value.startsWith("${") ? fallback : value;
    }
}
