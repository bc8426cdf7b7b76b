package dev.kafkaconsumer.benchmarks.harness;

import java.io.IOException;
import java.io.InputStream;

import dev.kafkaconsumer.test.KafkaBroker;

/**
 * The broker side of the benchmark, run in a JVM of its own: a broker inside the measured JVM would
 * share its heap, its garbage collector and its JIT with the consumers and blur what is measured.
 *
 * <p>Prints {@value #BOOTSTRAP_PREFIX}{@code host:port} on standard output once the broker is ready,
 * then runs until its standard input closes. Waiting on stdin rather than on a signal means the
 * broker also goes away when the harness dies without running its shutdown hook: the pipe closes
 * with the harness's process.
 */
public final class BrokerProcess {

    /** The prefix of the line that carries {@code bootstrap.servers}. */
    public static final String BOOTSTRAP_PREFIX = "BOOTSTRAP=";

    private BrokerProcess() {
    }

    /**
     * Starts a one-node broker, announces it and waits for standard input to close.
     *
     * @param args ignored
     * @throws IOException if standard input cannot be read
     */
    public static void main(String[] args) throws IOException {
        try (KafkaBroker broker = KafkaBroker.builder().start()) {
            System.out.println(BOOTSTRAP_PREFIX + broker.bootstrapServers());
            System.out.flush();
            awaitEndOfInput(System.in);
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
