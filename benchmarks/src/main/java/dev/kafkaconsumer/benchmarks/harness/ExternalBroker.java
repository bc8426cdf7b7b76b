package dev.kafkaconsumer.benchmarks.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.kafkaconsumer.test.BrokerCertificate;

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
    /** The {@code SSL} listener's, or null without one. */
    private final String tlsBootstrapServers;
    private final Thread shutdownHook;

    private ExternalBroker(Process process, String bootstrapServers, String tlsBootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.tlsBootstrapServers = tlsBootstrapServers;
        this.shutdownHook = new Thread(process::destroy, "b1-broker-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Launches the broker JVM and waits for it to announce its bootstrap servers.
     *
     * @return a running broker; close it when done
     */
    public static ExternalBroker launch() {
        return launch(List.of());
    }

    /**
     * Launches the broker JVM with an {@code SSL} listener serving {@code certificate} beside its plaintext one, and
     * waits for it to announce both.
     *
     * @param certificate the broker's certificate; the clients reach {@link #tlsBootstrapServers()} with its
     *                    {@link BrokerCertificate#clientProperties()}
     * @return a running broker; close it when done
     */
    public static ExternalBroker launch(BrokerCertificate certificate) {
        // the broker JVM learns the broker's side of the certificate from its arguments: the key store and its password
        return launch(List.of(certificate.keystore().toString(), certificate.password()));
    }

    private static ExternalBroker launch(List<String> arguments) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(BROKER_JVM_OPTIONS);
        command.add("-classpath");
        command.add(System.getProperty("java.class.path"));
        command.add(BrokerProcess.class.getName());
        command.addAll(arguments);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not launch the broker JVM with " + java, e);
        }
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String[] tls = new String[1];
            String bootstrap = awaitBootstrapLine(out, tls);
            if (!arguments.isEmpty() && tls[0] == null) {
                throw new IllegalStateException("The broker JVM announced no " + BrokerProcess.TLS_BOOTSTRAP_PREFIX);
            }
            forwardRemainingOutput(out);
            return new ExternalBroker(process, bootstrap, tls[0]);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Reads up to the {@code BOOTSTRAP=} line, which comes last; puts the {@code SSL} listener's into {@code tls[0]} on the way. */
    private static String awaitBootstrapLine(BufferedReader out, String[] tls) {
        try {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(BrokerProcess.TLS_BOOTSTRAP_PREFIX)) {
                    tls[0] = line.substring(BrokerProcess.TLS_BOOTSTRAP_PREFIX.length()).trim();
                    continue;
                }
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
     * Returns the {@code bootstrap.servers} of the broker's {@code SSL} listener.
     *
     * @return {@code localhost:port}
     * @throws IllegalStateException if the broker was launched without a certificate
     */
    public String tlsBootstrapServers() {
        if (tlsBootstrapServers == null) {
            throw new IllegalStateException("This broker has no TLS listener; launch it with a BrokerCertificate");
        }
        return tlsBootstrapServers;
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
