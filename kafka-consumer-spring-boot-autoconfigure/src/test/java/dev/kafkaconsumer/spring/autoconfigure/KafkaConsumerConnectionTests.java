package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;

import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.kafkaconsumer.spring.RecordHandler;
import dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerAutoConfigurationTests.OrdersHandler;

/**
 * Where the consumers connect, in Spring Boot's precedence, highest first: a {@code KafkaConnectionDetails} bean that
 * the application or a service connection defined; {@code kafka.consumer.*}; {@code spring.kafka.*}, whole or not at
 * all. Without a broker: containers do not start, and the assertions are on the consumer properties they would use.
 * The same precedence against a broker is in {@link ServiceConnectionTests}.
 */
class KafkaConsumerConnectionTests {

    /** A PEM bundle named {@code client}: the test certificate, its key, and trust in it. */
    private static final String[] CLIENT_BUNDLE = { "spring.ssl.bundle.pem.client.keystore.certificate=classpath:ssl/test.crt",
            "spring.ssl.bundle.pem.client.keystore.private-key=classpath:ssl/test.key",
            "spring.ssl.bundle.pem.client.truststore.certificate=classpath:ssl/test.crt" };

    /** An application's spring.kafka.* from its Spring for Apache Kafka days: connection, SASL, TLS and consumer. */
    private static final String[] SPRING_KAFKA = { "spring.kafka.bootstrap-servers=spring:9092",
            "spring.kafka.client-id=legacy", "spring.kafka.security.protocol=SASL_SSL",
            "spring.kafka.ssl.trust-store-location=classpath:ssl/test.crt", "spring.kafka.ssl.trust-store-type=PEM",
            "spring.kafka.jaas.enabled=true",
            "spring.kafka.jaas.login-module=org.apache.kafka.common.security.plain.PlainLoginModule",
            "spring.kafka.jaas.options.username=alice", "spring.kafka.jaas.options.password=se\"cr\\et",
            "spring.kafka.properties.sasl.mechanism=PLAIN", "spring.kafka.properties.request.timeout.ms=12345",
            "spring.kafka.consumer.group-id=legacy-group", "spring.kafka.consumer.auto-offset-reset=earliest",
            "spring.kafka.consumer.fetch-min-size=1KB", "spring.kafka.consumer.max-poll-interval=2m",
            "spring.kafka.consumer.heartbeat-interval=2s", "spring.kafka.consumer.isolation-level=read-committed",
            "spring.kafka.consumer.properties.request.timeout.ms=23456" };

    /** Every kafka-clients property that {@link #SPRING_KAFKA} gives. */
    private static final List<String> SPRING_KAFKA_KEYS = List.of("security.protocol", "ssl.truststore.location",
            "ssl.truststore.type", "sasl.jaas.config", "sasl.mechanism", "request.timeout.ms", "auto.offset.reset",
            "fetch.min.bytes", "max.poll.interval.ms", "heartbeat.interval.ms", "isolation.level", "client.id");

