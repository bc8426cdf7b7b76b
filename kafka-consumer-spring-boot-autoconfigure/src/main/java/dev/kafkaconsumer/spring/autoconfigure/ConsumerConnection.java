package dev.kafkaconsumer.spring.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import dev.kafkaconsumer.spring.autoconfigure.ConnectionDetailsReader.ServiceConnection;

/**
 * Where the consumers connect, and how: the one place that decides, in Spring Boot's precedence, highest first,
 * <ol>
 * <li>a {@code KafkaConnectionDetails} bean that the application or a service connection ({@code @ServiceConnection},
 * Docker Compose) defined: its bootstrap servers, and its security protocol and SSL bundle when it gives them;</li>
 * <li>{@code kafka.consumer.*};</li>
 * <li>{@code spring.kafka.*}, Boot's own properties-backed {@code KafkaConnectionDetails} included.</li>
 * </ol>
 * {@code spring.kafka.*} is used whole or not at all: while {@code kafka.consumer.bootstrap-servers} is unset, every
 * consumer setting of it ({@link SpringKafkaProperties}) is a default under {@code kafka.consumer.*}; once it is set,
 * none is, so a security protocol never arrives without the TLS or SASL settings it needs.
 */
final class ConsumerConnection {

    private static final String PREFIX = "kafka.consumer.";

    private final KafkaConsumerProperties properties;

    private final Environment environment;

    private final ObjectProvider<ConnectionDetailsReader> details;

    private final ObjectProvider<SslBundles> sslBundles;

    ConsumerConnection(KafkaConsumerProperties properties, Environment environment,
            ObjectProvider<ConnectionDetailsReader> details, ObjectProvider<SslBundles> sslBundles) {
        this.properties = properties;
        this.environment = environment;
        this.details = details;
        this.sslBundles = sslBundles;
    }

    /**
     * Returns the {@code spring.kafka.*} settings that are defaults under {@code kafka.consumer.*}.
     *
     * @return all of {@code spring.kafka.*}, or {@link SpringKafkaProperties#NONE} when
     *         {@code kafka.consumer.bootstrap-servers} is set
     */
    SpringKafkaProperties springKafka() {
        return setsTheConnection() ? SpringKafkaProperties.NONE : SpringKafkaProperties.bind(this.environment);
    }

