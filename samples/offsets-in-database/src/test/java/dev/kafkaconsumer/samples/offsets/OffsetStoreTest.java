package dev.kafkaconsumer.samples.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OffsetStoreTest {

    private static final TopicPartition P0 = new TopicPartition("views", 0);
    private static final TopicPartition P1 = new TopicPartition("views", 1);

    private final OffsetStore store = new OffsetStore("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);

    @BeforeEach
    void createTables() throws SQLException {
        store.createTables();
    }

    @Test
    void storesTheCountsAndTheOffsetAfterTheLastRecordOfEachPartitionTogether() throws SQLException {
        Map<TopicPartition, Long> stored = store.write(Map.of(
                P0, List.of(record(P0, 0, "a"), record(P0, 1, "b"), record(P0, 2, "a")),
                P1, List.of(record(P1, 7, "a"))), Map.of());

        assertThat(stored).isEqualTo(Map.of(P0, 3L, P1, 8L));
        assertThat(store.offsets(List.of(P0, P1))).isEqualTo(Map.of(P0, 3L, P1, 8L));
        assertThat(store.counts("views")).isEqualTo(Map.of("a", 3L, "b", 1L));

        store.write(Map.of(P0, List.of(record(P0, 3, "b"))), stored);
        assertThat(store.offsets(List.of(P0))).isEqualTo(Map.of(P0, 4L));
        assertThat(store.counts("views")).isEqualTo(Map.of("a", 3L, "b", 2L));
    }

    @Test
    void rollsTheWholeBatchBackWhenAnotherConsumerMovedAStoredOffset() throws SQLException {
        store.write(Map.of(P0, List.of(record(P0, 0, "a")), P1, List.of(record(P1, 0, "a"))), Map.of());

        // this consumer believes partition 1 is still at 0; partition 0 is right, and is rolled back with it
        assertThatExceptionOfType(OffsetStore.StaleOffsetException.class)
                .isThrownBy(() -> store.write(Map.of(P0, List.of(record(P0, 1, "a")), P1, List.of(record(P1, 1, "b"))),
                        Map.of(P0, 1L, P1, 0L)))
                .withMessageContaining("views-1");
        assertThatExceptionOfType(OffsetStore.StaleOffsetException.class)
                .isThrownBy(() -> store.write(Map.of(P1, List.of(record(P1, 1, "b"))), Map.of()));

        assertThat(store.offsets(List.of(P0, P1))).isEqualTo(Map.of(P0, 1L, P1, 1L));
        assertThat(store.counts("views")).isEqualTo(Map.of("a", 2L));
    }

    private static ConsumerRecord<String, String> record(TopicPartition partition, long offset, String key) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, key, "v");
    }
}
