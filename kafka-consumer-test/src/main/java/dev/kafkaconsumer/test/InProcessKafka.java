package dev.kafkaconsumer.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a Spring test context an in-process Kafka broker, the Spring way: the broker starts once for the
 * context (and is shared by every test class whose context is the same, as Spring caches contexts), the
 * application connects to it with no property, and the test gets it as a {@link KafkaBroker} bean to
 * create topics and produce.
 *
 * <pre>{@code
 * @SpringBootTest
 * @InProcessKafka(topics = "orders:3")
 * class OrdersApplicationTests {
 *
 *     @Autowired
 *     KafkaBroker kafka;
 *
 *     @Test
 *     void handlesOrders() {
 *         kafka.send(new StringSerializer(), new StringSerializer(), List.of(new ProducerRecord<>("orders", "k", "{...}")));
 *         await().untilAsserted(() -> ...);
 *     }
 * }
 * }</pre>
 *
 * <p>The application finds the broker through a {@code KafkaConnectionDetails} bean when Spring Boot's
 * Kafka module is on the class path (the way {@code @ServiceConnection} works, taking precedence over
 * connection properties), and through {@code kafka.consumer.bootstrap-servers} and
 * {@code spring.kafka.bootstrap-servers}, set ahead of every other property source, in any case. The broker
 * closes with the context, after the application's containers have stopped.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface InProcessKafka {

    /**
     * Topics to create before the context starts: {@code name}, or {@code name:partitions}.
     *
     * @return topic definitions
     */
    String[] topics() default {};

    /**
     * How many combined broker-and-controller nodes the cluster has.
     *
     * @return at least 1
     */
    int brokers() default 1;

    /**
     * Broker properties, each {@code name=value}, such as {@code auto.create.topics.enable=true}.
     *
     * @return broker properties
     */
    String[] brokerProperties() default {};

}
