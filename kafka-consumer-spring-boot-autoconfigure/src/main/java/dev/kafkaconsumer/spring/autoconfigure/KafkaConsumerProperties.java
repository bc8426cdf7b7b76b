package dev.kafkaconsumer.spring.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;

/**
 * Configuration of the consumer containers, under {@code kafka.consumer}: the {@link ContainerOptions} of every
 * {@code @RecordHandler} container, and the same options for one container under
 * {@code kafka.consumer.containers.<id>}, by the same names ({@link Container}). A {@code null} value means "Kafka's
 * (or the core's) default".
 *
 * <p>Only where and how the consumers connect is set at this level alone, since every container talks to the same
 * cluster the same way (and the dead-letter producer with them): {@code bootstrap-servers}, {@code security.*},
 * {@code ssl.*} and {@code sasl.*}. A container's own connection settings, if it needs any, go into its
 * {@code properties}.
 *
 * <p>Transactional containers ({@code @RecordHandler(transactional = true)}) write their outputs with a producer of
 * {@code kafka.consumer.producer.*} ({@link Producer}), set at this level alone since it connects as the consumers do,
 * and commit on their {@code transaction.*} options ({@link ContainerOptions.Transaction}).
 */
@ConfigurationProperties("kafka.consumer")
public class KafkaConsumerProperties extends ContainerOptions {

    /**
     * Comma-separated list of host:port pairs of the Kafka brokers. A KafkaConnectionDetails bean
     * (@ServiceConnection) takes precedence; while this is unset, spring.kafka.* is used whole.
     */
    private @Nullable List<String> bootstrapServers;

    private final Security security = new Security();

    private final Ssl ssl = new Ssl();

    private final Sasl sasl = new Sasl();

    private final Producer producer = new Producer();

    /**
     * Options of single containers, by container id, under the same names as those of every container.
     */
    private final Map<String, Container> containers = new LinkedHashMap<>();

    public @Nullable List<String> getBootstrapServers() {
        return this.bootstrapServers;
    }

