package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;


import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.javapoet.ClassName;

import dev.kafkaconsumer.spring.RecordHandler;
import dev.kafkaconsumer.spring.actuate.metrics.KafkaConsumerMetricsAutoConfiguration;
import dev.kafkaconsumer.spring.autoconfigure.DeserializerPropertiesAotProcessorTests.OrderDeserializer;

/**
 * Ahead-of-time processing of an application, as Spring Boot's {@code process-aot} does it: the hints of
 * {@code @RecordHandler} methods ({@code @Reflective}) and those listed in {@code META-INF/spring/aot.factories}
 * all reach the generated hints.
 */
class KafkaConsumerAotProcessingTests {

    private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

    @Test
    void processingAnApplicationAheadOfTimeRegistersTheHintsOfItsContainers() throws Exception {
        RuntimeHints hints = processAheadOfTime("kafka.consumer.group-id=orders",
                "kafka.consumer.containers.orders.value-deserializer=" + OrderDeserializer.class.getName());
        assertThat(this.reflection.onMethodInvocation(Orders.class, "onOrder")).as("handler").accepts(hints);
        assertThat(this.reflection.onConstructorInvocation(OrderDeserializer.class.getConstructor()))
            .as("deserializer named in a property").accepts(hints);
        assertThat(this.reflection.onFieldAccess(KafkaConsumer.class, "delegate")).as("engine").accepts(hints);
        assertThat(RuntimeHintsPredicates.proxies().forInterfaces(Consumer.class)).as("metrics").accepts(hints);
    }

    private static RuntimeHints processAheadOfTime(String... properties) {
        DefaultGenerationContext generationContext = new DefaultGenerationContext(
                new ClassNameGenerator(ClassName.get("com.example", "OrdersApplication")), new InMemoryGeneratedFiles());
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            TestPropertyValues.of(properties).applyTo(context);
            context.register(OrdersApplication.class);
            new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
        }
        return generationContext.getRuntimeHints();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ KafkaConsumerAutoConfiguration.class, KafkaConsumerMetricsAutoConfiguration.class })
    static class OrdersApplication {

        @Bean
        Orders orders() {
            return new Orders();
        }

    }

    static class Orders {

        @RecordHandler(id = "orders", topics = "orders")
        void onOrder(String order) {
        }

    }

}
