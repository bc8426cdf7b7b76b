package dev.kafkaconsumer.benchmarks.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The harness's handle on a {@link BrokerProcess} running in a child JVM, started with this JVM's
 * {@code java} and class path, so that the broker never competes with the measured consumers for
 * heap, GC pauses or JIT threads (it still competes for the machine's cores, as a real broker on the
 * same host would).
 *
 * <p>This object owns the child: {@link #close()} closes the child's standard input, which makes it
 * stop cleanly and delete its data, and destroys it if it does not end in time. A shutdown hook does
 * the same when the harness is interrupted.
 */
public final class ExternalBroker implements AutoCloseable {

    private static final List<String> BROKER_JVM_OPTIONS = List.of("-Xms1g", "-Xmx2g", "-XX:+UseG1GC");

    private final Process process;
    private final String bootstrapServers;
    private final Thread shutdownHook;

    private ExternalBroker(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.shutdownHook = new Thread(process::destroy, "b1-broker-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Launches the broker JVM and waits for it to announce its bootstrap servers.
     *
     * @return a running broker; close it when done
     */
    public static ExternalBroker launch() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(BROKER_JVM_OPTIONS);
        command.add("-classpath");
        command.add(System.getProperty("java.class.path"));
        command.add(BrokerProcess.class.getName());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not launch the broker JVM with " + java, e);
        }
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String bootstrap = awaitBootstrapLine(out);
            forwardRemainingOutput(out);
            return new ExternalBroker(process, bootstrap);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static String awaitBootstrapLine(BufferedReader out) {
        try {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(BrokerProcess.BOOTSTRAP_PREFIX)) {
                    return line.substring(BrokerProcess.BOOTSTRAP_PREFIX.length()).trim();
                }
                System.err.println("[broker] " + line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the broker JVM's output", e);
        }
        throw new IllegalStateException("The broker JVM ended before printing " + BrokerProcess.BOOTSTRAP_PREFIX
                + "; its error output above says why");
    }

    /** Keeps the child's stdout pipe drained, so that a chatty broker never blocks on a full pipe. */
    private static void forwardRemainingOutput(BufferedReader out) {
        Thread pump = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    System.err.println("[broker] " + line);
                }
            } catch (IOException e) {
                // the child is gone; nothing more to forward
            }
        }, "b1-broker-output");
        pump.setDaemon(true);
        pump.setUncaughtExceptionHandler((t, e) -> System.err.println("[" + t.getName() + "] failed: " + e));
        pump.start();
    }

    /**
     * Returns the {@code bootstrap.servers} of the broker.
     *
     * @return {@code host:port}
     */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Returns the broker JVM's process, to read its CPU time.
     *
     * @return the process handle
     */
    public ProcessHandle process() {
        return process.toHandle();
    }

    /** Asks the broker to stop by closing its standard input, and destroys it if it takes too long. */
    @Override
    public void close() {
        try {
            ChildProcesses.stop(process, "broker JVM");
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway and finds the process gone
            }
        }
    }
}
