package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.network.ConnectionMode;
import org.apache.kafka.common.security.ssl.SslFactory;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * {@link SslBundleEngineFactory} as kafka-clients uses it: created by class from the consumer properties that
 * {@link ConsumerConnection} writes, then a TLS handshake, in memory, with a server holding the test certificate.
 */
class SslBundleEngineFactoryTests {

    /** The test certificate with its key, and trusting itself: what spring.ssl.bundle.pem.* makes of test.crt. */
    static SslBundle testBundle() {
        return SslBundle.of(new PemSslStoreBundle(
                PemSslStoreDetails.forCertificate("classpath:ssl/test.crt").withPrivateKey("classpath:ssl/test.key"),
                PemSslStoreDetails.forCertificate("classpath:ssl/test.crt")));
    }

    @Test
    void kafkaClientsCreateItFromTheConsumerPropertiesAndItsEnginesTrustTheBundle() throws Exception {
        SslBundle bundle = testBundle();
        try (SslFactory factory = clientFactory(bundle)) {
            assertThat(factory.sslEngineFactory()).isInstanceOf(SslBundleEngineFactory.class);
            SSLEngine client = factory.createSslEngine("localhost", 9093);
            assertThat(client.getUseClientMode()).isTrue();
            assertThat(client.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("https");
            handshake(client, server(bundle));
            assertThat(client.getSession().getPeerPrincipal().getName()).isEqualTo("CN=localhost");
        }
    }

    @Test
    void itsEnginesRefuseAServerTheBundleDoesNotTrust() throws Exception {
        try (SslFactory factory = clientFactory(SslBundle.systemDefault())) {
            SSLEngine client = factory.createSslEngine("localhost", 9093);
            assertThatExceptionOfType(SSLException.class).isThrownBy(() -> handshake(client, server(testBundle())));
        }
    }

    @Test
    void itsEnginesCheckTheHostName() throws Exception {
        SslBundle bundle = testBundle();
        try (SslFactory factory = clientFactory(bundle)) {
            SSLEngine client = factory.createSslEngine("broker.example.com", 9093);
            assertThatExceptionOfType(SSLException.class).isThrownBy(() -> handshake(client, server(bundle)));
        }
    }

    @Test
    void refusesToBeConfiguredWithoutABundle() {
        assertThatExceptionOfType(ConfigException.class)
            .isThrownBy(() -> new SslBundleEngineFactory().configure(Map.of()))
            .withMessageContaining("configuration " + SslBundle.class.getName())
            .withMessageContaining("which needs an SslBundle under this property");
    }

    /** Kafka's own SslFactory, configured from parsed consumer properties as its channel builder does it. */
    private static SslFactory clientFactory(SslBundle bundle) {
        Map<String, Object> consumer = new HashMap<>();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9093");
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumer.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        consumer.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, SslBundleEngineFactory.class);
        Map<String, Object> configs = new HashMap<>(new ConsumerConfig(consumer).values());
        configs.put(SslBundleEngineFactory.SSL_BUNDLE_CONFIG, bundle);
        SslFactory factory = new SslFactory(ConnectionMode.CLIENT);
        factory.configure(configs);
        return factory;
    }

    private static SSLEngine server(SslBundle bundle) {
        SSLEngine server = bundle.createSslContext().createSSLEngine();
        server.setUseClientMode(false);
        return server;
    }

    /** Runs both ends of a handshake against each other until both are done, or one throws. */
    private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        int application = Math.max(client.getSession().getApplicationBufferSize(),
                server.getSession().getApplicationBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(packet);
        ByteBuffer toClient = ByteBuffer.allocate(packet);
        ByteBuffer clientIn = ByteBuffer.allocate(application);
        ByteBuffer serverIn = ByteBuffer.allocate(application);
        ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int step = 0; step < 1000 && !(done(client) && done(server)); step++) {
            client.wrap(empty, toServer);
            server.wrap(empty, toClient);
            runTasks(client);
            runTasks(server);
            toServer.flip();
            toClient.flip();
            client.unwrap(toClient, clientIn);
            server.unwrap(toServer, serverIn);
            runTasks(client);
            runTasks(server);
            toServer.compact();
            toClient.compact();
        }
        assertThat(done(client) && done(server)).as("handshake finished").isTrue();
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }

}
