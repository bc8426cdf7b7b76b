package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.ContainerListener;

/** The transactions of a transactional container, against kafka-clients' {@link MockProducer}: no broker. */
class TransactionalCommitterTest {

    private static final TopicPartition TP = new TopicPartition("in", 0);
    private static final TopicPartition OTHER = new TopicPartition("in", 1);

    private final FakeEngine engine = new FakeEngine();
    private final OffsetTracker tracker = new OffsetTracker();
    private final List<MockProducer<byte[], byte[]>> producers = new CopyOnWriteArrayList<>();
    private final List<Collection<TopicPartition>> rewinds = new CopyOnWriteArrayList<>();
    private final List<String> told = new CopyOnWriteArrayList<>();
    private TransactionalCommitter committer;

    private TransactionalCommitter committer(int maxRecords) {
        engine.assign(List.of(TP, OTHER));
        tracker.assign(List.of(TP, OTHER));
        ContainerListener listener = new ContainerListener() {
            @Override
            public void transactionCommitted(String container, Map<TopicPartition, OffsetAndMetadata> offsets, int records) {
                told.add("committed " + offsets.values().stream().map(OffsetAndMetadata::offset).toList() + " records " + records);
            }

            @Override
            public void transactionAborted(String container, Throwable cause) {
                told.add("aborted " + cause.getClass().getSimpleName());
            }
        };
        committer = new TransactionalCommitter("c", engine, tracker, new Listeners(List.of(listener)), () -> {
            MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
            producers.add(producer);
            return producer;
        }, maxRecords, rewinds::add);
        return committer;
    }

    @AfterEach
    void close() {
        if (committer != null) {
            committer.close();
        }
    }

    private void dispatched(TopicPartition partition, long from, long to) {
        tracker.progress(partition).dispatched(LongStream.range(from, to)
                .mapToObj(offset -> new ConsumerRecord<byte[], byte[]>(partition.topic(), partition.partition(), offset, null, null))
                .toList());
    }

    /** The record is handled with one output "out-<offset>", kept before the record is done, as the sender does. */
    private void handled(TopicPartition partition, long offset) {
        PartitionProgress progress = tracker.progress(partition);
        String value = (partition.equals(TP) ? "out-" : "other-") + offset;
        committer.pending().put(progress, offset, List.of(new ProducerRecord<>("out", value.getBytes())));
        progress.done(offset);
    }

    private List<String> sent(MockProducer<byte[], byte[]> producer) {
        List<String> values = new ArrayList<>();
        producer.history().forEach(record -> values.add(new String(record.value())));
        return values;
    }

    @Test
    void aTransactionCarriesTheOutputsOfTheDonePrefixOnlyAndRecordsDoneBeyondItWaitForALaterOne() {
        committer(1000);
        dispatched(TP, 0, 5);
        handled(TP, 0);
        handled(TP, 1);
        handled(TP, 3); // done out of order, beyond the prefix

        committer.commitAll();

        MockProducer<byte[], byte[]> producer = producers.get(0);
        assertThat(sent(producer)).containsExactly("out-0", "out-1");
        assertThat(producer.consumerGroupOffsetsHistory()).containsExactly(Map.of("fake-group", Map.of(TP, new OffsetAndMetadata(2))));
        assertThat(tracker.progress(TP).lastCommitted()).isEqualTo(2);

        handled(TP, 2);
        handled(TP, 4);
        committer.commitAll();

        assertThat(sent(producer)).containsExactly("out-0", "out-1", "out-2", "out-3", "out-4");
        assertThat(producer.consumerGroupOffsetsHistory()).last().isEqualTo(Map.of("fake-group", Map.of(TP, new OffsetAndMetadata(5))));
        assertThat(told).containsExactly("committed [2] records 2", "committed [5] records 3");
        assertThat(committer.stats().committed()).isEqualTo(2);
        assertThat(committer.pending().records()).isZero();
    }

    @Test
    void theOffsetsOfATransactionCarryTheLeaderEpochOfTheRecordsBelowThem() {
        committer(1000);
        tracker.progress(TP).dispatched(LongStream.range(0, 3).mapToObj(offset -> new ConsumerRecord<byte[], byte[]>(
                TP.topic(), TP.partition(), offset, 0L, TimestampType.CREATE_TIME, 0, 0, null, null, new RecordHeaders(),
                Optional.of(4))).toList());
        for (long offset = 0; offset < 3; offset++) {
            handled(TP, offset);
        }

        committer.commitAll();

        assertThat(producers.get(0).consumerGroupOffsetsHistory())
                .containsExactly(Map.of("fake-group", Map.of(TP, new OffsetAndMetadata(3, Optional.of(4), ""))));
    }

