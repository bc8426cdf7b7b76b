package dev.kafkaconsumer.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import dev.kafkaconsumer.core.Acknowledgement;
import dev.kafkaconsumer.core.TransactionalSender;

class RecordHandlerReflectiveProcessorTests {

    private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

    private final RuntimeHints hints = new RuntimeHints();

    @Test
    void registersEveryRecordHandlerMethodForInvocation() {
        register(Handlers.class);
        assertThat(this.reflection.onMethodInvocation(Handlers.class, "onOrder")).accepts(this.hints);
        assertThat(this.reflection.onMethodInvocation(Handlers.class, "onLines")).accepts(this.hints);
        assertThat(this.reflection.onMethodInvocation(Handlers.class, "onRecords")).accepts(this.hints);
        assertThat(this.reflection.onMethodInvocation(Handlers.class, "notAHandler")).rejects(this.hints);
    }

    @Test
    void registersTheTypesThatKeysAndValuesAreConvertedToForBinding() {
        register(Handlers.class);
        assertThat(this.reflection.onMethodInvocation(Order.class, "quantity")).as("value").accepts(this.hints);
        assertThat(this.reflection.onMethodInvocation(Customer.class, "getName")).as("@Key").accepts(this.hints);
        assertThat(this.reflection.onMethodInvocation(Line.class, "sku")).as("element of a batch").accepts(this.hints);
        assertThat(this.reflection.onMethodInvocation(Sku.class, "code")).as("referenced by a value").accepts(this.hints);
    }

    @Test
    void registersNothingForTheParametersThatTheContainerFills() {
        register(Handlers.class);
        assertThat(this.reflection.onType(ConsumerRecord.class)).rejects(this.hints);
        assertThat(this.reflection.onType(Headers.class)).rejects(this.hints);
        assertThat(this.reflection.onType(TopicPartition.class)).rejects(this.hints);
        assertThat(this.reflection.onType(Acknowledgement.class)).rejects(this.hints);
        assertThat(this.reflection.onType(Trace.class)).as("@Header").rejects(this.hints);
    }

    @Test
    void registersWhatATransactionalMethodReturnsForBindingAndNothingForItsSender() {
        register(TransactionalHandlers.class);
        assertThat(this.reflection.onMethodInvocation(Invoice.class, "total")).as("returned value").accepts(this.hints);
        assertThat(this.reflection.onMethodInvocation(Refund.class, "amount")).as("value of a returned ProducerRecord")
            .accepts(this.hints);
        assertThat(this.reflection.onMethodInvocation(Line.class, "sku")).as("element of a returned list")
            .accepts(this.hints);
        assertThat(this.reflection.onType(TransactionalSender.class)).rejects(this.hints);
        assertThat(this.reflection.onType(ProducerRecord.class)).rejects(this.hints);
    }

    @Test
    void registersMethodsAnnotatedThroughAComposedAnnotation() {
        register(ComposedHandlers.class);
        assertThat(this.reflection.onMethodInvocation(ComposedHandlers.class, "onOrder")).accepts(this.hints);
        assertThat(this.reflection.onMethodInvocation(Order.class, "quantity")).accepts(this.hints);
    }

    private void register(Class<?> type) {
        new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(this.hints, type);
    }

    static class Handlers {

        @RecordHandler(topics = "orders")
        void onOrder(@Key Customer customer, Order order, @Header("trace") Trace trace, @Offset long offset,
                ConsumerRecord<String, String> record, Headers headers, TopicPartition partition,
                Acknowledgement acknowledgement) {
        }

        @RecordHandler(topics = "lines", batch = true)
        CompletionStage<?> onLines(List<Line> lines, Acknowledgement acknowledgement) {
            return null;
        }

        @RecordHandler(topics = "raw", batch = true)
        void onRecords(List<ConsumerRecord<String, String>> records) {
        }

        void notAHandler(Order order) {
        }

    }

    static class TransactionalHandlers {

        @RecordHandler(topics = "orders", transactional = true, sendTo = "invoices")
        Invoice onOrder(Order order) {
            return null;
        }

        @RecordHandler(topics = "returns", transactional = true)
        List<ProducerRecord<String, Refund>> onReturn(String order) {
            return List.of();
        }

        @RecordHandler(topics = "baskets", transactional = true, sendTo = "lines")
        List<Line> onBasket(String basket, TransactionalSender<String, String> sender) {
            return List.of();
        }

    }

    record Invoice(String id, long total) {
    }

    record Refund(String id, long amount) {
    }

    static class ComposedHandlers {

        @OrderHandler
        void onOrder(Order order) {
        }

    }

    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @RecordHandler(topics = "orders", ordering = "KEY")
    @interface OrderHandler {

    }

    record Order(String id, int quantity) {
    }

    record Line(Sku sku, int quantity) {
    }

    record Sku(String code) {
    }

    static class Customer {

        private String name;

        public String getName() {
            return this.name;
        }

        public void setName(String name) {
            this.name = name;
        }

    }

    record Trace(String id) {
    }

}
