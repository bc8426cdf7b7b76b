package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.ReflectionUtils;

import dev.kafkaconsumer.core.TransactionalSender;
import dev.kafkaconsumer.spring.Header;
import dev.kafkaconsumer.spring.Key;

/**
 * How a transactional {@code @RecordHandler} method's outputs reach the container's {@link TransactionalSender}: what
 * it returns (a value to {@code sendTo} keyed with the input's key, {@code ProducerRecord}s, collections of either),
 * and what it sends through the sender it takes, its other parameters resolved as for any handler.
 */
class TransactionalRecordHandlerInvokerTests {

    private final List<ProducerRecord<Object, Object>> sent = new ArrayList<>();

    private final TransactionalSender<Object, Object> sender = this.sent::add;

    private static ContainerSettings settings(@Nullable String sendTo) {
        ContainerOptions options = ConsumerContainerFactory.defaults(new StandardEnvironment());
        options.setKeyDeserializer(StringDeserializer.class);
        options.setValueDeserializer(StringDeserializer.class);
        return new ContainerSettings("test", List.of("orders"), null, false, options, Map.of(), null,
                new ContainerSettings.Transaction(sendTo, Map.of(), StringSerializer.class, StringSerializer.class,
                        "test-tx-", null, null));
    }

    private RecordHandlerInvoker invoker(String methodName, @Nullable String sendTo) {
        Method method = ReflectionUtils.findMethod(Handlers.class, methodName, (Class<?>[]) null);
        PayloadConversions conversions = new PayloadConversions(new RecordHandlerInvokerTests.JsonPayloadsForTests()::payloads,
                ApplicationConversionService.getSharedInstance(), () -> null);
        return new RecordHandlerInvoker(new Handlers(), method, methodName, settings(sendTo), conversions);
    }

    private void handle(RecordHandlerInvoker invoker, ConsumerRecord<Object, Object> record) throws Exception {
        invoker.transactionalHandler().handle(record, this.sender);
    }

    private static ConsumerRecord<Object, Object> record(@Nullable Object key, @Nullable Object value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>("orders", 1, 42, 0, TimestampType.CREATE_TIME, -1, -1, key, value, headers,
                Optional.empty());
    }

    @Test
    void aReturnedValueGoesToSendToKeyedWithTheInputRecordsKey() throws Exception {
        handle(invoker("invoice", "invoices"), record("customer-1", "order-1"));

        assertThat(this.sent).singleElement().satisfies((output) -> {
            assertThat(output.topic()).isEqualTo("invoices");
            assertThat(output.key()).isEqualTo("customer-1");
            assertThat(output.value()).isEqualTo("invoice for order-1");
        });
    }

    @Test
    void nullSendsNothingAndTheElementsOfACollectionAreSentInOrderNullsLeftOut() throws Exception {
        handle(invoker("invoice", "invoices"), record("customer-1", null));
        assertThat(this.sent).isEmpty();

        handle(invoker("split", "lines"), record("customer-2", "a,,b"));
        assertThat(this.sent).extracting(ProducerRecord::value).containsExactly("a", "b");
        assertThat(this.sent).extracting(ProducerRecord::topic).containsOnly("lines");
        assertThat(this.sent).extracting(ProducerRecord::key).containsOnly("customer-2");
    }

    @Test
    void returnedProducerRecordsAreSentAsTheyAre() throws Exception {
        handle(invoker("routed", null), record("customer-3", "order-3"));
        handle(invoker("fannedOut", null), record("customer-4", "order-4"));

        assertThat(this.sent).extracting(ProducerRecord::topic).containsExactly("routed-order-3", "audit", "billing");
        assertThat(this.sent.get(0).key()).isEqualTo("new-key");
        assertThat(this.sent.get(0).partition()).isEqualTo(3);
    }

    @Test
    void aMethodTakingTheSenderSendsThroughItWithItsOtherParametersResolvedAsForAnyHandler() throws Exception {
        handle(invoker("sending", null), record("customer-5", "order-5"));

        assertThat(this.sent).singleElement().satisfies((output) -> {
            assertThat(output.topic()).isEqualTo("out");
            assertThat(output.key()).isEqualTo("customer-5");
            assertThat(output.value()).isEqualTo("order-5 t-1");
        });
    }

    @Test
    void whatTheMethodSendsAndWhatItReturnsAreBothSent() throws Exception {
        handle(invoker("sendingAndReturning", "returned"), record("k", "v"));

        assertThat(this.sent).extracting(ProducerRecord::topic).containsExactly("sent", "returned");
    }

    @Test
    void theHandlersOwnExceptionReachesTheContainerSoThatItsRetriesSeeIt() {
        assertThatIllegalStateException().isThrownBy(() -> handle(invoker("failing", "out"), record("k", "v")))
            .withMessage("no invoice for v");
        assertThat(this.sent).isEmpty();
    }

    @Test
    void aProducerRecordReturnedAsAnObjectIsSentAsItIs()
            throws Exception {
        handle(invoker("anything", "out"), record("k", "v"));
        assertThat(this.sent).extracting(ProducerRecord::topic).containsExactly("elsewhere");
    }

    static class Handlers {

        @Nullable String invoice(String order) {
            return (order != null) ? "invoice for " + order : null;
        }

        List<String> split(String order) {
            return Arrays.asList(order.split(",")).stream().map((part) -> part.isEmpty() ? null : part).toList();
        }

        ProducerRecord<String, String> routed(String order) {
            return new ProducerRecord<>("routed-" + order, 3, "new-key", order);
        }

        List<ProducerRecord<String, String>> fannedOut(@Key String customer, String order) {
            return List.of(new ProducerRecord<>("audit", customer, order), new ProducerRecord<>("billing", customer, order));
        }

        void sending(@Key String customer, String order, @Header("trace") String trace,
                TransactionalSender<String, String> sender) {
            sender.send("out", customer, order + " " + trace);
        }

        String sendingAndReturning(String value, TransactionalSender<String, String> sender) {
            sender.send("sent", "k", value);
            return value;
        }

        String failing(String order) {
            throw new IllegalStateException("no invoice for " + order);
        }

        Object anything(String order) {
            return new ProducerRecord<>("elsewhere", "k", order);
        }

    }

}
