package dev.kafkaconsumer.benchmarks.drain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import org.springframework.kafka.listener.ContainerProperties;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;
import dev.kafkaconsumer.test.BrokerCertificate;
import dev.kafkaconsumer.benchmarks.harness.ContainerDrain;
import dev.kafkaconsumer.benchmarks.harness.CpuClock;
import dev.kafkaconsumer.benchmarks.harness.Drain;
import dev.kafkaconsumer.benchmarks.harness.DrainProperties;
import dev.kafkaconsumer.benchmarks.harness.DrainTiming;
import dev.kafkaconsumer.benchmarks.harness.ExternalBroker;
import dev.kafkaconsumer.benchmarks.harness.Progress;
import dev.kafkaconsumer.benchmarks.harness.RecordWork;
import dev.kafkaconsumer.benchmarks.harness.SpringContainerDrain;
import dev.kafkaconsumer.benchmarks.harness.TopicLoader;
import dev.kafkaconsumer.benchmarks.report.CaseReport;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;
import dev.kafkaconsumer.core.ConsumerEngine;

/**
 * B1 and B2, the side-by-side drains. B1: how fast a {@code ConsumerEngine} reads a topic from the beginning,
 * compared with a raw {@code KafkaConsumer} poll loop reading the same data with the same settings.
 * The engine adds a thread and a buffer between the consumer and the application; B1 shows what that
 * costs where it would hurt most, when the application does almost nothing per record ({@link BatchDrainTable}).
 *
 * <p>B2 ({@code -Dbench.case=b2}) hands the records to a handler one at a time: a
 * {@code ConsumerContainer}, Spring for Apache Kafka's listener container and a raw poll loop calling a
 * handler per record; see {@link OnePerCallTable}.
 *
 * <p>The broker runs in a child JVM; the topic is filled once; each contender drains it once to warm
 * up, then the contenders alternate (raw, engine, raw, engine...) so that a slow phase of the machine
 * hits both alike. Progress goes to standard error; the Markdown table goes to standard output and to
 * {@code bench.output}.
 *
 * <pre>
 * mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b1 [-Dbench.records=5000000] [-Dbench.runs=11]
 * </pre>
 */
public final class DrainBenchmark {

    static final String ENGINE = "engine";
    static final String CONTAINER_6 = "container-c6";
    static final String SPRING_BATCH = "spring-batch";
    static final String SPRING_TIME = "spring-time";
    static final String SPRING_6 = "spring-c6";
    /** B2's raw poll loop handing each poll to one handler thread: the floor of any hand-off ({@link RawHandOffDrain}). */
    static final String RAW_HAND_OFF = "raw-handoff";

