package dev.kafkaconsumer.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import dev.kafkaconsumer.test.BrokerCertificate;

/**
 * A one-node {@link BrokerCluster} that demands credentials: a {@code SASL_PLAINTEXT} listener with
 * the PLAIN and SCRAM-SHA-256 mechanisms and an {@code SSL} listener whose certificate is made for this
 * run by the test kit's {@link BrokerCertificate} (self-signed, {@code CN=localhost}, trusted through a
 * truststore of its own). The {@code PLAINTEXT} listener stays for the test's own admin work. Users: {@value #USER}
 * for PLAIN and for SCRAM, with a password generated per run.
 *
 * <p>Tests take it as a parameter through {@link Extension}: one broker for the whole test run.
 */
final class SecuredBroker implements AutoCloseable {

    /** The user name for both SASL mechanisms. */
    static final String USER = "alice";

    private final Path dir;
    private final BrokerCluster cluster;
    private final String password;
    private final BrokerCertificate certificate;

    private SecuredBroker(Path dir, BrokerCluster cluster, String password, BrokerCertificate certificate) {
        this.dir = dir;
        this.cluster = cluster;
        this.password = password;
        this.certificate = certificate;
    }

    /**
     * Makes the certificate, starts the broker and registers the SCRAM credential.
     *
     * @param dir a directory the test owns
     * @return the running broker
     */
    static SecuredBroker start(Path dir) throws Exception {
        String password = "pw-" + UUID.randomUUID();
        BrokerCertificate certificate = BrokerCertificate.create(dir);
        BrokerCluster.Builder builder = BrokerCluster.builder(dir, 1)
                .listener("SASL_PLAINTEXT", "SASL_PLAINTEXT")
                .listener("SSL", "SSL")
                .property("listener.name.sasl_plaintext.sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256")
                .property("listener.name.sasl_plaintext.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + USER + "=\"" + password + "\";")
                .property("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        certificate.listenerProperties("SSL").forEach(builder::property);
        BrokerCluster cluster = builder.start();
        try (Admin admin = cluster.admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), password))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return new SecuredBroker(dir, cluster, password, certificate);
    }

    /** The users' password. */
    String password() {
        return password;
    }

    /** The password of the key store and the trust store. */
    String storePassword() {
        return certificate.password();
    }

    /**
     * Client properties for one way in.
     *
     * @param mechanism {@code PLAIN}, {@code SCRAM-SHA-256} or {@code SSL}
     * @param password  the password to log in with (ignored for SSL)
     * @return {@code bootstrap.servers} and the security settings
     */
    Map<String, Object> client(String mechanism, String password) {
        Map<String, Object> client = new HashMap<>();
        if (mechanism.equals("SSL")) {
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers("SSL"));
            client.putAll(certificate.clientProperties());
            return client;
        }
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers("SASL_PLAINTEXT"));
        client.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        client.put(SaslConfigs.SASL_MECHANISM, mechanism);
        client.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + USER + "\" password=\"" + password + "\";");
        return client;
    }

    /** A directory for the test's logs, deleted with the broker. */
    Path dir() {
        return dir;
    }

    /** The broker itself, for its admin client on PLAINTEXT. */
    BrokerCluster cluster() {
        return cluster;
    }

    /** Stops the broker and deletes its directory. */
    @Override
    public void close() {
        cluster.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + dir, e);
        }
    }

    /** Hands tests the run's one {@link SecuredBroker}, started on first use, stopped when the run ends. */
    static final class Extension implements ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SecuredBroker.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SecuredBroker.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(NAMESPACE).computeIfAbsent(SecuredBroker.class, type -> {
                try {
                    return start(Files.createTempDirectory("reliability-secured-broker"));
                } catch (Exception e) {
                    throw new IllegalStateException("Could not start the secured broker", e);
                }
            }, SecuredBroker.class);
        }
    }
}
