package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.ReflectionUtils;
import org.springframework.validation.Validator;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

import dev.kafkaconsumer.core.Completions;
import dev.kafkaconsumer.core.RetryPolicy;
import dev.kafkaconsumer.core.ShareAcknowledgement;
import dev.kafkaconsumer.spring.DeliveryCount;
import dev.kafkaconsumer.spring.Header;
import dev.kafkaconsumer.spring.Key;
import dev.kafkaconsumer.spring.PayloadConversionException;
import dev.kafkaconsumer.spring.PayloadValidationException;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a {@code @RecordHandler} method's parameters receive a record's value, key and headers: converted to
 * the parameter's type, validated where asked, and refused at start-up where no conversion can work.
 */
class RecordHandlerInvokerTests {

    private final LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();

    private final List<Object> received = new ArrayList<>();

    RecordHandlerInvokerTests() {
        this.validator.afterPropertiesSet();
    }

    @AfterEach
    void closeValidator() {
        this.validator.close();
    }

    private PayloadConversions conversions(@Nullable Validator validator) {
        JsonPayloadsForTests json = new JsonPayloadsForTests();
        return new PayloadConversions(json::payloads, ApplicationConversionService.getSharedInstance(), () -> validator);
    }

    private static ContainerSettings settings(Class<?> keyDeserializer, Class<?> valueDeserializer, boolean batch) {
        ContainerOptions options = ConsumerContainerFactory.defaults(new StandardEnvironment());
        options.setKeyDeserializer(keyDeserializer);
        options.setValueDeserializer(valueDeserializer);
        return new ContainerSettings("test", List.of("t"), null, batch, options, Map.of());
    }

    private RecordHandlerInvoker invoker(String methodName, Class<?> valueDeserializer) {
        return invoker(methodName, StringDeserializer.class, valueDeserializer, false, this.validator);
    }

    private RecordHandlerInvoker invoker(String methodName, Class<?> keyDeserializer, Class<?> valueDeserializer,
            boolean batch, @Nullable Validator validator) {
        Method method = ReflectionUtils.findMethod(Handlers.class, methodName, (Class<?>[]) null);
        return new RecordHandlerInvoker(new Handlers(this.received), method, methodName,
                settings(keyDeserializer, valueDeserializer, batch), conversions(validator));
    }

    private static ConsumerRecord<Object, Object> record(@Nullable Object key, @Nullable Object value, String... headers) {
        RecordHeaders recordHeaders = new RecordHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            recordHeaders.add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>("orders", 2, 7, 0, TimestampType.CREATE_TIME, -1, -1, key, value, recordHeaders,
                Optional.empty());
    }

    private void handle(RecordHandlerInvoker invoker, ConsumerRecord<Object, Object> record) throws Exception {
        invoker.recordProcessor().process(record, () -> { }).toCompletableFuture().join();
    }

    private RecordHandlerInvoker shareInvoker(String methodName) {
        Method method = ReflectionUtils.findMethod(Handlers.class, methodName, (Class<?>[]) null);
        ContainerSettings consumer = settings(StringDeserializer.class, StringDeserializer.class, false);
        ContainerSettings share = new ContainerSettings("test", List.of("t"), null, false, consumer.options(), Map.of(),
                "workers");
        return new RecordHandlerInvoker(new Handlers(this.received), method, methodName, share, conversions(null));
    }

    private static ConsumerRecord<Object, Object> shareRecord(Object value, int deliveryCount) {
        return new ConsumerRecord<>("jobs", 0, 11, 0, TimestampType.CREATE_TIME, -1, -1, "k", value, new RecordHeaders(),
                Optional.empty(), Optional.of((short) deliveryCount));
    }

    @Test
    void aShareHandlerTakesItsDeliveryCountAndItsShareAcknowledgement() throws Exception {
        RecordHandlerInvoker invoker = shareInvoker("acknowledging");
        List<String> acknowledged = new ArrayList<>();
        ShareAcknowledgement acknowledgement = new ShareAcknowledgement() {

            @Override
            public void accept() {
                acknowledged.add("accept");
            }

            @Override
            public void release() {
                acknowledged.add("release");
            }

            @Override
            public void reject() {
                acknowledged.add("reject");
            }

            @Override
            public void renew() {
                acknowledged.add("renew");
            }

        };

        assertThat(invoker.acknowledgesShares()).isTrue();
        invoker.shareHandler().handle(shareRecord("job-1", 3), acknowledgement);

        assertThat(this.received).containsExactly("job-1", 3);
        assertThat(acknowledged).containsExactly("release");
    }