    private final ApplicationContextRunner withoutHandlers = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class, SslAutoConfiguration.class))
        .withPropertyValues("kafka.consumer.auto-startup=false");

    /** With the container "orders", whose consumer properties the tests look at. */
    private final ApplicationContextRunner contextRunner = this.withoutHandlers.withUserConfiguration(OrdersHandler.class);

    /** With Boot's own Kafka auto-configuration, and so its properties-backed KafkaConnectionDetails. */
    private final ApplicationContextRunner withBootKafka = this.contextRunner
        .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class));

    @Test
    void aConnectionDetailsBeanBeatsKafkaConsumerAndSpringKafkaBootstrapServers() {
        this.contextRunner.withBean(KafkaConnectionDetails.class, () -> () -> List.of("details:9092", "details:9093"))
            .withPropertyValues("kafka.consumer.bootstrap-servers=mine:9092", "spring.kafka.bootstrap-servers=spring:9092",
                    "kafka.consumer.group-id=app")
            .run((context) -> assertThat(consumer(context)).containsEntry("bootstrap.servers",
                    "details:9092,details:9093"));
    }

    @Test
    void aConnectionDetailsBeanBringsItsSecurityProtocolAndSslBundleToTheConsumerAndItsDeadLetterProducer() {
        this.contextRunner.withUserConfiguration(SecuredDetails.class)
            .withPropertyValues(CLIENT_BUNDLE)
            .withPropertyValues("kafka.consumer.bootstrap-servers=mine:9092", "kafka.consumer.group-id=app",
                    "kafka.consumer.security.protocol=SASL_PLAINTEXT",
                    "kafka.consumer.ssl.trust-store-location=/etc/trust.p12")
            .run((context) -> {
                SslBundle bundle = context.getBean(SslBundles.class).getBundle("client");
                Map<String, Object> consumer = consumer(context);
                assertThat(consumer).containsEntry("bootstrap.servers", "secured:9093")
                    .containsEntry("security.protocol", "SSL")
                    .containsEntry("ssl.engine.factory.class", SslBundleEngineFactory.class);
                assertThat(consumer.get(SslBundleEngineFactory.SSL_BUNDLE_CONFIG)).isSameAs(bundle);
                assertThat(ConsumerContainerFactory.producerProperties(consumer))
                    .containsEntry("bootstrap.servers", "secured:9093")
                    .containsEntry("security.protocol", "SSL")
                    .containsEntry("ssl.engine.factory.class", SslBundleEngineFactory.class)
                    .containsEntry(SslBundleEngineFactory.SSL_BUNDLE_CONFIG, bundle);
            });
    }

    @Test
    void aConnectionDetailsBeanWithoutProtocolOrBundleKeepsTheConfiguredOnes() {
        this.contextRunner.withBean(KafkaConnectionDetails.class, () -> () -> List.of("details:9092"))
            .withPropertyValues(CLIENT_BUNDLE)
            .withPropertyValues("kafka.consumer.bootstrap-servers=mine:9092", "kafka.consumer.group-id=app",
                    "kafka.consumer.security.protocol=SSL", "kafka.consumer.ssl.bundle=client")
            .run((context) -> assertThat(consumer(context)).containsEntry("bootstrap.servers", "details:9092")
                .containsEntry("security.protocol", "SSL")
                .containsEntry(SslBundleEngineFactory.SSL_BUNDLE_CONFIG,
                        context.getBean(SslBundles.class).getBundle("client")));
    }

    @Test
    void kafkaConsumerBootstrapServersBeatSpringKafka() {
        this.contextRunner
            .withPropertyValues("kafka.consumer.bootstrap-servers=mine:9092", "spring.kafka.bootstrap-servers=spring:9092",
                    "spring.kafka.consumer.bootstrap-servers=spring-consumer:9092", "kafka.consumer.group-id=app")
            .run((context) -> assertThat(consumer(context)).containsEntry("bootstrap.servers", "mine:9092"));
    }

    @Test
    void springKafkaConsumerBootstrapServersBeatSpringKafkaBootstrapServers() {
        this.contextRunner
            .withPropertyValues("spring.kafka.bootstrap-servers=spring:9092",
                    "spring.kafka.consumer.bootstrap-servers=spring-consumer:9092", "kafka.consumer.group-id=app")
            .run((context) -> assertThat(consumer(context)).containsEntry("bootstrap.servers", "spring-consumer:9092"));
    }

    @Test
    void bootsPropertiesBackedConnectionDetailsCountAsSpringKafka() {
        this.withBootKafka
            .withPropertyValues("kafka.consumer.bootstrap-servers=mine:9092", "spring.kafka.bootstrap-servers=spring:9092",
                    "spring.kafka.security.protocol=SSL", "kafka.consumer.group-id=app")
            .run((context) -> {
                assertThat(context.getBean(KafkaConnectionDetails.class).getClass().getSimpleName())
                    .isEqualTo("PropertiesKafkaConnectionDetails");
                assertThat(consumer(context)).containsEntry("bootstrap.servers", "mine:9092")
                    .doesNotContainKey("security.protocol");
            });
    }

    @Test
    void bootsDefaultBootstrapServersApplyWhenNothingSetsThem() {
        this.withBootKafka.withPropertyValues("kafka.consumer.group-id=app")
            .run((context) -> assertThat(consumer(context)).containsEntry("bootstrap.servers", "localhost:9092"));
    }

    @Test
    void springKafkaIsTakenWholeWhenKafkaConsumerDoesNotSetTheConnection() {
        this.contextRunner.withPropertyValues(SPRING_KAFKA).run((context) -> {
            Map<String, Object> consumer = consumer(context);
            assertThat(consumer).containsEntry("bootstrap.servers", "spring:9092")
                .containsEntry("client.id", "legacy-orders")
                .containsEntry("group.id", "legacy-group")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("request.timeout.ms", "23456")
                .containsEntry("auto.offset.reset", "earliest")
                .containsEntry("fetch.min.bytes", 1024)
                .containsEntry("max.poll.interval.ms", 120_000)
                .containsEntry("heartbeat.interval.ms", 2000)
                .containsEntry("isolation.level", "read_committed")
                .containsKeys(SPRING_KAFKA_KEYS.toArray(String[]::new));
            assertThat((String) consumer.get("ssl.truststore.location")).startsWith("/").endsWith("/ssl/test.crt");
            // read back the way kafka-clients reads it
            AppConfigurationEntry jaas = JaasContext
                .loadClientContext(Map.of("sasl.jaas.config", new Password((String) consumer.get("sasl.jaas.config"))))
                .configurationEntries()
                .get(0);
            assertThat(jaas.getLoginModuleName()).isEqualTo("org.apache.kafka.common.security.plain.PlainLoginModule");
            assertThat(jaas.getControlFlag()).isEqualTo(LoginModuleControlFlag.REQUIRED);
            assertThat(Map.<String, Object>copyOf(jaas.getOptions()))
                .isEqualTo(Map.of("username", "alice", "password", "se\"cr\\et"));
        });
    }

    @Test
    void noneOfSpringKafkaIsTakenWhenKafkaConsumerSetsTheConnection() {
        this.contextRunner.withPropertyValues(SPRING_KAFKA)
            .withPropertyValues("kafka.consumer.bootstrap-servers=mine:9092", "kafka.consumer.group-id=app")
            .run((context) -> assertThat(consumer(context)).containsEntry("bootstrap.servers", "mine:9092")
                .containsEntry("group.id", "app")
                .doesNotContainKeys(SPRING_KAFKA_KEYS.toArray(String[]::new)));
        this.contextRunner.withPropertyValues(SPRING_KAFKA)
            .withPropertyValues("kafka.consumer.bootstrap-servers=mine:9092")
            .run((context) -> assertThat(context).getFailure().hasMessageContaining("has no consumer group"));
    }

    @Test
    void neverTakesTheSecurityProtocolWithoutItsSslSettings() {
        String[] springKafkaSsl = { "spring.kafka.security.protocol=SSL",
                "spring.kafka.ssl.trust-store-location=classpath:ssl/test.crt", "spring.kafka.ssl.trust-store-type=PEM",
                "kafka.consumer.group-id=app" };
        this.withBootKafka.withPropertyValues(springKafkaSsl)
            .withPropertyValues("kafka.consumer.bootstrap-servers=mine:9092")
            .run((context) -> assertThat(consumer(context)).doesNotContainKeys("security.protocol",
                    "ssl.truststore.location", "ssl.truststore.type"));
        this.withBootKafka.withPropertyValues(springKafkaSsl)
            .run((context) -> assertThat(consumer(context)).containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsKey("ssl.truststore.location"));
    }

    @Test
    void kafkaConsumerSettingsOverrideTheSpringKafkaDefaultsOneByOne() {
        this.contextRunner.withPropertyValues(SPRING_KAFKA)
            .withPropertyValues("kafka.consumer.group-id=mine", "kafka.consumer.client-id=mine",
                    "kafka.consumer.auto-offset-reset=latest", "kafka.consumer.security.protocol=SSL",
                    "kafka.consumer.sasl.jaas-config=own", "kafka.consumer.properties.request.timeout.ms=999",
                    "kafka.consumer.containers.orders.properties.fetch.min.bytes=7")
            .run((context) -> assertThat(consumer(context)).containsEntry("bootstrap.servers", "spring:9092")
                .containsEntry("group.id", "mine")
                .containsEntry("client.id", "mine-orders")
                .containsEntry("auto.offset.reset", "latest")
                .containsEntry("security.protocol", "SSL")
                .containsEntry("sasl.jaas.config", "own")
                .containsEntry("request.timeout.ms", "999")
                .containsEntry("fetch.min.bytes", "7")
                .containsEntry("isolation.level", "read_committed"));
    }

    @Test
    void springKafkaDeserializersAreDefaultsOfTheKafkaConsumerOnes() {
        this.withoutHandlers.withUserConfiguration(LongsHandler.class)
            .withPropertyValues("spring.kafka.bootstrap-servers=spring:9092", "kafka.consumer.group-id=app",
                    "spring.kafka.consumer.value-deserializer=org.apache.kafka.common.serialization.LongDeserializer")
            .run((context) -> assertThat(settings(context, "longs").valueDeserializer())
                .isEqualTo(LongDeserializer.class));
        this.withoutHandlers.withUserConfiguration(LongsHandler.class)
            .withPropertyValues("spring.kafka.bootstrap-servers=spring:9092", "kafka.consumer.group-id=app",
                    "spring.kafka.consumer.value-deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer",
                    "kafka.consumer.value-deserializer=org.apache.kafka.common.serialization.LongDeserializer")
            .run((context) -> assertThat(settings(context, "longs").valueDeserializer())
                .isEqualTo(LongDeserializer.class));
        this.withoutHandlers.withUserConfiguration(LongsHandler.class)
            .withPropertyValues("spring.kafka.bootstrap-servers=spring:9092", "kafka.consumer.group-id=app",
                    "spring.kafka.consumer.value-deserializer=java.lang.String")
            .run((context) -> assertThat(context).getFailure()
                .hasMessageContaining("spring.kafka.consumer.value-deserializer names java.lang.String"));
    }

    @Test
    void aSpringKafkaDurationLongerThanKafkaClientsTakesFailsNamingThePropertyRatherThanWrappingToANegative() {
        this.withoutHandlers.withUserConfiguration(LongsHandler.class)
            .withPropertyValues("spring.kafka.bootstrap-servers=spring:9092", "kafka.consumer.group-id=app",
                    "spring.kafka.consumer.max-poll-interval=9223372036854775807ms")
            .run((context) -> assertThat(context).getFailure()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("spring.kafka.consumer.max-poll-interval")
                .hasMessageContaining("from 0 to 2147483647"));
        this.withoutHandlers.withUserConfiguration(LongsHandler.class)
            .withPropertyValues("spring.kafka.bootstrap-servers=spring:9092", "kafka.consumer.group-id=app",
                    "spring.kafka.consumer.max-poll-interval=24d")
            .run((context) -> assertThat(context).hasNotFailed());
    }

    @Test
    void appliesTheSslBundleThatKafkaConsumerSslBundleNames() {
        this.contextRunner.withPropertyValues(CLIENT_BUNDLE)
            .withPropertyValues("kafka.consumer.bootstrap-servers=mine:9093", "kafka.consumer.group-id=app",
                    "kafka.consumer.security.protocol=SSL", "kafka.consumer.ssl.bundle=client")
            .run((context) -> {
                Map<String, Object> consumer = consumer(context);
                SslBundle bundle = context.getBean(SslBundles.class).getBundle("client");
                assertThat(consumer).containsEntry("security.protocol", "SSL")
                    .containsEntry("ssl.engine.factory.class", SslBundleEngineFactory.class)
                    .doesNotContainKeys("ssl.truststore.location", "ssl.keystore.location");
                assertThat(consumer.get(SslBundleEngineFactory.SSL_BUNDLE_CONFIG)).isSameAs(bundle);
                assertThat(bundle.getStores().getTrustStore().size()).isOne();
                assertThat(bundle.getStores().getKeyStore().size()).isOne();
                assertThat(ConsumerContainerFactory.producerProperties(consumer))
                    .containsEntry(SslBundleEngineFactory.SSL_BUNDLE_CONFIG, bundle);
            });
    }

    @Test
    void appliesTheSslBundleOfSpringKafkaUnlessKafkaConsumerNamesItsOwnStores() {
        this.contextRunner.withPropertyValues(CLIENT_BUNDLE)
            .withPropertyValues("spring.kafka.bootstrap-servers=spring:9093", "spring.kafka.security.protocol=SSL",
                    "spring.kafka.ssl.bundle=client", "kafka.consumer.group-id=app")
            .run((context) -> assertThat(consumer(context)).containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.engine.factory.class", SslBundleEngineFactory.class)
                .containsEntry(SslBundleEngineFactory.SSL_BUNDLE_CONFIG,
                        context.getBean(SslBundles.class).getBundle("client")));
        this.contextRunner.withPropertyValues(CLIENT_BUNDLE)
            .withPropertyValues("spring.kafka.bootstrap-servers=spring:9093", "spring.kafka.security.protocol=SSL",
                    "spring.kafka.ssl.bundle=client", "kafka.consumer.group-id=app",
                    "kafka.consumer.ssl.trust-store-location=/etc/trust.p12")
            .run((context) -> assertThat(consumer(context)).containsEntry("ssl.truststore.location", "/etc/trust.p12")
                .doesNotContainKeys("ssl.engine.factory.class", SslBundleEngineFactory.SSL_BUNDLE_CONFIG));
    }

    @Test
    void failsNamingThePropertyWhenTheSslBundleIsNotDefined() {
        this.contextRunner
            .withPropertyValues("kafka.consumer.bootstrap-servers=mine:9093", "kafka.consumer.group-id=app",
                    "kafka.consumer.ssl.bundle=missing")
            .run((context) -> assertThat(context).getFailure()
                .hasMessageContaining("kafka.consumer.ssl.bundle names SSL bundle 'missing', which is not defined; "
                        + "define it under spring.ssl.bundle.jks.missing.* or spring.ssl.bundle.pem.missing.*"));
    }

    @Test
    void refusesAnSslBundleTogetherWithStores() {
        this.contextRunner.withPropertyValues(CLIENT_BUNDLE)
            .withPropertyValues("kafka.consumer.bootstrap-servers=mine:9093", "kafka.consumer.group-id=app",
                    "kafka.consumer.ssl.bundle=client", "kafka.consumer.ssl.trust-store-location=/etc/trust.p12")
            .run((context) -> assertThat(context).getFailure()
                .isInstanceOf(MutuallyExclusiveConfigurationPropertiesException.class)
                .hasMessageContaining("kafka.consumer.ssl.bundle")
                .hasMessageContaining("kafka.consumer.ssl.trust-store-location"));
        this.contextRunner.withPropertyValues(CLIENT_BUNDLE)
            .withPropertyValues("spring.kafka.bootstrap-servers=spring:9093", "kafka.consumer.group-id=app",
                    "spring.kafka.ssl.bundle=client", "spring.kafka.ssl.key-store-location=/etc/keys.p12")
            .run((context) -> assertThat(context).getFailure()
                .isInstanceOf(MutuallyExclusiveConfigurationPropertiesException.class)
                .hasMessageContaining("spring.kafka.ssl.key-store-location"));
    }

    @Test
    void readsSpringKafkaWithoutSpringBootKafkaOnTheClassPath() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(KafkaConnectionDetails.class))
            .withPropertyValues(SPRING_KAFKA)
            .run((context) -> {
                assertThat(context).doesNotHaveBean(ConnectionDetailsReader.class);
                assertThat(consumer(context)).containsEntry("bootstrap.servers", "spring:9092")
                    .containsKeys(SPRING_KAFKA_KEYS.toArray(String[]::new));
            });
    }

    private static ContainerSettings settings(AssertableApplicationContext context, String id) {
        assertThat(context).hasNotFailed();
        return context.getBean(ConsumerContainerRegistry.class).get(id).settings();
    }

    private static Map<String, Object> consumer(AssertableApplicationContext context) {
        return settings(context, "orders").consumerProperties();
    }

    static class LongsHandler {

        @RecordHandler(id = "longs", topics = "longs")
        void handle(Long value) {
        }

    }

    /** What a service connection to a TLS listener gives: servers, a protocol and the bundle of {@code @Ssl}. */
    @Configuration(proxyBeanMethods = false)
    static class SecuredDetails {

        @Bean
        KafkaConnectionDetails securedConnectionDetails(SslBundles bundles) {
            return new KafkaConnectionDetails() {

                @Override
                public List<String> getBootstrapServers() {
                    return List.of("secured:9093");
                }

                @Override
                public @Nullable SslBundle getSslBundle() {
                    return bundles.getBundle("client");
                }

                @Override
                public String getSecurityProtocol() {
                    return "SSL";
                }

            };
        }

    }

}