    /**
     * How many drains each contender makes before the measured ones ({@code -Dbench.warmups}, 1 by default). The JIT
     * still compiles a container's code in its 3rd to 5th drain of 3 million records (the compiler threads' CPU shows in
     * the consumer JVM's), and raw's, which is less code, sooner; more warm-up drains measure the steady state.
     *
     * @throws IllegalArgumentException when it is not a whole number of at least 1
     */
    static int warmUps() {
        String value = BenchSettings.property("bench.warmups", "1");
        try {
            int warmUps = Integer.parseInt(value);
            if (warmUps >= 1) {
                return warmUps;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("bench.warmups is " + value + "; use a whole number of at least 1");
    }

    /** The issue's minimum wherever a case drains a topic. */
    static final long DEFAULT_RECORDS = 5_000_000;

    /** B1: raw and engine alternate for 11 measured drains of 5 million records. */
    static final BenchSettings.Defaults B1 = new BenchSettings.Defaults("b1", DEFAULT_RECORDS, 11,
            List.of(BenchSettings.RAW, ENGINE), "results/b1-drain.md");
    /**
     * B2: every way of calling a handler once per record, 5 measured rounds. It runs without Spring's
     * AckMode.BATCH unless asked: its commit after every poll holds it near 75,000 records/s here, so 5 million
     * records would take it over a minute per drain, most of the suite's budget. Its other mode, TIME, is faster
     * by far, so "Spring's best" is the same without it.
     */
    static final BenchSettings.Defaults B2 = new BenchSettings.Defaults("b2", DEFAULT_RECORDS, 5,
            List.of(BenchSettings.RAW, RAW_HAND_OFF, BenchSettings.CONTAINER, CONTAINER_6, SPRING_BATCH, SPRING_TIME),
            List.of(BenchSettings.RAW, RAW_HAND_OFF, BenchSettings.CONTAINER, CONTAINER_6, SPRING_TIME), "results/b2-one-per-call.md");

    /**
     * B10: decoding that costs CPU ({@link CostlyDeserializer}), one record per handler call, 5 measured rounds of a
     * million records (at the 150,000–200,000 records/s of a raw loop here, about 6 s a drain).
     */
    static final BenchSettings.Defaults B10 = new BenchSettings.Defaults("b10", 1_000_000, 5,
            List.of(BenchSettings.RAW, ENGINE, CONTAINER_6, SPRING_6), "results/b10-decoding.md");

    private final BenchSettings settings;
    private final String topic;
    /**
     * What the drains alternate, in order: the group protocols they run under (one null entry for kafka-clients' default),
     * or, in B1 over TLS, {@value #PLAINTEXT} and {@value #TLS}.
     */
    private final List<String> protocols;
    /** The drains of each protocol, in the order of {@link #protocols}, each by contender. */
    private final List<Map<String, Drain>> drains = new ArrayList<>();
    /** The broker's certificate when some drains go through its TLS listener (B1 over TLS), else null. */
    private final BrokerCertificate certificate;

    /** B1 over TLS: every contender through the broker's plaintext listener and through its TLS listener, alternated. */
    private DrainBenchmark(BenchSettings settings, BrokerCertificate certificate) {
        this.settings = settings;
        this.topic = settings.benchCase() + "-drain";
        this.protocols = List.of(PLAINTEXT, TLS);
        this.certificate = certificate;
        String groupProtocol = DrainProperties.groupProtocol().orElse(null);
        for (Map<String, ?> transport : List.of(Map.<String, Object>of(), certificate.clientProperties())) {
            Map<String, Drain> byContender = new LinkedHashMap<>();
            for (String contender : settings.contenders()) {
                byContender.put(contender, switch (contender) {
                    case BenchSettings.RAW -> new RawConsumerDrain(groupProtocol, transport);
                    case ENGINE -> new EngineDrain(groupProtocol, ByteArrayDeserializer::new, transport);
                    default -> throw new IllegalArgumentException("B1 over TLS has no contender " + contender);
                });
            }
            drains.add(byContender);
        }
    }

    private DrainBenchmark(BenchSettings settings, List<String> protocols) {
        this.settings = settings;
        this.topic = settings.benchCase() + "-drain";
        this.protocols = protocols.isEmpty() ? Collections.singletonList(null) : List.copyOf(protocols);
        this.certificate = null;
        for (String protocol : this.protocols) {
            Map<String, Drain> byContender = new LinkedHashMap<>();
            for (String contender : settings.contenders()) {
                byContender.put(contender, drain(settings.benchCase(), contender, protocol));
            }
            drains.add(byContender);
        }
    }

    /**
     * The drain of a contender under a group protocol.
     *
     * @param benchCase {@code b1} or {@code b2}
     * @param contender the contender
     * @param protocol  {@code classic} or {@code consumer}, or null for kafka-clients' default
     */
    static Drain drain(String benchCase, String contender, String protocol) {
        if (B10.benchCase().equals(benchCase)) {
            return decodingDrain(contender, protocol);
        }
        return switch (contender) {
            case BenchSettings.RAW -> B1.benchCase().equals(benchCase) ? new RawConsumerDrain(protocol) : new RawHandlerDrain(protocol);
            case ENGINE -> new EngineDrain(protocol);
            case RAW_HAND_OFF -> new RawHandOffDrain(protocol);
            case BenchSettings.CONTAINER -> new ContainerDrain(contender, 1).groupProtocol(protocol);
            case CONTAINER_6 -> new ContainerDrain(contender, BenchSettings.PARTITIONS).groupProtocol(protocol);
            case SPRING_BATCH -> new SpringContainerDrain(contender, ContainerProperties.AckMode.BATCH).groupProtocol(protocol);
            case SPRING_TIME -> new SpringContainerDrain(contender, ContainerProperties.AckMode.TIME).groupProtocol(protocol);
            default -> throw new IllegalArgumentException("Unknown contender " + contender);
        };
    }

    /**
     * The drain of a B10 contender: each decodes values with its own {@link CostlyDeserializer} and hands the records to
     * a handler that only counts them; the containers at concurrency 6 (one worker, or one consumer, per partition),
     * Spring's with {@code AckMode.TIME}, its best mode in B2.
     */
    private static Drain decodingDrain(String contender, String protocol) {
        return switch (contender) {
            case BenchSettings.RAW -> new RawHandlerDrain(protocol, CostlyDeserializer::new);
            case ENGINE -> new EngineDrain(protocol, CostlyDeserializer::new);
            case CONTAINER_6 -> new ContainerDrain(contender, BenchSettings.PARTITIONS).groupProtocol(protocol)
                    .valueDeserializer(CostlyDeserializer::new);
            case SPRING_6 -> new SpringContainerDrain(contender, ContainerProperties.AckMode.TIME, BenchSettings.PARTITIONS,
                    RecordWork.COUNT).groupProtocol(protocol).valueDeserializer(CostlyDeserializer::new);
            default -> throw new IllegalArgumentException("Unknown contender " + contender);
        };
    }

    /**
     * Runs the case named by {@code bench.case} ({@code b1} by default, or {@code b2}) with the
     * {@code bench.*} system properties, and writes its result. With {@code -Dbench.groupProtocol=classic,consumer}
     * every contender runs under both protocols, alternated within each round; each protocol's result goes to a
     * directory of its own beside {@code bench.output} ({@code classic/}, {@code consumer/}), and the comparison of
     * the protocols to {@code <case>-protocols.md} there ({@link ProtocolTable}).
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        String benchCase = BenchSettings.property("bench.case", B1.benchCase());
        if (benchCase.endsWith(PROTOCOLS_SUFFIX)) {
            protocols(benchCase);
            return;
        }
        if (benchCase.equals(B1_TLS)) {
            tls();
            return;
        }
        BenchSettings settings = switch (benchCase) {
            case "b1" -> B1.fromSystemProperties();
            case "b2" -> B2.fromSystemProperties();
            case "b10" -> B10.fromSystemProperties();
            default -> throw new IllegalArgumentException("bench.case is " + benchCase + "; DrainBenchmark runs b1, b2 or b10");
        };
        List<String> protocols = DrainProperties.groupProtocols();
        // what B10's decoding costs alone, on one thread, measured before the broker starts
        double decodingNanos = settings.benchCase().equals(B10.benchCase())
                ? CostlyDeserializer.nanosPerRecord(BenchSettings.VALUE_BYTES, 50_000) : Double.NaN;
        MachineDescription machine = MachineDescription.current();
        List<Map<String, List<DrainTiming>>> measured = new DrainBenchmark(settings, protocols).run();
        MachineDescription ended = machine.ended();
        if (protocols.size() < 2) {
            report(settings, ended, measured.get(0), decodingNanos).write(settings.output());
            return;
        }
        Path directory = settings.output().toAbsolutePath().getParent();
        for (int i = 0; i < protocols.size(); i++) {
            report(settings.withGroupProtocol(protocols.get(i)), ended, measured.get(i), decodingNanos)
                    .write(directory.resolve(protocols.get(i)).resolve(settings.output().getFileName()));
        }
        new ProtocolTable(settings, ended, protocols, measured).report()
                .write(directory.resolve(settings.benchCase() + ProtocolTable.FILE_SUFFIX));
    }

    /** The suite's cases that run B1 or B2 under both group protocols: {@code b1-protocols}, {@code b2-protocols}. */
    static final String PROTOCOLS_SUFFIX = "-protocols";

    /**
     * B1 or B2 under {@code classic} and {@code consumer}, alternated within each round (issue 17, item 3), as the suite's
     * case {@code b1-protocols} or {@code b2-protocols}: each protocol's result goes to {@code results/protocols/<protocol>/},
     * the comparison, with each contender against raw under each protocol as headlines, to {@code results/<case>.md}
     * (or {@code bench.output}).
     */
    private static void protocols(String suiteCase) {
        BenchSettings settings = switch (suiteCase) {
            case "b1-protocols" -> B1.fromSystemProperties();
            case "b2-protocols" -> B2.fromSystemProperties();
            default -> throw new IllegalArgumentException("bench.case is " + suiteCase + "; use b1-protocols or b2-protocols");
        };
        List<String> protocols = List.of("classic", "consumer");
        Path output = Path.of(BenchSettings.property("bench.output", CaseReport.RESULTS.resolve(suiteCase + ".md").toString()));
        MachineDescription machine = MachineDescription.current();
        List<Map<String, List<DrainTiming>>> measured = new DrainBenchmark(settings, protocols).run();
        MachineDescription ended = machine.ended();
        Path directory = output.toAbsolutePath().getParent().resolve("protocols");
        for (int i = 0; i < protocols.size(); i++) {
            report(settings.withGroupProtocol(protocols.get(i)), ended, measured.get(i), Double.NaN)
                    .write(directory.resolve(protocols.get(i)).resolve(settings.output().getFileName()));
        }
        new ProtocolTable(settings, ended, protocols, measured, suiteCase).report().write(output);
    }

    /** The suite's case that runs B1 over TLS and over plaintext, alternated. */
    static final String B1_TLS = "b1-tls";
    /** The label of the drains through the broker's plaintext listener in B1 over TLS. */
    static final String PLAINTEXT = "plaintext";
    /** The label of the drains through the broker's TLS listener. */
    static final String TLS = "tls";

    /**
     * B1 over TLS (issue 17, item 3), the suite's case {@code b1-tls}: the harness makes a self-signed certificate for the
     * run ({@link BrokerCertificate}), the broker serves it on an {@code SSL} listener beside its plaintext one, and every
     * contender drains the same topic through both, alternated within each round, so that the result shows each
     * contender against raw over TLS and what TLS costs each of them ({@link TlsTable}, {@code results/b1-tls.md}).
     */
    private static void tls() {
        BenchSettings settings = B1.fromSystemProperties();
        Path output = Path.of(BenchSettings.property("bench.output", CaseReport.RESULTS.resolve(B1_TLS + ".md").toString()));
        Path directory;
        try {
            directory = Files.createTempDirectory("b1-tls-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not make a directory for the broker's certificate", e);
        }
        try {
            BrokerCertificate certificate = BrokerCertificate.create(directory);
            MachineDescription machine = MachineDescription.current();
            List<Map<String, List<DrainTiming>>> measured = new DrainBenchmark(settings, certificate).run();
            new TlsTable(settings, machine.ended(), measured.get(0), measured.get(1)).report().write(output);
        } finally {
            deleteRecursively(directory);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            Progress.log("Could not delete %s: %s", directory, e);
        }
    }

    private static CaseReport report(BenchSettings settings, MachineDescription machine, Map<String, List<DrainTiming>> runs,
            double decodingNanos) {
        return switch (settings.benchCase()) {
            case "b1" -> new BatchDrainTable(settings, machine, runs).report();
            case "b10" -> new DecodingTable(settings, machine, runs, decodingNanos).report();
            default -> new OnePerCallTable(settings, machine, runs).report();
        };
    }

    private List<Map<String, List<DrainTiming>>> run() {
        try (ExternalBroker broker = certificate == null ? ExternalBroker.launch() : ExternalBroker.launch(certificate)) {
            String bootstrap = broker.bootstrapServers();
            List<String> bootstraps = protocols.stream().map(variant -> TLS.equals(variant) ? broker.tlsBootstrapServers() : bootstrap)
                    .toList();
            CpuClock cpu = new CpuClock(broker.process());
            Progress.log("ConsumerEngine from %s", ConsumerEngine.class.getProtectionDomain().getCodeSource().getLocation());
            Progress.log("Broker JVM ready at %s; producing %,d records of %d bytes to %d partitions",
                    bootstrap, settings.records(), BenchSettings.VALUE_BYTES, BenchSettings.PARTITIONS);
            long start = System.nanoTime();
            long records = new TopicLoader(bootstrap).load(topic, BenchSettings.PARTITIONS, settings.records(),
                    BenchSettings.VALUE_BYTES);
            Progress.log("Produced %,d records in %.1f s", records, (System.nanoTime() - start) / 1e9);

            for (int warmUp = 0, warmUps = warmUps(); warmUp < warmUps; warmUp++) {
                for (int p = 0; p < protocols.size(); p++) {
                    for (Drain drain : drains.get(p).values()) {
                        DrainTiming timing = drain.measure(bootstraps.get(p), topic, records, 0, cpu);
                        Progress.log("warm-up  %-12s %s", label(drain, p), timing.describe());
                    }
                }
            }
            List<Map<String, List<DrainTiming>>> measured = new ArrayList<>();
            for (int p = 0; p < protocols.size(); p++) {
                Map<String, List<DrainTiming>> byContender = new LinkedHashMap<>();
                drains.get(p).keySet().forEach(name -> byContender.put(name, new ArrayList<>()));
                measured.add(byContender);
            }
            for (int run = 1; run <= settings.runs(); run++) {
                for (int p = 0; p < protocols.size(); p++) {
                    for (Drain drain : drains.get(p).values()) {
                        DrainTiming timing = drain.measure(bootstraps.get(p), topic, records, run, cpu);
                        measured.get(p).get(drain.name()).add(timing);
                        Progress.log("run %2d   %-12s %s", run, label(drain, p), timing.describe());
                    }
                }
            }
            return measured;
        }
    }

    /** The drain's name, with its protocol when the protocols alternate. */
    private String label(Drain drain, int protocol) {
        return protocols.size() < 2 ? drain.name() : drain.name() + "@" + protocols.get(protocol);
    }
}
