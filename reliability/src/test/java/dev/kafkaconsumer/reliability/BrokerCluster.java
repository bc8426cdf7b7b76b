package dev.kafkaconsumer.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * A KRaft cluster of {@code kafka.Kafka} processes, one JVM per node (each a combined broker and
 * controller), so that a test can SIGKILL one broker, or all, and start them again on the same ports
 * and the same log directories. The broker code is the {@code kafka_2.13} artifact on the test class
 * path; {@code kafka.tools.StorageTool} formats each node's directory first.
 *
 * <p>Every node listens on {@code PLAINTEXT} for clients and brokers and on {@code CONTROLLER} for
 * the quorum; {@link Builder#listener} adds listeners of other security protocols (R10), and
 * {@link Builder#proxiedListener} a {@code PLAINTEXT} listener that each node advertises at the port of a
 * {@link PartitionProxy} in front of it, so that the clients which bootstrap from it reach the node only
 * through the proxy, which the test can cut (R13); the brokers and controllers talk to each other directly.
 * Replicated
 * topics get replication factor {@code min(3, nodes)} and {@code min.insync.replicas} one less, at least 1.
 *
 * <p>The test owns the processes: {@link #close()} kills every node still running; a shutdown hook does
 * the same when the test JVM ends first.
 */
final class BrokerCluster implements AutoCloseable {

    private static final List<String> JVM_OPTIONS = List.of("-Xms128m", "-Xmx384m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Xshare:off");

    private final Path dir;
    private final int nodes;
    private final Map<String, Integer>[] ports;
    /** Per node, the proxies in front of its proxied listeners, by listener name. */
    private final Map<String, PartitionProxy>[] proxies;
    private final Process[] processes;
    private final Thread shutdownHook;

    private BrokerCluster(Path dir, int nodes, Map<String, Integer>[] ports, Map<String, PartitionProxy>[] proxies) {
        this.dir = dir;
        this.nodes = nodes;
        this.ports = ports;
        this.proxies = proxies;
        this.processes = new Process[nodes];
        this.shutdownHook = new Thread(this::killAll, "reliability-broker-cluster-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Returns a builder of a cluster whose nodes keep their data under {@code dir}.
     *
     * @param dir   a directory the test owns
     * @param nodes how many nodes, 1 to 3
     * @return the builder
     */
    static Builder builder(Path dir, int nodes) {
        return new Builder(dir, nodes);
    }

    /** {@code bootstrap.servers} of the PLAINTEXT listeners of every node. */
    String bootstrapServers() {
        return bootstrapServers("PLAINTEXT");
    }

    /** {@code bootstrap.servers} of one listener of every node (of its proxies, for a proxied listener). */
    String bootstrapServers(String listener) {
        return IntStream.range(0, nodes).mapToObj(node -> "localhost:" + (proxies[node].containsKey(listener)
                ? proxies[node].get(listener).port() : ports[node].get(listener))).collect(Collectors.joining(","));
    }

    /** The proxies in front of a proxied listener, one per node. */
    List<PartitionProxy> proxies(String listener) {
        return IntStream.range(0, nodes).mapToObj(node -> proxies[node].get(listener)).toList();
    }

    /** Client properties that reach the cluster on PLAINTEXT. */
    Map<String, Object> clientProperties() {
        return new HashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** An admin client on PLAINTEXT; the caller closes it. */
    Admin admin() {
        return Admin.create(clientProperties());
    }

    /**
     * Creates a topic replicated {@code min(3, nodes)} times and waits until every partition's leader
     * answers a ListOffsets request: a produce request sent earlier may meet a leader that does not
     * know it leads yet, and an idempotent producer can then stall on out-of-order sequence numbers.
     */
    void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) Math.min(3, nodes)))).all().get(60, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, partitions).boxed()
                    .collect(Collectors.toMap(partition -> new TopicPartition(name, partition), partition -> OffsetSpec.latest()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Topic " + name + " got no leaders within 60 s", e.getCause());
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
            }
        }
    }

    /** Kills one node with SIGKILL and waits until its process has ended. */
    void kill(int node) throws InterruptedException {
        Process process = processes[node];
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Broker " + node + " did not die within 30 s of SIGKILL");
        }
    }

    /**
     * Stops one node with SIGTERM, a controlled shutdown (it hands its leaderships over first), as a rolling bounce does;
     * SIGKILL if it has not ended within 60 s. Waits until its process has ended.
     */
    void stop(int node) throws InterruptedException {
        Process process = processes[node];
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill(node);
        }
    }

    /** Starts one node again, on its ports and its log directory, and waits until it listens. */
    void restart(int node) throws IOException {
        launch(node);
        awaitListening(node, Duration.ofSeconds(90));
    }

    /** Kills every node with SIGKILL and waits until their processes have ended. */
    void killEveryNode() throws InterruptedException {
        for (int node = 0; node < nodes; node++) {
            kill(node);
        }
    }

    /** Starts every node again, together (a quorum needs a majority), and waits until each listens. */
    void restartEveryNode() throws IOException {
        for (int node = 0; node < nodes; node++) {
            launch(node);
        }
        for (int node = 0; node < nodes; node++) {
            awaitListening(node, Duration.ofSeconds(90));
        }
    }

    /** Whether a node's process runs. */
    boolean alive(int node) {
        return processes[node] != null && processes[node].isAlive();
    }

    /** The node's output so far, for a failure message. */
    String output(int node) {
        try {
            return Files.readString(dir.resolve("node" + node + ".out"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private void launch(int node) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", classpath, "kafka.Kafka", dir.resolve("node" + node + ".properties").toString()));
        processes[node] = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node" + node + ".out").toFile())).start();
    }

    private void awaitListening(int node, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int port = ports[node].get("PLAINTEXT");
        while (true) {
            if (!processes[node].isAlive()) {
                throw new IllegalStateException("Broker " + node + " ended at start-up:\n" + output(node));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("localhost", port), 200);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Broker " + node + " did not listen within " + timeout + ":\n" + output(node), e);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    private void killAll() {
        for (Map<String, PartitionProxy> proxied : proxies) {
            proxied.values().forEach(PartitionProxy::close);
        }
        for (Process process : processes) {
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }

    /** Kills every node still running and waits for them. */
    @Override
    public void close() {
        killAll();
        try {
            for (Process process : processes) {
                if (process != null) {
                    process.waitFor(30, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    /** Configures and starts a {@link BrokerCluster}. */
    static final class Builder {

        private final Path dir;
        private final int nodes;
        private final Map<String, String> listeners = new LinkedHashMap<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> proxied = new ArrayList<>();

        private Builder(Path dir, int nodes) {
            if (nodes < 1 || nodes > 3) {
                throw new IllegalArgumentException("1 to 3 nodes, not " + nodes);
            }
            this.dir = dir;
            this.nodes = nodes;
            listeners.put("PLAINTEXT", "PLAINTEXT");
        }

        /**
         * Adds a listener.
         *
         * @param name     its name, such as {@code SASL_PLAINTEXT}
         * @param protocol its security protocol
         * @return this builder
         */
        Builder listener(String name, String protocol) {
            listeners.put(name, protocol);
            return this;
        }

        /**
         * Adds a {@code PLAINTEXT} listener that every node advertises at the port of a {@link PartitionProxy} in
         * front of it (see {@link BrokerCluster#proxies}); Kafka gives a client the addresses of the listener it
         * bootstrapped from, so a client that bootstraps from this one reaches every node only through the proxies.
         *
         * @param name its name, such as {@code CUT}
         * @return this builder
         */
        Builder proxiedListener(String name) {
            listeners.put(name, "PLAINTEXT");
            proxied.add(name);
            return this;
        }

        /**
         * Sets a broker property, replacing the default (listener-specific ones name the listener in
         * lower case: {@code listener.name.sasl_plaintext.plain.sasl.jaas.config}).
         *
         * @param name  the property
         * @param value its value
         * @return this builder
         */
        Builder property(String name, String value) {
            properties.put(name, value);
            return this;
        }

        /** Formats every node's log directory, starts every node and waits until all brokers are registered. */
        @SuppressWarnings({"unchecked", "rawtypes"})
        BrokerCluster start() throws Exception {
            Map<String, Integer>[] ports = new Map[nodes];
            Map<String, PartitionProxy>[] proxies = new Map[nodes];
            for (int node = 0; node < nodes; node++) {
                ports[node] = new LinkedHashMap<>();
                proxies[node] = new LinkedHashMap<>();
                for (String listener : listeners.keySet()) {
                    ports[node].put(listener, freePort());
                    if (proxied.contains(listener)) {
                        proxies[node].put(listener, PartitionProxy.start(0, ports[node].get(listener)));
                    }
                }
                ports[node].put("CONTROLLER", freePort());
            }
            String voters = IntStream.range(0, nodes).mapToObj(node -> node + "@localhost:" + ports[node].get("CONTROLLER"))
                    .collect(Collectors.joining(","));
            String clusterId = Uuid.randomUuid().toString();
            BrokerCluster cluster = new BrokerCluster(dir, nodes, ports, proxies);
            try {
                List<Process> formats = new ArrayList<>();
                for (int node = 0; node < nodes; node++) {
                    Path config = writeConfig(node, ports[node], proxies[node], voters);
                    formats.add(format(clusterId, config, node));
                }
                for (int node = 0; node < nodes; node++) {
                    if (!formats.get(node).waitFor(60, TimeUnit.SECONDS) || formats.get(node).exitValue() != 0) {
                        throw new IllegalStateException("Could not format node " + node + ":\n" + cluster.output(node));
                    }
                }
                for (int node = 0; node < nodes; node++) {
                    cluster.launch(node);
                }
                for (int node = 0; node < nodes; node++) {
                    cluster.awaitListening(node, Duration.ofSeconds(90));
                }
                try (Admin admin = cluster.admin()) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                    while (admin.describeCluster().nodes().get().size() < nodes) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("Not every broker registered within 90 s");
                        }
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                    }
                }
                return cluster;
            } catch (Exception | Error e) {
                cluster.close();
                throw e;
            }
        }

        private Process format(String clusterId, Path config, int node) throws IOException {
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(JVM_OPTIONS);
            command.addAll(List.of("-cp", classpath, "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString()));
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node" + node + ".out").toFile())).start();
        }

        private Path writeConfig(int node, Map<String, Integer> ports, Map<String, PartitionProxy> proxies, String voters)
                throws IOException {
            short replication = (short) Math.min(3, nodes);
            Properties config = new Properties();
            config.put("process.roles", "broker,controller");
            config.put("node.id", String.valueOf(node));
            config.put("controller.quorum.voters", voters);
            config.put("listeners", ports.entrySet().stream().map(port -> port.getKey() + "://localhost:" + port.getValue())
                    .collect(Collectors.joining(",")));
            config.put("advertised.listeners", ports.entrySet().stream().filter(port -> !port.getKey().equals("CONTROLLER"))
                    .map(port -> port.getKey() + "://localhost:" + (proxies.containsKey(port.getKey())
                            ? proxies.get(port.getKey()).port() : port.getValue())).collect(Collectors.joining(",")));
            config.put("listener.security.protocol.map", listeners.entrySet().stream()
                    .map(listener -> listener.getKey() + ":" + listener.getValue()).collect(Collectors.joining(",")) + ",CONTROLLER:PLAINTEXT");
            config.put("controller.listener.names", "CONTROLLER");
            config.put("inter.broker.listener.name", "PLAINTEXT");
            config.put("log.dirs", dir.resolve("node" + node).toString());
            config.put("offsets.topic.replication.factor", String.valueOf(replication));
            config.put("offsets.topic.num.partitions", "5");
            config.put("transaction.state.log.replication.factor", String.valueOf(replication));
            config.put("transaction.state.log.min.isr", String.valueOf(Math.max(1, replication - 1)));
            config.put("min.insync.replicas", String.valueOf(Math.max(1, replication - 1)));
            config.put("unclean.leader.election.enable", "false");
            config.put("auto.create.topics.enable", "false");
            config.put("group.initial.rebalance.delay.ms", "0");
            config.put("group.min.session.timeout.ms", "1000");
            config.put("group.consumer.min.session.timeout.ms", "1000");
            config.put("group.consumer.min.heartbeat.interval.ms", "100");
            // a killed broker is fenced after 6 s rather than 9 s: the test waits less for leaders to move
            config.put("broker.session.timeout.ms", "6000");
            config.put("broker.heartbeat.interval.ms", "1000");
            config.putAll(properties);
            Path file = dir.resolve("node" + node + ".properties");
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                config.store(out, "node " + node + " of a reliability test cluster");
            }
            return file;
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("No free port", e);
            }
        }
    }
}
