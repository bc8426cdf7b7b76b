package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterHeadersTest {

    private final ConsumerRecord<byte[], byte[]> raw = new ConsumerRecord<>("orders", 3, 42L, "k".getBytes(StandardCharsets.UTF_8),
            "v".getBytes(StandardCharsets.UTF_8));
    private final FailedRecord<String, String> failed = new FailedRecord<>(raw, null,
            new IllegalStateException("no stock", new ArithmeticException()), 3);

    private static String text(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void ourOwnHeadersAreReadableTextWithTheAttemptCount() {
        Headers headers = new RecordHeaders();
        DeadLetterHeaders.KAFKA_CONSUMER.add(headers, failed);

        assertThat(text(headers, Recoverers.ORIGINAL_TOPIC_HEADER)).isEqualTo("orders");
        assertThat(text(headers, Recoverers.ORIGINAL_PARTITION_HEADER)).isEqualTo("3");
        assertThat(text(headers, Recoverers.ORIGINAL_OFFSET_HEADER)).isEqualTo("42");
        assertThat(text(headers, Recoverers.ATTEMPTS_HEADER)).isEqualTo("3");
        assertThat(text(headers, Recoverers.EXCEPTION_CLASS_HEADER)).isEqualTo(IllegalStateException.class.getName());
        assertThat(text(headers, Recoverers.EXCEPTION_MESSAGE_HEADER)).isEqualTo("no stock");
    }

    @Test
    void springForApacheKafkasHeadersHaveItsNamesAndBinaryNumbers() {
        Headers headers = new RecordHeaders();
        DeadLetterHeaders.SPRING_KAFKA.add(headers, failed);

        assertThat(text(headers, "kafka_dlt-original-topic")).isEqualTo("orders");
        assertThat(ByteBuffer.wrap(headers.lastHeader("kafka_dlt-original-partition").value()).getInt()).isEqualTo(3);
        assertThat(ByteBuffer.wrap(headers.lastHeader("kafka_dlt-original-offset").value()).getLong()).isEqualTo(42L);
        assertThat(headers.lastHeader("kafka_dlt-original-timestamp").value()).hasSize(Long.BYTES);
        assertThat(text(headers, "kafka_dlt-original-timestamp-type")).isEqualTo("NoTimestampType");
        assertThat(text(headers, "kafka_dlt-exception-fqcn")).isEqualTo(IllegalStateException.class.getName());
        assertThat(text(headers, "kafka_dlt-exception-cause-fqcn")).isEqualTo(ArithmeticException.class.getName());
        assertThat(text(headers, "kafka_dlt-exception-message")).isEqualTo("no stock");
        assertThat(text(headers, "kafka_dlt-exception-stacktrace")).startsWith("java.lang.IllegalStateException: no stock");
        assertThat(headers.lastHeader(Recoverers.ATTEMPTS_HEADER)).isNull();
    }

    /** A record of a share group, on the given delivery. */
    private static FailedRecord<String, String> sharedRecordOnDelivery(int deliveryCount) {
        ConsumerRecord<byte[], byte[]> shared = new ConsumerRecord<>("orders", 3, 42L, ConsumerRecord.NO_TIMESTAMP,
                TimestampType.NO_TIMESTAMP_TYPE, 1, 1, "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8),
                new RecordHeaders(), Optional.empty(), Optional.of((short) deliveryCount));
        return new FailedRecord<>(shared, null, new IllegalStateException("no stock"), 3);
    }

    @Test
    void aDeadLetterOfAShareGroupsRecordCarriesItsDeliveryCount() {
        Headers ours = new RecordHeaders();
        DeadLetterHeaders.KAFKA_CONSUMER.add(ours, sharedRecordOnDelivery(4));
        Headers springs = new RecordHeaders();
        DeadLetterHeaders.SPRING_KAFKA.add(springs, sharedRecordOnDelivery(4));

        assertThat(text(ours, Recoverers.DELIVERY_COUNT_HEADER)).isEqualTo("4");
        assertThat(ByteBuffer.wrap(springs.lastHeader("kafka_deliveryAttempt").value()).getInt()).isEqualTo(4);
    }

    @Test
    void aDeadLetterOfAConsumerGroupsRecordHasNoDeliveryCount() {
        Headers ours = new RecordHeaders();
        DeadLetterHeaders.KAFKA_CONSUMER.add(ours, failed);
        Headers springs = new RecordHeaders();
        DeadLetterHeaders.SPRING_KAFKA.add(springs, failed);

        assertThat(ours.lastHeader(Recoverers.DELIVERY_COUNT_HEADER)).isNull();
        assertThat(springs.lastHeader("kafka_deliveryAttempt")).isNull();
    }
}