    @Test
    void aShareHandlerWithoutAShareAcknowledgementIsAcknowledgedByTheContainer() throws Exception {
        RecordHandlerInvoker invoker = shareInvoker("counting");

        assertThat(invoker.acknowledgesShares()).isFalse();
        handle(invoker, shareRecord("job-2", 1));

        assertThat(this.received).containsExactly("job-2", 1);
    }

    @Test
    void theParametersOfTheOtherKindOfHandlerAreRefusedAtStartUp() {
        assertThatExceptionOfType(RecordHandlerDefinitionException.class)
            .isThrownBy(() -> shareInvoker("consumerAcknowledging"))
            .withMessageContaining("is an Acknowledgement, which commits a consumer group's offsets")
            .withMessageContaining("take a ShareAcknowledgement");
        assertThatExceptionOfType(RecordHandlerDefinitionException.class)
            .isThrownBy(() -> invoker("acknowledgingLater", StringDeserializer.class))
            .withMessageContaining("is a ShareAcknowledgement, but the method reads as a consumer group");
        assertThatExceptionOfType(RecordHandlerDefinitionException.class)
            .isThrownBy(() -> invoker("counting", StringDeserializer.class))
            .withMessageContaining("is @DeliveryCount, but the method reads as a consumer group");
        assertThatExceptionOfType(RecordHandlerDefinitionException.class)
            .isThrownBy(() -> shareInvoker("countingAsText"))
            .withMessageContaining("is @DeliveryCount but not an int");
        assertThatExceptionOfType(RecordHandlerDefinitionException.class)
            .isThrownBy(() -> shareInvoker("acknowledgingLater"))
            .withMessageContaining("takes a ShareAcknowledgement and returns a CompletionStage");
    }

    @Test
    void aHandlerThatReturnsNothingCompletesWithTheSharedCompletedStage() throws Exception {
        Object stage = invoker("text", StringDeserializer.class).recordProcessor().process(record("k", "v"), () -> { });
        assertThat(stage).isSameAs(Completions.DONE);
    }

    @Test
    void aJsonValueArrivingAsTextBecomesTheParametersRecordType() throws Exception {
        handle(invoker("order", StringDeserializer.class), record("k", "{\"id\":\"o-1\",\"quantity\":3}"));

        assertThat(this.received).containsExactly(new Order("o-1", 3));
    }

    @Test
    void aJsonValueArrivingAsBytesBecomesAGenericTypeFromTheMethodSignature() throws Exception {
        byte[] json = "{\"eu\":[1,2],\"us\":[3]}".getBytes(StandardCharsets.UTF_8);
        handle(invoker("totals", ByteArrayDeserializer.class), record("k", json));

        assertThat(this.received).containsExactly(Map.of("eu", List.of(1, 2), "us", List.of(3)));
    }

    @Test
    void textBytesAndByteBuffersConvertIntoOneAnother() throws Exception {
        handle(invoker("text", ByteArrayDeserializer.class), record("k", "héllo".getBytes(StandardCharsets.UTF_8)));
        handle(invoker("bytes", StringDeserializer.class), record("k", "héllo"));
        handle(invoker("buffer", StringDeserializer.class), record("k", "héllo"));

        assertThat(this.received.get(0)).isEqualTo("héllo");
        assertThat((byte[]) this.received.get(1)).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
        assertThat(StandardCharsets.UTF_8.decode((ByteBuffer) this.received.get(2)).toString()).isEqualTo("héllo");
    }

    @Test
    void aKeyIsConvertedLikeAValueAndHeadersThroughTheConversionService() throws Exception {
        UUID trace = UUID.randomUUID();
        handle(invoker("typedKeyAndHeaders", StringDeserializer.class),
                record("42", "{\"id\":\"o-2\",\"quantity\":1}", "attempt", "3", "trace", trace.toString()));

        assertThat(this.received).containsExactly(42L, new Order("o-2", 1), 3, Optional.of(trace), Optional.empty());
    }

    @Test
    void aMissingHeaderIsNullOrEmptyButRefusedForAPrimitiveWithoutARetry() {
        RecordHandlerInvoker invoker = invoker("typedKeyAndHeaders", StringDeserializer.class);

        assertThatExceptionOfType(PayloadConversionException.class)
            .isThrownBy(() -> handle(invoker, record("42", "{\"id\":\"o-2\",\"quantity\":1}")))
            .withMessageContaining("orders-2@7").withMessageContaining("'attempt'");
        assertThat(RetryPolicy.DEFAULT.withNotRetryable(PayloadConversionException.class)
            .isRetryable(new PayloadConversionException("x", null))).isFalse();
    }

