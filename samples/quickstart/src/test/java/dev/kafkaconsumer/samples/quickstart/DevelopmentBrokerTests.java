package dev.kafkaconsumer.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaconsumer.test.KafkaBroker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * When the development broker stays away. That it starts and the application consumes from it is
 * {@link QuickstartApplicationTests}.
 */
class DevelopmentBrokerTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withUserConfiguration(DevelopmentBroker.class);

    @Test
    void startsNoBrokerWhenKafkaConsumerBootstrapServersAreSet() {
        this.contextRunner.withPropertyValues("kafka.consumer.bootstrap-servers=broker1:9092").run((context) -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(KafkaBroker.class);
            assertThat(context.getEnvironment().getProperty("kafka.consumer.bootstrap-servers")).isEqualTo("broker1:9092");
        });
    }

    @Test
    void startsNoBrokerWhenSpringKafkaBootstrapServersAreSet() {
        this.contextRunner.withPropertyValues("spring.kafka.bootstrap-servers=broker1:9092")
                .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(KafkaBroker.class));
    }
}
