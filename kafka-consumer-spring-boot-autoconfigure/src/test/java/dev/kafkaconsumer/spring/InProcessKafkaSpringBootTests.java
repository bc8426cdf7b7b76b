package dev.kafkaconsumer.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

import dev.kafkaconsumer.test.InProcessKafka;
import dev.kafkaconsumer.test.KafkaBroker;

/**
 * An application's own test as the README shows it: {@code @SpringBootTest} on the in-process broker, with
 * no connection property (the starter module builds and runs the README's own application too).
 */
@SpringBootTest(properties = { "kafka.consumer.group-id=orders-app", "kafka.consumer.auto-offset-reset=earliest" })
@InProcessKafka(topics = "orders:3")
class InProcessKafkaSpringBootTests {

    @Autowired
    KafkaBroker kafka;

    @Autowired
    Orders orders;

    @Test
    void handlesTheOrdersTheTestProduces() {
        kafka.send(new StringSerializer(), new StringSerializer(), List.of(new ProducerRecord<>("orders", "customer-1", "order-1"),
                new ProducerRecord<>("orders", "customer-2", "order-2")));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(orders.handled).containsExactlyInAnyOrder("order-1", "order-2"));
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Orders.class)
    static class OrdersApplication {
    }

    @Component
    static class Orders {

        final List<String> handled = new CopyOnWriteArrayList<>();

        @RecordHandler(topics = "orders")
        void onOrder(String order) {
            handled.add(order);
        }
    }
}