    @Test
    void jsonThatDoesNotFitTheTypeFailsWithTheRecordAndTheTypeNamed() {
        RecordHandlerInvoker invoker = invoker("order", StringDeserializer.class);

        assertThatExceptionOfType(PayloadConversionException.class)
            .isThrownBy(() -> handle(invoker, record("k", "{\"id\":\"o-1\",\"quantity\":\"many\"}")))
            .withMessageContaining("value of orders-2@7")
            .withMessageContaining(Order.class.getName());
        assertThat(this.received).isEmpty();
    }

    @Test
    void aValidParameterIsValidatedAndAnInvalidValueNeverReachesTheHandler() throws Exception {
        RecordHandlerInvoker invoker = invoker("validOrder", StringDeserializer.class);

        assertThatExceptionOfType(PayloadValidationException.class)
            .isThrownBy(() -> handle(invoker, record("k", "{\"id\":\" \",\"quantity\":0}")))
            .satisfies((ex) -> assertThat(ex.getErrors()).containsExactlyInAnyOrder("id: must not be blank",
                    "quantity: must be greater than or equal to 1"));
        handle(invoker, record("k", "{\"id\":\"o-3\",\"quantity\":2}"));
        assertThat(this.received).containsExactly(new Order("o-3", 2));
    }

    @Test
    void aBatchOfJsonValuesBecomesAListOfTheElementType() throws Exception {
        RecordHandlerInvoker invoker = invoker("orders", StringDeserializer.class, StringDeserializer.class, true, this.validator);

        invoker.batchProcessor().process(List.of(record("a", "{\"id\":\"o-1\",\"quantity\":1}"),
                record("b", "{\"id\":\"o-2\",\"quantity\":2}")), () -> { }).toCompletableFuture().join();

        assertThat(this.received).containsExactly(List.of(new Order("o-1", 1), new Order("o-2", 2)));
    }

    @Test
    void aParameterNoDeserializerOutputCanBecomeIsRefusedAtStartUp() {
        assertThatExceptionOfType(RecordHandlerDefinitionException.class)
            .isThrownBy(() -> invoker("order", LongDeserializer.class))
            .withMessageContaining("cannot take Long values from the configured deserializer");
    }

    @Test
    void aValidParameterWithoutAValidatorIsRefusedAtStartUp() {
        assertThatExceptionOfType(RecordHandlerDefinitionException.class)
            .isThrownBy(() -> invoker("validOrder", StringDeserializer.class, StringDeserializer.class, false, null))
            .withMessageContaining("no Validator bean");
    }

    @Test
    void aHeaderOfATypeNoConverterProducesIsRefusedAtStartUp() {
        assertThatExceptionOfType(RecordHandlerDefinitionException.class)
            .isThrownBy(() -> invoker("unconvertibleHeader", StringDeserializer.class))
            .withMessageContaining("is @Header, but no converter");
    }

    record Order(@NotBlank String id, @Min(1) int quantity) {
    }

    /** Jackson, as the application would configure it. */
    static final class JsonPayloadsForTests {

        private final JsonPayloads payloads = JsonPayloads.of(JsonMapper.builder().build());

        JsonPayloads payloads() {
            return this.payloads;
        }

    }

    static class Handlers {

        private final List<Object> received;

        Handlers(List<Object> received) {
            this.received = received;
        }

        void order(Order order) {
            this.received.add(order);
        }

        void validOrder(@Valid Order order) {
            this.received.add(order);
        }

        void totals(Map<String, List<Integer>> totals) {
            this.received.add(totals);
        }

        void text(String value) {
            this.received.add(value);
        }

        void bytes(byte[] value) {
            this.received.add(value);
        }

        void buffer(ByteBuffer value) {
            this.received.add(value);
        }

        void typedKeyAndHeaders(@Key Long key, Order order, @Header("attempt") int attempt,
                @Header("trace") Optional<UUID> trace, @Header("absent") Optional<String> absent) {
            this.received.addAll(List.of(key, order, attempt, trace, absent));
        }

        void orders(List<Order> orders) {
            this.received.add(orders);
        }

        void unconvertibleHeader(@Header("h") java.util.concurrent.CountDownLatch latch) {
            this.received.add(latch);
        }

        void acknowledging(String job, @DeliveryCount int delivery, ShareAcknowledgement acknowledgement) {
            this.received.addAll(List.of(job, delivery));
            acknowledgement.release();
        }

        void counting(String job, @DeliveryCount Integer delivery) {
            this.received.addAll(List.of(job, delivery));
        }

        void countingAsText(String job, @DeliveryCount String delivery) {
            this.received.add(delivery);
        }

        void consumerAcknowledging(String job, dev.kafkaconsumer.core.Acknowledgement acknowledgement) {
            this.received.add(job);
        }

        java.util.concurrent.CompletionStage<?> acknowledgingLater(String job, ShareAcknowledgement acknowledgement) {
            return Completions.DONE;
        }

    }

}