    @Test
    void whileNothingMoreIsDoneNoFurtherTransactionIsMade() {
        committer(1000);
        dispatched(TP, 0, 3);
        handled(TP, 1);

        committer.commitAll(); // the start offset, once, with no output: record 1 is beyond the prefix
        committer.commitAll();
        committer.commitAll();

        assertThat(told).containsExactly("committed [0] records 0");
        assertThat(sent(producers.get(0))).isEmpty();
    }

    @Test
    void aTransactionCarriesAtMostMaxRecordsAndCommitsTheOffsetAfterTheLastItCarried() {
        committer(2);
        dispatched(TP, 0, 5);
        for (long offset = 0; offset < 5; offset++) {
            handled(TP, offset); // every second one asks for a transaction on the committer's thread
        }
        committer.commitAll();
        await().until(() -> committer.pending().records() <= 1);
        committer.commitAll();

        assertThat(sent(producers.get(0))).containsExactly("out-0", "out-1", "out-2", "out-3", "out-4");
        assertThat(told).hasSizeGreaterThanOrEqualTo(3).allSatisfy(event -> assertThat(event).matches("committed \\[\\d] records [12]"));
        assertThat(told).last().asString().startsWith("committed [5]");
    }

    @Test
    void aRefusedOffsetCommitAbortsTheTransactionAndRewindsItsPartitions() {
        committer(1000);
        dispatched(TP, 0, 2);
        dispatched(OTHER, 0, 1);
        handled(TP, 0);
        handled(TP, 1);
        handled(OTHER, 0);
        committer.commitAll(); // creates the producer
        dispatched(TP, 2, 3);
        handled(TP, 2);
        producers.get(0).sendOffsetsToTransactionException = new CommitFailedException("stale generation");

        committer.commitAll();

        assertThat(producers.get(0).transactionAborted()).isTrue();
        assertThat(sent(producers.get(0))).as("nothing of the aborted transaction").containsExactlyInAnyOrder("out-0", "out-1", "other-0");
        await().until(() -> rewinds.size() == 1);
        assertThat(rewinds.get(0)).containsExactly(TP);
        assertThat(told).last().isEqualTo("aborted CommitFailedException");
        assertThat(committer.stats().aborted()).isEqualTo(1);
        assertThat(committer.stats().lastAbortReason()).contains("stale generation");
        assertThat(tracker.progress(TP).lastCommitted()).isEqualTo(2);
    }

    @Test
    void aFencedProducerIsClosedAndTheNextTransactionHasANewOne() {
        committer(1000);
        dispatched(TP, 0, 2);
        handled(TP, 0);
        committer.commitAll();
        producers.get(0).fenceProducer();
        handled(TP, 1);

        committer.commitAll();
        assertThat(producers.get(0).closed()).isTrue();
        assertThat(told).last().isEqualTo("aborted " + ProducerFencedException.class.getSimpleName());

        await().until(() -> rewinds.size() == 1);
        committer.commitAll();
        assertThat(producers).hasSize(2);
        assertThat(sent(producers.get(1))).containsExactly("out-1");
        assertThat(told).last().isEqualTo("committed [2] records 1");
    }

    @Test
    void aRevocationCommitsEverythingDoneOfTheRevokedPartitionsOnly() {
        committer(1000);
        dispatched(TP, 0, 5);
        dispatched(OTHER, 0, 1);
        for (long offset = 0; offset < 5; offset++) {
            handled(TP, offset);
        }
        handled(OTHER, 0);

        committer.commitRevoked(List.of(TP));

        assertThat(sent(producers.get(0))).containsExactly("out-0", "out-1", "out-2", "out-3", "out-4");
        assertThat(producers.get(0).consumerGroupOffsetsHistory()).allSatisfy(offsets -> assertThat(offsets.get("fake-group"))
                .containsOnlyKeys(TP));
        assertThat(tracker.progress(TP).lastCommitted()).isEqualTo(5);
        assertThat(tracker.progress(OTHER).lastCommitted()).isEqualTo(-1);
    }
}
