package dev.kafkaconsumer.benchmarks.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;

import dev.kafkaconsumer.test.BrokerCertificate;
import dev.kafkaconsumer.test.KafkaBroker;

/**
 * The broker side of the benchmark, run in a JVM of its own: a broker inside the measured JVM would
 * share its heap, its garbage collector and its JIT with the consumers and blur what is measured.
 *
 * <p>Prints {@value #BOOTSTRAP_PREFIX}{@code host:port} on standard output once the broker is ready,
 * then runs until its standard input closes. Given a key store and its password as arguments (a
 * {@link BrokerCertificate}), the broker also has an {@code SSL} listener serving that certificate, and first prints
 * {@value #TLS_BOOTSTRAP_PREFIX}{@code host:port} for it: the same broker and the same data over plaintext and over
 * TLS, so that a case can alternate both in one run. Waiting on stdin rather than on a signal means the
 * broker also goes away when the harness dies without running its shutdown hook: the pipe closes
 * with the harness's process.
 */
public final class BrokerProcess {

    /** The prefix of the line that carries {@code bootstrap.servers}. */
    public static final String BOOTSTRAP_PREFIX = "BOOTSTRAP=";
    /** The prefix of the line that carries the {@code bootstrap.servers} of the {@code SSL} listener, when there is one. */
    public static final String TLS_BOOTSTRAP_PREFIX = "TLS_BOOTSTRAP=";

    /** The name of the TLS listener; the test kit's own listeners are {@code EXTERNAL} (plaintext) and {@code CONTROLLER}. */
    static final String TLS_LISTENER = "SSL";

    private BrokerProcess() {
    }

    /**
     * Starts a one-node broker, announces it and waits for standard input to close.
     *
     * @param args none, or the key store and its password of a TLS listener to add
     * @throws IOException if standard input cannot be read
     */
    public static void main(String[] args) throws IOException {
        KafkaBroker.Builder builder = KafkaBroker.builder();
        int tlsPort = -1;
        if (args.length == 2) {
            tlsPort = freePort();
            withTlsListener(builder, BrokerCertificate.ofKeystore(Path.of(args[0]), args[1]), tlsPort);
        }
        try (KafkaBroker broker = builder.start()) {
            if (tlsPort > 0) {
                System.out.println(TLS_BOOTSTRAP_PREFIX + "localhost:" + tlsPort);
            }
            System.out.println(BOOTSTRAP_PREFIX + broker.bootstrapServers());
            System.out.flush();
            awaitEndOfInput(System.in);
        }
    }

    /**
     * Adds an {@code SSL} listener at {@code port} beside the test kit's own: they keep port 0 in {@code listeners}, which
     * the test kit resolves to the sockets it bound before starting, so only the TLS listener needs a port of its own.
     */
    static void withTlsListener(KafkaBroker.Builder builder, BrokerCertificate certificate, int port) {
        builder.brokerProperty("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0," + TLS_LISTENER + "://localhost:" + port)
                .brokerProperty("listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT," + TLS_LISTENER + ":SSL");
        certificate.listenerProperties(TLS_LISTENER).forEach(builder::brokerProperty);
    }

    /** A port nobody listens on now; the broker binds it a moment later (a race another process could win, then the start fails). */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port for the TLS listener", e);
        }
    }

    /** Returns when {@code in} is closed: how a child JVM of the harness learns that it should stop. */
    public static void awaitEndOfInput(InputStream in) throws IOException {
        byte[] ignored = new byte[256];
        while (in.read(ignored) >= 0) {
            // the harness never writes; it only closes
        }
    }
}
