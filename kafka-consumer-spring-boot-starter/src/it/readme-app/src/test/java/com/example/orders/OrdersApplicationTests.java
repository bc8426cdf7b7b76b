package com.example.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.kafkaconsumer.test.InProcessKafka;
import dev.kafkaconsumer.test.KafkaBroker;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

@SpringBootTest
@InProcessKafka(topics = "orders")
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
}
