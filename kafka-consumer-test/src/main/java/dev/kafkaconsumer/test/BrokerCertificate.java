package dev.kafkaconsumer.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * A self-signed certificate made for one test run, so that a test can reach a broker over TLS without a certificate
 * checked into its repository (one that would expire, or leak a key that others trust): a PKCS12 key store for the
 * broker's {@code SSL} listener ({@link #listenerProperties}) and a PKCS12 trust store holding only that certificate for
 * the clients ({@link #clientProperties}). Made with the JDK's own {@code keytool}, so the kit needs no library for
 * it: RSA 2048, {@code CN=localhost} with {@code localhost} and {@code 127.0.0.1} as subject alternative names (the
 * clients verify the host name, as kafka-clients does by default), valid for two days.
 *
 * <pre>{@code
 * BrokerCertificate certificate = BrokerCertificate.create(temporaryDirectory);
 * KafkaBroker.Builder builder = KafkaBroker.builder()
 *         .brokerProperty("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,SSL://localhost:" + freePort)
 *         .brokerProperty("listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SSL:SSL");
 * certificate.listenerProperties("SSL").forEach(builder::brokerProperty);
 * }</pre>
 *
 * <p>The files live in a directory the caller owns and deletes; the password of the stores is random per certificate.
 * Instances are immutable.
 */
public final class BrokerCertificate {

    private final Path keystore;
    private final Path truststore;
    private final String password;

    private BrokerCertificate(Path keystore, Path truststore, String password) {
        this.keystore = keystore;
        this.truststore = truststore;
        this.password = password;
    }

    /**
     * Makes the key pair, its self-signed certificate and a trust store for it.
     *
     * @param directory an existing directory for the two stores and keytool's output
     * @return the certificate's stores
     * @throws IllegalStateException if keytool fails (its output is in {@code keytool.out} in {@code directory})
     */
    public static BrokerCertificate create(Path directory) {
        String password = "store-" + UUID.randomUUID();
        Path keystore = directory.resolve("broker.p12");
        Path certificate = directory.resolve("broker.pem");
        Path truststore = directory.resolve("truststore.p12");
        keytool(directory, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password);
        keytool(directory, "-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", password,
                "-file", certificate.toString());
        keytool(directory, "-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", password);
        return new BrokerCertificate(keystore, truststore, password);
    }

    /**
     * The broker's side of a certificate {@link #create} made earlier, e.g. in another process that hands a broker JVM
     * the key store's path and password.
     *
     * @param keystore the broker's key store
     * @param password the password of the key store and of its key
     * @return the broker's side of the certificate, without a trust store: its {@link #clientProperties()} refuse
     */
    public static BrokerCertificate ofKeystore(Path keystore, String password) {
        return new BrokerCertificate(keystore, null, password);
    }

    private static void keytool(Path directory, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Path log = directory.resolve("keytool.out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " did not end in 60 s; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed with exit code " + process.exitValue() + "; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run keytool of " + System.getProperty("java.home"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running keytool " + args[0], e);
        }
    }

    /** The broker's key store (PKCS12, alias {@code broker}). */
    public Path keystore() {
        return keystore;
    }

    /** The clients' trust store (PKCS12, the broker's certificate only), or {@code null} for {@link #ofKeystore}. */
    public Path truststore() {
        return truststore;
    }

    /** The password of both stores and of the key. */
    public String password() {
        return password;
    }

    /**
     * The broker properties of an {@code SSL} listener that serves this certificate.
     *
     * @param listener the listener's name, e.g. {@code SSL}
     * @return {@code listener.name.<listener>.ssl.*} properties
     */
    public Map<String, String> listenerProperties(String listener) {
        String prefix = "listener.name." + listener.toLowerCase(Locale.ROOT) + ".";
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(prefix + SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
        properties.put(prefix + SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, keystore.toString());
        properties.put(prefix + SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, password);
        properties.put(prefix + SslConfigs.SSL_KEY_PASSWORD_CONFIG, password);
        return properties;
    }

    /**
     * The client properties that reach the broker's {@code SSL} listener: {@code security.protocol=SSL} and the trust
     * store; kafka-clients' other TLS settings (protocol, cipher suites, host name verification) stay its defaults.
     *
     * @return a new mutable map
     */
    public Map<String, Object> clientProperties() {
        if (truststore == null || !Files.exists(truststore)) {
            throw new IllegalStateException("This certificate has no trust store; clients need the one create() made");
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        properties.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        properties.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore.toString());
        properties.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, password);
        return properties;
    }
}
