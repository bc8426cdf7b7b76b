package dev.kafkaconsumer.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.apache.kafka.common.config.SslConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate's stores complete a TLS handshake with host-name checks, and the properties point at them. */
class BrokerCertificateTest {

    @TempDir
    Path directory;

    @Test
    void aClientTrustingOnlyTheTrustStoreCompletesAHandshakeWithTheKeyStoreAndVerifiesTheHostName() throws Exception {
        BrokerCertificate certificate = BrokerCertificate.create(directory);
        char[] password = certificate.password().toCharArray();
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(certificate.keystore(), password), password);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(keys.getKeyManagers(), null, null);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(certificate.truststore(), password));
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trust.getTrustManagers(), null);

        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0)) {
            CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept(); InputStream in = accepted.getInputStream();
                        OutputStream out = accepted.getOutputStream()) {
                    int read = in.read();
                    out.write(read + 1);
                    return read;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("localhost", listener.getLocalPort())) {
                SSLParameters parameters = socket.getSSLParameters();
                // as kafka-clients does by default (ssl.endpoint.identification.algorithm=https)
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.getOutputStream().write(41);
                assertThat(socket.getInputStream().read()).isEqualTo(42);
                assertThat(socket.getSession().getPeerPrincipal().getName()).isEqualTo("CN=localhost");
            }
            assertThat(served.get(30, TimeUnit.SECONDS)).isEqualTo(41);
        }
    }

    @Test
    void clientsGetTheSslProtocolAndTheTrustStoreAndTheBrokerListenerTheKeyStore() {
        BrokerCertificate certificate = BrokerCertificate.create(directory);

        assertThat(certificate.clientProperties()).containsEntry("security.protocol", "SSL")
                .containsEntry(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, certificate.truststore().toString())
                .containsEntry(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, certificate.password());
        assertThat(certificate.listenerProperties("SSL"))
                .containsEntry("listener.name.ssl.ssl.keystore.location", certificate.keystore().toString())
                .containsEntry("listener.name.ssl.ssl.key.password", certificate.password());
    }

    @Test
    void theBrokersSideAloneGivesListenerPropertiesButRefusesClientPropertiesForWantOfATrustStore() {
        BrokerCertificate made = BrokerCertificate.create(directory);
        BrokerCertificate brokerSide = BrokerCertificate.ofKeystore(made.keystore(), made.password());

        assertThat(brokerSide.listenerProperties("SSL")).isEqualTo(made.listenerProperties("SSL"));
        assertThat(brokerSide.truststore()).isNull();
        assertThatIllegalStateException().isThrownBy(brokerSide::clientProperties).withMessageContaining("no trust store");
    }

    private static KeyStore load(Path store, char[] password) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, password);
        }
        return keyStore;
    }
}
