package dev.kafkaconsumer.core;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * The headers a dead letter carries besides the original record's own, naming why and where it failed.
 * A dead-letter topic is read by tools and people long after the record failed, so the set to choose is
 * the one they read.
 */
public enum DeadLetterHeaders {

    /**
     * This library's, the default: {@code kafka-consumer.dlt.*}, all readable text (numbers in decimal), so
     * that a console consumer or {@code kcat} shows them as they are, with the attempt count, and, for a
     * record of a share group, its delivery count ({@link Recoverers#DELIVERY_COUNT_HEADER}).
     */
    KAFKA_CONSUMER {
        @Override
        void add(Headers headers, FailedRecord<?, ?> failed) {
            Throwable failure = failed.failure();
            ConsumerRecord<byte[], byte[]> raw = failed.raw();
            headers.add(Recoverers.EXCEPTION_CLASS_HEADER, text(failure == null ? "" : failure.getClass().getName()));
            headers.add(Recoverers.EXCEPTION_MESSAGE_HEADER, text(failure == null || failure.getMessage() == null ? ""
                    : failure.getMessage()));
            headers.add(Recoverers.ORIGINAL_TOPIC_HEADER, text(raw.topic()));
            headers.add(Recoverers.ORIGINAL_PARTITION_HEADER, text(String.valueOf(raw.partition())));
            headers.add(Recoverers.ORIGINAL_OFFSET_HEADER, text(String.valueOf(raw.offset())));
            headers.add(Recoverers.ATTEMPTS_HEADER, text(String.valueOf(failed.attempts())));
            raw.deliveryCount().ifPresent(count -> headers.add(Recoverers.DELIVERY_COUNT_HEADER, text(String.valueOf(count))));
        }
    },

    /**
     * Spring for Apache Kafka's, as its {@code DeadLetterPublishingRecoverer} writes them: {@code kafka_dlt-*}
     * names, the original partition as a 4-byte and the offset and timestamp as 8-byte big-endian numbers,
     * the exception's class, cause's class, message and stack trace; for a record of a share group, its
     * delivery count as Spring's {@code kafka_deliveryAttempt} header (a 4-byte big-endian number, as
     * Spring's {@code KafkaHeaders.DELIVERY_ATTEMPT}). For dead-letter topics that tools built for Spring's
     * read, or that a Spring application shares.
     */
    SPRING_KAFKA {
        @Override
        void add(Headers headers, FailedRecord<?, ?> failed) {
            ConsumerRecord<byte[], byte[]> raw = failed.raw();
            headers.add("kafka_dlt-original-topic", text(raw.topic()));
            headers.add("kafka_dlt-original-partition", ByteBuffer.allocate(Integer.BYTES).putInt(raw.partition()).array());
            headers.add("kafka_dlt-original-offset", ByteBuffer.allocate(Long.BYTES).putLong(raw.offset()).array());
            headers.add("kafka_dlt-original-timestamp", ByteBuffer.allocate(Long.BYTES).putLong(raw.timestamp()).array());
            headers.add("kafka_dlt-original-timestamp-type", text(raw.timestampType().toString()));
            raw.deliveryCount().ifPresent(count -> headers.add(SPRING_DELIVERY_ATTEMPT_HEADER,
                    ByteBuffer.allocate(Integer.BYTES).putInt(count).array()));
            Throwable failure = failed.failure();
            if (failure != null) {
                headers.add("kafka_dlt-exception-fqcn", text(failure.getClass().getName()));
                if (failure.getCause() != null) {
                    headers.add("kafka_dlt-exception-cause-fqcn", text(failure.getCause().getClass().getName()));
                }
                if (failure.getMessage() != null) {
                    headers.add("kafka_dlt-exception-message", text(failure.getMessage()));
                }
                StringWriter trace = new StringWriter();
                failure.printStackTrace(new PrintWriter(trace, true));
                headers.add("kafka_dlt-exception-stacktrace", text(trace.toString()));
            }
        }
    };

    /** Spring for Apache Kafka's name of the delivery attempt header ({@code KafkaHeaders.DELIVERY_ATTEMPT}). */
    private static final String SPRING_DELIVERY_ATTEMPT_HEADER = "kafka_deliveryAttempt";

    /** Adds this set's headers for the failed record to the dead letter's headers. */
    abstract void add(Headers headers, FailedRecord<?, ?> failed);

    private static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
