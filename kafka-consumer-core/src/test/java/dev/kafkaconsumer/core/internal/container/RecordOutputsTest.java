package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The sender a transactional handler gets: its outputs are kept only when the call succeeds, and it is valid only during it. */
class RecordOutputsTest {

    private static final TopicPartition TP = new TopicPartition("in", 0);

    private final PendingOutputs pending = new PendingOutputs(1000, () -> { });
    private final PartitionProgress progress = new PartitionProgress();

    private RecordOutputs<String, String> outputs(long offset) {
        progress.dispatched(List.of(new ConsumerRecord<>("in", 0, offset, null, null)));
        return new RecordOutputs<>(new StringSerializer(), new StringSerializer(), pending, progress, TP, offset);
    }

    @Test
    void theOutputsOfASuccessfulCallAreKeptSerializedWithTheRecord() {
        RecordOutputs<String, String> outputs = outputs(0);
        outputs.send("out", "k", "v");
        outputs.close(true);
        PendingOutputs.Taken taken = pending.take(progress, 1, 10);
        assertThat(taken.offsets).containsExactly(0L);
        assertThat(taken.outputs).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo("out");
            assertThat(new String(record.value())).isEqualTo("v");
        });
    }

    @Test
    void theOutputsOfAFailedCallAreDropped() {
        RecordOutputs<String, String> outputs = outputs(0);
        outputs.send("out", "k", "v");
        outputs.close(false);
        assertThat(pending.records()).isZero();
    }

    @Test
    void aSenderUsedAfterItsCallIsOverThrowsSayingWhy() {
        RecordOutputs<String, String> outputs = outputs(7);
        outputs.close(true);
        assertThatThrownBy(() -> outputs.send("out", "k", "late")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in-0 offset 7").hasMessageContaining("is over");
    }
}