    public void setBootstrapServers(@Nullable List<String> bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public Security getSecurity() {
        return this.security;
    }

    public Ssl getSsl() {
        return this.ssl;
    }

    public Sasl getSasl() {
        return this.sasl;
    }

    public Map<String, Container> getContainers() {
        return this.containers;
    }

    public Producer getProducer() {
        return this.producer;
    }

    /**
     * The producer of the transactional containers, one per container, created when it starts. It connects to the
     * cluster the consumers connect to, the same way (bootstrap servers, security, SSL, SASL), since the input
     * offsets are committed in its transactions to the consumer group's coordinator. While
     * kafka.consumer.bootstrap-servers is unset, spring.kafka.producer.* supplies what is not set here (its
     * serializers, transaction-id-prefix, batch-size, buffer-memory, compression-type, linger and properties, and
     * spring.kafka.properties).
     */
    public static class Producer {

        /**
         * Prefix of the transactional.id of each transactional container's producer, to which the container appends
         * its id and a unique suffix (so instances never fence each other; zombies are fenced by the group's
         * generation). Set it when ACLs grant transactional ids by prefix. By default
         * "${spring.application.name}-tx-", or "kafka-consumer-tx-" without an application name.
         */
        private @Nullable String transactionIdPrefix;

        /**
         * Serializer class of output keys: a transactional handler's returned values are keyed with the input
         * record's key, which it must take.
         */
        private @Nullable Class<?> keySerializer;

        /**
         * Serializer class of output values.
         */
        private @Nullable Class<?> valueSerializer;

        /**
         * Additional kafka-clients producer properties. Not transactional.id (see transaction-id-prefix) nor the
         * serializer classes (see key-serializer and value-serializer).
         */
        private final Map<String, String> properties = new LinkedHashMap<>();

        public @Nullable String getTransactionIdPrefix() {
            return this.transactionIdPrefix;
        }

        public void setTransactionIdPrefix(@Nullable String transactionIdPrefix) {
            this.transactionIdPrefix = transactionIdPrefix;
        }

        public @Nullable Class<?> getKeySerializer() {
            return this.keySerializer;
        }

        public void setKeySerializer(@Nullable Class<?> keySerializer) {
            this.keySerializer = keySerializer;
        }

        public @Nullable Class<?> getValueSerializer() {
            return this.valueSerializer;
        }

        public void setValueSerializer(@Nullable Class<?> valueSerializer) {
            this.valueSerializer = valueSerializer;
        }

        public Map<String, String> getProperties() {
            return this.properties;
        }

    }


    /**
     * Security settings shared by the consumers and the dead-letter producer.
     */
    public static class Security {

        /**
         * Protocol used to talk to the brokers: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.
         */
        private @Nullable String protocol;

        public @Nullable String getProtocol() {
            return this.protocol;
        }

        public void setProtocol(@Nullable String protocol) {
            this.protocol = protocol;
        }

    }

    /**
     * TLS settings, as kafka-clients' ssl.* properties, or an SSL bundle.
     */
    public static class Ssl {

        /**
         * Name of an SSL bundle (spring.ssl.bundle.jks.* or spring.ssl.bundle.pem.*) with the keys and trusted
         * certificates, instead of the key store and trust store properties.
         */
        private @Nullable String bundle;

        /**
         * Path of the key store file.
         */
        private @Nullable String keyStoreLocation;

        /**
         * Password of the key store file.
         */
        private @Nullable String keyStorePassword;

        /**
         * Type of the key store, such as PKCS12 or JKS.
         */
        private @Nullable String keyStoreType;

        /**
         * Password of the private key in the key store.
         */
        private @Nullable String keyPassword;

        /**
         * Path of the trust store file.
         */
        private @Nullable String trustStoreLocation;

        /**
         * Password of the trust store file.
         */
        private @Nullable String trustStorePassword;

        /**
         * Type of the trust store, such as PKCS12 or JKS.
         */
        private @Nullable String trustStoreType;

        /**
         * TLS protocol, such as TLSv1.3.
         */
        private @Nullable String protocol;

        public @Nullable String getBundle() {
            return this.bundle;
        }

        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
        }

        public @Nullable String getKeyStoreLocation() {
            return this.keyStoreLocation;
        }

        public void setKeyStoreLocation(@Nullable String keyStoreLocation) {
            this.keyStoreLocation = keyStoreLocation;
        }

        public @Nullable String getKeyStorePassword() {
            return this.keyStorePassword;
        }

        public void setKeyStorePassword(@Nullable String keyStorePassword) {
            this.keyStorePassword = keyStorePassword;
        }

        public @Nullable String getKeyStoreType() {
            return this.keyStoreType;
        }

        public void setKeyStoreType(@Nullable String keyStoreType) {
            this.keyStoreType = keyStoreType;
        }

        public @Nullable String getKeyPassword() {
            return this.keyPassword;
        }

        public void setKeyPassword(@Nullable String keyPassword) {
            this.keyPassword = keyPassword;
        }

        public @Nullable String getTrustStoreLocation() {
            return this.trustStoreLocation;
        }

        public void setTrustStoreLocation(@Nullable String trustStoreLocation) {
            this.trustStoreLocation = trustStoreLocation;
        }

        public @Nullable String getTrustStorePassword() {
            return this.trustStorePassword;
        }

        public void setTrustStorePassword(@Nullable String trustStorePassword) {
            this.trustStorePassword = trustStorePassword;
        }

        public @Nullable String getTrustStoreType() {
            return this.trustStoreType;
        }

        public void setTrustStoreType(@Nullable String trustStoreType) {
            this.trustStoreType = trustStoreType;
        }

        public @Nullable String getProtocol() {
            return this.protocol;
        }

        public void setProtocol(@Nullable String protocol) {
            this.protocol = protocol;
        }

    }

    /**
     * SASL settings, as kafka-clients' sasl.* properties.
     */
    public static class Sasl {

        /**
         * SASL mechanism, such as PLAIN, SCRAM-SHA-512 or OAUTHBEARER.
         */
        private @Nullable String mechanism;

        /**
         * JAAS login module configuration, in the format of a JAAS configuration file entry.
         */
        private @Nullable String jaasConfig;

        public @Nullable String getMechanism() {
            return this.mechanism;
        }

        public void setMechanism(@Nullable String mechanism) {
            this.mechanism = mechanism;
        }

        public @Nullable String getJaasConfig() {
            return this.jaasConfig;
        }

        public void setJaasConfig(@Nullable String jaasConfig) {
            this.jaasConfig = jaasConfig;
        }

    }

    /**
     * The options of one container, over its @RecordHandler's attributes and the options of every container
     * (kafka.consumer.*), and its subscription and share group, instead of the @RecordHandler's.
     */
    public static class Container extends ContainerOptions {

        /**
         * Topics to subscribe to, instead of those of the @RecordHandler.
         */
        private @Nullable List<String> topics;

        /**
         * Regular expression of the topics to subscribe to, instead of those of the @RecordHandler.
         */
        private @Nullable String topicPattern;

        /**
         * Share group that the container joins instead of a consumer group, over the @RecordHandler's shareGroup:
         * the handler becomes a share handler, whose records are spread over every consumer of the group and
         * acknowledged one by one (Kafka's queues).
         */
        private @Nullable String shareGroup;

