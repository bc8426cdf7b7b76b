package dev.kafkaconsumer.core.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/** Builds records and batches for unit tests of the buffers. */
final class Batches {

    private Batches() {
    }

    /** Records at the given offsets, each with a 10-byte value. */
    static List<ConsumerRecord<String, String>> records(TopicPartition tp, long... offsets) {
        return LongStream.of(offsets).mapToObj(offset -> new ConsumerRecord<String, String>(tp.topic(), tp.partition(), offset, 0L,
                TimestampType.CREATE_TIME, 0, 10, null, "value-" + offset, new RecordHeaders(), Optional.of(3))).toList();
    }

    static List<ConsumerRecord<String, String>> range(TopicPartition tp, long from, long toExclusive) {
        return records(tp, LongStream.range(from, toExclusive).toArray());
    }

    static RecordDeserializationException poison(TopicPartition tp, long offset) {
        return new RecordDeserializationException(RecordDeserializationException.DeserializationExceptionOrigin.VALUE, tp,
                offset, 0L, TimestampType.CREATE_TIME, null, ByteBuffer.wrap(new byte[] {1}), new RecordHeaders(),
                "cannot deserialize", new IllegalArgumentException("bad bytes"));
    }
}
