package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** What the builders of a transactional container refuse, and their defaults; no broker. */
class TransactionalContainerBuilderTest {

    private static final TransactionalRecordHandler<String, String, String, String> HANDLER = (record, sender) -> {
    };

    private static Transactions<String, String> transactions() {
        return Transactions.builder(Map.of("bootstrap.servers", "127.0.0.1:1"), new StringSerializer(), new StringSerializer())
                .transactionalIdPrefix("tx-").build();
    }

    private static ConsumerContainer.Builder<String, String> builder() {
        return ConsumerContainer.builder("tx", new StringDeserializer(), new StringDeserializer())
                .bootstrapServers("127.0.0.1:1").groupId("g").topics(List.of("in"));
    }

    @Test
    void transactionsHaveTheDocumentedDefaults() {
        Transactions<String, String> transactions = transactions();
        assertThat(transactions.commitInterval()).isEqualTo(Transactions.DEFAULT_COMMIT_INTERVAL).isEqualTo(Duration.ofMillis(100));
        assertThat(transactions.maxRecordsPerTransaction()).isEqualTo(Transactions.DEFAULT_MAX_RECORDS_PER_TRANSACTION)
                .isEqualTo(1000);
        assertThat(transactions.transactionalIdPrefix()).isEqualTo("tx-");
    }

    @Test
    void transactionsRefuseATransactionalIdAndSerializerClassesInTheProperties() {
        assertThatThrownBy(() -> Transactions.builder(Map.of("transactional.id", "x"), new StringSerializer(), new StringSerializer()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transactionalIdPrefix");
        assertThatThrownBy(() -> Transactions.builder(Map.of("value.serializer", StringSerializer.class), new StringSerializer(),
                new StringSerializer())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value.serializer");
    }

    @Test
    void transactionsRefuseBadValuesNamingTheSetting() {
        Transactions.Builder<String, String> builder = Transactions.builder(Map.of(), new StringSerializer(), new StringSerializer());
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("transactionalIdPrefix");
        assertThatThrownBy(() -> builder.commitInterval(Duration.ZERO)).hasMessageContaining("commitInterval");
        assertThatThrownBy(() -> builder.maxRecordsPerTransaction(0)).hasMessageContaining("maxRecordsPerTransaction");
        assertThatThrownBy(() -> builder.transactionalIdPrefix(" ")).hasMessageContaining("transactionalIdPrefix");
    }

    @Test
    void aTransactionalContainerRefusesAnotherHandler() {
        assertThatThrownBy(() -> builder().handler(record -> { }).transactional(transactions(), HANDLER).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("transactional").hasMessageContaining("handler");
    }

    @Test
    void aTransactionalContainerRefusesPartitionsAssignedByHand() {
        assertThatThrownBy(() -> ConsumerContainer.builder("tx", new StringDeserializer(), new StringDeserializer())
                .bootstrapServers("127.0.0.1:1").groupId("g").partitions(List.of(new TopicPartition("in", 0)))
                .transactional(transactions(), HANDLER).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("partitions").hasMessageContaining("fences");
    }

    @Test
    void aTransactionalContainerRefusesAnExplicitCommitModeOrCommitInterval() {
        assertThatThrownBy(() -> builder().commitMode(CommitMode.TIME).transactional(transactions(), HANDLER).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("commitMode");
        assertThatThrownBy(() -> builder().commitInterval(Duration.ofSeconds(1)).transactional(transactions(), HANDLER).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Transactions.Builder#commitInterval");
    }

    @Test
    void aTransactionalContainerBuildsAndIsNotStartedAndItsSnapshotHasNoTransactionsYet() {
        try (ConsumerContainer<String, String> container = builder().transactional(transactions(), HANDLER).build()) {
            assertThat(container.state()).isEqualTo(ContainerState.NEW);
            assertThat(container.snapshot().transactions()).isEqualTo(TransactionStats.NONE);
        }
        try (ConsumerContainer<String, String> plain = builder().handler(record -> { }).build()) {
            assertThat(plain.snapshot().transactions()).isNull();
        }
    }

    @Test
    void returningSendsWhatTheHandlerReturns() throws Exception {
        List<ProducerRecord<String, String>> sent = new java.util.ArrayList<>();
        TransactionalRecordHandler<String, String, String, String> handler = TransactionalRecordHandler.returning(
                record -> List.of(new ProducerRecord<>("out", record.key(), record.value() + "!")));
        handler.handle(new org.apache.kafka.clients.consumer.ConsumerRecord<>("in", 0, 0, "k", "v"), sent::add);
        assertThat(sent).extracting(ProducerRecord::value).containsExactly("v!");
        TransactionalRecordHandler.<String, String, String, String>returning(record -> null)
                .handle(new org.apache.kafka.clients.consumer.ConsumerRecord<>("in", 0, 1, "k", "v"), sent::add);
        assertThat(sent).hasSize(1);
    }
}
