package dev.kafkaconsumer.test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.ClassUtils;

/**
 * Starts the broker that an {@link InProcessKafka} test asks for, and connects the context to it. Equal
 * for equal annotation attributes, so that Spring's context cache shares one context, and one broker,
 * between test classes that ask for the same.
 */
final class InProcessKafkaContextCustomizer implements ContextCustomizer {

    /** The name of the {@link KafkaBroker} bean. */
    static final String BROKER_BEAN = "inProcessKafkaBroker";

    private static final boolean CONNECTION_DETAILS_PRESENT = ClassUtils.isPresent(
            "org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails",
            InProcessKafkaContextCustomizer.class.getClassLoader());

    /** Partitions by topic name, in the annotation's order. */
    private final Map<String, Integer> topics = new LinkedHashMap<>();

    private final int brokers;

    private final Map<String, String> brokerProperties = new LinkedHashMap<>();

    /**
     * Reads the annotation, so that a bad entry fails before any broker starts.
     *
     * @throws IllegalArgumentException for a topic that is not {@code name} or {@code name:partitions}, or a
     *         broker property that is not {@code name=value}
     */
    InProcessKafkaContextCustomizer(InProcessKafka annotation) {
        for (String topic : annotation.topics()) {
            String[] parts = topic.split(":", 2);
            try {
                this.topics.put(parts[0].trim(), (parts.length == 2) ? Integer.parseInt(parts[1].trim()) : 1);
            }
            catch (NumberFormatException ex) {
                throw new IllegalArgumentException("@InProcessKafka topics entry '" + topic + "' is not name or name:partitions");
            }
        }
        this.brokers = annotation.brokers();
        for (String property : annotation.brokerProperties()) {
            int equals = property.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("@InProcessKafka brokerProperties entry '" + property + "' is not name=value");
            }
            this.brokerProperties.put(property.substring(0, equals).trim(), property.substring(equals + 1).trim());
        }
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
        KafkaBroker.Builder builder = KafkaBroker.builder().brokers(this.brokers);
        this.brokerProperties.forEach(builder::brokerProperty);
        KafkaBroker broker = builder.start();
        try {
            this.topics.forEach(broker::createTopic);
        }
        catch (RuntimeException ex) {
            broker.close();
            throw ex;
        }
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("inProcessKafka",
                Map.of("kafka.consumer.bootstrap-servers", broker.bootstrapServers(),
                        "spring.kafka.bootstrap-servers", broker.bootstrapServers())));
        ConfigurableListableBeanFactory beans = context.getBeanFactory();
        beans.registerSingleton(BROKER_BEAN, broker);
        // destroyed after the beans that use it, the application's consumers among them
        ((DefaultSingletonBeanRegistry) beans).registerDisposableBean(BROKER_BEAN, broker::close);
        if (CONNECTION_DETAILS_PRESENT) {
            beans.registerSingleton("inProcessKafkaConnectionDetails", new InProcessKafkaConnectionDetails(broker));
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InProcessKafkaContextCustomizer that && this.brokers == that.brokers
                && this.topics.equals(that.topics) && this.brokerProperties.equals(that.brokerProperties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.topics, this.brokers, this.brokerProperties);
    }

    @Override
    public String toString() {
        return "@InProcessKafka(topics=" + this.topics + ", brokers=" + this.brokers + ", brokerProperties="
                + this.brokerProperties + ")";
    }

}
