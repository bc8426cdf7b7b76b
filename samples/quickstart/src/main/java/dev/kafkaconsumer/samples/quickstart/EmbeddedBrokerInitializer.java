package dev.kafkaconsumer.samples.quickstart;

import java.util.Map;

import dev.kafkaconsumer.test.KafkaBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Development-time convenience: when neither {@code kafka.consumer.bootstrap-servers} nor
 * {@code spring.kafka.bootstrap-servers} is set, starts an in-process Kafka broker and points
 * {@code kafka.consumer.bootstrap-servers} at it. The broker is registered as a disposable bean, so it is
 * closed when the context is destroyed, after every container has stopped and made its final commit.
 *
 * <p>Registered in {@code META-INF/spring.factories}. A production application deletes this class, that
 * line and the {@code kafka-consumer-test} dependency.
 */
public final class EmbeddedBrokerInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    static final String BOOTSTRAP_SERVERS = "kafka.consumer.bootstrap-servers";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBrokerInitializer.class);

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment environment = context.getEnvironment();
        if (environment.containsProperty(BOOTSTRAP_SERVERS) || environment.containsProperty("spring.kafka.bootstrap-servers")) {
            return;
        }
        if (!(context instanceof GenericApplicationContext registry)) {
            throw new IllegalStateException("Cannot register the embedded broker with a " + context.getClass().getName()
                    + "; set " + BOOTSTRAP_SERVERS + " to use an external cluster");
        }
        KafkaBroker broker = KafkaBroker.builder().start();
        environment.getPropertySources().addFirst(new MapPropertySource("embeddedKafkaBroker",
                Map.of(BOOTSTRAP_SERVERS, broker.bootstrapServers())));
        // a disposable singleton: closed when beans are destroyed, which is after the containers' lifecycle
        // stop on a normal close, and also when the refresh fails
        DefaultListableBeanFactory beans = registry.getDefaultListableBeanFactory();
        beans.registerSingleton("embeddedKafkaBroker", broker);
        beans.registerDisposableBean("embeddedKafkaBroker", () -> close(broker));
        log.info("No {} set: started an in-process Kafka broker at {} (development only)", BOOTSTRAP_SERVERS,
                broker.bootstrapServers());
    }

    private static void close(KafkaBroker broker) {
        log.info("Closing the in-process Kafka broker");
        // On Ctrl-C, Kafka's own shutdown hook deletes the broker's data directory while this hook closes the
        // broker, which then logs errors about missing files that mean nothing here. Every client of the
        // application has stopped by now, so Kafka's loggers have nothing more to say.
        LoggingSystem logging = LoggingSystem.get(EmbeddedBrokerInitializer.class.getClassLoader());
        logging.setLogLevel("kafka", LogLevel.OFF);
        logging.setLogLevel("org.apache.kafka", LogLevel.OFF);
        broker.close();
    }
}