    /**
     * Puts the connection into a container's consumer properties, over what they hold: bootstrap servers, then
     * {@code kafka.consumer.security.*}, {@code ssl.*} and {@code sasl.*}, then the SSL bundle, then what a service
     * connection gives.
     *
     * @param consumer    the consumer properties, {@link SpringKafkaProperties#consumerProperties()} and
     *                    {@code kafka.consumer.properties} already in
     * @param containerId the container, for messages
     * @param springKafka what {@link #springKafka()} returned
     * @throws MissingBootstrapServersException when no bootstrap servers are configured anywhere
     */
    void applyTo(Map<String, Object> consumer, String containerId, SpringKafkaProperties springKafka) {
        ConnectionDetailsReader reader = this.details.getIfAvailable();
        ServiceConnection service = (reader != null) ? reader.serviceConnection() : null;
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                String.join(",", bootstrapServers(containerId, springKafka, reader, service)));
        KafkaConsumerProperties.Ssl ssl = this.properties.getSsl();
        KafkaConsumerProperties.Sasl sasl = this.properties.getSasl();
        PropertyMapper map = PropertyMapper.get();
        map.from(this.properties.getSecurity()::getProtocol)
            .to(put(consumer, CommonClientConfigs.SECURITY_PROTOCOL_CONFIG));
        map.from(ssl::getKeyStoreLocation).to(put(consumer, SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG));
        map.from(ssl::getKeyStorePassword).to(put(consumer, SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG));
        map.from(ssl::getKeyStoreType).to(put(consumer, SslConfigs.SSL_KEYSTORE_TYPE_CONFIG));
        map.from(ssl::getKeyPassword).to(put(consumer, SslConfigs.SSL_KEY_PASSWORD_CONFIG));
        map.from(ssl::getTrustStoreLocation).to(put(consumer, SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG));
        map.from(ssl::getTrustStorePassword).to(put(consumer, SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG));
        map.from(ssl::getTrustStoreType).to(put(consumer, SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG));
        map.from(ssl::getProtocol).to(put(consumer, SslConfigs.SSL_PROTOCOL_CONFIG));
        map.from(sasl::getMechanism).to(put(consumer, SaslConfigs.SASL_MECHANISM));
        map.from(sasl::getJaasConfig).to(put(consumer, SaslConfigs.SASL_JAAS_CONFIG));
        SslBundle bundle = configuredBundle(springKafka);
        if (service != null) {
            if (StringUtils.hasLength(service.securityProtocol())) {
                consumer.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, service.securityProtocol());
            }
            if (service.sslBundle() != null) {
                bundle = service.sslBundle();
            }
        }
        if (bundle != null) {
            consumer.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, SslBundleEngineFactory.class);
            consumer.put(SslBundleEngineFactory.SSL_BUNDLE_CONFIG, bundle);
        }
    }

    /**
     * Refuses an SSL bundle together with key or trust stores, as Boot does for {@code spring.kafka.ssl.*}: one of
     * them would be ignored.
     *
     * @param bundleProperty the bundle's property
     * @param bundle         its value, or {@code null}
     * @param stores         whether each store property is set, by name
     */
    static void rejectBundleWithStores(String bundleProperty, @Nullable String bundle, Map<String, Boolean> stores) {
        if (bundle == null) {
            return;
        }
        stores.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).sorted().findFirst()
            .ifPresent((store) -> {
                throw new MutuallyExclusiveConfigurationPropertiesException(List.of(bundleProperty, store),
                        List.of(bundleProperty, store));
            });
    }

    /**
     * Refuses a blank {@code kafka.consumer.security.*}, {@code ssl.*} or {@code sasl.*} property.
     *
     * @throws org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException naming it
     */
    void checkNoBlankText() {
        OptionChecks.checkNoBlankText("kafka.consumer.security.", this.properties.getSecurity());
        OptionChecks.checkNoBlankText("kafka.consumer.ssl.", this.properties.getSsl());
        OptionChecks.checkNoBlankText("kafka.consumer.sasl.", this.properties.getSasl());
    }

    /**
     * Returns the property that sets a connection property of the consumer, for messages: the
     * {@code kafka.consumer.*} property when it is set, else what {@code spring.kafka.*} calls it.
     *
     * @param name the kafka-clients name, such as {@code security.protocol}
     * @return the property's name
     */
    String origin(String name) {
        if (name.equals(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            return setsTheConnection() ? "kafka.consumer.bootstrap-servers" : "spring.kafka.bootstrap-servers";
        }
        String own = CONNECTION_PROPERTIES.get(name);
        return (own != null) ? own : "spring.kafka.properties." + name;
    }

    private boolean setsTheConnection() {
        List<String> servers = this.properties.getBootstrapServers();
        return servers != null && !servers.isEmpty();
    }

    private List<String> bootstrapServers(String containerId, SpringKafkaProperties springKafka,
            @Nullable ConnectionDetailsReader reader, @Nullable ServiceConnection service) {
        if (service != null && !service.bootstrapServers().isEmpty()) {
            return service.bootstrapServers();
        }
        if (setsTheConnection()) {
            return this.properties.getBootstrapServers();
        }
        if (!springKafka.bootstrapServers().isEmpty()) {
            return springKafka.bootstrapServers();
        }
        List<String> bootDefault = (reader != null) ? reader.springKafkaBootstrapServers() : List.of();
        if (!bootDefault.isEmpty()) {
            return bootDefault;
        }
        throw new MissingBootstrapServersException(containerId);
    }

    /**
     * The bundle of kafka.consumer.ssl.bundle, else that of spring.kafka.*, unless kafka.consumer.ssl.* names stores:
     * kafka.consumer.* replaces the TLS material of spring.kafka.*, it does not mix with it.
     */
    private @Nullable SslBundle configuredBundle(SpringKafkaProperties springKafka) {
        KafkaConsumerProperties.Ssl ssl = this.properties.getSsl();
        String property = PREFIX + "ssl.bundle";
        rejectBundleWithStores(property, ssl.getBundle(), Map.of(PREFIX + "ssl.key-store-location",
                ssl.getKeyStoreLocation() != null, PREFIX + "ssl.trust-store-location", ssl.getTrustStoreLocation() != null));
        if (ssl.getBundle() != null) {
            return bundle(property, ssl.getBundle());
        }
        String inherited = springKafka.sslBundle();
        if (inherited != null && springKafka.sslBundleProperty() != null && ssl.getKeyStoreLocation() == null
                && ssl.getTrustStoreLocation() == null) {
            return bundle(springKafka.sslBundleProperty(), inherited);
        }
        return null;
    }

    private SslBundle bundle(String property, String name) {
        SslBundles bundles = this.sslBundles.getIfAvailable();
        String define = "; define it under spring.ssl.bundle.jks." + name + ".* or spring.ssl.bundle.pem." + name + ".*";
        if (bundles == null) {
            throw new InvalidConfigurationPropertyValueException(property, name, property + " names SSL bundle '" + name
                    + "', but there are no SSL bundles" + define);
        }
        try {
            return bundles.getBundle(name);
        }
        catch (NoSuchSslBundleException ex) {
            throw new InvalidConfigurationPropertyValueException(property, name, property + " names SSL bundle '" + name
                    + "', which is not defined" + define, ex);
        }
    }

    /** The kafka.consumer.* properties that {@link #applyTo} maps, by their kafka-clients name. */
    private static final Map<String, String> CONNECTION_PROPERTIES = Map.ofEntries(
            Map.entry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "kafka.consumer.security.protocol"),
            Map.entry(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, "kafka.consumer.ssl.key-store-location"),
            Map.entry(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, "kafka.consumer.ssl.key-store-password"),
            Map.entry(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "kafka.consumer.ssl.key-store-type"),
            Map.entry(SslConfigs.SSL_KEY_PASSWORD_CONFIG, "kafka.consumer.ssl.key-password"),
            Map.entry(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, "kafka.consumer.ssl.trust-store-location"),
            Map.entry(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, "kafka.consumer.ssl.trust-store-password"),
            Map.entry(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "kafka.consumer.ssl.trust-store-type"),
            Map.entry(SslConfigs.SSL_PROTOCOL_CONFIG, "kafka.consumer.ssl.protocol"),
            Map.entry(SaslConfigs.SASL_MECHANISM, "kafka.consumer.sasl.mechanism"),
            Map.entry(SaslConfigs.SASL_JAAS_CONFIG, "kafka.consumer.sasl.jaas-config"));

    private static Consumer<Object> put(Map<String, Object> target, String name) {
        return (value) -> target.put(name, value);
    }

}
