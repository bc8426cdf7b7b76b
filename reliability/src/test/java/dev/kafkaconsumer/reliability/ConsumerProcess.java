package dev.kafkaconsumer.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import dev.kafkaconsumer.reliability.worker.SpringWorker;

/**
 * A {@link LoggingConsumer} (or a {@link ShareLoggingConsumer}, a {@link TransformingConsumer}, a {@link SpringWorker}) running in a JVM of its own, started with this JVM's {@code java} and test
 * class path: a consumer that can be killed for real. Its event log is {@code <dir>/<name>.events}, its
 * output {@code <dir>/<name>.out}.
 *
 * <p>The test owns the process: {@link #terminate()} (SIGTERM, the container stops gracefully),
 * {@link #kill()} (SIGKILL) or {@link #freeze()} (SIGSTOP, then a kill, or {@link #thaw()}, SIGCONT); {@link #close()} kills it if it still
 * runs, so a failing test leaves no JVM behind.
 */
final class ConsumerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final Path output;

    private ConsumerProcess(Process process, Path log, Path output) {
        this.process = process;
        this.log = log;
        this.output = output;
    }

    /**
     * Starts a consumer process.
     *
     * @param dir        where its log and output go
     * @param name       its name, unique in {@code dir}
     * @param bootstrap  the bootstrap servers
     * @param topic      the topic, which is also the group id
     * @param protocol   {@code classic} or {@code consumer}
     * @param properties JVM options, such as {@code -Dkafka.max.poll.records=100} (see {@link LoggingConsumer})
     * @return the running process
     * @throws IOException if the JVM cannot be launched
     */
    static ConsumerProcess start(Path dir, String name, String bootstrap, String topic, String protocol,
            List<String> properties) throws IOException {
        Path log = dir.resolve(name + ".events");
        return launch(dir, name, properties, log, LoggingConsumer.class.getName(), bootstrap, topic, topic, protocol, log.toString());
    }

    /**
     * Starts a share-group consumer process, a {@link ShareLoggingConsumer}.
     *
     * @param dir        where its log and output go
     * @param name       its name, unique in {@code dir}
     * @param bootstrap  the bootstrap servers
     * @param topic      the topic
     * @param group      the share group
     * @param properties JVM options, such as {@code -Dreliability.hold-after=200} (see {@link ShareLoggingConsumer})
     * @return the running process
     * @throws IOException if the JVM cannot be launched
     */
    static ConsumerProcess startShare(Path dir, String name, String bootstrap, String topic, String group,
            List<String> properties) throws IOException {
        Path log = dir.resolve(name + ".events");
        return launch(dir, name, properties, log, ShareLoggingConsumer.class.getName(), bootstrap, topic, group, log.toString());
    }

    /**
     * Starts a consume-transform-produce process, a {@link TransformingConsumer}.
     *
     * @param dir        where its log and output go
     * @param name       its name, unique in {@code dir}
     * @param bootstrap  the bootstrap servers
     * @param input      the input topic
     * @param output     the output topic
     * @param group      the group id
     * @param protocol   {@code classic} or {@code consumer}
     * @param properties JVM options, such as {@code -Dproducer.transaction.timeout.ms=5000} (see {@link TransformingConsumer})
     * @return the running process
     * @throws IOException if the JVM cannot be launched
     */
    static ConsumerProcess startTransformer(Path dir, String name, String bootstrap, String input, String output, String group,
            String protocol, List<String> properties) throws IOException {
        Path log = dir.resolve(name + ".events");
        return launch(dir, name, properties, log, TransformingConsumer.class.getName(), bootstrap, input, output, group, protocol,
                log.toString());
    }

    /**
     * Starts a Spring Boot worker process, a {@link SpringWorker}: the container is the auto-configured one of its
     * {@code @RecordHandler}, configured through {@code kafka.consumer.*} as an application configures it, with no web
     * server; the group is named after the topic.
     *
     * @param dir        where its log and output go
     * @param name       its name, unique in {@code dir}
     * @param bootstrap  the bootstrap servers
     * @param topic      the topic, which is also the group id
     * @param protocol   {@code classic} or {@code consumer}
     * @param arguments  further Spring Boot arguments, such as {@code --kafka.consumer.max-poll-records=100}
     * @return the running process
     * @throws IOException if the JVM cannot be launched
     */
    static ConsumerProcess startSpringWorker(Path dir, String name, String bootstrap, String topic, String protocol,
            List<String> arguments) throws IOException {
        Path log = dir.resolve(name + ".events");
        List<String> main = new ArrayList<>(List.of(SpringWorker.class.getName(),
                "--spring.main.web-application-type=none", "--spring.main.banner-mode=off",
                "--kafka.consumer.bootstrap-servers=" + bootstrap, "--kafka.consumer.group-id=" + topic,
                "--kafka.consumer.auto-offset-reset=earliest", "--kafka.consumer.properties.group.protocol=" + protocol,
                "--reliability.topic=" + topic, "--reliability.log=" + log));
        main.addAll(arguments);
        return launch(dir, name, List.of(), log, main.toArray(String[]::new));
    }

    private static ConsumerProcess launch(Path dir, String name, List<String> properties, Path log, String... main)
            throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath));
        command.addAll(properties);
        command.addAll(List.of(main));
        Path output = dir.resolve(name + ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return new ConsumerProcess(process, log, output);
    }

    /** The process's event log. */
    Path log() {
        return log;
    }

    /** Whether the JVM still runs. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** The JVM's exit status; 143 for one that ended on SIGTERM. */
    int exitValue() {
        return process.exitValue();
    }

    /** SIGTERM, without waiting: the caller judges how the JVM ends (see {@link #isAlive()}, {@link #exitValue()}). */
    void signalTerm() {
        process.destroy();
    }

    /** SIGTERM: the container stops gracefully (final commit); waits until the JVM has ended. */
    void terminate() throws InterruptedException {
        process.destroy();
        await(Duration.ofSeconds(30));
    }

    /** SIGKILL; waits until the JVM has ended. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        await(Duration.ofSeconds(30));
    }

    /**
     * SIGSTOP: the JVM is frozen, its connections stay open, nothing of it runs (no heartbeat, no lock renewal) until
     * it is thawed or killed. Linux and other POSIX systems only ({@code kill -STOP}).
     */
    void freeze() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** SIGCONT: a frozen JVM runs again, as a process paused by its host (a long GC, a stopped VM) wakes. */
    void thaw() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill " + signal + " " + process.pid() + " failed: "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private void await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Consumer process " + log.getFileName() + " did not end within " + timeout);
        }
    }

    /**
     * Waits until every live process owns partitions and together they own each partition once, as their event logs
     * say ({@link Logs#balanced}); the failure carries what each printed. The bound catches only a hang: three JVMs
     * that start a Spring Boot context at once took over 90 s to log their start on the shared 2-core machine at a
     * load average of 48.
     *
     * @param live       the processes of the group
     * @param partitions the topic's partition count
     */
    static void awaitBalanced(List<ConsumerProcess> live, int partitions) {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Logs.balanced(live.stream().map(ConsumerProcess::log).toList(), partitions));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("The group did not settle; output:\n"
                    + live.stream().map(ConsumerProcess::output).collect(Collectors.joining("\n")), e);
        }
    }

    /** What the process printed, for a failure message. */
    String output() {
        try {
            return Files.exists(output) ? "--- " + output.getFileName() + "\n" + Files.readString(output, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(could not read " + output + ": " + e + ")";
        }
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
