package dev.kafkaconsumer.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

/** A Spring test context with an {@link InProcessKafka} broker. */
@SpringJUnitConfig(InProcessKafkaTest.Empty.class)
@InProcessKafka(topics = { "orders:3", "payments" })
class InProcessKafkaTest {

    @Autowired
    private KafkaBroker kafka;

    @Autowired
    private Environment environment;

    @Autowired
    private KafkaConnectionDetails connectionDetails;

    @Test
    void theContextHasTheBrokerWithItsTopicsAndConnectsTheApplicationToIt() throws Exception {
        try (Admin admin = this.kafka.admin()) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of("orders", "payments")).allTopicNames().get();
            assertThat(topics.get("orders").partitions()).hasSize(3);
            assertThat(topics.get("payments").partitions()).hasSize(1);
        }
        assertThat(this.environment.getProperty("kafka.consumer.bootstrap-servers")).isEqualTo(this.kafka.bootstrapServers());
        assertThat(this.environment.getProperty("spring.kafka.bootstrap-servers")).isEqualTo(this.kafka.bootstrapServers());
        assertThat(String.join(",", this.connectionDetails.getBootstrapServers())).isEqualTo(this.kafka.bootstrapServers());
    }

    @Test
    void theBrokerClosesWithItsContext() {
        InProcessKafkaContextCustomizer customizer = customizer(InProcessKafkaTest.class);
        GenericApplicationContext context = new GenericApplicationContext();
        customizer.customizeContext(context, new MergedContextConfiguration(InProcessKafkaTest.class, null, null, null, null));
        context.refresh();
        KafkaBroker broker = context.getBean(KafkaBroker.class);
        String address = broker.bootstrapServers().split(",")[0];
        assertThat(accepts(address)).isTrue();

        context.close();

        assertThat(accepts(address)).as("the broker listens no more").isFalse();
    }

    @Test
    void equalAnnotationsShareAContextAndBadEntriesAreRefusedWithTheReason() {
        assertThat(customizer(InProcessKafkaTest.class)).isEqualTo(customizer(SameBroker.class))
            .hasSameHashCodeAs(customizer(SameBroker.class))
            .isNotEqualTo(customizer(OtherTopics.class));
        assertThatIllegalArgumentException().isThrownBy(() -> customizer(BadTopic.class))
            .withMessageContaining("'orders:many' is not name or name:partitions");
        assertThatIllegalArgumentException().isThrownBy(() -> customizer(BadProperty.class))
            .withMessageContaining("'log.retention' is not name=value");
    }

    private static InProcessKafkaContextCustomizer customizer(Class<?> testClass) {
        return (InProcessKafkaContextCustomizer) new InProcessKafkaContextCustomizerFactory().createContextCustomizer(testClass,
                List.of());
    }

    private static boolean accepts(String address) {
        String[] hostAndPort = address.split(":");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostAndPort[0], Integer.parseInt(hostAndPort[1])), 1000);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }

    @InProcessKafka(topics = { "orders:3", "payments" })
    static class SameBroker {
    }

    @InProcessKafka(topics = "orders:3")
    static class OtherTopics {
    }

    @InProcessKafka(topics = "orders:many")
    static class BadTopic {
    }

    @InProcessKafka(brokerProperties = "log.retention")
    static class BadProperty {
    }

}
