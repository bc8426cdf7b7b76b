package dev.kafkaconsumer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/** The share engine on the in-process broker: acknowledgements, sharing, locks and stop. */
@Tag("broker")
@ExtendWith(KafkaBrokerExtension.class)
class ShareConsumerEngineTest {

    @Test
    void recordsTakenAndAcceptedAreNotDeliveredAgain(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "share-accept", 1, 10);
        String group = ShareEngines.shareGroup(kafka, "share-accept");
        try (ShareConsumerEngine<String, String> engine = ShareEngines.started(kafka, group, topic)) {
            List<AcquiredRecord<String, String>> taken = ShareEngines.take(engine, 10);
            assertThat(taken).extracting(AcquiredRecord::deliveryCount).containsOnly(1);
            assertThat(taken).extracting(AcquiredRecord::offset).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            ShareEngines.confirmed(allOf(taken.stream().map(AcquiredRecord::accept).toList()));
            ShareEngineSnapshot snapshot = engine.snapshot();
            assertThat(snapshot.acknowledgements()).containsEntry(AcknowledgeType.ACCEPT, 10L);
            assertThat(snapshot.acquired()).isZero();
            assertThat(snapshot.handedOut()).isZero();
            assertThat(snapshot.deliveryCounts()).containsExactly(Map.entry(1, 10L));
            assertThat(engine.acquisitionLockTimeout()).contains(Duration.ofSeconds(30));
        }
        assertThat(nextDeliveriesInGroup(kafka, topic, group)).containsExactly("v10");
    }

    @Test
    void aReleasedRecordComesBackWithDeliveryCountTwo(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "share-release", 1, 1);
        String group = ShareEngines.shareGroup(kafka, "share-release");
        try (ShareConsumerEngine<String, String> engine = ShareEngines.started(kafka, group, topic)) {
            AcquiredRecord<String, String> first = ShareEngines.one(engine);
            assertThat(first.deliveryCount()).isEqualTo(1);
            ShareEngines.confirmed(first.release());
            AcquiredRecord<String, String> again = ShareEngines.one(engine);
            assertThat(again.offset()).isEqualTo(first.offset());
            assertThat(again.deliveryCount()).isEqualTo(2);
            ShareEngines.confirmed(again.accept());
            assertThat(engine.snapshot().deliveryCounts()).containsExactly(Map.entry(1, 1L), Map.entry(2, 1L));
            assertThat(engine.snapshot().acknowledgements())
                    .containsEntry(AcknowledgeType.RELEASE, 1L).containsEntry(AcknowledgeType.ACCEPT, 1L);
        }
    }

    @Test
    void rejectedRecordsNeverComeBack(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "share-reject", 1, 4);
        String group = ShareEngines.shareGroup(kafka, "share-reject");
        try (ShareConsumerEngine<String, String> engine = ShareEngines.started(kafka, group, topic)) {
            List<AcquiredRecord<String, String>> taken = ShareEngines.take(engine, 4);
            ShareEngines.confirmed(allOf(taken.stream().map(AcquiredRecord::reject).toList()));
            assertThat(engine.snapshot().acknowledgements()).containsEntry(AcknowledgeType.REJECT, 4L);
            Engines.produce(kafka, topic, 1, 4, 1);
            assertThat(ShareEngines.takeUntil(engine, "v4")).extracting(record -> record.record().value()).containsExactly("v4");
        }
    }

    @Test
    void twoEnginesInOneGroupShareAPartitionWithNoRecordTakenTwice(KafkaBroker kafka) throws Exception {
        String topic = Engines.topicWithRecords(kafka, "share-two", 1, 200);
        String group = ShareEngines.shareGroup(kafka, "share-two");
        // record_limit: a poll acquires at most max.poll.records, so that the first engine cannot take the whole batch
        Map<String, Object> limit = Map.of("max.poll.records", 20, "share.acquire.mode", "record_limit");
        try (ShareConsumerEngine<String, String> first = ShareEngines.builder(kafka, group).properties(limit).build();
                ShareConsumerEngine<String, String> second = ShareEngines.builder(kafka, group).properties(limit).build()) {
            first.subscribe(List.of(topic));
            second.subscribe(List.of(topic));
            first.start();
            second.start();
            // the first engine holds what it took, so the second can only get others
            List<AcquiredRecord<String, String>> byFirst = new ArrayList<>(first.getMany(Duration.ofSeconds(30), 20));
            assertThat(byFirst).isNotEmpty().hasSizeLessThanOrEqualTo(20);
            List<AcquiredRecord<String, String>> bySecond = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> !takeAndAccept(second, bySecond).isEmpty());
            assertThat(bySecond).extracting(AcquiredRecord::offset).doesNotContainAnyElementsOf(
                    byFirst.stream().map(AcquiredRecord::offset).toList());
            ShareEngines.confirmed(allOf(byFirst.stream().map(AcquiredRecord::accept).toList()));
            // then both take the rest: kafka-clients fetches ahead in the background, so the first consumer may hold
            // acquired records in its buffer that only its own next poll hands out (the second cannot get them
            // before their lock expires)
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                takeAndAccept(first, byFirst);
                takeAndAccept(second, bySecond);
                return byFirst.size() + bySecond.size() >= 200;
            });
            List<Long> offsets = new ArrayList<>();
            byFirst.forEach(record -> offsets.add(record.offset()));
            bySecond.forEach(record -> offsets.add(record.offset()));
            assertThat(offsets).doesNotHaveDuplicates().hasSize(200);
            assertThat(new HashSet<>(offsets)).containsAll(range(0, 200));
            assertThat(byFirst).extracting(AcquiredRecord::deliveryCount).containsOnly(1);
            assertThat(bySecond).extracting(AcquiredRecord::deliveryCount).containsOnly(1);
        }
    }

    @Test
    void recordsAcknowledgedFromManyThreadsAtOnceAreAllConfirmed(KafkaBroker kafka) throws Exception {
        int count = 2000;
        int threads = 8;
        String topic = Engines.topicWithRecords(kafka, "share-threads", 3, count);
        String group = ShareEngines.shareGroup(kafka, "share-threads");
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        try (ShareConsumerEngine<String, String> engine = ShareEngines.started(kafka, group, topic)) {
            List<CompletableFuture<Void>> acknowledgements = new CopyOnWriteArrayList<>();
            Set<String> values = ConcurrentHashMap.newKeySet();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                List<AcquiredRecord<String, String>> batch = engine.getMany(Duration.ofMillis(200), count);
                // each thread acknowledges its slice of the batch in a tight loop, all of them released at once
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> slices = new ArrayList<>();
                for (int thread = 0; thread < threads; thread++) {
                    int first = thread;
                    slices.add(workers.submit(() -> {
                        awaitQuietly(start);
                        for (int i = first; i < batch.size(); i += threads) {
                            values.add(batch.get(i).record().value());
                            acknowledgements.add(batch.get(i).accept());
                        }
                    }));
                }
                start.countDown();
                for (Future<?> slice : slices) {
                    slice.get(30, TimeUnit.SECONDS);
                }
                return values.size() >= count;
            });
            assertThat(acknowledgements).hasSize(count);
            ShareEngines.confirmed(allOf(acknowledgements));
            assertThat(values).hasSize(count);
            assertThat(engine.snapshot().acknowledgements()).containsEntry(AcknowledgeType.ACCEPT, (long) count);
            assertThat(engine.snapshot().acquired()).isZero();
        } finally {
            workers.shutdownNow();
        }
    }

    @Test
    void aRecordWhoseLockExpiresIsReportedOnceAndItsLaterAcceptFails(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "share-expiry", 1, 1);
        // a 3 s lock: the broker times a lock from its acquisition, before the record reaches us, so a 1 s lock
        // could expire on the broker before the second delivery's accept arrived on a loaded machine
        String group = ShareEngines.shareGroup(kafka, "share-expiry", Map.of("share.record.lock.duration.ms", "3000"));
        List<String> expired = new CopyOnWriteArrayList<>();
        ShareEngineListener listener = new ShareEngineListener() {
            @Override
            public void lockExpired(AcquiredRecord<?, ?> record, Duration heldFor) {
                expired.add(record.partition() + "@" + record.offset() + "#" + record.deliveryCount());
            }
        };
        try (ShareConsumerEngine<String, String> engine = ShareEngines.started(ShareEngines.builder(kafka, group)
                .lockRenewal(false).listener(listener), topic)) {
            AcquiredRecord<String, String> record = ShareEngines.one(engine);
            assertThat(engine.acquisitionLockTimeout()).contains(Duration.ofSeconds(3));
            await().atMost(Duration.ofSeconds(20)).until(() -> !expired.isEmpty());

            CompletableFuture<Void> late = record.accept();
            assertThat(late).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(AcquisitionLockExpiredException.class, e -> {
                        assertThat(e.partition()).isEqualTo(new TopicPartition(topic, 0));
                        assertThat(e.offset()).isZero();
                        assertThat(e.deliveryCount()).isEqualTo(1);
                        // the engine takes a lock to end a tenth before the broker's does
                        assertThat(e.heldFor()).isGreaterThanOrEqualTo(Duration.ofMillis(2_700));
                    });

            AcquiredRecord<String, String> again = ShareEngines.one(engine);
            assertThat(again.offset()).isZero();
            assertThat(again.deliveryCount()).isEqualTo(2);
            ShareEngines.confirmed(again.accept());
            assertThat(expired).containsExactly(topic + "-0@0#1");
            ShareEngineSnapshot snapshot = engine.snapshot();
            assertThat(snapshot.lockExpirations()).isEqualTo(1);
            assertThat(snapshot.acknowledgements()).containsEntry(AcknowledgeType.ACCEPT, 1L)
                    .containsEntry(AcknowledgeType.RELEASE, 0L);
        }
    }

    @Test
    void aRecordHeldForThreeLockDurationsIsRenewedAndNotDeliveredAgain(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "share-renew", 1, 1);
        // a 3 s lock, renewed at half of it: a renewal late by a second on a loaded machine still comes in time
        String group = ShareEngines.shareGroup(kafka, "share-renew", Map.of("share.record.lock.duration.ms", "3000"));
        AtomicInteger renewals = new AtomicInteger();
        ShareEngineListener listener = new ShareEngineListener() {
            @Override
            public void renewed(TopicPartition partition, int count) {
                renewals.addAndGet(count);
            }
        };
        List<AcquiredRecord<String, String>> elsewhere = new CopyOnWriteArrayList<>();
        try (ShareConsumerEngine<String, String> engine = ShareEngines.builder(kafka, group).listener(listener).build();
                ShareConsumerEngine<String, String> other = ShareEngines.builder(kafka, group).build()) {
            engine.subscribe(List.of(topic));
            engine.start();
            AcquiredRecord<String, String> record = ShareEngines.one(engine);
            long takenAt = System.nanoTime();
            other.subscribe(List.of(topic));
            other.start();
            CompletableFuture<Void> otherTakes = CompletableFuture.runAsync(() -> {
                while (other.isRunning() && elsewhere.isEmpty()) {
                    elsewhere.addAll(other.getMany(Duration.ofMillis(200), 10));
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    System.nanoTime() - takenAt >= Duration.ofSeconds(9).toNanos() && renewals.get() >= 4);

            ShareEngines.confirmed(record.accept());
            assertThat(engine.snapshot().lockExpirations()).isZero();
            assertThat(engine.snapshot().acknowledgements().get(AcknowledgeType.RENEW)).isGreaterThanOrEqualTo(4L);
            Engines.produce(kafka, topic, 1, 1, 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> !elsewhere.isEmpty());
            assertThat(otherTakes).succeedsWithin(Duration.ofSeconds(30));
            assertThat(elsewhere).extracting(taken -> taken.record().value()).containsExactly("v1");
        }
    }

    @Test
    void stopReleasesHandedOutRecordsSoThatAnotherEngineGetsThemAtOnce(KafkaBroker kafka) {
        String topic = Engines.topicWithRecords(kafka, "share-stop", 1, 5);
        // a lock of a minute: records that come back within the test came back because the stop released them
        String group = ShareEngines.shareGroup(kafka, "share-stop", Map.of("share.record.lock.duration.ms", "60000"));
        ShareConsumerEngine<String, String> first = ShareEngines.started(kafka, group, topic);
        List<AcquiredRecord<String, String>> held = ShareEngines.take(first, 5);
        first.stop();
        assertThat(first.snapshot().acquired()).isZero();
        assertThat(first.snapshot().acknowledgements()).containsEntry(AcknowledgeType.RELEASE, 5L);
        assertThat(held.get(0).accept()).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(ConsumerStoppedException.class);

        try (ShareConsumerEngine<String, String> second = ShareEngines.started(kafka, group, topic)) {
            long start = System.nanoTime();
            List<AcquiredRecord<String, String>> again = ShareEngines.take(second, 5);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
            assertThat(again).extracting(AcquiredRecord::offset).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L);
            assertThat(again).extracting(AcquiredRecord::deliveryCount).containsOnly(2);
            ShareEngines.confirmed(allOf(again.stream().map(AcquiredRecord::accept).toList()));
        }
    }

    @Test
    void getOneWaitingWhenTheEngineStopsThrowsConsumerStopped(KafkaBroker kafka) {
        String topic = Engines.unique("share-wait");
        kafka.createTopic(topic, 1);
        String group = ShareEngines.shareGroup(kafka, "share-wait");
        ShareConsumerEngine<String, String> engine = ShareEngines.started(kafka, group, topic);
        CompletableFuture<AcquiredRecord<String, String>> waiting = CompletableFuture.supplyAsync(engine::getOne);
        CompletableFuture<List<AcquiredRecord<String, String>>> many = engine.getManyAsync(Duration.ofMinutes(1), 10);
        engine.stop();
        assertThat(waiting).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(ConsumerStoppedException.class);
        assertThat(many).succeedsWithin(Duration.ofSeconds(10)).asList().isEmpty();
        assertThat(engine.isRunning()).isFalse();
        assertThatThrownBy(() -> engine.getMany(Duration.ZERO, 1)).isInstanceOf(ConsumerStoppedException.class);
    }

    @Test
    void aRecordThatCannotBeDeserializedIsRejectedAndThrownToTheNextGetOnce(KafkaBroker kafka) {
        String topic = Engines.unique("share-bad");
        kafka.createTopic(topic, 1);
        kafka.send(new StringSerializer(), new StringSerializer(), List.of(new ProducerRecord<>(topic, 0, "k", "v0"),
                new ProducerRecord<>(topic, 0, "k", "bad"), new ProducerRecord<>(topic, 0, "k", "v2")));
        String group = ShareEngines.shareGroup(kafka, "share-bad");
        Deserializer<String> picky = (ignored, data) -> {
            String value = new String(data, StandardCharsets.UTF_8);
            if (value.equals("bad")) {
                throw new SerializationException("not a value: " + value);
            }
            return value;
        };
        try (ShareConsumerEngine<String, String> engine = ShareConsumerEngine.builder(new StringDeserializer(), picky)
                .properties(kafka.clientProperties()).groupId(group).build()) {
            engine.subscribe(List.of(topic));
            engine.start();
            List<String> values = new ArrayList<>();
            List<RecordDeserializationException> errors = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                try {
                    engine.getMany(Duration.ofMillis(200), 10).forEach(record -> {
                        values.add(record.record().value());
                        record.accept();
                    });
                } catch (RecordDeserializationException e) {
                    errors.add(e);
                }
                return values.contains("v2");
            });
            assertThat(values).containsExactly("v0", "v2");
            assertThat(errors).singleElement().satisfies(e -> assertThat(e.offset()).isEqualTo(1));
            Engines.produce(kafka, topic, 1, 3, 1);
            assertThat(ShareEngines.takeUntil(engine, "v3")).extracting(record -> record.record().value())
                    .as("the broker does not deliver the rejected record again").containsExactly("v3");
        }
    }

    /** The values that a new engine in the group receives, up to a marker record produced now. */
    private static List<String> nextDeliveriesInGroup(KafkaBroker kafka, String topic, String group) {
        Engines.produce(kafka, topic, 1, 10, 1);
        try (ShareConsumerEngine<String, String> engine = ShareEngines.started(kafka, group, topic)) {
            return ShareEngines.takeUntil(engine, "v10").stream().map(record -> record.record().value()).toList();
        }
    }

    /** Takes what the engine has within 100 ms, accepts it and adds it to {@code taken}; returns what it took. */
    private static List<AcquiredRecord<String, String>> takeAndAccept(ShareConsumerEngine<String, String> engine,
            List<AcquiredRecord<String, String>> taken) {
        List<AcquiredRecord<String, String>> batch = engine.getMany(Duration.ofMillis(100), 200);
        batch.forEach(AcquiredRecord::accept);
        taken.addAll(batch);
        return batch;
    }

    private static CompletableFuture<Void> allOf(List<CompletableFuture<Void>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    }

    private static List<Long> range(long from, long to) {
        List<Long> values = new ArrayList<>();
        for (long i = from; i < to; i++) {
            values.add(i);
        }
        return values;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