        /**
         * Whether the container is transactional (exactly-once consume-transform-produce), over the
         * @RecordHandler's transactional.
         */
        private @Nullable Boolean transactional;

        /**
         * Topic to which a transactional handler's returned values are sent, over the @RecordHandler's sendTo.
         */
        private @Nullable String sendTo;

        private @Nullable Integer maxAttempts;

        private @Nullable Boolean deadLetterEnabled;

        public @Nullable List<String> getTopics() {
            return this.topics;
        }

        public void setTopics(@Nullable List<String> topics) {
            this.topics = (topics != null) ? new ArrayList<>(topics) : null;
        }

        public @Nullable String getTopicPattern() {
            return this.topicPattern;
        }

        public void setTopicPattern(@Nullable String topicPattern) {
            this.topicPattern = topicPattern;
        }

        public @Nullable String getShareGroup() {
            return this.shareGroup;
        }

        public void setShareGroup(@Nullable String shareGroup) {
            this.shareGroup = shareGroup;
        }

        public @Nullable Boolean getTransactional() {
            return this.transactional;
        }

        public void setTransactional(@Nullable Boolean transactional) {
            this.transactional = transactional;
        }

        public @Nullable String getSendTo() {
            return this.sendTo;
        }

        public void setSendTo(@Nullable String sendTo) {
            this.sendTo = sendTo;
        }


        /**
         * Returns the container's calls of the handler in all, by the spelling of before 0.1.0; the container's
         * retry.max-attempts wins over it.
         *
         * @return the attempts, or {@code null}
         * @deprecated since 0.1.0 for {@code kafka.consumer.containers.<id>.retry.max-attempts}, the name it has
         *             for every container
         */
        @Deprecated(since = "0.1.0")
        @DeprecatedConfigurationProperty(replacement = "kafka.consumer.containers.[id].retry.max-attempts",
                reason = "The retry settings are together under retry.*, as they are for every container",
                since = "0.1.0")
        public @Nullable Integer getMaxAttempts() {
            return this.maxAttempts;
        }

        /**
         * Sets the container's calls of the handler in all, by the spelling of before 0.1.0.
         *
         * @param maxAttempts the attempts
         * @deprecated since 0.1.0 for {@code kafka.consumer.containers.<id>.retry.max-attempts}
         */
        @Deprecated(since = "0.1.0")
        public void setMaxAttempts(@Nullable Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /**
         * Returns whether the container publishes to a dead-letter topic, by the spelling of before 0.1.0; the
         * container's dead-letter.enabled wins over it.
         *
         * @return whether it does, or {@code null}
         * @deprecated since 0.1.0 for {@code kafka.consumer.containers.<id>.dead-letter.enabled}, the name it has for
         *             every container
         */
        @Deprecated(since = "0.1.0")
        @DeprecatedConfigurationProperty(replacement = "kafka.consumer.containers.[id].dead-letter.enabled",
                reason = "The dead-letter settings are together under dead-letter.*, as they are for every container",
                since = "0.1.0")
        public @Nullable Boolean getDeadLetterEnabled() {
            return this.deadLetterEnabled;
        }

        /**
         * Sets whether the container publishes to a dead-letter topic, by the spelling of before 0.1.0.
         *
         * @param deadLetterEnabled whether it does
         * @deprecated since 0.1.0 for {@code kafka.consumer.containers.<id>.dead-letter.enabled}
         */
        @Deprecated(since = "0.1.0")
        public void setDeadLetterEnabled(@Nullable Boolean deadLetterEnabled) {
            this.deadLetterEnabled = deadLetterEnabled;
        }

        /**
         * Returns what the deprecated spellings set, as options: the level just below the container's own options.
         *
         * @return the options that the deprecated spellings set
         */
        ContainerOptions deprecatedSpellings() {
            ContainerOptions options = new ContainerOptions();
            options.getRetry().setMaxAttempts(this.maxAttempts);
            options.getDeadLetter().setEnabled(this.deadLetterEnabled);
            return options;
        }

        /**
         * Returns the deprecated spellings that are set, each with its replacement, relative to the container's
         * entry ({@code max-attempts} to {@code retry.max-attempts}).
         *
         * @return the replacement of each deprecated name that is set
         */
        Map<String, String> deprecatedSpellingsInUse() {
            Map<String, String> inUse = new LinkedHashMap<>();
            if (this.maxAttempts != null) {
                inUse.put("max-attempts", "retry.max-attempts");
            }
            if (this.deadLetterEnabled != null) {
                inUse.put("dead-letter-enabled", "dead-letter.enabled");
            }
            return inUse;
        }

    }

}
