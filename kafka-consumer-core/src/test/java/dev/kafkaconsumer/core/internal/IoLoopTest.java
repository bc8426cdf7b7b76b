package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The I/O loop driven turn by turn on the test thread, over kafka-clients' {@link MockConsumer}. */
class IoLoopTest {

    private final TopicPartition t0 = new TopicPartition("t", 0);
    private final TopicPartition t1 = new TopicPartition("t", 1);
    /** When each poll began, so that a test can tell whether the loop backed off between two. */
    private final List<Long> pollStarts = new CopyOnWriteArrayList<>();
    private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest") {
        @Override
        public synchronized ConsumerRecords<String, String> poll(Duration timeout) {
            pollStarts.add(System.nanoTime());
            return super.poll(timeout);
        }
    };
    private final ScheduledExecutorService callbacks = Executors.newSingleThreadScheduledExecutor();
    private final List<String> listenerSaw = new ArrayList<>();
    private EngineConfig config;
    private RecordBuffers<String, String> buffers;
    private IoLoop<String, String> loop;

    @BeforeEach
    void wireTheLoop() {
        config = new EngineConfig(Map.of("bootstrap.servers", "h:1", "group.id", "g",
                "auto.commit.interval.ms", 3_600_000, "retry.backoff.ms", 300),
                new StringDeserializer(), new StringDeserializer(), 1 << 20, 1 << 24);
        buffers = new RecordBuffers<>(config.maxBufferedBytesPerPartition(), config.maxBufferedBytes(), consumer::wakeup);
        PendingGets<String, String> pendingGets = new PendingGets<>(buffers, callbacks);
        IoLoop<?, ?>[] self = new IoLoop<?, ?>[1];
        RebalanceBridge bridge = new RebalanceBridge(buffers, (offsets, reason) -> self[0].commitQuietly(offsets, reason), "test");
        loop = new IoLoop<>(consumer, config, buffers, pendingGets, bridge);
        self[0] = loop;
        loop.applySubscription(Subscription.topics(Set.of("t"), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                listenerSaw.add("revoked " + partitions + " committed " + consumer.committed(Set.copyOf(partitions)));
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                listenerSaw.add("assigned " + partitions);
            }
        }));
        consumer.rebalance(List.of(t0, t1));
        consumer.updateBeginningOffsets(Map.of(t0, 0L, t1, 0L));
        for (int offset = 0; offset < 10; offset++) {
            consumer.addRecord(record(t0, offset));
            consumer.addRecord(record(t1, offset));
        }
    }

    @AfterEach
    void stopCallbacks() {
        callbacks.shutdownNow();
    }

    private static ConsumerRecord<String, String> record(TopicPartition tp, long offset) {
        return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, 0L, TimestampType.CREATE_TIME, 1, 1, "k", "v" + offset,
                new RecordHeaders(), Optional.empty());
    }

    private Map<TopicPartition, List<ConsumerRecord<String, String>>> take(int max, TopicPartition... partitions) {
        return buffers.take(max, List.of(partitions), System.nanoTime(), taken -> taken);
    }

    @Test
    void aRevocationFreezesThePartitionAndCommitsExactlyWhatWasHandedOutBeforeTheListenerRuns() {
        loop.runOnce();
        assertThat(take(3, t0).get(t0)).hasSize(3);

        consumer.rebalance(List.of(t1));

        // the listener read the commit while t-0 was still assigned: the bridge committed before calling it
        assertThat(listenerSaw).anySatisfy(seen -> assertThat(seen).contains("revoked [t-0]").contains("offset=3"));
        assertThat(buffers.assignment()).containsExactly(t1);
        Map<TopicPartition, List<ConsumerRecord<String, String>>> rest = take(100);
        assertThat(rest.keySet()).as("nothing of the revoked partition is handed out").containsExactly(t1);
        assertThat(rest.get(t1)).hasSize(10);
    }

    @Test
    void aRecordThatCannotBeDeserializedIsQueuedInItsTurnAndTheConsumerMovesPastIt() {
        loop.runOnce();
        consumer.setPollException(new RecordDeserializationException(
                RecordDeserializationException.DeserializationExceptionOrigin.VALUE, t0, 10, 0L, TimestampType.CREATE_TIME,
                null, null, new RecordHeaders(), "bad value", new IllegalArgumentException()));
        consumer.updateEndOffsets(Map.of(t0, 11L));
        loop.runOnce();
        assertThat(consumer.position(t0)).isEqualTo(11);
        assertThat(take(100, t0).get(t0)).hasSize(10);
        assertThatThrownBy(() -> take(100, t0)).isInstanceOf(RecordDeserializationException.class);
        assertThat(buffers.read(t0, PartitionBuffer::position).longValue()).isEqualTo(11L);
    }

    @Test
    void aPollErrorReachesTheNextGetCallOnceThePollIsRetriedOnlyAfterTheBackOffAndRecordsFlowAfterIt() {
        consumer.setPollException(new AuthenticationException("wrong password"));
        loop.runOnce();
        assertThatThrownBy(() -> take(100)).isInstanceOf(AuthenticationException.class).hasMessage("wrong password");
        assertThat(take(100)).as("the error is reported once").isEmpty();
        consumer.addRecord(record(t0, 10));

        // a turn that waits out the back-off, then one that polls again (a third to spare)
        List<ConsumerRecord<String, String>> taken = new ArrayList<>();
        for (int turn = 0; turn < 3 && taken.size() < 21; turn++) {
            loop.runOnce();
            take(100).values().forEach(taken::addAll);
        }

        assertThat(pollStarts).hasSizeGreaterThanOrEqualTo(2);
        assertThat(Duration.ofNanos(pollStarts.get(1) - pollStarts.get(0)))
                .as("the poll after the failed one waits for the back-off").isGreaterThanOrEqualTo(config.retryBackoff());
        assertThat(taken).filteredOn(r -> r.partition() == 0).extracting(ConsumerRecord::offset)
                .as("what was there before the error, and what came after it")
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(taken).filteredOn(r -> r.partition() == 1).hasSize(10);
    }

    @Test
    void anUndefinedStartPointIsReportedOnceThoughEveryPollThrowsItUntilTheApplicationSeeks() {
        consumer.setPollException(new NoOffsetForPartitionException(t0));
        loop.runOnce();
        consumer.setPollException(new NoOffsetForPartitionException(t0));
        loop.resetBackOff();
        loop.runOnce();
        assertThatThrownBy(() -> take(100)).isInstanceOf(NoOffsetForPartitionException.class);
        assertThat(take(100)).as("reported once").isEmpty();
        assertThat(buffers.partitionsNotToFetch()).contains(t0);
        buffers.reset(t0, 4);
        assertThat(buffers.partitionsNotToFetch()).doesNotContain(t0);
    }

    @Test
    void fullBuffersArePausedInTheConsumerAndResumedOnceDrained() {
        EngineConfig tiny = new EngineConfig(Map.of("bootstrap.servers", "h:1", "group.id", "g"),
                new StringDeserializer(), new StringDeserializer(), 5, 1000);
        buffers = new RecordBuffers<>(tiny.maxBufferedBytesPerPartition(), tiny.maxBufferedBytes(), consumer::wakeup);
        IoLoop<?, ?>[] self = new IoLoop<?, ?>[1];
        RebalanceBridge bridge = new RebalanceBridge(buffers, (offsets, reason) -> self[0].commitQuietly(offsets, reason), "test");
        loop = new IoLoop<>(consumer, tiny, buffers, new PendingGets<>(buffers, callbacks), bridge);
        self[0] = loop;
        loop.applySubscription(Subscription.topics(Set.of("t"), null));
        buffers.assign(List.of(t0, t1));
        loop.runOnce();
        loop.runOnce();
        assertThat(consumer.paused()).containsExactlyInAnyOrder(t0, t1);
        take(100, t0);
        loop.runOnce();
        assertThat(consumer.paused()).containsExactly(t1);
    }
}
