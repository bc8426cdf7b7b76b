package dev.kafkaconsumer.spring.autoconfigure;

import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.security.auth.SslEngineFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;

/**
 * A kafka-clients {@link SslEngineFactory} that takes its keys, trust and options from a Spring Boot
 * {@link SslBundle}: how a container's consumer, and its dead-letter producer, use {@code kafka.consumer.ssl.bundle},
 * {@code spring.kafka.ssl.bundle} or the bundle of a {@code KafkaConnectionDetails}. kafka-clients creates it by
 * class from {@code ssl.engine.factory.class} and passes the bundle under {@link #SSL_BUNDLE_CONFIG}; applications
 * do not use it directly. Works without spring-boot-kafka on the class path.
 */
public final class SslBundleEngineFactory implements SslEngineFactory {

    /**
     * The client property that carries the {@link SslBundle}; the name Spring Boot's own engine factory reads.
     */
    public static final String SSL_BUNDLE_CONFIG = SslBundle.class.getName();

    private @Nullable Map<String, ?> configs;

    private @Nullable SslBundle bundle;

    private @Nullable SSLContext context;

    /**
     * Creates a factory; kafka-clients configures it before anything else.
     */
    public SslBundleEngineFactory() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object bundle = configs.get(SSL_BUNDLE_CONFIG);
        if (!(bundle instanceof SslBundle sslBundle)) {
            throw new ConfigException(SSL_BUNDLE_CONFIG, bundle, "ssl.engine.factory.class is "
                    + SslBundleEngineFactory.class.getName() + ", which needs an SslBundle under this property");
        }
        this.configs = new HashMap<>(configs);
        this.bundle = sslBundle;
        // one context for every connection: it holds the key managers, and makes engines thread-safely
        this.context = sslBundle.createSslContext();
    }

    @Override
    public SSLEngine createClientSslEngine(String peerHost, int peerPort, String endpointIdentification) {
        SSLEngine engine = createEngine(peerHost, peerPort);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm(endpointIdentification);
        engine.setSSLParameters(parameters);
        return engine;
    }

    @Override
    public SSLEngine createServerSslEngine(String peerHost, int peerPort) {
        SSLEngine engine = createEngine(peerHost, peerPort);
        engine.setUseClientMode(false);
        return engine;
    }

    @Override
    public boolean shouldBeRebuilt(Map<String, Object> nextConfigs) {
        return !nextConfigs.equals(this.configs);
    }

    @Override
    public Set<String> reconfigurableConfigs() {
        return Set.of(SSL_BUNDLE_CONFIG);
    }

    @Override
    public @Nullable KeyStore keystore() {
        return configured().getStores().getKeyStore();
    }

    @Override
    public @Nullable KeyStore truststore() {
        return configured().getStores().getTrustStore();
    }

    @Override
    public void close() {
    }

    private SSLEngine createEngine(String peerHost, int peerPort) {
        SslBundle bundle = configured();
        SSLEngine engine = this.context.createSSLEngine(peerHost, peerPort);
        SslOptions options = bundle.getOptions();
        if (options.getCiphers() != null) {
            engine.setEnabledCipherSuites(options.getCiphers());
        }
        if (options.getEnabledProtocols() != null) {
            engine.setEnabledProtocols(options.getEnabledProtocols());
        }
        return engine;
    }

    private SslBundle configured() {
        SslBundle bundle = this.bundle;
        if (bundle == null || this.context == null) {
            throw new IllegalStateException("SslBundleEngineFactory is used before configure(Map)");
        }
        return bundle;
    }

}
