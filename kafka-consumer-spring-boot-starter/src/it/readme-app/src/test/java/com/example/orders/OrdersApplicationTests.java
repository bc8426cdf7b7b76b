package com.example.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkaconsumer.test.KafkaBroker;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;

@SpringBootTest
@ContextConfiguration(initializers = OrdersApplicationTests.InProcessKafka.class)
@DirtiesContext // closes the context, and with it the broker, after the tests rather than in a JVM shutdown hook
class OrdersApplicationTests {

    @Autowired
    KafkaBroker kafka;

    @Autowired
    Orders orders;

    @Test
    void handlesAnOrderSentToItsTopic() throws InterruptedException {
        kafka.send(new StringSerializer(), new StringSerializer(), List.of(new ProducerRecord<>("orders", "alice", "2 apples")));

        assertThat(orders.handled().poll(30, TimeUnit.SECONDS)).isEqualTo("alice: 2 apples");
    }

    /**
     * Starts a broker with the topic before the application, points kafka.consumer.bootstrap-servers at it and
     * closes it with the context's beans, that is after the containers have stopped.
     */
    static class InProcessKafka implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            KafkaBroker kafka = KafkaBroker.builder().start();
            kafka.createTopic("orders", 1);
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("kafka",
                    Map.of("kafka.consumer.bootstrap-servers", kafka.bootstrapServers())));
            GenericApplicationContext beans = (GenericApplicationContext) context;
            beans.getDefaultListableBeanFactory().registerSingleton("kafkaBroker", kafka);
            beans.getDefaultListableBeanFactory().registerDisposableBean("kafkaBroker", kafka::close);
        }
    }
}
