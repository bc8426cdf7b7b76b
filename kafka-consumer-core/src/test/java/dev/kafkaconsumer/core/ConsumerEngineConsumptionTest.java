package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/** Taking records, positions, seeks and end offsets on an assigned topic (no group rebalances). */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerEngineConsumptionTest {

    private static List<TopicPartition> partitions(String topic, int count) {
        return IntStream.range(0, count).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    private static List<ConsumerRecord<String, String>> drain(ConsumerEngine<String, String> engine, int expected,
            TopicPartition... partitions) {
        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            engine.getMany(Duration.ofMillis(200), partitions).values().forEach(all::addAll);
            return all.size() >= expected;
        });
        return all;
    }

    @Test
    void positionIsTheOffsetAfterTheLastReturnedRecordAndWaitsForTheStartPointBefore(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "positions", 2, 200);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).build()) {
            engine.assign(partitions(topic, 2));
            engine.start();
            TopicPartition p0 = new TopicPartition(topic, 0);
            assertThat(engine.position(p0)).isZero();

            ConsumerRecord<String, String> first = engine.getOne(p0);
            assertThat(first.offset()).isZero();
            assertThat(engine.position(p0)).isEqualTo(1);

            List<ConsumerRecord<String, String>> rest = drain(engine, 99, p0);
            assertThat(rest).extracting(ConsumerRecord::offset).containsExactlyElementsOf(
                    IntStream.range(1, 100).mapToObj(Long::valueOf).toList());
            assertThat(engine.position(p0)).isEqualTo(100);
            assertThat(engine.highwater(p0)).hasValue(100);
            assertThat(engine.lastStableOffset(p0)).hasValue(100);
            assertThat(engine.lastPollTimestamp(p0)).isPresent();
            assertThat(engine.lastPollTimestamp(p0).getAsLong()).isLessThanOrEqualTo(System.currentTimeMillis());
        }
    }

    @Test
    void seekMovesThePositionAndDropsWhatWasBuffered(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "seek", 1, 500);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).build()) {
            engine.assign(List.of(tp));
            engine.start();
            assertThat(engine.getOne(tp).offset()).isZero();
            // the rest of the first batch is buffered by now; a seek must drop it
            await().until(() -> engine.highwater(tp).isPresent());
            engine.seek(tp, 400);
            assertThat(engine.position(tp)).isEqualTo(400);
            assertThat(engine.getOne(tp).offset()).isEqualTo(400);
            engine.seek(tp, 10);
            List<ConsumerRecord<String, String>> records = drain(engine, 490, tp);
            assertThat(records.get(0).offset()).isEqualTo(10);
            assertThat(records).extracting(ConsumerRecord::offset).doesNotHaveDuplicates().hasSize(490);

            engine.seekToBeginning(tp);
            assertThat(engine.position(tp)).isZero();
            assertThat(engine.getOne(tp).offset()).isZero();
            engine.seekToEnd();
            assertThat(engine.position(tp)).isEqualTo(500);
            assertThat(engine.getMany(Duration.ofMillis(300))).isEmpty();
        }
    }

    @Test
    void getOneAndGetManyReturnOnlyTheChosenPartitions(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "chosen", 3, 300);
        List<TopicPartition> all = partitions(topic, 3);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).build()) {
            engine.assign(all);
            engine.start();
            assertThat(engine.getOne(all.get(2)).partition()).isEqualTo(2);
            Map<TopicPartition, List<ConsumerRecord<String, String>>> some = engine.getMany(Duration.ofSeconds(10), 1000, all.get(1));
            assertThat(some.keySet()).containsExactly(all.get(1));

            List<ConsumerRecord<String, String>> fromP0 = drain(engine, 100, all.get(0));
            assertThat(fromP0).allSatisfy(r -> assertThat(r.partition()).isZero()).hasSize(100);
            assertThat(engine.position(all.get(0))).isEqualTo(100);

            Map<TopicPartition, List<ConsumerRecord<String, String>>> limited = engine.getMany(Duration.ofSeconds(5), 7);
            assertThat(limited.values().stream().mapToInt(List::size).sum()).isEqualTo(7);
        }
    }

    @Test
    void partitionsNotAskedForStayParkedWhileAskedOnesAreRefetched(KafkaBroker kafka) {
        String topic = Engines.unique("parked");
        kafka.createTopic(topic, 2);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        // short fetch waits, so that no fetch sent before p1 was parked is still in flight below
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).property("fetch.max.wait.ms", 20).build()) {
            engine.assign(List.of(p0, p1));
            engine.start();
            Engines.produce(kafka, topic, 2, 0, 20);
            assertThat(drain(engine, 10, p0)).hasSize(10);
            await().until(() -> engine.highwater(p1).orElse(0) == 10);
            // p1 holds records nobody asked for: it is no longer fetched, so its poll time stops moving
            AtomicLong lastSeen = new AtomicLong(-1);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                    .until(() -> lastSeen.getAndSet(engine.lastPollTimestamp(p1).orElse(-2)) == lastSeen.get());
            long parkedSince = lastSeen.get();

            Engines.produce(kafka, topic, 2, 20, 20);
            assertThat(drain(engine, 10, p0)).extracting(ConsumerRecord::offset).first().isEqualTo(10L);
            assertThat(engine.highwater(p0)).hasValue(20);
            assertThat(engine.lastPollTimestamp(p0).getAsLong()).isGreaterThan(parkedSince);
            assertThat(engine.position(p1)).isZero();
            assertThat(engine.highwater(p1)).hasValue(10);
            assertThat(engine.lastPollTimestamp(p1)).hasValue(parkedSince);

            // asked for, p1 is fetched again and nothing was lost meanwhile
            assertThat(drain(engine, 20, p1)).extracting(ConsumerRecord::offset)
                    .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(Long::valueOf).toList());
            assertThat(engine.highwater(p1)).hasValue(20);
        }
    }

    @Test
    void pausedPartitionsKeepTheirBufferAndResumeWhereTheyWere(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "pause", 2, 200);
        List<TopicPartition> all = partitions(topic, 2);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).build()) {
            engine.assign(all);
            engine.start();
            engine.pause(all.get(0));
            assertThat(engine.paused()).containsExactly(all.get(0));
            List<ConsumerRecord<String, String>> unpaused = drain(engine, 100);
            assertThat(unpaused).allSatisfy(r -> assertThat(r.partition()).isEqualTo(1));
            assertThat(engine.getMany(Duration.ofMillis(300))).isEmpty();
            assertThat(engine.position(all.get(0))).isZero();

            engine.resume(all.get(0));
            assertThat(engine.paused()).isEmpty();
            List<ConsumerRecord<String, String>> resumed = drain(engine, 100);
            assertThat(resumed).allSatisfy(r -> assertThat(r.partition()).isZero());
            assertThat(resumed.get(0).offset()).isZero();
        }
    }

    @Test
    void offsetsForTimesAndBeginningAndEndOffsetsAnswerWithoutMovingThePosition(KafkaBroker kafka) throws Exception {
        String topic = Engines.unique("times");
        kafka.createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = kafka.producer(new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, 1_000_000L + i * 1000L, "k", "v" + i)).get();
            }
        }
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).build()) {
            engine.assign(List.of(tp));
            engine.start();
            assertThat(engine.beginningOffsets(List.of(tp))).containsEntry(tp, 0L);
            assertThat(engine.endOffsets(List.of(tp))).containsEntry(tp, 10L);
            Map<TopicPartition, OffsetAndTimestamp> found = engine.offsetsForTimes(Map.of(tp, 1_004_500L));
            assertThat(found.get(tp).offset()).isEqualTo(5);
            assertThat(found.get(tp).timestamp()).isEqualTo(1_005_000L);
            assertThat(engine.offsetsForTimes(Map.of(tp, 9_000_000L))).containsEntry(tp, null);
            assertThat(engine.position(tp)).isZero();
            assertThatThrownBy(() -> engine.offsetsForTimes(Map.of(tp, -1L)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
            assertThat(engine.partitionsForTopic(topic)).containsExactly(0);
            assertThat(engine.partitionsForTopic(Engines.unique("missing"))).isEmpty();
            assertThat(engine.topics()).contains(topic);
        }
    }

    @Test
    void aRecordThatCannotBeDeserializedIsThrownOnceAfterTheRecordsBeforeIt(KafkaBroker kafka) throws Exception {
        String topic = Engines.unique("poison");
        kafka.createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = kafka.producer(new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                // offset 5 is not a 4-byte integer
                producer.send(new ProducerRecord<>(topic, 0, "k", i == 5 ? "not-an-int" : "abcd")).get();
            }
        }
        try (ConsumerEngine<String, Integer> engine = ConsumerEngine.builder(new StringDeserializer(), new IntegerDeserializer())
                .properties(kafka.clientProperties()).property("auto.offset.reset", "earliest").build()) {
            engine.assign(List.of(tp));
            engine.start();
            List<Long> offsets = new ArrayList<>();
            RecordDeserializationException failure = null;
            while (offsets.size() < 9) {
                try {
                    engine.getMany(Duration.ofSeconds(5)).values().forEach(rs -> rs.forEach(r -> offsets.add(r.offset())));
                } catch (RecordDeserializationException e) {
                    assertThat(failure).as("thrown once only").isNull();
                    assertThat(offsets).as("every record before it came first").containsExactly(0L, 1L, 2L, 3L, 4L);
                    assertThat(engine.position(tp)).isEqualTo(6);
                    failure = e;
                }
            }
            assertThat(offsets).containsExactly(0L, 1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L);
            assertThat(failure).isNotNull();
            assertThat(failure.topicPartition()).isEqualTo(tp);
            assertThat(failure.offset()).isEqualTo(5);
            assertThat(StandardCharsets.UTF_8.decode(failure.valueBuffer()).toString()).isEqualTo("not-an-int");
            assertThat(engine.getMany(Duration.ofMillis(300))).isEmpty();
        }
    }

    @Test
    void eightThreadsCallingGetOneReceiveEveryRecordExactlyOnce(KafkaBroker kafka) throws Exception {
        int total = 20_000;
        String topic = Engines.topicWithRecords(kafka, "threads", 4, total);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).build()) {
            engine.assign(partitions(topic, 4));
            engine.start();
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    Optional<ConsumerRecord<String, String>> record;
                    while ((record = engine.getOne(Duration.ofSeconds(2))).isPresent()) {
                        mine.add(record.get().value());
                    }
                    return mine;
                }));
            }
            List<String> all = new ArrayList<>();
            for (Future<List<String>> result : results) {
                all.addAll(result.get(60, TimeUnit.SECONDS));
            }
            assertThat(all).hasSize(total).doesNotHaveDuplicates();
            assertThat(new HashSet<>(all)).isEqualTo(new HashSet<>(IntStream.range(0, total).mapToObj(i -> "v" + i).toList()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void asynchronousGetsCompleteWhenRecordsArriveAndEmptyWhenTheyTimeOut(KafkaBroker kafka) throws Exception {
        String topic = Engines.unique("async");
        kafka.createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (ConsumerEngine<String, String> engine = Engines.builder(kafka).build()) {
            engine.assign(List.of(tp));
            engine.start();
            assertThat(engine.getManyAsync(Duration.ofMillis(200), 10).get(10, TimeUnit.SECONDS)).isEmpty();
            CompletableFuture<ConsumerRecord<String, String>> one = engine.getOneAsync(tp);
            Set<String> completedOn = Collections.synchronizedSet(new HashSet<>());
            CompletableFuture<Void> observed = one.thenAccept(r -> completedOn.add(Thread.currentThread().getName()));
            assertThat(one).isNotDone();
            Engines.produce(kafka, topic, 1, 0, 5);
            assertThat(one.get(10, TimeUnit.SECONDS).value()).isEqualTo("v0");
            observed.get(10, TimeUnit.SECONDS);
            assertThat(completedOn).singleElement().asString().startsWith("kafka-consumer-callbacks-");
            Map<TopicPartition, List<ConsumerRecord<String, String>>> rest = engine.getManyAsync(Duration.ofSeconds(10), 100, tp)
                    .get(10, TimeUnit.SECONDS);
            assertThat(rest.get(tp)).extracting(ConsumerRecord::value).containsExactly("v1", "v2", "v3", "v4");
        }
    }

    @Test
    void theIteratorYieldsRecordsAndEndsWhenTheEngineStops(KafkaBroker kafka) throws Exception {
        String topic = Engines.topicWithRecords(kafka, "iterate", 1, 50);
        ConsumerEngine<String, String> engine = Engines.builder(kafka).build();
        engine.assign(partitions(topic, 1));
        engine.start();
        List<String> seen = new ArrayList<>();
        CompletableFuture<Void> iteration = CompletableFuture.runAsync(() -> {
            for (ConsumerRecord<String, String> record : engine) {
                seen.add(record.value());
            }
        });
        await().until(() -> seen.size() == 50);
        engine.stop();
        iteration.get(10, TimeUnit.SECONDS);
        assertThat(seen).hasSize(50);
    }
}
